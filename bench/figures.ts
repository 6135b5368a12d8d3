// The figures the report shows, from the raw samples: medians and paired ratios per operation, N
// and latency, and the targets with this run's figure and verdict.
import { Operation, OPERATIONS } from "./deployments";
import { API, TimedSample } from "./matrix";
import { BenchResults } from "./results";
import { median, pairedRatio } from "./stats";
import { ENGINE_FLOOR, OURS } from "./variants";

/** A variant against the floors over paired repetitions: the ratios, the ms added to the engine floor (median, range), the most calls in one repetition. */
function compare(samples: TimedSample[], floor: number[], api: number[]) {
    const times = samples.map(s => s.ms);
    const added = times.map((ms, i) => ms - floor[i]);
    return {
        vsFloor: pairedRatio(times, floor),
        vsApi: pairedRatio(times, api),
        addedMs: median(added),
        addedRangeMs: [Math.min(...added), Math.max(...added)],
        oss: Math.max(0, ...samples.map(s => s.oss ?? 0)),
        kms: Math.max(0, ...samples.map(s => s.kms ?? 0)),
    };
}

/** One variant's figures against the floors at one operation, N and latency. */
export type Comparison = ReturnType<typeof compare>;

/** Median ms per subject (variant name or API) of one operation at one N and latency, and each variant but the floor compared. */
export interface TimeRow {
    operation: Operation;
    count: number;
    latencyMs: number;
    reps: number;
    ms: Record<string, number>;
    compared: Record<string, Comparison>;
}

/** One row per operation, N and latency measured, in the matrix's order. */
export function timeRows(r: BenchResults): TimeRow[] {
    return r.matrix.counts.flatMap(count => r.matrix.latenciesMs.flatMap(latencyMs => OPERATIONS.flatMap(operation => {
        const of = (subject: string) => r.samples
            .filter(s => s.subject === subject && s.operation === operation && s.count === count && s.latencyMs === latencyMs)
            .sort((a, b) => a.rep - b.rep);
        const [floor, api] = [of(ENGINE_FLOOR.name), of(API)].map(list => list.map(s => s.ms));
        const compared = r.variants.filter(v => v.name !== ENGINE_FLOOR.name && of(v.name).length > 0);
        return floor.length === 0 ? [] : [{
            operation, count, latencyMs, reps: floor.length,
            ms: Object.fromEntries([...r.variants.map(v => v.name), API].map(s => [s, median(of(s).map(x => x.ms))])),
            compared: Object.fromEntries(compared.map(v => [v.name, compare(of(v.name), floor, api)])),
        }];
    })));
}

/** A target and this run's figure; `met` undefined: not measured in this run. */
export interface Verdict {
    target: string;
    figure: string;
    met: boolean | undefined;
}

/** The time target: ours / engine floor for `pulumi up` at these N and this latency. */
const UP_TARGET = { counts: [100, 400], latencyMs: 30, maxRatio: 1.1 };
/** Ours' added time per resource may grow by this factor from one N to the next (beyond the noise). */
const GROWTH_LIMIT = 1.5;
/** Below this N fixed costs swamp the per-resource cost; the growth check and the profile start here. */
export const GROWTH_MIN_COUNT = 25;

/** The `pulumi up` rows of the time target that miss it, worst first. */
export function missedUpTargets(rows: TimeRow[]): TimeRow[] {
    return rows
        .filter(r => r.operation === "up" && r.latencyMs === UP_TARGET.latencyMs && UP_TARGET.counts.includes(r.count))
        .filter(r => r.compared[OURS.name]?.vsFloor > UP_TARGET.maxRatio)
        .sort((a, b) => b.compared[OURS.name].vsFloor - a.compared[OURS.name].vsFloor);
}

/** (max − min) / max of non-negative values; 0 for fewer than two or all zero. */
function spread(values: number[]): number {
    const max = Math.max(...values);
    return values.length < 2 || max === 0 ? 0 : (max - Math.min(...values)) / max;
}

/**
 * Ours' added `pulumi up` time per resource at the largest latency, from the second-largest
 * N >= GROWTH_MIN_COUNT to the largest: met unless it grows more than GROWTH_LIMIT-fold by more
 * than the spread of the repetitions at the largest N.
 */
function timeGrowth(rows: TimeRow[]): { figure: string; met: boolean | undefined } {
    const latency = Math.max(...rows.map(x => x.latencyMs));
    const up = rows.filter(x => x.operation === "up" && x.latencyMs === latency && x.count >= GROWTH_MIN_COUNT && x.compared[OURS.name]);
    if (up.length < 2) {
        return { figure: `time growth needs two N >= ${GROWTH_MIN_COUNT}`, met: undefined };
    }
    const [from, to] = up.slice(-2).map(x => ({ count: x.count, ...x.compared[OURS.name] }));
    const [fromPer, toPer] = [from.addedMs / from.count, to.addedMs / to.count];
    const excessMs = (toPer - GROWTH_LIMIT * Math.max(0, fromPer)) * to.count;
    const noiseMs = to.addedRangeMs[1] - to.addedRangeMs[0];
    return {
        figure: `added up time/resource ${fromPer.toFixed(1)} ms at N=${from.count}, ${toPer.toFixed(1)} ms at N=${to.count} ` +
            `(excess over ${GROWTH_LIMIT}x: ${excessMs.toFixed(0)} ms; repetitions at N=${to.count} spread over ${noiseMs.toFixed(0)} ms)`,
        met: !(toPer > 0 && excessMs > noiseMs),
    };
}

