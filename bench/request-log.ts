// Reads the emulator's request log: calls per service, action and KMS key, and how many calls
// were in flight at once.
import { LoggedRequest } from "../tests/emulator";

/** The calls of one operation, from the emulator's request log. */
export interface CallCounts {
    oss: number;
    kms: number;
    /** Calls per action, e.g. { PutBucketEncryption: 25, GetBucketEncryption: 25 }. */
    byAction: Record<string, number>;
    /** KMS calls per KeyId as sent. */
    kmsByKey: Record<string, number>;
}

/** Counts the calls in a slice of the request log. */
export function countCalls(log: readonly LoggedRequest[]): CallCounts {
    const counts: CallCounts = { oss: 0, kms: 0, byAction: {}, kmsByKey: {} };
    for (const entry of log) {
        counts[entry.service]++;
        counts.byAction[entry.action] = (counts.byAction[entry.action] ?? 0) + 1;
        if (entry.service === "kms") {
            const key = entry.keyId ?? "(none)";
            counts.kmsByKey[key] = (counts.kmsByKey[key] ?? 0) + 1;
        }
    }
    return counts;
}

/**
 * The most calls in flight at once, taking each call to last from its arrival for the injected
 * latency (the emulator's answer time is negligible beside it). Meaningful only with latency > 0.
 */
export function maxInFlight(log: readonly LoggedRequest[], latencyMs: number): number {
    if (latencyMs <= 0 || log.length === 0) {
        return 0;
    }
    // Sweep over start (+1) and end (-1) events; ends sort before starts at the same instant.
    const events = log.flatMap(e => [
        { at: e.at, delta: 1 },
        { at: e.at + latencyMs, delta: -1 },
    ]);
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let current = 0;
    let most = 0;
    for (const event of events) {
        current += event.delta;
        most = Math.max(most, current);
    }
    return most;
}

/** Time from the first call's arrival to the last call's answer (arrival + latency); 0 without calls. */
export function callSpanMs(log: readonly LoggedRequest[], latencyMs: number): number {
    if (log.length === 0) {
        return 0;
    }
    const arrivals = log.map(e => e.at);
    return Math.max(...arrivals) + latencyMs - Math.min(...arrivals);
}
