// End-to-end: the real Pulumi CLI and engine run BucketEncryption programs against the emulator.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as automation from "@pulumi/pulumi/automation";
import { BucketEncryption, BucketEncryptionArgs } from "../../sdk";
import { aliOssClient } from "../../harness/aliOss";
import { Emulator, startEmulator } from "../../emulator";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, newStack, TestStack } from "../../harness/stacks";
import { assertNoSecretsLeft, secretsOf, providerSizes, RunLog, stackResources } from "../support/inspect";
import { changesBesidesSame } from "../../harness/changes";

/** A test-only resource whose output (a bucket name) is unknown until it is created. */
class BucketName extends pulumi.dynamic.Resource {
    declare readonly name: pulumi.Output<string>;
    constructor(resourceName: string, name: string) {
        const provider: pulumi.dynamic.ResourceProvider = {
            async create(inputs) {
                return { id: inputs.requested, outs: { name: inputs.requested } };
            },
        };
        super(provider, resourceName, { requested: name, name: undefined }, {});
    }
}

describe("pulumi up/preview/refresh/destroy with the real CLI", function () {
    this.timeout(180_000);
    let emulator: Emulator;
    let test: TestStack;
    let log: RunLog;
    /** What the program declares; tests change it between runs. */
    let desired: Record<string, BucketEncryptionArgs>;
    let options: Record<string, pulumi.CustomResourceOptions>;
    /** The program the stack runs; by default it declares `desired`. */
    let program: automation.PulumiFn;
    const declareDesired: automation.PulumiFn = async () => {
        const outputs: Record<string, pulumi.Output<string>> = {};
        for (const [name, args] of Object.entries(desired)) {
            outputs[name] = new BucketEncryption(name, args, options[name]).sseAlgorithm;
        }
        return outputs;
    };

    before(beforeAllNeedingPulumiCli);

    // Each scenario starts from a fresh emulator and a fresh stack, so any one runs alone (--grep).
    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedBucket("acme-logs");
        emulator.seedBucket("acme-data");
        // The provider checks KMS keys with DescribeKey before using them.
        for (const keyId of ["9468da86-3509-4f8d-a61e-6eab1eac0001", "imported-key"]) {
            emulator.seedKey({ keyId, region: "cn-hangzhou", keyState: "Enabled" });
        }
        desired = { logs: { bucket: "acme-logs", sseAlgorithm: "AES256" } };
        options = {};
        log = new RunLog();
        program = declareDesired;
        test = await newStack({ program: () => program(), config: emulatorConfig(emulator) });
    });

    afterEach(async function () {
        // After every scenario: no secret anywhere the runs left anything, and a small __provider.
        try {
            const exported = test.exportedState();
            assertNoSecretsLeft(secretsOf(emulator), {
                "pulumi stack export": exported,
                "the CLI output": log.text(),
                "the stack's files (state, backups, history)": test.leftovers(),
            });
            for (const [urn, bytes] of providerSizes(JSON.parse(exported))) {
                assert.ok(bytes < 4096, `${urn}: __provider is ${bytes} bytes`);
            }
        } finally {
            await test.remove();
            await emulator.stop();
        }
    });

    const up = () => test.stack.up(log.options());
    const preview = () => test.stack.preview(log.options());
    const refresh = () => test.stack.refresh(log.options());

    async function assertPreviewClean() {
        const result = await preview();
        assert.deepStrictEqual(changesBesidesSame(result.changeSummary), [], "a preview right after this wants changes");
    }

    it("applies AES256, then switches to KMS with a key in place, previewing clean after each", async () => {
        const first = await up();
        assert.strictEqual(first.summary.resourceChanges?.create, 2);
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
        assert.strictEqual(first.outputs.logs.value, "AES256");
        await assertPreviewClean();

        desired.logs = { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "9468da86-3509-4f8d-a61e-6eab1eac0001" };
        const second = await up();
        assert.strictEqual(second.summary.resourceChanges?.update, 1);
        assert.strictEqual(second.summary.resourceChanges?.replace, undefined);
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: "9468da86-3509-4f8d-a61e-6eab1eac0001" });
        await assertPreviewClean();
    });

    it("applies KMS with SM4 data encryption, and SM4", async () => {
        desired = {
            logs: { bucket: "acme-logs", sseAlgorithm: "KMS", kmsDataEncryption: "SM4" },
            data: { bucket: "acme-data", sseAlgorithm: "SM4" },
        };
        await up();
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" });
        assert.deepStrictEqual(emulator.getRule("acme-data"), { SSEAlgorithm: "SM4" });
        await assertPreviewClean();
    });

    it("refresh reports a rule changed out of band (with ali-oss), and up puts ours back", async () => {
        await up();
        await aliOssClient(emulator, "v4").putBucketEncryption("acme-logs", { SSEAlgorithm: "KMS", KMSMasterKeyID: "console-key" });
        const refreshed = await refresh();
        assert.strictEqual(refreshed.summary.resourceChanges?.update, 1);
        const live = stackResources(await test.stack.exportStack()).find(r => r.type.endsWith("BucketEncryption"));
        assert.deepStrictEqual(
            { sseAlgorithm: live?.outputs.sseAlgorithm, kmsMasterKeyId: live?.outputs.kmsMasterKeyId },
            { sseAlgorithm: "KMS", kmsMasterKeyId: "console-key" },
        );
        const preview = await test.stack.preview(log.options());
        assert.strictEqual(preview.changeSummary.update, 1, "the program's rule differs from the refreshed one");
        await up();
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
        await assertPreviewClean();
    });

    it("refresh drops a rule deleted out of band, and up recreates it", async () => {
        await up();
        await aliOssClient(emulator, "v1").deleteBucketEncryption("acme-logs");
        const refreshed = await refresh();
        assert.strictEqual(refreshed.summary.resourceChanges?.delete, 1);
        const recreated = await up();
        assert.strictEqual(recreated.summary.resourceChanges?.create, 1);
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
        await assertPreviewClean();
    });

    it("imports an existing rule by bucket name with no diff, writing nothing", async () => {
        emulator.setRule("acme-data", { SSEAlgorithm: "KMS", KMSMasterKeyID: "imported-key", KMSDataEncryption: "SM4" });
        desired = { data: { bucket: "acme-data", sseAlgorithm: "KMS", kmsMasterKeyId: "imported-key", kmsDataEncryption: "SM4" } };
        options = { data: { import: "acme-data" } };
        // Pulumi routes no `import` to dynamic providers (pulumi/pulumi#16175): the SDK turns it into
        // an adoption, which the engine reports as a create.
        const imported = await up();
        assert.strictEqual(imported.summary.resourceChanges?.create, 2);
        const writes = emulator.requestLog.filter(r => r.action === "PutBucketEncryption" || r.action === "DeleteBucketEncryption");
        assert.deepStrictEqual(writes, [], "an import writes nothing");
        options = {};
        await assertPreviewClean();
        await test.stack.destroy(log.options());
        assert.strictEqual(emulator.getRule("acme-data"), undefined, "an imported rule is managed like any other");
    });

    it("refuses to import a rule the program does not declare exactly, writing nothing", async () => {
        emulator.setRule("acme-data", { SSEAlgorithm: "SM4" });
        desired = { data: { bucket: "acme-data", sseAlgorithm: "AES256" } };
        options = { data: { import: "acme-data" } };
        const failure = await up().then(() => assert.fail("import should fail"), (err: Error) => err);
        assert.match(failure.message, /Import of bucket "acme-data" failed: the live rule \{"sseAlgorithm":"SM4"\} differs from the program's \{"sseAlgorithm":"AES256"\}/);
        assert.deepStrictEqual(emulator.getRule("acme-data"), { SSEAlgorithm: "SM4" });
    });

    it("preview warns, without failing, of a bucket that does not exist (once), and up then waits for it", async () => {
        desired = { logs: { bucket: "acme-later", sseAlgorithm: "AES256" }, again: { bucket: "acme-later", sseAlgorithm: "AES256" } };
        emulator.clearLog();
        const previewed = await preview();
        assert.strictEqual(previewed.changeSummary.create, 3);
        assert.match(log.text(), /bucket "acme-later" does not exist in cn-hangzhou \(GetBucketEncryption answered NoSuchBucket[^)]*\)\. `pulumi up` will wait up to 60 s for it/);
        assert.deepStrictEqual(emulator.requestLog.map(r => `${r.action}:${r.code}`), ["GetBucketEncryption:NoSuchBucket"], "one probe for the bucket");
        delete desired.again;
        const thisEmulator = emulator;
        setTimeout(() => thisEmulator.seedBucket("acme-later"), 1_500);
        emulator.clearLog();
        await up();
        assert.deepStrictEqual(emulator.getRule("acme-later"), { SSEAlgorithm: "AES256" });
        assert.ok(!emulator.requestLog.some(r => r.action === "GetBucketEncryption" && r.code === "NoSuchBucket"), "up itself does not probe");
        assert.doesNotMatch(test.exportedState(), /previewRun/, "the preview marker is in no state");
        await assertPreviewClean();
    });

    it("takes the bucket name from another resource's output, unknown at preview", async () => {
        program = async () => {
            const name = new BucketName("name", "acme-data");
            const enc = new BucketEncryption("data", { bucket: name.name, sseAlgorithm: "SM4" });
            return { bucket: enc.bucket };
        };
        emulator.clearLog();
        const previewed = await test.stack.preview(log.options());
        assert.strictEqual(previewed.changeSummary.create, 3);
        assert.deepStrictEqual(emulator.requestLog, [], "the bucket name was unknown at preview: nothing to ask OSS");
        const applied = await test.stack.up(log.options());
        assert.strictEqual(applied.outputs.bucket.value, "acme-data");
        assert.deepStrictEqual(emulator.getRule("acme-data"), { SSEAlgorithm: "SM4" });
        await assertPreviewClean();
    });

    it("STS credentials: the token signs OSS and KMS calls, and neither it nor the secret is left anywhere", async () => {
        const sts = { accessKeyId: "STS.e2e-key-id", accessKeySecret: "e2e-sts-secret-value", securityToken: "e2e-sts-token-value-CAIS" };
        emulator.addCredential(sts);
        await test.stack.setAllConfig({
            "alicloud:accessKey": { value: sts.accessKeyId },
            "alicloud:secretKey": { value: sts.accessKeySecret, secret: true },
            "alicloud:securityToken": { value: sts.securityToken, secret: true },
        });
        desired.logs = { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "9468da86-3509-4f8d-a61e-6eab1eac0001" };
        emulator.clearLog();
        await up();
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: "9468da86-3509-4f8d-a61e-6eab1eac0001" });
        const services = new Set(emulator.requestLog.filter(r => r.accessKeyId === sts.accessKeyId && r.status < 300).map(r => r.service));
        assert.deepStrictEqual([...services].sort(), ["kms", "oss"], "OSS and KMS both accepted the STS credential");
        await refresh();
        await test.stack.destroy(log.options());
        assertNoSecretsLeft([sts.accessKeySecret, sts.securityToken], {
            "pulumi stack export": test.exportedState(),
            "the CLI output": log.text(),
            "the stack's files (state, backups, history)": test.leftovers(),
        });
    });

    it("destroy leaves no rule on the bucket", async () => {
        desired.data = { bucket: "acme-data", sseAlgorithm: "KMS" };
        await up();
        await test.stack.destroy(log.options());
        assert.strictEqual(emulator.getRule("acme-logs"), undefined);
        assert.strictEqual(emulator.getRule("acme-data"), undefined);
    });

    describe("bad inputs fail the CLI with our message, and the state still matches the live rules", () => {
        const cases: Array<[string, BucketEncryptionArgs, RegExp]> = [
            ["a bad algorithm", { bucket: "acme-logs", sseAlgorithm: "AES128" as "AES256" }, /sseAlgorithm "AES128" is not supported: use one of AES256, KMS, SM4/],
            ["a key ID with AES256", { bucket: "acme-logs", sseAlgorithm: "AES256", kmsMasterKeyId: "k" }, /kmsMasterKeyId is only allowed when sseAlgorithm is "KMS"/],
            ["a missing bucket", { bucket: "acme-nowhere", sseAlgorithm: "AES256" }, /PutBucketEncryption on bucket "acme-nowhere" failed: NoSuchBucket \(HTTP 404, request ID \S+\)/],
            ["an unknown KMS key", { bucket: "acme-data", sseAlgorithm: "KMS", kmsMasterKeyId: "no-such-key" }, /KMS key "no-such-key" in region cn-hangzhou: KeyNotFound/],
        ];
        for (const [name, args, message] of cases) {
            it(name, async () => {
                desired.logs = { bucket: "acme-logs", sseAlgorithm: "SM4" };
                await up();
                desired = { logs: { bucket: "acme-logs", sseAlgorithm: "SM4" }, bad: args };
                // A create waits out NoSuchBucket for a while (the bucket may be new); keep that short here.
                await test.stack.setConfig("oss-encryption:operationTimeoutSeconds", { value: "6" });
                const failure = await up().then(
                    () => assert.fail("up should fail"),
                    (err: unknown) => err as automation.CommandError,
                );
                assert.ok(failure instanceof automation.CommandError, String(failure));
                assert.match(failure.message, /Command failed with exit code [1-9]\d*/, "the CLI itself exited non-zero");
                assert.match(failure.message + log.text(), message);
                const resources = stackResources(await test.stack.exportStack()).filter(r => r.type.endsWith("BucketEncryption"));
                assert.deepStrictEqual(resources.map(r => [r.id, r.outputs.sseAlgorithm]), [["acme-logs", "SM4"]]);
                assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
                assert.strictEqual(emulator.getRule("acme-nowhere"), undefined);
                assert.strictEqual(emulator.getRule("acme-data"), undefined);
            });
        }

        it("a misspelt oss-encryption:* stack config key fails the preview, naming it and the nearest key, before any call", async () => {
            await test.stack.setConfig("oss-encryption:kmsKeyChek", { value: "false" });
            desired = { data: { bucket: "acme-data", sseAlgorithm: "KMS", kmsMasterKeyId: "9468da86-3509-4f8d-a61e-6eab1eac0001" } };
            emulator.clearLog();
            const failure = await preview().then(() => assert.fail("preview should fail"), (err: Error) => err);
            assert.match(failure.message + log.text(), /oss-encryption:kmsKeyChek is not a setting of this provider \(did you mean oss-encryption:kmsKeyCheck\?\)/);
            assert.deepStrictEqual(emulator.requestLog, [], "no OSS or KMS call");
        });

        it("a disabled KMS key is caught by preview, before anything is written", async () => {
            emulator.seedKey({ keyId: "retired-key", region: "cn-hangzhou", keyState: "Disabled" });
            desired = { data: { bucket: "acme-data", sseAlgorithm: "KMS", kmsMasterKeyId: "retired-key" } };
            const failure = await preview().then(() => assert.fail("preview should fail"), (err: Error) => err);
            assert.match(failure.message + log.text(), /KMS key "retired-key" in region cn-hangzhou: KeyDisabled/);
            assert.deepStrictEqual(emulator.requestLog.filter(r => r.service === "oss"), [], "preview made no OSS call");
        });
    });
});
