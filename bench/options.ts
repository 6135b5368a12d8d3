// What one `npm run bench` measures, from BENCH_* environment variables or the equivalent
// `--name=value` arguments (`--n=1,25` is BENCH_N=1,25); arguments win over the environment.
import * as os from "os";
import * as path from "path";
import { REPO } from "../tests/e2e/harness";

/** The measured matrix and where results go. */
export interface BenchOptions {
    /** Resource counts, ascending. */
    counts: number[];
    /** Emulator latency per call (ms), ascending. */
    latenciesMs: number[];
    /** Paired repetitions of the cycle at a resource count. */
    repsFor: (count: number) => number;
    /** Launches of the provider process per variant for the start-up figures. */
    startupReps: number;
    /** Resources in the call-count scenarios (update, KMS keys). */
    callsCount: number;
    /** Concurrency of the API floor: the Pulumi CLI's default parallelism. */
    parallelism: number;
    /** CPU-profile one `pulumi up` per variant: "auto" only when a `pulumi up` time target is missed. */
    profile: "auto" | "always" | "never";
    /** Directory receiving BENCHMARKS.md; the chart and results.json go to its bench/ folder. */
    outDir: string;
    /** A results.json to render again instead of measuring (BENCH_FROM). */
    fromResults?: string;
}

const DEFAULTS: Record<string, string> = {
    BENCH_N: "1,25,100,400",
    BENCH_LATENCIES: "0,30",
    BENCH_REPS: "",
    BENCH_STARTUP_REPS: "10",
    BENCH_CALLS_N: "25",
    BENCH_PROFILE: "auto",
    BENCH_OUT: REPO,
    BENCH_FROM: "",
};

/** Repetitions when BENCH_REPS is unset: 3 up to N = 100, 2 above (a run at 400 is long). */
const defaultReps = (count: number) => (count <= 100 ? 3 : 2);

/** A comma-separated list of distinct non-negative integers, ascending. */
function integers(name: string, text: string): number[] {
    const values = text.split(",").map(s => Number(s.trim()));
    if (values.some(v => !Number.isInteger(v) || v < 0)) {
        throw new Error(`${name} must be a comma-separated list of non-negative integers; got "${text}"`);
    }
    return [...new Set(values)].sort((a, b) => a - b);
}

function positive(name: string, text: string): number {
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
        throw new Error(`${name} must be a positive integer; got "${text}"`);
    }
    return value;
}

function profileSetting(text: string): BenchOptions["profile"] {
    const choice = [/^auto$/i, /^(1|true|yes)$/i, /^(0|false|no|)$/i].findIndex(re => re.test(text));
    if (choice < 0) {
        throw new Error(`BENCH_PROFILE must be auto, 1 or 0; got "${text}"`);
    }
    return (["auto", "always", "never"] as const)[choice];
}

/** The options of this run. */
export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
    const s: Record<string, string> = { ...DEFAULTS };
    for (const name of Object.keys(DEFAULTS)) {
        s[name] = env[name] ?? s[name];
    }
    for (const arg of argv) {
        const match = /^--([a-z-_]+)=(.*)$/i.exec(arg);
        const name = match ? `BENCH_${match[1].toUpperCase().replace(/-/g, "_")}` : "";
        if (!match || !(name in DEFAULTS)) {
            throw new Error(`unknown argument ${arg}; use --name=value with one of ${Object.keys(DEFAULTS).join(", ")} (minus BENCH_)`);
        }
        s[name] = match[2];
    }
    const fixedReps = s.BENCH_REPS === "" ? undefined : positive("BENCH_REPS", s.BENCH_REPS);
    const parallel = Number(env.PULUMI_PARALLEL);
    return {
        counts: integers("BENCH_N", s.BENCH_N).filter(n => n > 0),
        latenciesMs: integers("BENCH_LATENCIES", s.BENCH_LATENCIES),
        repsFor: n => fixedReps ?? defaultReps(n),
        startupReps: positive("BENCH_STARTUP_REPS", s.BENCH_STARTUP_REPS),
        callsCount: positive("BENCH_CALLS_N", s.BENCH_CALLS_N),
        // The CLI's default --parallel: PULUMI_PARALLEL, else 4 per CPU (pkg/cmd/pulumi/operations/up.go).
        parallelism: Number.isInteger(parallel) && parallel > 0 ? parallel : os.availableParallelism() * 4,
        profile: profileSetting(s.BENCH_PROFILE),
        outDir: path.resolve(s.BENCH_OUT),
        fromResults: s.BENCH_FROM === "" ? undefined : path.resolve(s.BENCH_FROM),
    };
}
