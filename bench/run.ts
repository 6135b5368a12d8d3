// `npm run bench`: measures every variant against the engine's and the API's floors with the real
// Pulumi CLI against the emulator, writes bench/results.json, then shows it: BENCHMARKS.md (from
// bench/BENCHMARKS.template.md), bench/chart.svg, and the targets and times on stdout.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../tests/emulator";
import { emulatorConfig, ensurePulumiCli } from "../tests/e2e/harness";
import { ApiFloor, apiFloorBucket } from "./api-floor";
import { runScenarios } from "./calls";
import { renderChart } from "./chart";
import { BenchStack, createBenchStack, seedBuckets } from "./deployments";
import { describeEnvironment } from "./environment";
import { GROWTH_MIN_COUNT, missedUpTargets, timeRows, verdicts } from "./figures";
import { runMatrix, warmUp } from "./matrix";
import { BenchOptions, readOptions } from "./options";
import { profileUp } from "./profile";
import { profileTables, renderMarkdown, targetsTable, timesTable } from "./report";
import { BenchResults } from "./results";
import { measureStartup } from "./startup";
import { OURS, VARIANTS } from "./variants";

/** Writes BENCHMARKS.md, bench/chart.svg and (when measured now) bench/results.json; prints the tables. */
function show(options: BenchOptions, r: BenchResults, measured: boolean): void {
    const benchDir = path.join(options.outDir, "bench");
    fs.mkdirSync(benchDir, { recursive: true });
    if (measured) {
        fs.writeFileSync(path.join(benchDir, "results.json"), JSON.stringify(r, null, 1) + "\n");
    }
    const rows = timeRows(r);
    const targets = verdicts(r, rows);
    fs.writeFileSync(path.join(options.outDir, "BENCHMARKS.md"), renderMarkdown(r, rows, targets));
    const e = r.environment;
    const caption = `Median seconds; ${e.date.slice(0, 10)}, ${e.cpus} CPUs, Pulumi ${e.pulumiCli}, parallelism ${r.matrix.parallelism}.`;
    fs.writeFileSync(path.join(benchDir, "chart.svg"), renderChart(rows, r.variants, r.matrix.latenciesMs, caption));
    console.log(["", timesTable(r, rows), "", targetsTable(targets), "", r.profile ? profileTables(r) : ""].join("\n"));
}

/** Where to profile: the worst missed `pulumi up` target; with BENCH_PROFILE=1 and none missed, the smallest N >= 25. */
function profilePoint(options: BenchOptions, r: BenchResults): { count: number; latencyMs: number } | undefined {
    const missed = missedUpTargets(timeRows(r))[0];
    if (options.profile === "never" || (options.profile === "auto" && !missed)) {
        return undefined;
    }
    return missed ?? {
        count: options.counts.find(n => n >= GROWTH_MIN_COUNT) ?? Math.max(...options.counts),
        latencyMs: Math.max(...options.latenciesMs),
    };
}

async function main(): Promise<void> {
    const options = readOptions();
    if (options.fromResults) {
        show(options, JSON.parse(fs.readFileSync(options.fromResults, "utf8")) as BenchResults, false);
        return;
    }
    const started = performance.now();
    const progress = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);
    const cliDir = ensurePulumiCli();
    if (!cliDir) {
        throw new Error("the Pulumi CLI is needed (scripts/ensure-pulumi-cli.sh could not find or build it)");
    }
    const environment = describeEnvironment(cliDir);
    const emulator = await startEmulator();
    const stacks: BenchStack[] = [];
    try {
        const maxCount = Math.max(...options.counts, options.callsCount);
        seedBuckets(emulator, maxCount);
        seedBuckets(emulator, maxCount, apiFloorBucket);
        for (const variant of VARIANTS) {
            stacks.push(await createBenchStack(variant, emulator));
        }
        progress(`warming up; matrix N=${options.counts.join(",")} latencies=${options.latenciesMs.join(",")}ms`);
        const providers = await warmUp(stacks);
        const api = new ApiFloor(emulator, options.parallelism);
        const { samples, state } = await runMatrix(emulator, stacks, api, options, progress);
        progress("call-count scenarios");
        const scenarios = await runScenarios(emulator, stacks[VARIANTS.indexOf(OURS)], options.callsCount);
        progress("provider start-up");
        const config = Object.fromEntries(Object.entries(emulatorConfig(emulator)).map(([key, v]) => [key, v.value]));
        const startup = await measureStartup(VARIANTS, providers, config, options.startupReps);
        const r: BenchResults = {
            environment,
            matrix: {
                counts: options.counts,
                latenciesMs: options.latenciesMs,
                repsByCount: Object.fromEntries(options.counts.map(n => [n, options.repsFor(n)])),
                parallelism: options.parallelism,
                startupReps: options.startupReps,
            },
            variants: VARIANTS.map(v => ({ name: v.name, label: v.label })),
            samples,
            state,
            startup,
            scenarios,
            durationMs: 0,
        };
        const point = profilePoint(options, r);
        if (point) {
            progress(`profiling the provider process: up, N=${point.count}, ${point.latencyMs} ms`);
            r.profile = {};
            for (const variant of VARIANTS.filter(v => v.providerModule)) {
                r.profile[variant.name] = await profileUp(emulator, variant, point.count, point.latencyMs);
            }
        }
        r.durationMs = performance.now() - started;
        environment.loadAtEnd = os.loadavg()[0];
        show(options, r, true);
        progress(`wrote ${path.join(options.outDir, "BENCHMARKS.md")}, bench/chart.svg and bench/results.json`);
    } finally {
        await Promise.all(stacks.map(s => s.test.remove()));
        await emulator.stop();
    }
}

main().catch(error => {
    console.error(error);
    process.exit(1);
});
