// The figures the report shows, from the raw samples: medians and paired ratios per operation,
// and the targets with this run's figure and verdict.
import { Operation, OPERATIONS } from "./deployments";
import { API, TimedSample } from "./matrix";
import { BenchResults } from "./results";
import { median, pairedRatio } from "./stats";
import { ENGINE_FLOOR, OURS } from "./variants";

/** A variant other than the engine floor, against the floors at one operation, N and latency. */
export interface Comparison {
    /** Medians of the paired ratios variant / engine floor and variant / API floor (NaN when a floor is 0). */
    vsFloor: number;
    vsApi: number;
    /** Median of the paired differences variant − engine floor (ms), and their smallest and largest. */
    addedMs: number;
    addedRangeMs: [number, number];
    /** The most OSS and KMS calls seen in one repetition. */
    oss: number;
    kms: number;
}

/** Figures of one operation at one N and latency. */
export interface TimeRow {
    operation: Operation;
    count: number;
    latencyMs: number;
    reps: number;
    /** Median ms per subject (variant name or API). */
    ms: Record<string, number>;
    /** Per variant name, except the engine floor. */
    compared: Record<string, Comparison>;
}

/** One row per operation, N and latency measured, in the matrix's order. */
export function timeRows(r: BenchResults): TimeRow[] {
    const rows: TimeRow[] = [];
    for (const count of r.matrix.counts) {
        for (const latencyMs of r.matrix.latenciesMs) {
            for (const operation of OPERATIONS) {
                const of = (subject: string) =>
                    r.samples
                        .filter(s => s.subject === subject && s.operation === operation && s.count === count && s.latencyMs === latencyMs)
                        .sort((a, b) => a.rep - b.rep);
                const times = (subject: string) => of(subject).map(s => s.ms);
                const [floor, api] = [times(ENGINE_FLOOR.name), times(API)];
                const compared: Record<string, Comparison> = {};
                for (const { name } of r.variants.filter(v => v.name !== ENGINE_FLOOR.name && of(v.name).length > 0)) {
                    const added = times(name).map((ms, i) => ms - floor[i]);
                    compared[name] = {
                        vsFloor: pairedRatio(times(name), floor),
                        vsApi: pairedRatio(times(name), api),
                        addedMs: median(added),
                        addedRangeMs: [Math.min(...added), Math.max(...added)],
                        oss: Math.max(0, ...of(name).map(s => s.oss ?? 0)),
                        kms: Math.max(0, ...of(name).map(s => s.kms ?? 0)),
                    };
                }
                if (floor.length > 0) {
                    const ms = Object.fromEntries([...r.variants.map(v => v.name), API].map(s => [s, median(times(s))]));
                    rows.push({ operation, count, latencyMs, reps: floor.length, ms, compared });
                }
            }
        }
    }
    return rows;
}

/** A target of the issue and how this run did against it; `met` undefined: not measured in this run. */
export interface Verdict {
    target: string;
    figure: string;
    met: boolean | undefined;
}

/** The time target: ours / engine floor for `pulumi up` at these N and this latency. */
export const UP_TARGET = { counts: [100, 400], latencyMs: 30, maxRatio: 1.1 };
const STARTUP_TARGET_MS = 300;
/** Ours' added time per resource may grow by this factor from one N to the next (beyond the noise). */
const GROWTH_LIMIT = 1.5;
/** Below this N fixed costs swamp the per-resource cost, so the growth check starts here. */
export const GROWTH_MIN_COUNT = 25;

/** The `pulumi up` rows the time target applies to that miss it, worst first. */
export function missedUpTargets(rows: TimeRow[]): TimeRow[] {
    return rows
        .filter(r => r.operation === "up" && r.latencyMs === UP_TARGET.latencyMs && UP_TARGET.counts.includes(r.count))
        .filter(r => r.compared[OURS.name].vsFloor > UP_TARGET.maxRatio)
        .sort((a, b) => b.compared[OURS.name].vsFloor - a.compared[OURS.name].vsFloor);
}

/** (max − min) / max of non-negative values; 0 for fewer than two or all zero. */
function spread(values: number[]): number {
    const max = Math.max(...values);
    return values.length < 2 || max === 0 ? 0 : (max - Math.min(...values)) / max;
}

/**
 * Linearity: calls and state bytes per resource constant across N, and ours' added `pulumi up` time
 * per resource (at the largest latency) growing at most GROWTH_LIMIT-fold from the second-largest
 * N >= GROWTH_MIN_COUNT to the largest, unless the excess is smaller than the spread of the
 * repetitions at the largest N.
 */
