// The resource's operations (provider/bucketEncryption/operations.ts) through the dynamic provider
// against the emulator: create, read, update and delete, the read-back after a PUT, and the errors.
import * as assert from "assert";
import { BucketEncryptionInputs, BucketEncryptionOutputs } from "../../provider/bucketEncryption";
import { Emulator, startEmulator } from "../../emulator";
import { isolateCredentialEnvironment } from "../support/environment";
import { Provider, providerAgainst } from "../support/provider";

/** Old state as an import or a bare ID gives it: nothing but what the caller passes. */
const state = (props: Partial<BucketEncryptionOutputs> = {}) => props as BucketEncryptionOutputs;

/** Runs `fn`, expecting it to reject; returns the error. */
async function rejection(fn: () => Promise<unknown>): Promise<Error> {
    try {
        await fn();
    } catch (err) {
        return err as Error;
    }
    assert.fail("expected a failure");
}

describe("provider against the emulator", function () {
    let emulator: Emulator;
    let provider: Provider;

    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedBucket("acme-logs");
        // The CMK these tests name; the provider describes it before putting a rule that uses it.
        emulator.seedKey({ keyId: "key-1", region: "cn-hangzhou", keyState: "Enabled" });
        provider = await providerAgainst(emulator);
    });
    afterEach(async () => emulator.stop());

    describe("create", () => {
        const cases: Array<[string, BucketEncryptionInputs, object]> = [
            ["AES256", { bucket: "acme-logs", sseAlgorithm: "AES256" }, { SSEAlgorithm: "AES256" }],
            ["SM4", { bucket: "acme-logs", sseAlgorithm: "SM4" }, { SSEAlgorithm: "SM4" }],
            ["KMS default key", { bucket: "acme-logs", sseAlgorithm: "KMS" }, { SSEAlgorithm: "KMS" }],
            [
                "KMS with a CMK and SM4 data encryption",
                { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", kmsDataEncryption: "SM4" },
                { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-1", KMSDataEncryption: "SM4" },
            ],
        ];
        for (const [name, inputs, live] of cases) {
            it(`puts ${name}, reads it back, and echoes the inputs plus the region`, async () => {
                const result = await provider.create(inputs);
                assert.strictEqual(result.id, "acme-logs");
                assert.deepStrictEqual(result.outs, { ...inputs, region: "cn-hangzhou" });
                assert.deepStrictEqual(emulator.getRule("acme-logs"), live);
                const calls = emulator.requestLog.filter(r => r.service === "oss").map(r => r.action);
                assert.deepStrictEqual(calls, ["PutBucketEncryption", "GetBucketEncryption"]);
            });
        }

        it("waits out stale reads until the new rule is visible", async () => {
            emulator.setRule("acme-logs", { SSEAlgorithm: "SM4" });
            emulator.setFaults({ staleReadMs: 400 });
            await provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            const gets = emulator.requestLog.filter(r => r.action === "GetBucketEncryption");
            assert.ok(gets.length >= 2, `expected repeated reads, saw ${gets.length}`);
        });

        it("signs with V1 when the stack asks for it", async () => {
            const v1 = await providerAgainst(emulator, { config: { "oss-encryption:signatureVersion": "v1" } });
            await v1.create({ bucket: "acme-logs", sseAlgorithm: "SM4" });
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
        });

        it("sends the STS token", async () => {
            const sts = { accessKeyId: "STS.test-id", accessKeySecret: "sts-secret", securityToken: "sts-token-value" };
            emulator.addCredential(sts);
            const withToken = await providerAgainst(emulator, { credential: sts });
            await withToken.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            const withoutToken = await providerAgainst(emulator, { credential: { ...sts, securityToken: undefined } });
            const err = await rejection(() => withoutToken.create({ bucket: "acme-logs", sseAlgorithm: "AES256" }));
            assert.match(err.message, /InvalidAccessKeyId/);
        });

        it("retries transient faults", async () => {
            emulator.setFaults({ seed: 7, rates: { InternalError: 0.5 } });
            await provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
            assert.ok(emulator.requestLog.some(r => r.code === "InternalError"), "a fault was injected");
        });
    });

    describe("read", () => {
        it("returns the live rule as outputs and inputs", async () => {
            await provider.create({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1" });
            const result = await provider.read!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou" });
            assert.deepStrictEqual(result, {
                id: "acme-logs",
                props: { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou" },
                inputs: { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou" },
            });
        });

        it("shows drift made out of band", async () => {
            await provider.create({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1" });
            emulator.setRule("acme-logs", { SSEAlgorithm: "AES256" });
            const result = await provider.read!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou" });
            assert.deepStrictEqual(result.props, { bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-hangzhou" });
        });

        it("refresh: reports a deleted rule or bucket as gone", async () => {
            const recorded = state({ bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-hangzhou" });
            assert.deepStrictEqual(await provider.read!("acme-logs", recorded), { id: "", props: {} });
            emulator.deleteBucket("acme-logs");
            assert.deepStrictEqual(await provider.read!("acme-logs", recorded), { id: "", props: {} });
        });

        it("get or import (no state of a rule): a bucket without a rule is an error naming the bucket and what is missing", async () => {
            const err = await rejection(() => provider.read!("acme-logs", state()));
            assert.match(err.message, /^Reading the encryption rule of bucket "acme-logs" failed: the bucket has no default encryption rule \(GetBucketEncryption answered NoSuchServerSideEncryptionRule, request ID \S+\)\. Declare a BucketEncryption/);
        });

        it("get or import (no state of a rule): a bucket that does not exist is an error naming the bucket and its region", async () => {
            // As the dynamic provider's get passes it: the serialised provider and nothing else.
            const err = await rejection(() => provider.read!("no-such-bucket", { __provider: "exports.handler = ..." } as unknown as BucketEncryptionOutputs));
            assert.match(err.message, /^Reading the encryption rule of bucket "no-such-bucket" failed: no such bucket in cn-hangzhou \(GetBucketEncryption answered NoSuchBucket, request ID \S+\)\. Check the bucket name and its region/);
        });

        it("imports an existing rule by bucket name alone", async () => {
            emulator.setRule("acme-logs", { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" });
            const result = await provider.read!("acme-logs", state());
            assert.deepStrictEqual(result.inputs, { bucket: "acme-logs", sseAlgorithm: "KMS", kmsDataEncryption: "SM4", region: "cn-hangzhou" });
        });
    });

    describe("update", () => {
        it("re-puts the whole rule", async () => {
            const created = await provider.create({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1" });
            const result = await provider.update!("acme-logs", created.outs!, { bucket: "acme-logs", sseAlgorithm: "AES256" });
            assert.deepStrictEqual(result.outs, { bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-hangzhou" });
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
        });

        it("goes through a new region's signing scope when the region changes", async () => {
            const created = await provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            const result = await provider.update!("acme-logs", created.outs!, { bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-shanghai" });
            assert.strictEqual(result.outs!.region, "cn-shanghai");
        });

        it("leaves the live rule as it was when OSS refuses the new one", async () => {
            const created = await provider.create({ bucket: "acme-logs", sseAlgorithm: "SM4" });
            // check() would refuse this; the emulator must refuse it the same way OSS does.
            const err = await rejection(() =>
                provider.update!("acme-logs", created.outs!, { bucket: "acme-logs", sseAlgorithm: "AES256", kmsMasterKeyId: "key-1" }),
            );
            assert.match(err.message, /PutBucketEncryption on bucket "acme-logs" failed: InvalidArgument \(HTTP 400, request ID [^)]+\)/);
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
        });
    });

    describe("update without a region in the inputs or the stack", () => {
        it("uses the region the state records, as read and delete do", async () => {
            const created = await provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            const regionless = await providerAgainst(emulator, { config: { "alicloud:region": "" } });
            const result = await regionless.update!("acme-logs", created.outs!, { bucket: "acme-logs", sseAlgorithm: "SM4" });
            assert.strictEqual(result.outs!.region, "cn-hangzhou");
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
        });
    });

    describe("read-back after the PUT", () => {
        it("stops at once on an error waiting will not fix, recording the rule it put", async () => {
            // A deploy role allowed to put the rule but not to read it.
            const writeOnly = { accessKeyId: "wo-id", accessKeySecret: "wo-secret-value", allow: ["oss:PutBucketEncryption"] };
            emulator.addCredential(writeOnly);
            const writer = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "30" }, credential: writeOnly });
            emulator.clearLog();
            const started = Date.now();
            const err = (await rejection(() => writer.create({ bucket: "acme-logs", sseAlgorithm: "SM4" }))) as Error & {
                id?: string;
                properties?: object;
            };
            assert.match(err.message, /PutBucketEncryption on bucket "acme-logs" succeeded, but reading it back failed \(GetBucketEncryption on bucket "acme-logs" failed: AccessDenied/);
            assert.strictEqual(err.id, "acme-logs");
            assert.deepStrictEqual(err.properties, { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou" });
            const gets = emulator.requestLog.filter(r => r.action === "GetBucketEncryption");
            assert.strictEqual(gets.length, 1, "one read, not a poll until the deadline");
            assert.ok(Date.now() - started < 5_000);
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
        });
    });

    describe("delete", () => {
        it("removes the rule", async () => {
            await provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            await (await providerAgainst(emulator)).delete!("acme-logs", state({ bucket: "acme-logs", region: "cn-hangzhou" }));
            assert.strictEqual(emulator.getRule("acme-logs"), undefined);
        });

        it("counts a missing rule or bucket as deleted", async () => {
            await provider.delete!("acme-logs", state());
            await provider.delete!("no-such-bucket", state());
        });

        it("does not strip a rule that this run has just written for the same bucket", async () => {
            // A resource renamed without an alias: the new one is created, then the old one deleted.
            await provider.create({ bucket: "acme-logs", sseAlgorithm: "KMS" });
            await provider.delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-hangzhou" });
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS" });
        });

        it("does not strip the rule of a bucket that another resource of this run declares", async () => {
            // The new resource's create landed in an earlier run (`up --target`, or a run killed before its delete).
            emulator.setRule("acme-logs", { SSEAlgorithm: "SM4" });
            await provider.check!({} as BucketEncryptionInputs, { bucket: "acme-logs", sseAlgorithm: "SM4" });
            await provider.delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou" });
            assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
            assert.deepStrictEqual(emulator.requestLog.filter(r => r.action === "DeleteBucketEncryption"), []);
        });

        it("still deletes when the only declaration of the bucket failed check", async () => {
            emulator.setRule("acme-logs", { SSEAlgorithm: "SM4" });
            await provider.check!({} as BucketEncryptionInputs, { bucket: "Acme_Logs", sseAlgorithm: "SM4" } as BucketEncryptionInputs);
            await provider.check!({} as BucketEncryptionInputs, { bucket: "acme-logs", sseAlgorithm: "bogus" } as unknown as BucketEncryptionInputs);
            await provider.delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou" });
            assert.strictEqual(emulator.getRule("acme-logs"), undefined);
        });
    });

    describe("errors name the bucket, operation, code, request ID and next step", () => {
        it("NoSuchBucket", async () => {
            // A short deadline: create waits that long for a new bucket to appear (operations-faults.test.ts covers the wait).
            const impatient = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "2" } });
            const err = await rejection(() => impatient.create({ bucket: "missing-bucket", sseAlgorithm: "AES256" }));
            assert.match(err.message, /^PutBucketEncryption on bucket "missing-bucket" failed: NoSuchBucket \(HTTP 404, request ID \S+\): .*Create the bucket first/);
        });

        it("AccessDenied", async () => {
            const readOnly = { accessKeyId: "ro-id", accessKeySecret: "ro-secret-value", allow: ["oss:GetBucketEncryption"] };
            emulator.addCredential(readOnly);
            const err = await rejection(async () => (await providerAgainst(emulator, { credential: readOnly })).create({ bucket: "acme-logs", sseAlgorithm: "AES256" }));
            assert.match(err.message, /PutBucketEncryption on bucket "acme-logs" failed: AccessDenied \(HTTP 403, request ID \S+\).*oss:PutBucketEncryption/);
            assert.ok(!err.message.includes("ro-secret-value"));
        });

        it("InvalidAccessKeyId", async () => {
            const unknown = { accessKeyId: "unknown-id", accessKeySecret: "whatever-secret" };
            const err = await rejection(async () => (await providerAgainst(emulator, { credential: unknown })).read!("acme-logs", state()));
            assert.match(err.message, /GetBucketEncryption on bucket "acme-logs" failed: InvalidAccessKeyId \(HTTP 403, request ID \S+\).*alicloud:accessKey/);
        });

        it("SignatureDoesNotMatch, without the secret in the message", async () => {
            const wrong = { ...emulator.defaultCredential, accessKeySecret: "wrong-secret-value" };
            const err = await rejection(async () => (await providerAgainst(emulator, { credential: wrong })).create({ bucket: "acme-logs", sseAlgorithm: "AES256" }));
            assert.match(err.message, /SignatureDoesNotMatch \(HTTP 403, request ID \S+\).*alicloud:secretKey/);
            assert.ok(!err.message.includes("wrong-secret-value"));
            assert.ok(!err.message.includes(emulator.defaultCredential.accessKeySecret));
        });

        it("missing credentials list every place looked", async () => {
            const provider = await providerAgainst(emulator, { credential: "none" });
            const env = isolateCredentialEnvironment();
            try {
                const err = await rejection(() => provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" }));
                assert.strictEqual(
                    err.message,
                    "No Alibaba Cloud credentials found. Looked in, in this order:\n" +
                        "  1. stack config alicloud:accessKey, alicloud:secretKey, alicloud:securityToken: not set\n" +
                        "  2. environment variables ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY, " +
                        "ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_SECURITY_TOKEN or ALICLOUD_SECURITY_TOKEN: not set\n" +
                        `  3. Alibaba Cloud CLI config ${env.home}/.aliyun/config.json, its current profile: no such file\n` +
                        `  4. credentials file ${env.home}/.alibabacloud/credentials, profile "default": no such file\n` +
                        "  5. OIDC role (RRSA) from ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE: not set\n" +
                        "  6. ECS RAM role from the instance metadata service (100.100.100.200): disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED\n" +
                        "Set them with `pulumi config set alicloud:accessKey <id>` and `pulumi config set --secret alicloud:secretKey <secret>`, " +
                        "export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile with `aliyun configure`.",
                );
                assert.deepStrictEqual(emulator.requestLog, [], "nothing was sent without credentials");
            } finally {
                env.restore();
            }
        });

        it("a missing region says where to set it", async () => {
            const noRegion = await providerAgainst(emulator, { config: { "alicloud:region": "" } });
            const saved = process.env.ALIBABA_CLOUD_REGION;
            delete process.env.ALIBABA_CLOUD_REGION;
            try {
                const err = await rejection(() => noRegion.create({ bucket: "acme-logs", sseAlgorithm: "AES256" }));
                assert.match(err.message, /bucket "acme-logs": no region\. .*alicloud:region/);
            } finally {
                if (saved !== undefined) process.env.ALIBABA_CLOUD_REGION = saved;
            }
        });
    });
});
