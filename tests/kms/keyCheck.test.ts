// The KMS key check against the emulator's KMS (pop-core's signature checked there): every key
// verdict, when check() asks KMS and when it does not, the check before the PUT, one DescribeKey
// per key per process, access denied as a warning, the off switch, retries, and secret-free errors.
import * as assert from "assert/strict";
import { execFileSync } from "child_process";
import * as path from "path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { BucketEncryptionInputs, UNKNOWN } from "../../provider/bucketEncryption";
import { KmsError } from "../../provider/kms/errors";
import { Emulator, EmulatorCredential, KmsKey, startEmulator } from "../../emulator";
import { Provider, providerAgainst } from "../support/provider";

const ACCOUNT = "1111222233334444";
const hz = (keyId: string, extra: Partial<KmsKey> = {}): KmsKey => ({ keyId, region: "cn-hangzhou", keyState: "Enabled", accountId: ACCOUNT, ...extra });
const KEYS: KmsKey[] = [
    hz("key-enabled", { aliases: ["alias/app"] }),
    hz("key-sm4", { keySpec: "Aliyun_SM4" }),
    hz("key-disabled", { keyState: "Disabled" }),
    hz("key-deleting", { keyState: "PendingDeletion" }),
    hz("key-importing", { keyState: "PendingImport" }),
    hz("key-rsa", { keySpec: "RSA_2048", keyUsage: "SIGN/VERIFY" }),
    { keyId: "key-shanghai", region: "cn-shanghai", keyState: "Enabled", accountId: ACCOUNT },
];
const NO_KMS: EmulatorCredential = { accessKeyId: "LTAIossonlyossonly000000", accessKeySecret: "oss-only-secret-not-real", allow: ["oss:*"] };
const STS: EmulatorCredential = { accessKeyId: "STS.kmschecksts000000001", accessKeySecret: "kms-sts-secret-not-real", securityToken: "kms-sts-token+/=not-real" };

