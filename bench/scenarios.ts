// Call counts the timed matrix does not cover: an in-place update of every resource, and a cycle
// of SSE-KMS resources naming KMS keys (so KMS calls per run and per key show once the provider
// checks keys). Run on ours' stack with no latency.
import { Emulator } from "../tests/emulator";
import { BenchStack, Operation, OPERATIONS, runOperation } from "./deployments";
import { CallCounts, countCalls } from "./request-log";
import { ScenarioCalls } from "./results";

/** Keys the KMS scenario seeds and uses, alternately per resource. */
export const KMS_KEYS = ["bench-key-a", "bench-key-b"];

/** Runs an operation and returns the calls it made. */
async function callsOf(emulator: Emulator, stack: BenchStack, operation: Operation, expect?: "update"): Promise<CallCounts> {
    emulator.clearLog();
    await runOperation(stack, operation, expect);
    return countCalls(emulator.requestLog);
}

/** Creates `count` AES256 rules, changes them all to SM4 (counted), then destroys them. */
async function updateScenario(emulator: Emulator, stack: BenchStack, count: number): Promise<CallCounts> {
    Object.assign(stack.spec, { count, algorithm: "AES256", keyFor: undefined });
    await runOperation(stack, "up");
    stack.spec.algorithm = "SM4";
    const calls = await callsOf(emulator, stack, "up", "update");
    await runOperation(stack, "destroy");
    return calls;
}

/** A full cycle of `count` KMS rules naming KMS_KEYS, counting each operation's calls. */
async function kmsScenario(emulator: Emulator, stack: BenchStack, count: number): Promise<Record<Operation, CallCounts>> {
    for (const keyId of KMS_KEYS) {
        emulator.seedKey({ keyId, region: "cn-hangzhou", keyState: "Enabled" });
    }
    Object.assign(stack.spec, { count, algorithm: "KMS", keyFor: (i: number) => KMS_KEYS[i % KMS_KEYS.length] });
    const calls = {} as Record<Operation, CallCounts>;
    for (const operation of OPERATIONS) {
        calls[operation] = await callsOf(emulator, stack, operation);
    }
    Object.assign(stack.spec, { algorithm: "AES256", keyFor: undefined });
    return calls;
}

/** Runs both scenarios with `count` resources on ours' stack. */
export async function runScenarios(emulator: Emulator, stack: BenchStack, count: number): Promise<ScenarioCalls> {
    emulator.setFaults({});
    const update = await updateScenario(emulator, stack, count);
    const kms = await kmsScenario(emulator, stack, count);
    return { count, update, kmsKeys: KMS_KEYS, kms };
}
