// The API's floor: the PutBucketEncryption / GetBucketEncryption / DeleteBucketEncryption calls a
// deployment makes, sent straight from ali-oss with Pulumi's default parallelism.
import { Emulator } from "../tests/emulator";
import { AliOssClient, aliOssClient } from "../tests/conformance/support";
import { Operation } from "./deployments";

/** Bucket i of the API floor; distinct from the deployments' so neither disturbs the other's rules. */
export const apiFloorBucket = (i: number) => `api-floor-${String(i).padStart(4, "0")}`;

/** The calls for one bucket in each operation: a create puts and reads back; a no-change preview makes none. */
function callsFor(client: AliOssClient, operation: Operation): ((bucket: string) => Promise<unknown>) | undefined {
    return {
        up: async (bucket: string) => {
            await client.putBucketEncryption(bucket, { SSEAlgorithm: "AES256" });
            await client.getBucketEncryption(bucket);
        },
        preview: undefined,
        refresh: (bucket: string) => client.getBucketEncryption(bucket),
        destroy: (bucket: string) => client.deleteBucketEncryption(bucket),
    }[operation];
}

/** Times the API floor of operations over `count` buckets (seed them with apiFloorBucket names). */
export class ApiFloor {
    /** One client for the whole run, so its keep-alive connections are reused as a script's would be. */
    private readonly client: AliOssClient;

    constructor(emulator: Emulator, private readonly parallelism: number) {
        this.client = aliOssClient(emulator, "v4", { timeout: 60_000 });
    }

    /** Milliseconds to make the operation's calls for `count` buckets, at most `parallelism` at once; 0 without calls. */
    async time(operation: Operation, count: number): Promise<number> {
        const calls = callsFor(this.client, operation);
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
        await Promise.all(Array.from({ length: Math.min(this.parallelism, count) }, worker));
        return performance.now() - started;
    }
}
