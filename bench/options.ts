// What one `npm run bench` measures, from BENCH_* environment variables or the equivalent
// `--name=value` arguments (`--n=1,25` is BENCH_N=1,25); arguments win over the environment.
import * as os from "os";
import * as path from "path";
import { REPO } from "../tests/e2e/harness";

const DEFAULTS: Record<string, string> = {
    BENCH_N: "1,25,100,400",
    BENCH_LATENCIES: "0,30",
    BENCH_REPS: "", // 3 up to N = 100, 2 above (a run at 400 is long)
    BENCH_STARTUP_REPS: "10",
    BENCH_CALLS_N: "25",
    BENCH_PROFILE: "auto",
    BENCH_OUT: REPO,
    BENCH_FROM: "",
};

/** A comma-separated list of distinct non-negative integers, ascending. */
function integers(name: string, text: string): number[] {
    const values = text.split(",").map(s => Number(s.trim()));
    if (values.some(v => !Number.isInteger(v) || v < 0)) {
        throw new Error(`${name} must be a comma-separated list of non-negative integers; got "${text}"`);
    }
    return [...new Set(values)].sort((a, b) => a - b);
}

function positive(name: string, text: string): number {
    const [value] = integers(name, text);
    if (!(value > 0) || text.includes(",")) {
        throw new Error(`${name} must be a positive integer; got "${text}"`);
    }
    return value;
}

/** The options of this run: the matrix, start-up launches and call-scenario size, and where results go. */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
    const s: Record<string, string> = { ...DEFAULTS };
    Object.keys(DEFAULTS).forEach(name => (s[name] = env[name] ?? s[name]));
    for (const arg of argv) {
        const match = /^--([a-z-_]+)=(.*)$/i.exec(arg);
        const name = match ? `BENCH_${match[1].toUpperCase().replace(/-/g, "_")}` : "";
        if (!match || !(name in DEFAULTS)) {
            throw new Error(`unknown argument ${arg}; use --name=value with one of ${Object.keys(DEFAULTS).join(", ")} (minus BENCH_)`);
        }
        s[name] = match[2];
    }
    const profile = ([["auto", /^auto$/i], ["always", /^(1|true|yes)$/i], ["never", /^(0|false|no|)$/i]] as const).find(([, re]) => re.test(s.BENCH_PROFILE));
    if (!profile) {
        throw new Error(`BENCH_PROFILE must be auto, 1 or 0; got "${s.BENCH_PROFILE}"`);
    }
    const fixedReps = s.BENCH_REPS === "" ? undefined : positive("BENCH_REPS", s.BENCH_REPS);
    const parallel = Number(env.PULUMI_PARALLEL);
    return {
        counts: integers("BENCH_N", s.BENCH_N).filter(n => n > 0),
        latenciesMs: integers("BENCH_LATENCIES", s.BENCH_LATENCIES),
        repsFor: (count: number) => fixedReps ?? (count <= 100 ? 3 : 2),
        startupReps: positive("BENCH_STARTUP_REPS", s.BENCH_STARTUP_REPS),
        callsCount: positive("BENCH_CALLS_N", s.BENCH_CALLS_N),
        // The CLI's default --parallel, which the API floor uses too: PULUMI_PARALLEL, else 4 per CPU.
        parallelism: Number.isInteger(parallel) && parallel > 0 ? parallel : os.availableParallelism() * 4,
        /** "auto": profile only when a `pulumi up` time target is missed. */
        profile: profile[0],
        /** Directory receiving BENCHMARKS.md; the chart and results.json go to its bench/ folder. */
        outDir: path.resolve(s.BENCH_OUT),
        /** A results.json to show again instead of measuring. */
        fromResults: s.BENCH_FROM === "" ? undefined : path.resolve(s.BENCH_FROM),
    };
}

/** The options of a run. */
export type BenchOptions = ReturnType<typeof readOptions>;
