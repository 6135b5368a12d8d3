// Turns raw samples into the report's figures: medians and paired ratios per operation, calls per
// resource, growth per resource, and a verdict on every target of the issue.
import { Operation, OPERATIONS } from "./deployments";
import { CallCounts } from "./request-log";
import { BenchResults, Subject, TimedSample } from "./results";
import { median, pairedRatio } from "./stats";

/** Figures of one operation at one N and latency. */
export interface TimeRow {
    operation: Operation;
    count: number;
    latencyMs: number;
    reps: number;
    /** Median ms per subject. */
    ms: Record<Subject, number>;
    /** Median of paired ratios ours / engine floor and ours / API floor (NaN when the floor is 0). */
    vsEngine: number;
    vsApi: number;
    /** Median ms ours adds over the engine floor. */
    addedMs: number;
    /** Smallest and largest per-repetition (ours - engine floor): how much the machine's noise moves it. */
    addedRangeMs: [number, number];
    /** Most emulator calls in flight at once during ours' runs. */
    maxInFlight: number;
    /** Median time over which ours' calls were spread (first arrival to last answer). */
    callSpanMs: number;
    /** Median of (ours - engine floor) CPU of the benchmark's process: about what the emulator spent on ours' calls. */
    emulatorCpuMs: number;
    /** OSS and KMS calls of ours' runs (the most seen in any repetition). */
    oss: number;
    kms: number;
}

/** A target of the issue and how this run did against it. */
export interface Verdict {
    target: string;
    figure: string;
    /** undefined: not measured in this run's matrix. */
    met: boolean | undefined;
    /** The closing note explains a miss of this target in its own paragraph (else it lists it). */
    explained?: boolean;
}

/** The samples of one operation, N and latency for a subject, in repetition order. */
function samplesOf(samples: TimedSample[], subject: Subject, operation: Operation, count: number, latencyMs: number): TimedSample[] {
    return samples
        .filter(s => s.subject === subject && s.operation === operation && s.count === count && s.latencyMs === latencyMs)
        .sort((a, b) => a.rep - b.rep);
}

/** One row per operation, N and latency measured, in the matrix's order. */
export function timeRows(results: BenchResults): TimeRow[] {
    const rows: TimeRow[] = [];
    for (const count of results.matrix.counts) {
        for (const latencyMs of results.matrix.latenciesMs) {
            for (const operation of OPERATIONS) {
                const of = (subject: Subject) => samplesOf(results.samples, subject, operation, count, latencyMs);
                const [ours, noop, api] = [of("ours"), of("noop"), of("api")];
                if (ours.length === 0) {
                    continue;
                }
                const ms = (list: TimedSample[]) => list.map(s => s.ms);
                const added = ours.map((s, i) => s.ms - noop[i].ms);
                rows.push({
                    operation,
                    count,
                    latencyMs,
                    reps: ours.length,
                    ms: { ours: median(ms(ours)), noop: median(ms(noop)), api: median(ms(api)) },
                    vsEngine: pairedRatio(ms(ours), ms(noop)),
                    vsApi: pairedRatio(ms(ours), ms(api)),
                    addedMs: median(added),
                    addedRangeMs: [Math.min(...added), Math.max(...added)],
                    maxInFlight: Math.max(0, ...ours.map(s => s.maxInFlight ?? 0)),
                    callSpanMs: median(ours.map(s => s.callSpanMs ?? 0)),
                    emulatorCpuMs: median(ours.map((s, i) => s.hostCpuMs - noop[i].hostCpuMs)),
                    oss: Math.max(0, ...ours.map(s => s.calls?.oss ?? 0)),
                    kms: Math.max(0, ...ours.map(s => s.calls?.kms ?? 0)),
                });
            }
        }
    }
    return rows;
}

/** The most calls to one KMS key in any one of the given operations' runs. */
function maxKmsPerKey(calls: CallCounts[]): number {
    return Math.max(0, ...calls.flatMap(c => Object.values(c.kmsByKey)));
}

/** OSS calls per resource of an operation: the most over every N and latency measured. */
export function ossPerResource(rows: TimeRow[], operation: Operation): number {
    return Math.max(0, ...rows.filter(r => r.operation === operation).map(r => r.oss / r.count));
}

/** Threshold of the growth check: added cost per resource may grow by at most this factor. */
export const LINEAR_GROWTH_LIMIT = 1.5;

/** The smallest N the growth check uses: below it, fixed costs and noise swamp the per-resource cost. */
export const GROWTH_MIN_COUNT = 25;

