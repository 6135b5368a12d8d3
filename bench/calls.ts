// Calls counted from the emulator's request log: per operation in the matrix, and in two scenarios
// the matrix does not cover (an in-place update of every resource, and a cycle of SSE-KMS rules
// naming KMS keys), run on ours' stack without latency.
import { Emulator, LoggedRequest } from "../tests/emulator";
import { BenchStack, Operation, OPERATIONS, runOperation } from "./deployments";

/** The calls of one operation: per service, per action (e.g. PutBucketEncryption) and KMS calls per KeyId as sent. */
export interface CallCounts {
    oss: number;
    kms: number;
    byAction: Record<string, number>;
    kmsByKey: Record<string, number>;
}

/** Counts the calls in a request log. */
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

/** Runs an operation with an empty log; returns its CLI time and the calls it made. */
export async function runCounted(emulator: Emulator, stack: BenchStack, operation: Operation, expect?: "update") {
    emulator.clearLog();
    const ms = await runOperation(stack, operation, expect);
    return { ms, calls: countCalls(emulator.requestLog) };
}

/** Runs both scenarios with `count` resources on ours' stack. */
export async function runScenarios(emulator: Emulator, stack: BenchStack, count: number) {
    emulator.setFaults({});
    Object.assign(stack.spec, { count, algorithm: "AES256", keyFor: undefined });
    await runOperation(stack, "up");
    stack.spec.algorithm = "SM4";
    const update = (await runCounted(emulator, stack, "up", "update")).calls;
    await runOperation(stack, "destroy");

    const kmsKeys = ["bench-key-a", "bench-key-b"];
    kmsKeys.forEach(keyId => emulator.seedKey({ keyId, region: "cn-hangzhou", keyState: "Enabled" }));
    Object.assign(stack.spec, { algorithm: "KMS", keyFor: (i: number) => kmsKeys[i % kmsKeys.length] });
    const kms = {} as Record<Operation, CallCounts>;
    for (const operation of OPERATIONS) {
        kms[operation] = (await runCounted(emulator, stack, operation)).calls;
    }
    Object.assign(stack.spec, { algorithm: "AES256", keyFor: undefined });
    return { count, update, kmsKeys, kms };
}

/** Calls of the scenarios: `update` changes every rule from AES256 to SM4; `kms` is a cycle of rules naming `kmsKeys`. */
export type ScenarioCalls = Awaited<ReturnType<typeof runScenarios>>;
