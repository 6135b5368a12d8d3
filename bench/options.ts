// What one `npm run bench` measures, from BENCH_* environment variables or the equivalent
// `--name=value` arguments (`--n=1,25` is BENCH_N=1,25); arguments win over the environment.
import * as os from "os";
import * as path from "path";
import { REPO } from "../harness/pulumi";

const DEFAULTS: Record<string, string> = {
    BENCH_N: "1,25,100,400",
    BENCH_LATENCIES: "0,30",
    BENCH_REPS: "", // 3 up to N = 100, 2 above (a run at 400 is long)
    BENCH_STARTUP_REPS: "10",
    BENCH_CALLS_N: "25",
    BENCH_PROFILE: "auto", // auto: only when a `pulumi up` time target is missed; 1: always; 0: never
    BENCH_OUT: REPO, // BENCHMARKS.md goes here, the chart and results.json to its bench/ folder
    BENCH_FROM: "", // a results.json to show again instead of measuring
};

/** BENCH_PROFILE's spellings. */
const PROFILE: Record<string, "auto" | "always" | "never" | undefined> = { auto: "auto", 1: "always", true: "always", yes: "always", 0: "never", false: "never", no: "never", "": "never" };

/** A comma-separated list of distinct non-negative integers, ascending; `positive`: exactly one, above 0. */
function integers(name: string, text: string, positive = false): number[] {
    const values = [...new Set(text.split(",").map(s => Number(s.trim())))].sort((a, b) => a - b);
    if (values.some(v => !Number.isInteger(v) || v < 0) || (positive && (values.length !== 1 || values[0] === 0))) {
        throw new Error(`${name} must be ${positive ? "a positive integer" : "a comma-separated list of non-negative integers"}; got "${text}"`);
    }
    return values;
}

/** The options of this run. */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
    const s = Object.fromEntries(Object.entries(DEFAULTS).map(([name, value]) => [name, env[name] ?? value]));
    for (const arg of argv) {
        const match = /^--([a-z-_]+)=(.*)$/i.exec(arg);
        const name = match ? `BENCH_${match[1].toUpperCase().replace(/-/g, "_")}` : "";
        if (!match || !(name in DEFAULTS)) {
            throw new Error(`unknown argument ${arg}; use --name=value with one of ${Object.keys(DEFAULTS).join(", ")} (minus BENCH_)`);
        }
        s[name] = match[2];
    }
    const profile = PROFILE[s.BENCH_PROFILE.toLowerCase()];
    if (!profile) {
        throw new Error(`BENCH_PROFILE must be auto, 1 or 0; got "${s.BENCH_PROFILE}"`);
    }
    const [fixedReps] = s.BENCH_REPS === "" ? [] : integers("BENCH_REPS", s.BENCH_REPS, true);
    const parallel = Number(env.PULUMI_PARALLEL);
    return {
        counts: integers("BENCH_N", s.BENCH_N).filter(n => n > 0),
        latenciesMs: integers("BENCH_LATENCIES", s.BENCH_LATENCIES),
        repsFor: (count: number) => fixedReps ?? (count <= 100 ? 3 : 2),
        startupReps: integers("BENCH_STARTUP_REPS", s.BENCH_STARTUP_REPS, true)[0],
        callsCount: integers("BENCH_CALLS_N", s.BENCH_CALLS_N, true)[0],
        // The CLI's default --parallel, which the API floor uses too: PULUMI_PARALLEL, else 4 per CPU.
        parallelism: Number.isInteger(parallel) && parallel > 0 ? parallel : os.availableParallelism() * 4,
        profile,
        outDir: path.resolve(s.BENCH_OUT),
        fromResults: s.BENCH_FROM === "" ? undefined : path.resolve(s.BENCH_FROM),
    };
}

/** The options of a run. */
export type BenchOptions = ReturnType<typeof readOptions>;