describe("KMS key check", () => {
    let emulator: Emulator;
    let warnings: string[];
    let restoreStderr: () => void;

    beforeEach(async () => {
        emulator = await startEmulator({ credentials: [NO_KMS, STS] });
        KEYS.forEach(key => emulator.seedKey(key));
        emulator.seedBucket("acme-logs");
        emulator.seedBucket("acme-data");
        // The provider's warnings go to stderr, where the Pulumi CLI picks them up.
        warnings = [];
        const write = process.stderr.write.bind(process.stderr);
        process.stderr.write = ((chunk: string | Uint8Array) => {
            warnings.push(String(chunk));
            return true;
        }) as typeof process.stderr.write;
        restoreStderr = () => void (process.stderr.write = write);
    });
    afterEach(async () => {
        restoreStderr();
        await emulator.stop();
    });

    const describeKeyCalls = () => emulator.requestLog.filter(r => r.service === "kms" && r.action === "DescribeKey");
    const kms = (keyId: string, extra: Record<string, string> = {}) => ({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: keyId, ...extra });

    /** check() with no previous inputs (a create). */
    async function checkNew(p: Provider, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
        return p.check!({} as BucketEncryptionInputs, news as unknown as BucketEncryptionInputs);
    }

    describe("verdicts at check()", () => {
        for (const [how, reference] of [
            ["key ID", "key-enabled"],
            ["key ARN", `acs:kms:cn-hangzhou:${ACCOUNT}:key/key-enabled`],
            ["alias", "alias/app"],
            ["alias ARN", `acs:kms:cn-hangzhou:${ACCOUNT}:alias/app`],
            ["SM4 key ID", "key-sm4"],
        ]) {
            it(`accepts an Enabled symmetric key by ${how}, asking KMS once`, async () => {
                const result = await checkNew(await providerAgainst(emulator), kms(reference));
                assert.deepEqual(result.failures, []);
                assert.deepEqual(describeKeyCalls().map(r => [r.keyId, r.status]), [[reference, 200]]);
            });
        }

        const rejected: Array<[string, string, RegExp]> = [
            ["not found", "no-such-key", /^KMS key "no-such-key" in region cn-hangzhou: KeyNotFound \(HTTP 404, request ID \S+\): KMS answered Forbidden\.KeyNotFound: there is no such key in cn-hangzhou\. Check the key ID, ARN or alias, and that the key was created in cn-hangzhou: KMS keys are regional/],
            ["an unknown alias", "alias/none", /^KMS key "alias\/none" in region cn-hangzhou: KeyNotFound \(HTTP 404/],
            ["Disabled", "key-disabled", /^KMS key "key-disabled" in region cn-hangzhou: KeyDisabled \(HTTP 200, request ID \S+\): the key is Disabled, and OSS can only encrypt with an Enabled key\. Enable the key/],
            ["PendingDeletion", "key-deleting", /^KMS key "key-deleting" in region cn-hangzhou: KeyPendingDeletion \(HTTP 200, request ID \S+\): the key is PendingDeletion, .*cancel the deletion \(CancelKeyDeletion\)/],
            ["PendingImport", "key-importing", /^KMS key "key-importing" in region cn-hangzhou: KeyPendingImport \(HTTP 200, request ID \S+\): the key is PendingImport, .*import it \(ImportKeyMaterial\)/],
            ["not usable for OSS (asymmetric, SIGN/VERIFY)", "key-rsa", /^KMS key "key-rsa" in region cn-hangzhou: KeyNotUsableForOss \(HTTP 200, request ID \S+\): the key is RSA_2048 for SIGN\/VERIFY, which OSS cannot encrypt with\. OSS server-side encryption needs a symmetric key/],
            ["of another region, by key ID (KMS in the bucket's region does not know it)", "key-shanghai", /^KMS key "key-shanghai" in region cn-hangzhou: KeyNotFound \(HTTP 404.*KMS keys are regional, and OSS can only use a key of the bucket's region\./],
        ];
        for (const [what, reference, reason] of rejected) {
            it(`fails kmsMasterKeyId for a key ${what}`, async () => {
                const result = await checkNew(await providerAgainst(emulator), kms(reference));
                assert.equal(result.failures?.length, 1);
                assert.equal(result.failures![0].property, "kmsMasterKeyId");
                assert.match(result.failures![0].reason, reason);
                assert.equal(describeKeyCalls().length, 1);
            });
        }

        it("fails a key ARN of another region without asking KMS", async () => {
            const arn = `acs:kms:cn-shanghai:${ACCOUNT}:key/key-shanghai`;
            const result = await checkNew(await providerAgainst(emulator), kms(arn));
            assert.match(
                result.failures![0].reason,
                /^KMS key "acs:kms:cn-shanghai:\S+" in region cn-hangzhou: KeyInOtherRegion \(no HTTP status\): the ARN names cn-shanghai, not the bucket's region\. Use a key created in cn-hangzhou/,
            );
            assert.equal(describeKeyCalls().length, 0);
        });

        it("looks the key up in the resource's own region", async () => {
            const p = await providerAgainst(emulator);
            assert.deepEqual((await checkNew(p, kms("key-shanghai", { region: "cn-shanghai" }))).failures, []);
            assert.match((await checkNew(p, kms("key-enabled", { region: "cn-shanghai" }))).failures![0].reason, /"key-enabled" in region cn-shanghai: KeyNotFound/);
        });
    });

    describe("when check() asks KMS", () => {
        const applied = { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-enabled" };

        it("not for a preview without changes (same key and region as the last applied inputs)", async () => {
            const p = await providerAgainst(emulator);
            const result = await p.check!(applied as BucketEncryptionInputs, { ...applied, kmsMasterKeyId: " key-enabled " } as BucketEncryptionInputs);
            assert.deepEqual(result.failures, []);
            assert.equal(describeKeyCalls().length, 0);
        });

        it("when the key differs from the last applied one, or the region does", async () => {
            const p = await providerAgainst(emulator);
            await p.check!(applied as BucketEncryptionInputs, kms("key-sm4") as BucketEncryptionInputs);
            await p.check!(applied as BucketEncryptionInputs, kms("key-shanghai", { region: "cn-shanghai" }) as BucketEncryptionInputs);
            assert.deepEqual(describeKeyCalls().map(r => r.keyId), ["key-sm4", "key-shanghai"]);
        });

        it("not for a preview without changes after a refresh, for a resource in another region than the stack's", async () => {
            const applying = await providerAgainst(emulator);
            const declared = kms("key-shanghai", { region: "cn-shanghai" });
            const checked = (await checkNew(applying, declared)).inputs as BucketEncryptionInputs;
            await applying.create(checked);
            // A later run: refresh (read), then a preview against the inputs the refresh recorded.
            const later = await providerAgainst(emulator);
            const refreshed = await later.read!("acme-logs", { ...checked, region: "cn-shanghai" });
            emulator.clearLog();
            const result = await later.check!(refreshed.inputs as BucketEncryptionInputs, declared as BucketEncryptionInputs);
            assert.deepEqual(result.failures, []);
            assert.equal(describeKeyCalls().length, 0);
        });

        it("when the stack's region changed since the last apply, and a key not in the new region fails the preview", async () => {
            const applying = await providerAgainst(emulator);
            const checked = (await checkNew(applying, kms("key-enabled"))).inputs as BucketEncryptionInputs;
            assert.equal(checked.region, "cn-hangzhou", "check records the region the rule goes to");
            await applying.create(checked);
            const moved = await providerAgainst(emulator, { config: { "alicloud:region": "cn-shanghai" } });
            emulator.clearLog();
            const result = await moved.check!(checked, kms("key-enabled") as BucketEncryptionInputs);
            assert.match(result.failures?.[0]?.reason ?? "", /"key-enabled" in region cn-shanghai: KeyNotFound/);
            assert.equal(describeKeyCalls().length, 1);
            assert.equal(emulator.requestLog.filter(r => r.service === "oss").length, 0, "nothing written");
        });

        it("not while any value is unknown (preview of a value computed elsewhere)", async () => {
            const p = await providerAgainst(emulator);
            for (const news of [kms(UNKNOWN), kms("key-disabled", { bucket: UNKNOWN }), kms("key-disabled", { region: UNKNOWN })]) {
                assert.deepEqual((await checkNew(p, news)).failures, []);
            }
            assert.equal(describeKeyCalls().length, 0);
        });

        it("not without a customer key, and not when other properties already fail", async () => {
            const p = await providerAgainst(emulator);
            await checkNew(p, { bucket: "acme-logs", sseAlgorithm: "KMS" });
            await checkNew(p, { bucket: "acme-logs", sseAlgorithm: "AES256" });
            const invalid = await checkNew(p, kms("key-disabled", { bucket: "Not_A_Bucket" }));
            assert.deepEqual(invalid.failures?.map(f => f.property), ["bucket"]);
            assert.equal(describeKeyCalls().length, 0);
        });

        it("never when oss-encryption:kmsKeyCheck is false, and the PUT goes ahead", async () => {
            const p = await providerAgainst(emulator, { config: { "oss-encryption:kmsKeyCheck": "false" } });
            assert.deepEqual((await checkNew(p, kms("key-disabled"))).failures, []);
            await p.create(kms("key-disabled") as BucketEncryptionInputs);
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-disabled" });
            assert.equal(emulator.requestLog.filter(r => r.service === "kms").length, 0);
        });
    });

    describe("right before the PUT", () => {
        it("a create with an unusable key fails before anything is written", async () => {
            const p = await providerAgainst(emulator);
            const err = await p.create(kms("key-deleting") as BucketEncryptionInputs).then(() => assert.fail("created"), e => e as KmsError);
            assert.ok(err instanceof KmsError);
            assert.equal(err.code, "KeyPendingDeletion");
            assert.equal(err.rejectsKey, true);
            assert.equal(emulator.requestLog.filter(r => r.action === "PutBucketEncryption").length, 0);
            assert.equal(emulator.getRule("acme-logs"), undefined);
        });

        it("an update to an unusable key leaves the live rule as it was", async () => {
            const p = await providerAgainst(emulator);
            const created = await p.create(kms("key-enabled") as BucketEncryptionInputs);
            await assert.rejects(p.update!("acme-logs", created.outs!, kms("key-disabled") as BucketEncryptionInputs), /KeyDisabled/);
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-enabled" });
        });
    });

    describe("one DescribeKey per distinct key per provider process", () => {
        it("check and create of four resources over two keys, run concurrently, ask twice", async () => {
            const p = await providerAgainst(emulator);
            const resources = [
                kms("key-enabled"),
                kms("key-enabled", { bucket: "acme-data" }),
                kms("key-sm4", { bucket: "acme-logs", kmsDataEncryption: "SM4" }),
                kms("key-enabled", { bucket: "acme-data", kmsDataEncryption: "SM4" }),
            ];
            await Promise.all(resources.map(r => checkNew(p, r)));
            for (const r of resources) {
                await p.create(r as BucketEncryptionInputs);
            }
            assert.deepEqual(describeKeyCalls().map(r => r.keyId).sort(), ["key-enabled", "key-sm4"]);
        });

        it("a rejected key is remembered too; a fresh provider process asks again", async () => {
            const p = await providerAgainst(emulator);
            await checkNew(p, kms("key-disabled"));
            await assert.rejects(p.create(kms("key-disabled") as BucketEncryptionInputs), /KeyDisabled/);
            assert.equal(describeKeyCalls().length, 1);
            await checkNew(await providerAgainst(emulator), kms("key-disabled"));
            assert.equal(describeKeyCalls().length, 2);
        });

        it("a call that failed (no answer) is not remembered: the next check asks again", async () => {
            const p = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "1" } });
            emulator.setFaults({ rates: { reset: 1 }, only: ["kms:DescribeKey"] });
            await assert.rejects(checkNew(p, kms("key-enabled")), (err: KmsError) => err.code === "NetworkError" && !err.rejectsKey);
            emulator.setFaults({});
            assert.deepEqual((await checkNew(p, kms("key-enabled"))).failures, []);
        });

        it("transient KMS errors are retried", async () => {
            emulator.setFaults({ seed: 7, rates: { InternalFailure: 0.5 }, only: ["kms:DescribeKey"] }); // seed 7: two faults, then an answer
            const result = await checkNew(await providerAgainst(emulator), kms("key-disabled"));
            assert.match(result.failures![0].reason, /KeyDisabled/);
            assert.deepEqual(describeKeyCalls().map(r => r.code), ["InternalFailure", "InternalFailure", undefined]);
            assert.equal(warnings.filter(w => w.includes("KMS DescribeKey of key \"key-disabled\": InternalFailure, retrying")).length, 2);
        });
    });

    describe("access denied", () => {
        it("becomes one warning saying how to turn the check off, and the deployment goes on", async () => {
            const p = await providerAgainst(emulator, { credential: NO_KMS });
            assert.deepEqual((await checkNew(p, kms("key-enabled"))).failures, []);
            await p.create(kms("key-enabled") as BucketEncryptionInputs);
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-enabled" });
            const kmsWarnings = warnings.filter(w => w.includes("KMS key check"));
            assert.equal(kmsWarnings.length, 1, warnings.join(""));
            assert.match(
                kmsWarnings[0],
                /^warning: KMS key check skipped for key "key-enabled" in cn-hangzhou: KMS refused DescribeKey \(Forbidden\.RAM, request ID \S+\), .*`pulumi config set oss-encryption:kmsKeyCheck false`/,
            );
            assert.equal(describeKeyCalls().length, 1);
        });
    });

    describe("errors never carry a secret", () => {
        it("SignatureDoesNotMatch with STS credentials: no secret or token, raw or encoded", async () => {
            const wrong = { ...STS, accessKeySecret: "wrong-secret-value-not-real" };
            const err = await checkNew(await providerAgainst(emulator, { credential: wrong }), kms("key-enabled")).then(() => assert.fail("passed"), e => e as KmsError);
            assert.ok(err instanceof KmsError);
            assert.match(err.message, /^KMS key "key-enabled" in region cn-hangzhou: SignatureDoesNotMatch \(HTTP 400, request ID \S+\): .*string to sign is: \[omitted\]/);
            for (const secret of [wrong.accessKeySecret, STS.accessKeySecret, STS.securityToken!]) {
                for (const form of [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))]) {
                    assert.ok(!err.message.includes(form), `"${form}" in ${err.message}`);
                    assert.ok(!JSON.stringify(err).includes(form));
                }
            }
        });

        it("a token that does not match its key is reported without either", async () => {
            const other = { ...STS, securityToken: "other-token-not-real" };
            const err = await checkNew(await providerAgainst(emulator, { credential: other }), kms("key-enabled")).then(() => assert.fail("passed"), e => e as KmsError);
            assert.match(err.message, /InvalidSecurityToken\.MismatchWithAccessKey .*set both from the same STS answer/);
            assert.ok(!err.message.includes(other.securityToken) && !err.message.includes(STS.accessKeySecret));
        });
    });

    it("loading the provider loads neither pop-core nor @alicloud/credentials", () => {
        const providerModule = path.resolve(__dirname, "../../provider/index.js");
        const loaded = execFileSync(
            process.execPath,
            ["-e", `require(${JSON.stringify(providerModule)}); console.log(Object.keys(require.cache).filter(f => f.includes("@alicloud")).length)`],
            { encoding: "utf8" },
        ).trim();
        assert.equal(loaded, "0");
    });
});
