// What one `npm run bench` measures: the matrix and its repetitions, from BENCH_* environment
// variables or the equivalent `--name=value` arguments (`--n=1,25` is BENCH_N=1,25).
import * as os from "os";
import * as path from "path";

/** The repository root (this file is compiled to bin/bench/). */
export const REPO = path.resolve(__dirname, "../..");

/** The measured matrix and where results go. */
export interface BenchOptions {
    /** Resource counts, ascending. */
    counts: number[];
    /** Emulator latency per call, in ms. */
    latenciesMs: number[];
    /** Paired repetitions of every timed operation at a resource count. */
    repsFor: (count: number) => number;
    /** Human description of the repetition rule, for the report. */
    repsRule: string;
    /** Launches of the provider process per variant for the start-up figures. */
    startupReps: number;
    /** Resources in the call-count scenarios (update, KMS keys). */
    callsCount: number;
    /** Concurrency of the ali-oss floor: the Pulumi CLI's default parallelism (4 per CPU). */
    parallelism: number;
    /**
     * CPU-profile the provider process in one extra `pulumi up` of ours: "auto" when a `pulumi up`
     * target is missed, "always", or "never".
     */
    profile: "auto" | "always" | "never";
    /** Directory receiving BENCHMARKS.md; the chart and the raw results go to its bench/ folder. */
    outDir: string;
    /** A results.json to render again instead of measuring (BENCH_FROM); undefined: measure. */
    fromResults?: string;
}

/** Defaults of the full run; see BENCHMARKS.md for how long it takes. */
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

/** Repetitions when BENCH_REPS is not set: 3 up to 100 resources, 2 above (a 400 run is long). */
const DEFAULT_REPS_SMALL = 3;
const DEFAULT_REPS_LARGE = 2;
const LARGE_COUNT = 100;

/** BENCH_* settings: `--name=value` arguments override the environment, which overrides DEFAULTS. */
function readSettings(argv: string[], env: NodeJS.ProcessEnv): Record<string, string> {
    const settings: Record<string, string> = { ...DEFAULTS };
    for (const name of Object.keys(DEFAULTS)) {
        if (env[name] !== undefined) {
            settings[name] = env[name]!;
        }
    }
    for (const arg of argv) {
        const match = /^--([a-z-_]+)=(.*)$/i.exec(arg);
        const name = match && `BENCH_${match[1].toUpperCase().replace(/-/g, "_")}`;
        if (!match || !(name! in DEFAULTS)) {
            throw new Error(`unknown argument ${arg}; use --name=value with one of ${Object.keys(DEFAULTS).join(", ")} (minus BENCH_)`);
        }
        settings[name!] = match[2];
    }
    return settings;
}

/** A comma-separated list of non-negative integers. */
function parseIntegers(name: string, text: string): number[] {
    const values = text.split(",").map(s => Number(s.trim()));
    if (values.length === 0 || values.some(v => !Number.isInteger(v) || v < 0)) {
        throw new Error(`${name} must be a comma-separated list of non-negative integers; got "${text}"`);
    }
    return values;
}

/** A positive integer setting. */
function parsePositive(name: string, text: string): number {
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
        throw new Error(`${name} must be a positive integer; got "${text}"`);
    }
    return value;
}

/** BENCH_PROFILE: auto, or a boolean meaning always / never. */
function parseProfile(text: string): BenchOptions["profile"] {
    if (/^auto$/i.test(text)) {
        return "auto";
    }
    if (/^(1|true|yes)$/i.test(text)) {
        return "always";
    }
    if (/^(0|false|no|)$/i.test(text)) {
        return "never";
    }
    throw new Error(`BENCH_PROFILE must be auto, 1 or 0; got "${text}"`);
}

/** The options of this run. */
export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
    const s = readSettings(argv, env);
    const counts = [...new Set(parseIntegers("BENCH_N", s.BENCH_N))].filter(n => n > 0).sort((a, b) => a - b);
    const fixedReps = s.BENCH_REPS === "" ? undefined : parsePositive("BENCH_REPS", s.BENCH_REPS);
    return {
        counts,
        latenciesMs: [...new Set(parseIntegers("BENCH_LATENCIES", s.BENCH_LATENCIES))].sort((a, b) => a - b),
        repsFor: n => fixedReps ?? (n <= LARGE_COUNT ? DEFAULT_REPS_SMALL : DEFAULT_REPS_LARGE),
        repsRule:
            fixedReps !== undefined
                ? `${fixedReps} for every N (BENCH_REPS)`
                : `${DEFAULT_REPS_SMALL} for N <= ${LARGE_COUNT}, ${DEFAULT_REPS_LARGE} above`,
        startupReps: parsePositive("BENCH_STARTUP_REPS", s.BENCH_STARTUP_REPS),
        callsCount: parsePositive("BENCH_CALLS_N", s.BENCH_CALLS_N),
        parallelism: pulumiDefaultParallelism(env),
        profile: parseProfile(s.BENCH_PROFILE),
        outDir: path.resolve(s.BENCH_OUT),
        fromResults: s.BENCH_FROM === "" ? undefined : path.resolve(s.BENCH_FROM),
    };
}

/** The CLI's default --parallel: PULUMI_PARALLEL, else GOMAXPROCS * 4 (pkg/cmd/pulumi/operations/up.go). */
export function pulumiDefaultParallelism(env: NodeJS.ProcessEnv = process.env): number {
    const fromEnv = Number(env.PULUMI_PARALLEL);
    return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : os.availableParallelism() * 4;
}