/** How ours' added time per resource moves from the second-largest to the largest N. */
export interface AddedCostGrowth {
    from: TimeRow;
    to: TimeRow;
    /** Added ms per resource at `from` and at `to`. */
    fromPerResourceMs: number;
    toPerResourceMs: number;
    /**
     * How much more ours added at `to` than LINEAR_GROWTH_LIMIT times the per-resource cost at `from`
     * predicts (ms, whole run); zero or less when the growth is within the limit.
     */
    excessMs: number;
    /** The spread of ours' added time over the repetitions at `to` (ms): what noise alone moves. */
    noiseMs: number;
    /** Whether ours added something at `to`, and more than LINEAR_GROWTH_LIMIT times `from` per resource. */
    beyondLimit: boolean;
    /**
     * Whether the added cost grows faster than N: per resource it more than LINEAR_GROWTH_LIMIT-folds,
     * by more than the repetitions at the larger N differ among themselves (a smaller excess is noise,
     * and so is nothing added at the larger N).
     */
    superlinear: boolean;
}

/**
 * Growth of ours' added time per resource from the second-largest to the largest N (at the largest
 * latency): about the same per resource when linear, about 4 times as much for a quadratic from 100 to 400.
 */
export function addedCostGrowth(rows: TimeRow[], operation: Operation = "up"): AddedCostGrowth | undefined {
    const latency = Math.max(...rows.map(r => r.latencyMs));
    const at = rows
        .filter(r => r.operation === operation && r.latencyMs === latency && r.count >= GROWTH_MIN_COUNT)
        .sort((a, b) => a.count - b.count);
    if (at.length < 2) {
        return undefined;
    }
    const [from, to] = at.slice(-2);
    const fromPerResourceMs = from.addedMs / from.count;
    const toPerResourceMs = to.addedMs / to.count;
    const excessMs = (toPerResourceMs - LINEAR_GROWTH_LIMIT * Math.max(0, fromPerResourceMs)) * to.count;
    const noiseMs = to.addedRangeMs[1] - to.addedRangeMs[0];
    const beyondLimit = toPerResourceMs > 0 && excessMs > 0;
    const superlinear = beyondLimit && excessMs > noiseMs;
    return { from, to, fromPerResourceMs, toPerResourceMs, excessMs, noiseMs, beyondLimit, superlinear };
}

/**
 * A sentence-part describing the growth, e.g. "added up time/resource 1.2 ms at N=100, 2.0 ms at
 * N=400 (80 ms beyond 1.5x, repetitions at N=400 spread over 2930 ms)".
 */
export function describeGrowth(growth: AddedCostGrowth): string {
    const beyond = growth.beyondLimit
        ? ` (${growth.excessMs.toFixed(0)} ms beyond ${LINEAR_GROWTH_LIMIT}x, repetitions at N=${growth.to.count} spread over ${growth.noiseMs.toFixed(0)} ms)`
        : "";
    return (
        `added up time/resource ${growth.fromPerResourceMs.toFixed(1)} ms at N=${growth.from.count}, ` +
        `${growth.toPerResourceMs.toFixed(1)} ms at N=${growth.to.count}${beyond}`
    );
}

/** Relative spread of a list of non-negative values: (max - min) / max; 0 for fewer than two or all zero. */
function spread(values: number[]): number {
    const max = Math.max(...values);
    return values.length < 2 || max === 0 ? 0 : (max - Math.min(...values)) / max;
}

/** Spread of the bytes one of ours' resources takes in state, across N (0.03 = 3 %). */
export function stateSpread(results: BenchResults): number {
    return spread(results.state.filter(s => s.variant === "ours").map(s => s.sizes.resourceEntryBytes));
}

/** Largest spread of ours' OSS calls per resource across N, over the operations. */
export function callsPerResourceSpread(rows: TimeRow[]): number {
    return Math.max(...OPERATIONS.map(op => spread(rows.filter(r => r.operation === op).map(r => r.oss / r.count))));
}


/** The time target: ours / engine floor for `pulumi up` at these N and this latency. */
export const UP_TARGET = { counts: [100, 400], latencyMs: 30, maxRatio: 1.1 };

/** The `pulumi up` rows the time target applies to, among those measured. */
export function targetUpRows(rows: TimeRow[]): TimeRow[] {
    return rows.filter(r => r.operation === "up" && r.latencyMs === UP_TARGET.latencyMs && UP_TARGET.counts.includes(r.count));
}

/** Whether a row is over the time target's ratio (or, for other rows, over the same 10 %). */
export function overTarget(row: TimeRow): boolean {
    return row.vsEngine > UP_TARGET.maxRatio;
}

