// `npm run bench`: the cost of BucketEncryption against the engine's floor and the API's floor,
// with the real Pulumi CLI against the emulator. Writes BENCHMARKS.md, bench/chart.svg and
// bench/results.json, and prints the ratios table. Settings: see options.ts or BENCHMARKS.md.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, startEmulator } from "../tests/emulator";
import { emulatorConfig, ensurePulumiCli } from "../tests/e2e/harness";
import { GROWTH_MIN_COUNT, overTarget, STARTUP_TARGET_MS, targetUpRows, timeRows, verdicts } from "./analysis";
import { ApiFloor, apiFloorBucket } from "./api-floor";
import { renderChart } from "./chart";
import { benchBucket, BenchStack, createBenchStack, seedBuckets, Variant } from "./deployments";
import { describeEnvironment } from "./environment";
import { runMatrix, warmUp } from "./matrix";
import { BenchOptions, readOptions } from "./options";
import { profileUp } from "./profile";
import { renderConsole, renderMarkdown } from "./report";
import { BenchResults } from "./results";
import { runScenarios } from "./scenarios";
import { LaunchInput, measureStartup } from "./startup";

/** Prints a progress line with the time since the run began. */
function progressLogger(started: number): (line: string) => void {
    return line => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);
}

/** What a start-up launch sends: the stack config as plain strings, a resource's inputs, its `__provider`. */
function launchInputs(emulator: Emulator, providers: Record<Variant, string>): Record<Variant, LaunchInput> {
    const config = Object.fromEntries(Object.entries(emulatorConfig(emulator)).map(([key, v]) => [key, v.value]));
    const inputs = { bucket: benchBucket(0), sseAlgorithm: "AES256" };
    return {
        ours: { providerText: providers.ours, config, inputs },
        noop: { providerText: providers.noop, config, inputs },
    };
}

/**
 * Where to profile, if at all. A missed `pulumi up` target: its worst point. Otherwise a missed
 * start-up target, or BENCH_PROFILE=1: a small point (the smallest N >= 25), where start-up shows.
 */
function profilePoint(options: BenchOptions, results: BenchResults): { count: number; latencyMs: number } | undefined {
    const missed = targetUpRows(timeRows(results))
        .filter(overTarget)
        .sort((a, b) => b.vsEngine - a.vsEngine)[0];
    if (missed) {
        return options.profile === "never" ? undefined : missed;
    }
    const startupMissed = results.startup.ours.firstCheckMs >= STARTUP_TARGET_MS;
    if (options.profile === "never" || (options.profile === "auto" && !startupMissed)) {
        return undefined;
    }
    const count = options.counts.find(n => n >= GROWTH_MIN_COUNT) ?? Math.max(...options.counts);
    return { count, latencyMs: Math.max(...options.latenciesMs) };
}

/** Writes bench/results.json under the output directory first, so a rendering failure loses no measurement. */
function writeResults(options: BenchOptions, results: BenchResults): void {
    const benchDir = path.join(options.outDir, "bench");
    fs.mkdirSync(benchDir, { recursive: true });
    fs.writeFileSync(path.join(benchDir, "results.json"), JSON.stringify(results, null, 1) + "\n");
}

/** Writes BENCHMARKS.md and bench/chart.svg under the output directory; returns the stdout summary. */
function writeReport(options: BenchOptions, results: BenchResults): string {
    const rows = timeRows(results);
    const targetVerdicts = verdicts(results, rows);
    const benchDir = path.join(options.outDir, "bench");
    fs.mkdirSync(benchDir, { recursive: true });
    fs.writeFileSync(path.join(options.outDir, "BENCHMARKS.md"), renderMarkdown(results, rows, targetVerdicts));
    const caption = `Median seconds; ${results.environment.date.slice(0, 10)}, ${results.environment.cpus} CPUs, Pulumi ${results.environment.pulumiCli}, parallelism ${results.matrix.parallelism}.`;
    fs.writeFileSync(path.join(benchDir, "chart.svg"), renderChart(rows, results.matrix.latenciesMs, caption));
    return renderConsole(rows, targetVerdicts);
}

async function main(): Promise<void> {
    const options = readOptions();
    if (options.fromResults) {
        const saved = JSON.parse(fs.readFileSync(options.fromResults, "utf8")) as BenchResults;
        console.log(writeReport(options, saved));
        return;
    }
    const started = performance.now();
    const progress = progressLogger(started);
    const cliDir = ensurePulumiCli();
    if (!cliDir) {
        throw new Error("the Pulumi CLI is needed (scripts/ensure-pulumi-cli.sh could not find or build it)");
    }
    const environment = describeEnvironment(cliDir);
    const emulator = await startEmulator();
    const stacks: Partial<Record<Variant, BenchStack>> = {};
    try {
        const maxCount = Math.max(...options.counts, options.callsCount);
        seedBuckets(emulator, maxCount);
        seedBuckets(emulator, maxCount, apiFloorBucket);
        stacks.ours = await createBenchStack("ours", emulator);
        stacks.noop = await createBenchStack("noop", emulator);
        const both = stacks as Record<Variant, BenchStack>;
        progress(`warming up; matrix N=${options.counts.join(",")} latencies=${options.latenciesMs.join(",")}ms reps ${options.repsRule}`);
        const providers = await warmUp(both);
        const api = new ApiFloor(emulator, options.parallelism);
        const { samples, state } = await runMatrix({ emulator, stacks: both, api, options, progress });
        progress("call-count scenarios");
        const scenarios = await runScenarios(emulator, both.ours, options.callsCount);
        progress("provider start-up");
        const startup = await measureStartup(launchInputs(emulator, providers), options.startupReps);
        const results: BenchResults = {
            environment,
            matrix: {
                counts: options.counts,
                latenciesMs: options.latenciesMs,
                repsByCount: Object.fromEntries(options.counts.map(n => [n, options.repsFor(n)])),
                repsRule: options.repsRule,
                parallelism: options.parallelism,
                startupReps: options.startupReps,
            },
            samples,
            state,
            startup,
            scenarios,
            durationMs: 0,
        };
        const point = profilePoint(options, results);
        if (point) {
            progress(`profiling the provider process: up, N=${point.count}, ${point.latencyMs} ms, ours and the engine floor`);
            results.profile = {
                ours: await profileUp(emulator, "ours", point.count, point.latencyMs),
                noop: await profileUp(emulator, "noop", point.count, point.latencyMs),
            };
        }
        results.durationMs = performance.now() - started;
        results.environment.loadAtEnd = os.loadavg()[0];
        writeResults(options, results);
        console.log("\n" + writeReport(options, results));
        progress(`wrote ${path.join(options.outDir, "BENCHMARKS.md")} and bench/chart.svg`);
    } finally {
        await Promise.all(Object.values(stacks).map(s => s.test.remove()));
        await emulator.stop();
    }
}

main().catch(error => {
    console.error(error);
    process.exit(1);
});