/** Verdicts on the targets. */
export function verdicts(r: BenchResults, rows: TimeRow[]): Verdict[] {
    const ourRows = rows.filter(x => x.compared[OURS.name]);
    const ours = (x: TimeRow) => x.compared[OURS.name];
    const out: Verdict[] = UP_TARGET.counts.map(count => {
        const row = ourRows.find(x => x.operation === "up" && x.latencyMs === UP_TARGET.latencyMs && x.count === count);
        return {
            target: `pulumi up, N = ${count}, ${UP_TARGET.latencyMs} ms latency: ours / engine floor <= ${UP_TARGET.maxRatio.toFixed(2)}`,
            figure: row ? ours(row).vsFloor.toFixed(3) : "not in this run's matrix",
            met: row ? ours(row).vsFloor <= UP_TARGET.maxRatio : undefined,
        };
    });
    const perResource = (op: Operation) => ourRows.filter(x => x.operation === op).map(x => ours(x).oss / x.count);
    const s = r.scenarios;
    const perCall: [string, number, number][] = [
        ["create", Math.max(0, ...perResource("up")), 2],
        ["update", s.update.oss / s.count, 2],
        ["refresh", Math.max(0, ...perResource("refresh")), 1],
        ["delete", Math.max(0, ...perResource("destroy")), 1],
    ];
    out.push(...perCall.map(([label, value, limit]) => ({ target: `OSS calls per ${label} <= ${limit}`, figure: value.toFixed(2), met: value <= limit })));
    const previews = [...ourRows.filter(x => x.operation === "preview").map(ours), s.kms.preview];
    const [previewOss, previewKms] = [Math.max(...previews.map(p => p.oss)), Math.max(...previews.map(p => p.kms))];
    out.push({ target: "no-change preview: 0 OSS and 0 KMS calls", figure: `${previewOss} OSS, ${previewKms} KMS`, met: previewOss + previewKms === 0 });
    const perKey = Math.max(0, ...OPERATIONS.flatMap(op => Object.values(s.kms[op].kmsByKey)));
    out.push({ target: "KMS calls per distinct key per run <= 1", figure: String(perKey), met: perKey <= 1 });
    const ourState = r.state.filter(x => x.variant === OURS.name).map(x => x.sizes);
    const providerBytes = Math.max(...ourState.map(x => x.providerBytes));
    out.push({ target: "__provider < 4 KB per resource", figure: `${providerBytes} B`, met: providerBytes < 4096 });
    const callsVary = Math.max(...OPERATIONS.map(op => spread(perResource(op))));
    const stateVaries = spread(ourState.map(x => x.resourceEntryBytes));
    const growth = timeGrowth(rows);
    out.push({
        target: `cost linear in N: calls and state bytes per resource constant (within 5 %), added up time per resource ` +
            `at most ${GROWTH_LIMIT}x from one N to the next (beyond the spread between repetitions)`,
        figure: `calls/resource vary ${(callsVary * 100).toFixed(1)} %; state bytes/resource vary ${(stateVaries * 100).toFixed(1)} %; ${growth.figure}`,
        met: callsVary <= 0.05 && stateVaries <= 0.05 && growth.met,
    });
    const [start, floor] = [r.startup[OURS.name], r.startup[ENGINE_FLOOR.name]];
    out.push({
        target: "start-up < 300 ms: launch to first answered Check (absolute)",
        figure: `${start.firstCheckMs.toFixed(0)} ms (engine floor ${floor.firstCheckMs.toFixed(0)} ms)`,
        met: start.firstCheckMs < 300,
    });
    out.push({
        target: "start-up < 300 ms: ours' own part (first Check after the process is ready)",
        figure: `${start.afterReadyMs.toFixed(0)} ms (no-op ${floor.afterReadyMs.toFixed(0)} ms)`,
        met: start.afterReadyMs < 300,
    });
    // The KMS client is the @alicloud packages; the provider must load them only when a key is checked.
    // Both are dynamic-provider processes, whose packages are always listed.
    const [startPackages, floorPackages] = [start.packages ?? [], floor.packages ?? []];
    const ownPackages = startPackages.filter(p => !floorPackages.includes(p));
    const kmsLoaded = startPackages.some(p => p.startsWith("@alicloud"));
    out.push({ target: "KMS client not loaded at start-up", figure: `${kmsLoaded ? "loaded" : "not loaded"} (packages beside the engine floor's: ${ownPackages.join(", ") || "none"})`, met: !kmsLoaded });
    return out;
}
