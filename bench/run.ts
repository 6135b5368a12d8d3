// `npm run bench`: measures every variant against the engine's and the API's floors with the real
// Pulumi CLI against the emulator, writes bench/results.json, then shows it: BENCHMARKS.md (from
// bench/BENCHMARKS.template.md), bench/chart.svg, and the times and targets on stdout.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../emulator";
import { emulatorConfig } from "../harness/stacks";
import { ensurePulumiCli } from "../harness/pulumi";
import { renderChart } from "./chart";
import { benchBucket, BenchStack, createBenchStack } from "./deployments";
import { describeEnvironment } from "./environment";
import { GROWTH_MIN_COUNT, missedUpTargets, timeRows, verdicts } from "./figures";
import { apiFloorBucket, runMatrix, warmUp } from "./matrix";
import { BenchOptions, readOptions } from "./options";
import { profileUp } from "./profile";
import { profileTables, renderMarkdown, targetsTable, timesTable } from "./report";
import { BenchResults } from "./results";
import { runScenarios } from "./scenarios";
import { measureStartup } from "./startup";
import { OURS, Variant, VARIANTS } from "./variants";
import type * as automation from "@pulumi/pulumi/automation";
import { PACKAGE_NAME } from "../plugin/schema";

/** What one run measures; `progress` prints a line. */
async function measure(options: BenchOptions, progress: (line: string) => void): Promise<BenchResults> {
    const cliDir = ensurePulumiCli();
    if (!cliDir) {
        throw new Error("the Pulumi CLI is needed (scripts/ensure-pulumi-cli.sh could not find or build it)");
    }
    const environment = describeEnvironment(cliDir);
    const emulator = await startEmulator();
    const stacks: BenchStack[] = [];
    try {
        for (let i = 0; i < Math.max(...options.counts, options.callsCount); i++) {
            emulator.seedBucket(benchBucket(i));
            emulator.seedBucket(apiFloorBucket(i));
        }
        for (const variant of VARIANTS) {
            stacks.push(await createBenchStack(variant, emulator));
        }
        progress(`warming up; matrix N=${options.counts.join(",")} latencies=${options.latenciesMs.join(",")}ms`);
        const providers = await warmUp(stacks);
        const { samples, state } = await runMatrix(emulator, stacks, options, progress);
        progress("call-count scenarios");
        const scenarios = await runScenarios(stacks[VARIANTS.indexOf(OURS)], options.callsCount);
        progress("provider start-up");
        const values = (config: automation.ConfigMap, prefix = "") =>
            Object.fromEntries(Object.entries(config).map(([key, v]) => [key.slice(prefix.length), v.value]));
        // A plugin's Configure takes its settings without the package's namespace.
        const configOf = (v: Variant) => (v.config ? values(v.config(emulator), `${PACKAGE_NAME}:`) : values(emulatorConfig(emulator)));
        const startup = await measureStartup(VARIANTS, providers, configOf, options.startupReps);
        const { counts, latenciesMs, parallelism, startupReps } = options;
        const repsByCount = Object.fromEntries(counts.map(n => [n, options.repsFor(n)]));
        const variants = VARIANTS.map(v => ({ name: v.name, label: v.label }));
        const r: BenchResults = { environment, matrix: { counts, latenciesMs, repsByCount, parallelism, startupReps }, variants, samples, state, startup, scenarios, durationMs: 0 };
        // The profile runs at the worst missed `pulumi up` target, or (BENCH_PROFILE=1) at the smallest N >= 25.
        const missed = missedUpTargets(timeRows(r))[0];
        if (options.profile === "always" || (options.profile === "auto" && missed)) {
            const count = missed?.count ?? counts.find(n => n >= GROWTH_MIN_COUNT) ?? Math.max(...counts);
            const latencyMs = missed?.latencyMs ?? Math.max(...latenciesMs);
            progress(`profiling the provider process: up, N=${count}, ${latencyMs} ms`);
            r.profile = {};
            for (const variant of VARIANTS.filter(v => v.dynamic)) {
                r.profile[variant.name] = await profileUp(emulator, variant, count, latencyMs);
            }
        }
        return r;
    } finally {
        await Promise.all(stacks.map(s => s.test.remove()));
        await emulator.stop();
    }
}

/** Writes BENCHMARKS.md and bench/chart.svg under the output directory and prints the tables. */
function show(options: BenchOptions, r: BenchResults): void {
    const rows = timeRows(r);
    const targets = verdicts(r, rows);
    fs.writeFileSync(path.join(options.outDir, "BENCHMARKS.md"), renderMarkdown(r, rows, targets));
    const e = r.environment;
    const caption = `Median seconds; ${e.date.slice(0, 10)}, ${e.cpus} CPUs, Pulumi ${e.pulumiCli}, parallelism ${r.matrix.parallelism}.`;
    fs.writeFileSync(path.join(options.outDir, "bench", "chart.svg"), renderChart(rows, r.variants, r.matrix.latenciesMs, caption));
    console.log(["", timesTable(r, rows), "", targetsTable(targets), "", r.profile ? profileTables(r) : ""].join("\n"));
}

async function main(): Promise<void> {
    const options = readOptions();
    fs.mkdirSync(path.join(options.outDir, "bench"), { recursive: true });
    if (options.fromResults) {
        return show(options, JSON.parse(fs.readFileSync(options.fromResults, "utf8")) as BenchResults);
    }
    const started = performance.now();
    const progress = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);
    const r = await measure(options, progress);
    r.durationMs = performance.now() - started;
    r.environment.loadAtEnd = os.loadavg()[0];
    // Saved before showing, so a failure to render loses no measurement.
    fs.writeFileSync(path.join(options.outDir, "bench", "results.json"), JSON.stringify(r, null, 1) + "\n");
    show(options, r);
    progress(`wrote ${path.join(options.outDir, "BENCHMARKS.md")}, bench/chart.svg and bench/results.json`);
}

main().catch(error => {
    console.error(error);
    process.exit(1);
});
