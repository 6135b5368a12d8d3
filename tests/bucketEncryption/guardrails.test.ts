// The provider's guardrails against the emulator: onDelete (what removing the resource does),
// updates that only record onDelete, the note on existing objects at update time, and key health
// on refresh (read) with one DescribeKey per key per provider process.
import * as assert from "assert/strict";
import { BucketEncryptionInputs, BucketEncryptionOutputs, diffBucketEncryption } from "../../provider/bucketEncryption";
import { readSettings } from "../../provider/settings";
import { Emulator, startEmulator } from "../../emulator";
import { providerAgainst, RecordingSink } from "../support/provider";

describe("guardrails in the provider", () => {
    let emulator: Emulator;
    let sink: RecordingSink;

    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedBucket("acme-logs");
        emulator.seedBucket("acme-data");
        emulator.seedKey({ keyId: "key-1", region: "cn-hangzhou", keyState: "Enabled" });
        sink = new RecordingSink();
    });
    afterEach(async () => emulator.stop());

    const ossWrites = () => emulator.requestLog.filter(r => r.action === "PutBucketEncryption" || r.action === "DeleteBucketEncryption");
    const describeKeyCalls = () => emulator.requestLog.filter(r => r.action === "DescribeKey");

    describe("onDelete", () => {
        it("check accepts the three choices in any case and rejects others, naming the property", async () => {
            const p = await providerAgainst(emulator, { diagnostics: sink });
            for (const [given, stored] of [["RemoveRule", "RemoveRule"], ["keeprule", "KeepRule"], [" FALLBACKTOAES256 ", "FallbackToAES256"]]) {
                const result = await p.check!({} as BucketEncryptionInputs, { bucket: "acme-logs", sseAlgorithm: "AES256", onDelete: given } as unknown as BucketEncryptionInputs);
                assert.deepEqual(result.failures, []);
                assert.equal((result.inputs as BucketEncryptionInputs).onDelete, stored);
            }
            const bad = await p.check!({} as BucketEncryptionInputs, { bucket: "acme-logs", sseAlgorithm: "AES256", onDelete: "Retain" } as unknown as BucketEncryptionInputs);
            assert.equal(bad.failures?.length, 1);
            assert.equal(bad.failures![0].property, "onDelete");
            assert.match(bad.failures![0].reason, /^onDelete "Retain" is not supported: use "RemoveRule" .*"KeepRule" .*"FallbackToAES256"/);
        });

        const settings = readSettings({ get: key => (key === "alicloud:region" ? "cn-hangzhou" : undefined) }, {});
        const applied = { bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-hangzhou" };
        const diffs: Array<[string, Record<string, unknown>, Record<string, unknown>, boolean]> = [
            ["absent vs RemoveRule: no change", applied, { ...applied, onDelete: "RemoveRule" }, false],
            ["RemoveRule vs absent: no change", { ...applied, onDelete: "RemoveRule" }, applied, false],
            ["case only: no change", { ...applied, onDelete: "KeepRule" }, { ...applied, onDelete: "keepRule" }, false],
            ["absent to KeepRule: an update", applied, { ...applied, onDelete: "KeepRule" }, true],
            ["KeepRule to FallbackToAES256: an update", { ...applied, onDelete: "KeepRule" }, { ...applied, onDelete: "FallbackToAES256" }, true],
        ];
        for (const [name, olds, news, changes] of diffs) {
            it(`diff: ${name}, never a replacement`, () => {
                const result = diffBucketEncryption(olds, news, settings);
                assert.equal(result.changes, changes);
                assert.deepEqual(result.replaces, []);
            });
        }

        it("an update that changes only onDelete writes nothing to OSS and records the choice", async () => {
            const p = await providerAgainst(emulator, { diagnostics: sink });
            const created = await p.create({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1" });
            emulator.clearLog();
            const result = await p.update!("acme-logs", created.outs!, { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou", onDelete: "KeepRule" });
            assert.deepEqual(result.outs, { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou", onDelete: "KeepRule" });
            assert.deepEqual(emulator.requestLog, [], "no OSS or KMS request at all");
            assert.deepEqual(sink.of("info").filter(m => m.includes("not re-encrypted")), [], "no note on existing objects: the rule did not change");
        });

        it("an update that changes the rule and onDelete puts the rule", async () => {
            const p = await providerAgainst(emulator, { diagnostics: sink });
            const created = await p.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            emulator.clearLog();
            await p.update!("acme-logs", created.outs!, { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou", onDelete: "KeepRule" });
            assert.deepEqual(ossWrites().map(r => r.action), ["PutBucketEncryption"]);
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
        });

        it("refresh keeps onDelete (OSS does not hold it), so the next diff shows no change", async () => {
            const p = await providerAgainst(emulator, { diagnostics: sink });
            const created = await p.create({ bucket: "acme-logs", sseAlgorithm: "AES256", onDelete: "FallbackToAES256" });
            const read = await p.read!("acme-logs", created.outs!);
            assert.equal(read.inputs?.onDelete, "FallbackToAES256");
            assert.equal(read.props?.onDelete, "FallbackToAES256");
            assert.equal((await p.diff!("acme-logs", read.inputs as BucketEncryptionOutputs, { ...created.outs!, onDelete: "FallbackToAES256" })).changes, false);
        });

        it("RemoveRule (and absent) deletes the rule", async () => {
            for (const onDelete of ["RemoveRule", undefined]) {
                emulator.setRule("acme-logs", { SSEAlgorithm: "SM4" });
                await (await providerAgainst(emulator, { diagnostics: sink })).delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou", ...(onDelete ? { onDelete } : {}) } as BucketEncryptionOutputs);
                assert.equal(emulator.getRule("acme-logs"), undefined);
            }
        });

        it("KeepRule sends nothing and leaves the rule, saying so", async () => {
            emulator.setRule("acme-logs", { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-1" });
            emulator.clearLog();
            await (await providerAgainst(emulator, { diagnostics: sink })).delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou", onDelete: "KeepRule" });
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-1" });
            assert.deepEqual(emulator.requestLog, []);
            assert.deepEqual(sink.of("info"), ['BucketEncryption: left the rule of bucket "acme-logs" in place (onDelete: "KeepRule").']);
        });

        it("FallbackToAES256 puts SSE-OSS AES256 in place of the rule and reads it back", async () => {
            emulator.setRule("acme-logs", { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-1", KMSDataEncryption: "SM4" });
            emulator.clearLog();
            await (await providerAgainst(emulator, { diagnostics: sink })).delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", region: "cn-hangzhou", onDelete: "FallbackToAES256" });
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
            assert.deepEqual(emulator.requestLog.map(r => r.action), ["PutBucketEncryption", "GetBucketEncryption"]);
            assert.match(sink.of("info")[0], /bucket "acme-logs" now has SSE-OSS \(AES-256\) in place of the removed rule/);
        });

        it("FallbackToAES256 on a bucket that is gone counts as deleted", async () => {
            emulator.deleteBucket("acme-logs");
            await (await providerAgainst(emulator, { diagnostics: sink })).delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou", onDelete: "FallbackToAES256" });
        });

        it("FallbackToAES256 that OSS refuses fails the delete with the code and request ID", async () => {
            const readOnly = { accessKeyId: "ro-guard", accessKeySecret: "ro-guard-secret-value", allow: ["oss:GetBucketEncryption"] };
            emulator.addCredential(readOnly);
            emulator.setRule("acme-logs", { SSEAlgorithm: "SM4" });
            const p = await providerAgainst(emulator, { credential: readOnly, diagnostics: sink });
            await assert.rejects(
                p.delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou", onDelete: "FallbackToAES256" }),
                (err: Error) => /PutBucketEncryption on bucket "acme-logs" failed: AccessDenied \(HTTP 403, request ID \S+\)/.test(err.message) && !err.message.includes(readOnly.accessKeySecret),
            );
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" }, "the rule is untouched");
        });

        for (const onDelete of ["RemoveRule", "KeepRule", "FallbackToAES256"] as const) {
            it(`replacement safety holds with ${onDelete}: a bucket another resource of the run declares is left alone`, async () => {
                const p = await providerAgainst(emulator, { diagnostics: sink });
                await p.create({ bucket: "acme-logs", sseAlgorithm: "KMS" });
                emulator.clearLog();
                await p.delete!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "SM4", region: "cn-hangzhou", onDelete });
                assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS" });
                assert.deepEqual(ossWrites(), []);
                assert.equal(sink.of("warning").filter(w => w.includes('not deleting the rule of bucket "acme-logs"')).length, 1);
            });
        }
    });

    describe("existing objects", () => {
        it("an update that changes the rule says existing objects are not re-encrypted, and how to", async () => {
            const p = await providerAgainst(emulator, { diagnostics: sink });
            const created = await p.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            assert.deepEqual(sink.of("info"), [], "a create says nothing");
            await p.update!("acme-logs", created.outs!, { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1", kmsDataEncryption: "SM4", region: "cn-hangzhou" });
            assert.deepEqual(sink.of("info"), [
                'BucketEncryption: bucket "acme-logs" now encrypts new uploads with SSE-KMS with CMK "key-1" (SM4 data encryption). ' +
                    "Objects already in the bucket are not re-encrypted: they keep the encryption they were written with. To re-encrypt one, " +
                    "copy it onto itself (CopyObject) with the headers x-oss-server-side-encryption: KMS, x-oss-server-side-encryption-key-id: key-1, " +
                    "x-oss-server-side-data-encryption: SM4.",
            ]);
        });
    });

    describe("key health on refresh (read)", () => {
        const kmsRule = (keyId: string) => ({ SSEAlgorithm: "KMS", KMSMasterKeyID: keyId });
        const state = (keyId: string, bucket = "acme-logs") => ({ bucket, sseAlgorithm: "KMS" as const, kmsMasterKeyId: keyId, region: "cn-hangzhou" });

        const cases: Array<[string, () => void, RegExp]> = [
            [
                "Disabled",
                () => emulator.seedKey({ keyId: "key-1", region: "cn-hangzhou", keyState: "Disabled" }),
                /^Key health: bucket "acme-logs" encrypts with KMS key "key-1" in cn-hangzhou, which is Disabled \(DescribeKey request ID \S+\): uploads that rely on the bucket's default encryption fail, and objects encrypted with this key cannot be read until the key is enabled again\. Enable the key/,
            ],
            [
                "PendingDeletion",
                () => emulator.seedKey({ keyId: "key-1", region: "cn-hangzhou", keyState: "PendingDeletion" }),
                /^Key health: bucket "acme-logs" encrypts with KMS key "key-1" in cn-hangzhou, which is PendingDeletion \(DescribeKey request ID \S+\): .*once the deletion completes they can never be decrypted again\. .*CancelKeyDeletion/,
            ],
            [
                "gone",
                () => emulator.seedKey({ keyId: "key-1", region: "cn-shanghai", keyState: "Enabled" }),
                /^Key health: bucket "acme-logs" encrypts with KMS key "key-gone" in cn-hangzhou, which is gone \(KMS does not know it in this region\) \(DescribeKey request ID \S+\): .*can no longer be decrypted\. Check the key ID/,
            ],
        ];
        for (const [what, breakKey, expected] of cases) {
            it(`warns when the live rule's key is ${what}, naming the bucket, key, state and consequence; the refresh succeeds`, async () => {
                const keyId = what === "gone" ? "key-gone" : "key-1";
                emulator.setRule("acme-logs", kmsRule(keyId));
                breakKey();
                const result = await (await providerAgainst(emulator, { diagnostics: sink })).read!("acme-logs", state(keyId));
                assert.equal(result.id, "acme-logs");
                const warnings = sink.of("warning");
                assert.equal(warnings.length, 1, warnings.join("\n"));
                assert.match(warnings[0], expected);
                assert.equal(describeKeyCalls().length, 1);
            });
        }

        it("says nothing for an Enabled key, the default CMK or another algorithm", async () => {
            const p = await providerAgainst(emulator, { diagnostics: sink });
            for (const rule of [kmsRule("key-1"), { SSEAlgorithm: "KMS" }, { SSEAlgorithm: "SM4" }]) {
                emulator.setRule("acme-logs", rule);
                await p.read!("acme-logs", state("key-1"));
            }
            assert.deepEqual(sink.of("warning"), []);
            assert.deepEqual(describeKeyCalls().map(r => r.keyId), ["key-1"]);
        });

        it("describes each key once per provider process however many buckets use it, and a later check reuses the verdict", async () => {
            emulator.seedKey({ keyId: "key-1", region: "cn-hangzhou", keyState: "Disabled" });
            emulator.setRule("acme-logs", kmsRule("key-1"));
            emulator.setRule("acme-data", kmsRule("key-1"));
            const p = await providerAgainst(emulator, { diagnostics: sink });
            await Promise.all([p.read!("acme-logs", state("key-1")), p.read!("acme-data", state("key-1", "acme-data"))]);
            const result = await p.check!({} as BucketEncryptionInputs, { bucket: "acme-data", sseAlgorithm: "KMS", kmsMasterKeyId: "key-1" } as BucketEncryptionInputs);
            assert.match(result.failures?.[0]?.reason ?? "", /KeyDisabled/);
            assert.equal(describeKeyCalls().length, 1);
            assert.deepEqual(sink.of("warning").map(w => /bucket "([^"]+)"/.exec(w)?.[1]).sort(), ["acme-data", "acme-logs"]);
        });

        it("makes no KMS call with oss-encryption:kmsKeyCheck false", async () => {
            emulator.seedKey({ keyId: "key-1", region: "cn-hangzhou", keyState: "Disabled" });
            emulator.setRule("acme-logs", kmsRule("key-1"));
            await (await providerAgainst(emulator, { config: { "oss-encryption:kmsKeyCheck": "false" }, diagnostics: sink })).read!("acme-logs", state("key-1"));
            assert.equal(describeKeyCalls().length, 0);
            assert.deepEqual(sink.of("warning"), []);
        });

        it("a KMS that cannot be reached is a warning, not a failed refresh", async () => {
            emulator.setRule("acme-logs", kmsRule("key-1"));
            emulator.setFaults({ rates: { reset: 1 }, only: ["kms:DescribeKey"] });
            const result = await (await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "1" }, diagnostics: sink })).read!("acme-logs", state("key-1"));
            assert.equal(result.id, "acme-logs");
            assert.match(sink.of("warning").join("\n"), /^Key health of bucket "acme-logs" not checked: KMS key "key-1" in region cn-hangzhou: NetworkError/);
        });
    });
});
