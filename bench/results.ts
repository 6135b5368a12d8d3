// Everything one run measured: what run.ts writes to bench/results.json and report.ts and chart.ts show.
import type { describeEnvironment } from "./environment";
import type { StateSample, TimedSample } from "./matrix";
import type { ProfileSummary } from "./profile";
import type { ScenarioCalls } from "./scenarios";
import type { StartupResults } from "./startup";

/** The raw results of one `npm run bench`. */
export interface BenchResults {
    environment: ReturnType<typeof describeEnvironment>;
    matrix: { counts: number[]; latenciesMs: number[]; repsByCount: Record<number, number>; parallelism: number; startupReps: number };
    /** Variants measured (name and column heading), in VARIANTS' order. */
    variants: { name: string; label: string }[];
    samples: TimedSample[];
    state: StateSample[];
    startup: StartupResults;
    scenarios: ScenarioCalls;
    /** One profiled `pulumi up` per variant (by name), when profiled. */
    profile?: Record<string, ProfileSummary>;
    durationMs: number;
}