function linearity(r: BenchResults, rows: TimeRow[]): Verdict {
    const ours = rows.filter(x => x.compared[OURS.name]);
    const callsVary = Math.max(...OPERATIONS.map(op => spread(ours.filter(x => x.operation === op).map(x => x.compared[OURS.name].oss / x.count))));
    const stateVaries = spread(r.state.filter(s => s.variant === OURS.name).map(s => s.sizes.resourceEntryBytes));
    const latency = Math.max(...r.matrix.latenciesMs);
    const up = ours.filter(x => x.operation === "up" && x.latencyMs === latency && x.count >= GROWTH_MIN_COUNT);
    let timeFigure = `time growth needs two N >= ${GROWTH_MIN_COUNT}`;
    let timeMet: boolean | undefined;
    if (up.length >= 2) {
        const [from, to] = up.slice(-2).map(x => ({ count: x.count, ...x.compared[OURS.name] }));
        const [fromPer, toPer] = [from.addedMs / from.count, to.addedMs / to.count];
        const excessMs = (toPer - GROWTH_LIMIT * Math.max(0, fromPer)) * to.count;
        const noiseMs = to.addedRangeMs[1] - to.addedRangeMs[0];
        timeMet = !(toPer > 0 && excessMs > noiseMs);
        timeFigure =
            `added up time/resource ${fromPer.toFixed(1)} ms at N=${from.count}, ${toPer.toFixed(1)} ms at N=${to.count} ` +
            `(excess over ${GROWTH_LIMIT}x: ${excessMs.toFixed(0)} ms; repetitions at N=${to.count} spread over ${noiseMs.toFixed(0)} ms)`;
    }
    return {
        target:
            `cost linear in N: calls and state bytes per resource constant (within 5 %), added up time per resource ` +
            `at most ${GROWTH_LIMIT}x from one N to the next (beyond the spread between repetitions)`,
        figure: `calls/resource vary ${(callsVary * 100).toFixed(1)} %; state bytes/resource vary ${(stateVaries * 100).toFixed(1)} %; ${timeFigure}`,
        met: callsVary <= 0.05 && stateVaries <= 0.05 && timeMet,
    };
}

/** Verdicts on the targets. */
export function verdicts(r: BenchResults, rows: TimeRow[]): Verdict[] {
    const out: Verdict[] = [];
    const ours = (x: TimeRow) => x.compared[OURS.name];
    for (const count of UP_TARGET.counts) {
        const row = rows.find(x => x.operation === "up" && x.latencyMs === UP_TARGET.latencyMs && x.count === count && ours(x));
        out.push({
            target: `pulumi up, N = ${count}, ${UP_TARGET.latencyMs} ms latency: ours / engine floor <= ${UP_TARGET.maxRatio.toFixed(2)}`,
            figure: row ? ours(row).vsFloor.toFixed(3) : "not in this run's matrix",
            met: row ? ours(row).vsFloor <= UP_TARGET.maxRatio : undefined,
        });
    }
    const perResource = (op: Operation) => Math.max(0, ...rows.filter(x => x.operation === op && ours(x)).map(x => ours(x).oss / x.count));
    const s = r.scenarios;
    const perCall: [string, number, number][] = [
        ["create", perResource("up"), 2],
        ["update", s.update.oss / s.count, 2],
        ["refresh", perResource("refresh"), 1],
        ["delete", perResource("destroy"), 1],
    ];
    for (const [label, value, limit] of perCall) {
        out.push({ target: `OSS calls per ${label} <= ${limit}`, figure: value.toFixed(2), met: value <= limit });
    }
    const previews = [...rows.filter(x => x.operation === "preview" && ours(x)).map(ours), s.kms.preview];
    const [previewOss, previewKms] = [Math.max(...previews.map(p => p.oss)), Math.max(...previews.map(p => p.kms))];
    out.push({ target: "no-change preview: 0 OSS and 0 KMS calls", figure: `${previewOss} OSS, ${previewKms} KMS`, met: previewOss + previewKms === 0 });
    const perKey = Math.max(0, ...OPERATIONS.flatMap(op => Object.values(s.kms[op].kmsByKey)));
    out.push({ target: "KMS calls per distinct key per run <= 1", figure: String(perKey), met: perKey <= 1 });
    const providerBytes = Math.max(...r.state.filter(x => x.variant === OURS.name).map(x => x.sizes.providerBytes));
    out.push({ target: "__provider < 4 KB per resource", figure: `${providerBytes} B`, met: providerBytes < 4096 });
    out.push(linearity(r, rows));
    const [start, floor] = [r.startup.variants[OURS.name], r.startup.variants[ENGINE_FLOOR.name]];
    out.push({
        target: `start-up < ${STARTUP_TARGET_MS} ms: launch to first answered Check (absolute)`,
        figure: `${start.firstCheckMs.toFixed(0)} ms (engine floor ${floor.firstCheckMs.toFixed(0)} ms)`,
        met: start.firstCheckMs < STARTUP_TARGET_MS,
    });
    out.push({
        target: `start-up < ${STARTUP_TARGET_MS} ms: ours' own part (first Check after the process is ready)`,
        figure: `${start.afterReadyMs.toFixed(0)} ms (no-op ${floor.afterReadyMs.toFixed(0)} ms)`,
        met: start.afterReadyMs < STARTUP_TARGET_MS,
    });
    // The KMS client is the @alicloud packages; the provider must load it only when a key is checked.
    const kmsLoaded = start.module.packages.some(p => p.startsWith("@alicloud"));
    out.push({
        target: "KMS client not loaded at start-up",
        figure: kmsLoaded ? "loaded" : `not loaded (packages: ${start.module.packages.join(", ") || "none"})`,
        met: !kmsLoaded,
    });
    return out;
}
