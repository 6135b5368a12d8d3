// What a run's change summary says: the kinds of change besides "same", and the counts without the
// stack resource itself.
import * as automation from "@pulumi/pulumi/automation";

/** The kinds of change a preview or refresh reports besides "same"; empty when nothing would change. */
export function changesBesidesSame(summary: { [op: string]: number } | undefined): string[] {
    return Object.entries(summary ?? {})
        .filter(([op, count]) => op !== "same" && count > 0)
        .map(([op, count]) => `${op}: ${count}`);
}

/**
 * A run's change counts without the stack resource itself (`pulumi:pulumi:Stack`), so that one
 * BucketEncryption created reads "create: 1". The stack's own operation comes from the run's
 * engine events; a refresh reports it as "refresh", which the summary counts as "same".
 */
export function withoutStackResource(
    summary: { [op: string]: number } | undefined,
    events: automation.EngineEvent[],
): { [op: string]: number } {
    const stack = events
        .map(e => e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata)
        .filter(m => m?.type === "pulumi:pulumi:Stack")
        .pop();
    const counts = { ...summary };
    const op = stack?.op === "refresh" ? "same" : stack?.op;
    if (op && counts[op]) {
        counts[op] -= 1;
    }
    return counts;
}
