// The same lifecycle against real OSS, when credentials and a test bucket are in the environment:
//   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET (optionally ALIBABA_CLOUD_SECURITY_TOKEN),
//   ALIBABA_CLOUD_REGION and OSS_ENCRYPTION_LIVE_BUCKET (an existing bucket the test may change;
//   its original rule is put back at the end). Skipped, saying so, without them.
import * as assert from "assert";
import { OssClient } from "../../provider/oss/client";
import { findBucketEncryption } from "../../provider/bucketEncryption";
import { ensurePulumiCli } from "../../harness/pulumi";
import { exampleProgram, exampleProjectName, newStack, TestStack } from "../../harness/stacks";

const env = process.env;
const live = {
    accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? "",
    accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? "",
    securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN,
    region: env.ALIBABA_CLOUD_REGION ?? "",
    bucket: env.OSS_ENCRYPTION_LIVE_BUCKET ?? "",
};
const missing = Object.entries({
    ALIBABA_CLOUD_ACCESS_KEY_ID: live.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: live.accessKeySecret,
    ALIBABA_CLOUD_REGION: live.region,
    OSS_ENCRYPTION_LIVE_BUCKET: live.bucket,
})
    .filter(([, value]) => !value)
    .map(([name]) => name);

describe("live Alibaba Cloud OSS", function () {
    this.timeout(600_000);
    const project = exampleProjectName("basic");
    const client = new OssClient({ region: live.region || "cn-hangzhou", credentials: async () => live });
    let original: Awaited<ReturnType<typeof findBucketEncryption>>;
    /** Set once the bucket's original rule has been read: only then may `after` put it back. */
    let originalRead = false;
    let test: TestStack | undefined;

    before(async function () {
        if (missing.length > 0) {
            console.log(`    live OSS tests skipped: set ${missing.join(", ")} to run them against a real bucket`);
            this.skip();
        }
        this.timeout(30 * 60_000);
        if (!ensurePulumiCli()) {
            this.skip();
        }
        original = await findBucketEncryption(client, live.bucket);
        originalRead = true;
    });

    after(async () => {
        await test?.remove();
        if (originalRead) {
            // Leave the bucket as it was found (and touch nothing when it was never read).
            if (original) {
                await client.putBucketEncryption(live.bucket, original);
            } else {
                await client.deleteBucketEncryption(live.bucket);
            }
        }
    });

    it("up, change, refresh and destroy a real bucket's rule", async () => {
        test = await newStack({
            name: project,
            program: exampleProgram("basic"),
            config: { "alicloud:region": { value: live.region }, [`${project}:bucket`]: { value: live.bucket } },
            extraEnv: {
                ALIBABA_CLOUD_ACCESS_KEY_ID: live.accessKeyId,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: live.accessKeySecret,
                ALIBABA_CLOUD_SECURITY_TOKEN: live.securityToken ?? "",
            },
        });
        await test.stack.up();
        assert.deepStrictEqual(await findBucketEncryption(client, live.bucket), { SSEAlgorithm: "AES256" });
        await test.stack.setConfig(`${project}:sseAlgorithm`, { value: "KMS" });
        const changed = await test.stack.up();
        assert.strictEqual(changed.summary.resourceChanges?.update, 1);
        assert.strictEqual((await findBucketEncryption(client, live.bucket))?.SSEAlgorithm, "KMS");
        const refreshed = await test.stack.refresh();
        assert.strictEqual(refreshed.summary.resourceChanges?.update ?? 0, 0);
        await test.stack.destroy();
        assert.strictEqual(await findBucketEncryption(client, live.bucket), undefined);
        assert.ok(!test.exportedState().includes(live.accessKeySecret), "no secret in the exported state");
    });
});
