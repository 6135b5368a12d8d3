// The raw results of one run: what run.ts collects and report.ts and chart.ts render. Written to
// bench/results.json as well, so the figures behind the report can be checked.
import type { Operation, StateSizes, Variant } from "./deployments";
import type { EnvironmentInfo } from "./environment";
import type { CallCounts } from "./request-log";
import type { StartupResults } from "./startup";

/** Who made a timed sample: ours, the engine floor (noop) or the API floor (ali-oss). */
export type Subject = Variant | "api";

/** One timed operation. */
export interface TimedSample {
    subject: Subject;
    operation: Operation;
    count: number;
    latencyMs: number;
    rep: number;
    ms: number;
    /** Emulator calls during the operation (ours only). */
    calls?: CallCounts;
    /**
     * CPU time of the benchmark's own process during the operation: the inline program, the
     * Automation API and the emulator. Ours minus the engine floor is about the emulator's work.
     */
    hostCpuMs: number;
    /** Most calls in flight at once (ours only, latency > 0). */
    maxInFlight?: number;
    /** First call's arrival to last call's answer (ours only). */
    callSpanMs?: number;
}

/** State sizes of a variant after `up` at a resource count. */
export interface StateSample {
    variant: Variant;
    count: number;
    sizes: StateSizes;
}

/** Call counts of the scenarios the timed matrix does not cover. */
export interface ScenarioCalls {
    count: number;
    /** `pulumi up` changing every resource's algorithm (AES256 to SM4). */
    update: CallCounts;
    /** KMS keys the KMS scenario's resources use (alternately). */
    kmsKeys: string[];
    /** Each operation of a cycle of resources with sseAlgorithm KMS and a key. */
    kms: Record<Operation, CallCounts>;
}

/** Where the provider process spent its CPU in the profiled run. */
export interface ProfileSummary {
    count: number;
    latencyMs: number;
    /** Wall time the profile covers. */
    totalMs: number;
    /** Self time per category (idle, our provider, @pulumi/pulumi, grpc, node internals, ...). */
    byCategory: { category: string; ms: number }[];
    /** Self time per function ("where" is file:line), idle excluded, most first; tiny ones left out. */
    functions: { name: string; where: string; ms: number }[];
}

/** Everything one `npm run bench` measured. */
export interface BenchResults {
    environment: EnvironmentInfo;
    matrix: {
        counts: number[];
        latenciesMs: number[];
        repsByCount: Record<number, number>;
        repsRule: string;
        parallelism: number;
        startupReps: number;
    };
    samples: TimedSample[];
    state: StateSample[];
    startup: StartupResults;
    scenarios: ScenarioCalls;
    /** Profiles of one `pulumi up` of ours and of the engine floor, when profiled. */
    profile?: Record<Variant, ProfileSummary>;
    durationMs: number;
}
