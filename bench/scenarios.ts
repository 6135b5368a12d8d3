// Calls in two runs the matrix does not cover, on ours' stack without latency: an in-place update
// of every rule, and a cycle of SSE-KMS rules naming two KMS keys alternately.
import { BenchStack, CallCounts, Operation, OPERATIONS, runOperation } from "./deployments";

/** Runs both scenarios with `count` resources on ours' stack. */
export async function runScenarios(stack: BenchStack, count: number) {
    stack.emulator.setFaults({});
    Object.assign(stack.spec, { count, algorithm: "AES256", keyFor: undefined });
    await runOperation(stack, "up");
    stack.spec.algorithm = "SM4";
    const update = (await runOperation(stack, "up", "update")).calls;
    await runOperation(stack, "destroy");

    const kmsKeys = ["bench-key-a", "bench-key-b"];
    kmsKeys.forEach(keyId => stack.emulator.seedKey({ keyId, region: "cn-hangzhou", keyState: "Enabled" }));
    Object.assign(stack.spec, { algorithm: "KMS", keyFor: (i: number) => kmsKeys[i % kmsKeys.length] });
    const kms = {} as Record<Operation, CallCounts>;
    for (const operation of OPERATIONS) {
        kms[operation] = (await runOperation(stack, operation)).calls;
    }
    Object.assign(stack.spec, { algorithm: "AES256", keyFor: undefined });
    return { count, update, kmsKeys, kms };
}

/** Calls of the scenarios: `update` changes every rule from AES256 to SM4; `kms` is a cycle of rules naming `kmsKeys`. */
export type ScenarioCalls = Awaited<ReturnType<typeof runScenarios>>;
