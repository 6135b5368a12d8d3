// The timed matrix: for each N, latency and repetition, every operation runs for each variant back
// to back (the order rotating per repetition, so drift hits all alike), then for the API floor: the
// same OSS calls made directly with ali-oss, as many at once as Pulumi runs steps.
import { Emulator } from "../emulator";
import { aliOssClient } from "../harness/aliOss";
import { BenchStack, measureState, OPERATIONS, Operation, runOperation, serialisedProvider } from "./deployments";
import { BenchOptions } from "./options";
import { deployedAt, inRepetitionOrder } from "./variants";

/** The subject of the API floor's samples. */
export const API = "api";

/** Bucket i of the API floor's calls (the emulator must hold it). */
export const apiFloorBucket = (i: number) => `api-floor-${String(i).padStart(4, "0")}`;

/** One timed operation of a variant (by name) or of the API floor, with a variant's emulator calls. */
export interface TimedSample {
    subject: string;
    operation: Operation;
    count: number;
    latencyMs: number;
    rep: number;
    ms: number;
    oss?: number;
    kms?: number;
}

/** State sizes of a variant after its first `up` at a resource count. */
export interface StateSample {
    variant: string;
    count: number;
    sizes: ReturnType<typeof measureState>;
}

/** Milliseconds for the calls ours makes per bucket in an operation, over `count` buckets, `parallelism` at once. */
async function timeApiFloor(client: ReturnType<typeof aliOssClient>, operation: Operation, count: number, parallelism: number) {
    const calls = {
        up: async (bucket: string) => {
            await client.putBucketEncryption(bucket, { SSEAlgorithm: "AES256" });
            await client.getBucketEncryption(bucket);
        },
        preview: undefined, // a no-change preview makes no calls
        refresh: (bucket: string) => client.getBucketEncryption(bucket),
        destroy: (bucket: string) => client.deleteBucketEncryption(bucket),
    }[operation];
    if (!calls) {
        return 0;
    }
    const started = performance.now();
    let next = 0;
    const worker = async () => {
        while (next < count) {
            await calls(apiFloorBucket(next++));
        }
    };
    await Promise.all(Array.from({ length: Math.min(parallelism, count) }, worker));
    return performance.now() - started;
}

/** Runs the whole matrix; returns every timed sample and the state sizes. */
export async function runMatrix(emulator: Emulator, allStacks: BenchStack[], options: BenchOptions, progress: (line: string) => void) {
    // One client for the whole run, so its keep-alive connections are reused as a script's would be.
    const client = aliOssClient(emulator, "v4", { timeout: 60_000 });
    const samples: TimedSample[] = [];
    const state: StateSample[] = [];
    for (const count of options.counts) {
        const stacks = allStacks.filter(s => deployedAt(s.variant, count));
        stacks.forEach(stack => (stack.spec.count = count));
        for (const latencyMs of options.latenciesMs) {
            emulator.setFaults({ latencyMs });
            for (let rep = 0; rep < options.repsFor(count); rep++) {
                const base = { count, latencyMs, rep };
                const repetition: TimedSample[] = [];
                for (const operation of OPERATIONS) {
                    for (const stack of inRepetitionOrder(stacks, rep)) {
                        const { ms, calls } = await runOperation(stack, operation);
                        repetition.push({ ...base, subject: stack.variant.name, operation, ms, oss: calls.oss, kms: calls.kms });
                        if (operation === "up" && !state.some(s => s.variant === stack.variant.name && s.count === count)) {
                            state.push({ variant: stack.variant.name, count, sizes: measureState(stack) });
                        }
                    }
                    repetition.push({ ...base, subject: API, operation, ms: await timeApiFloor(client, operation, count, options.parallelism) });
                }
                samples.push(...repetition);
                progress(`N=${count} latency=${latencyMs}ms rep ${rep + 1}: ${repetition.map(s => `${s.operation}/${s.subject} ${(s.ms / 1000).toFixed(2)}s`).join("  ")}`);
            }
        }
    }
    emulator.setFaults({});
    return { samples, state };
}

/**
 * An untimed up + destroy of one resource per variant, so the first timed run is not a cold one.
 * Returns each variant's serialised `__provider` as found in state, for the start-up test.
 */
export async function warmUp(stacks: BenchStack[]): Promise<Record<string, string>> {
    const providers: Record<string, string> = {};
    for (const stack of stacks) {
        stack.spec.count = 1;
        await runOperation(stack, "up");
        if (stack.variant.dynamic) {
            providers[stack.variant.name] = serialisedProvider(stack);
        }
        await runOperation(stack, "destroy");
    }
    return providers;
}