/** The start-up target, in ms. */
export const STARTUP_TARGET_MS = 300;

/** Whether the provider module loaded a KMS client (the @alicloud packages). */
export function loadsKmsClient(packages: string[]): boolean {
    return packages.some(p => p.startsWith("@alicloud"));
}

/** Verdicts on the targets. */
export function verdicts(results: BenchResults, rows: TimeRow[]): Verdict[] {
    const out: Verdict[] = [];
    for (const count of UP_TARGET.counts) {
        const row = targetUpRows(rows).find(r => r.count === count);
        out.push({
            target: `pulumi up, N = ${count}, ${UP_TARGET.latencyMs} ms latency: ours / engine floor <= ${UP_TARGET.maxRatio.toFixed(2)}`,
            figure: row ? row.vsEngine.toFixed(3) : "not in this run's matrix",
            met: row ? !overTarget(row) : undefined,
            explained: true,
        });
    }
    const perCall = (label: string, value: number, limit: number) =>
        out.push({ target: `OSS calls per ${label} <= ${limit}`, figure: value.toFixed(2), met: value <= limit });
    perCall("create", ossPerResource(rows, "up"), 2);
    perCall("update", results.scenarios.update.oss / results.scenarios.count, 2);
    perCall("refresh", ossPerResource(rows, "refresh"), 1);
    perCall("delete", ossPerResource(rows, "destroy"), 1);

    const previews = [...rows.filter(r => r.operation === "preview"), results.scenarios.kms.preview];
    const previewOss = Math.max(...previews.map(p => p.oss));
    const previewKms = Math.max(...previews.map(p => p.kms));
    out.push({ target: "no-change preview: 0 OSS and 0 KMS calls", figure: `${previewOss} OSS, ${previewKms} KMS`, met: previewOss + previewKms === 0 });

    const kmsRuns = OPERATIONS.map(op => results.scenarios.kms[op]);
    const perKey = maxKmsPerKey(kmsRuns);
    out.push({ target: "KMS calls per distinct key per run <= 1", figure: String(perKey), met: perKey <= 1 });

    const providerBytes = Math.max(...results.state.filter(s => s.variant === "ours").map(s => s.sizes.providerBytes));
    out.push({ target: "__provider < 4 KB per resource", figure: `${providerBytes} B`, met: providerBytes < 4096 });

    const growth = addedCostGrowth(rows);
    const stateVaries = stateSpread(results);
    const callsVary = callsPerResourceSpread(rows);
    const growthText = growth ? describeGrowth(growth) : `time growth needs two N >= ${GROWTH_MIN_COUNT}`;
    out.push({
        target:
            `cost linear in N: calls and state bytes per resource constant (within 5 %), ` +
            `added up time per resource at most ${LINEAR_GROWTH_LIMIT}x from one N to the next (beyond the spread between repetitions)`,
        figure: `calls/resource vary ${(callsVary * 100).toFixed(1)} %; state bytes/resource vary ${(stateVaries * 100).toFixed(1)} %; ${growthText}`,
        met: callsVary <= 0.05 && stateVaries <= 0.05 && (growth ? !growth.superlinear : undefined),
    });

    const startup = results.startup.ours;
    out.push({
        target: `start-up < ${STARTUP_TARGET_MS} ms: launch to first answered Check (absolute)`,
        figure: `${startup.firstCheckMs.toFixed(0)} ms (engine floor ${results.startup.noop.firstCheckMs.toFixed(0)} ms)`,
        met: startup.firstCheckMs < STARTUP_TARGET_MS,
        explained: true,
    });
    out.push({
        target: `start-up < ${STARTUP_TARGET_MS} ms: ours' own part (first Check after the process is ready)`,
        figure: `${startup.afterReadyMs.toFixed(0)} ms (no-op ${results.startup.noop.afterReadyMs.toFixed(0)} ms)`,
        met: startup.afterReadyMs < STARTUP_TARGET_MS,
    });
    const kmsLoaded = loadsKmsClient(startup.module.packages);
    out.push({
        target: "KMS client not loaded at start-up",
        figure: kmsLoaded ? "loaded" : `not loaded (packages: ${startup.module.packages.join(", ") || "none"})`,
        met: !kmsLoaded,
    });
    return out;
}

/** Network time ours must spend at least on an operation: calls × latency spread over the parallelism. */
export function networkFloorMs(row: TimeRow, parallelism: number): number {
    return (row.oss * row.latencyMs) / Math.min(parallelism, Math.max(1, row.count));
}
