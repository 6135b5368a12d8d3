// The API's floor: the same PutBucketEncryption / GetBucketEncryption / DeleteBucketEncryption
// calls a deployment makes, sent straight from ali-oss with Pulumi's default parallelism.
import { Emulator } from "../tests/emulator";
import { AliOssClient, aliOssClient } from "../tests/conformance/support";
import { Operation } from "./deployments";

/** Bucket i of the API floor; distinct from the deployments' so neither disturbs the other's rules. */
export function apiFloorBucket(i: number): string {
    return `api-floor-${String(i).padStart(4, "0")}`;
}

/** The rule the floor puts, the same as the deployments'. */
const RULE = { SSEAlgorithm: "AES256" };

/** Runs `task` for 0 .. count-1 with at most `limit` at once. */
async function forEachConcurrently(count: number, limit: number, task: (i: number) => Promise<unknown>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < count) {
            await task(next++);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** The calls the floor makes for one resource in each operation (a no-change preview makes none). */
function callsFor(client: AliOssClient, operation: Operation): ((bucket: string) => Promise<unknown>) | undefined {
    switch (operation) {
        case "up":
            // Put, then read back: what a create costs at least when it confirms the rule.
            return async bucket => {
                await client.putBucketEncryption(bucket, RULE);
                await client.getBucketEncryption(bucket);
            };
        case "refresh":
            return bucket => client.getBucketEncryption(bucket);
        case "destroy":
            return bucket => client.deleteBucketEncryption(bucket);
        case "preview":
            return undefined;
    }
}

/** Times the API floor of operations over `count` buckets (seed them with apiFloorBucket names). */
export class ApiFloor {
    /** One client for the whole run, so its keep-alive connections are reused as a script's would be. */
    private readonly client: AliOssClient;

    constructor(emulator: Emulator, private readonly parallelism: number) {
        this.client = aliOssClient(emulator, "v4", { timeout: 60_000 });
    }

    /** Milliseconds to make the operation's calls for `count` buckets; 0 when it makes none. */
    async time(operation: Operation, count: number): Promise<number> {
        const calls = callsFor(this.client, operation);
        if (!calls) {
            return 0;
        }
        const started = performance.now();
        await forEachConcurrently(count, this.parallelism, i => calls(apiFloorBucket(i)));
        return performance.now() - started;
    }
}
