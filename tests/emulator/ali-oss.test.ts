// The official OSS SDK (ali-oss) drives the emulator with V1 and V4 signatures: every bucket
// encryption round trip works, and every error arrives with OSS's code, status and request id.
import * as assert from "assert/strict";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";
import { AliOssClient, SigningVersion, aliOssClient } from "../../harness/aliOss";
import { assertOssError, encryptionXml, rejection } from "./support";

const BUCKET = "conformance-bucket";
const MINUTE = 60 * 1000;

/** A credential that may only read rules. */
const READ_ONLY: EmulatorCredential = {
    accessKeyId: "LTAIreadonlyreadonly0000",
    accessKeySecret: "read-only-test-secret-not-real",
    allow: ["oss:GetBucketEncryption"],
};

/** An STS credential: requests must carry its token. */
const STS: EmulatorCredential = {
    accessKeyId: "STS.emulatortestkey000000",
    accessKeySecret: "sts-test-secret-not-real",
    securityToken: "sts-token-for-tests-only",
};

/** Rules ali-oss's putBucketEncryption can send, and what getBucketEncryption then reports. */
const ROUND_TRIPS: { name: string; put: { SSEAlgorithm: string; KMSMasterKeyID?: string }; reported: Record<string, string> }[] = [
    { name: "AES256", put: { SSEAlgorithm: "AES256" }, reported: { SSEAlgorithm: "AES256" } },
    // OSS reports an empty KMSMasterKeyID for the default CMK.
    { name: "KMS with the default key", put: { SSEAlgorithm: "KMS" }, reported: { SSEAlgorithm: "KMS", KMSMasterKeyID: "" } },
    {
        name: "KMS with a key id",
        put: { SSEAlgorithm: "KMS", KMSMasterKeyID: "9468da86-3509-4f8d-a61e-6eab1eac0001" },
        reported: { SSEAlgorithm: "KMS", KMSMasterKeyID: "9468da86-3509-4f8d-a61e-6eab1eac0001" },
    },
    { name: "SM4", put: { SSEAlgorithm: "SM4" }, reported: { SSEAlgorithm: "SM4" } },
];

/** ali-oss's putBucketEncryption drops KMSDataEncryption, so such bodies go through client.request. */
function putRawRule(client: AliOssClient, body: string): Promise<{ status: number }> {
    return client.request({ method: "PUT", bucket: BUCKET, subres: "encryption", content: body, mime: "xml", successStatuses: [200] });
}

for (const version of ["v1", "v4"] as SigningVersion[]) {
    describe(`ali-oss against the emulator, ${version} signatures`, () => {
        let emulator: Emulator;
        let client: AliOssClient;
        const clientWith = (overrides: Parameters<typeof aliOssClient>[2]) => aliOssClient(emulator, version, overrides);

        before(async () => {
            emulator = await startEmulator({ credentials: [READ_ONLY, STS] });
            client = aliOssClient(emulator, version);
        });
        after(() => emulator.stop());
        beforeEach(() => emulator.seedBucket(BUCKET));

        describe("encryption rule round trips", () => {
            for (const { name, put, reported } of ROUND_TRIPS) {
                it(`puts, gets and deletes ${name}`, async () => {
                    assert.equal((await client.putBucketEncryption(BUCKET, put)).status, 200);
                    assert.deepEqual((await client.getBucketEncryption(BUCKET)).encryption, reported);
                    assert.equal(emulator.getRule(BUCKET)?.SSEAlgorithm, put.SSEAlgorithm);
                    assert.equal((await client.deleteBucketEncryption(BUCKET)).status, 204);
                    assert.equal(emulator.getRule(BUCKET), undefined);
                });
            }

            it("puts and gets KMS with SM4 data encryption", async () => {
                const body = encryptionXml({ SSEAlgorithm: "KMS", KMSMasterKeyID: "key-1", KMSDataEncryption: "SM4" });
                assert.equal((await putRawRule(client, body)).status, 200);
                assert.deepEqual((await client.getBucketEncryption(BUCKET)).encryption, {
                    SSEAlgorithm: "KMS",
                    KMSMasterKeyID: "key-1",
                    KMSDataEncryption: "SM4",
                });
            });

            it("replaces an existing rule", async () => {
                await client.putBucketEncryption(BUCKET, { SSEAlgorithm: "AES256" });
                await client.putBucketEncryption(BUCKET, { SSEAlgorithm: "SM4" });
                assert.equal((await client.getBucketEncryption(BUCKET)).encryption.SSEAlgorithm, "SM4");
            });

            it("sees a rule changed out of band", async () => {
                emulator.setRule(BUCKET, { SSEAlgorithm: "KMS", KMSMasterKeyID: "drifted" });
                assert.equal((await client.getBucketEncryption(BUCKET)).encryption.KMSMasterKeyID, "drifted");
            });

            it("answers 204 when deleting a rule that does not exist", async () => {
                assert.equal((await client.deleteBucketEncryption(BUCKET)).status, 204);
            });
        });

        describe("bucket operations", () => {
            it("creates, describes and deletes a bucket", async () => {
                await client.putBucket("created-by-sdk");
                const info = await client.getBucketInfo("created-by-sdk");
                assert.equal(info.bucket.Location, "oss-cn-hangzhou");
                assert.deepEqual(info.bucket.ServerSideEncryptionRule, { SSEAlgorithm: "None" });
                await client.deleteBucket("created-by-sdk");
                assertOssError(emulator, await rejection(client.getBucketInfo("created-by-sdk")), "NoSuchBucket", 404);
            });

            it("reports the rule in GetBucketInfo", async () => {
                emulator.setRule(BUCKET, { SSEAlgorithm: "KMS", KMSMasterKeyID: "k", KMSDataEncryption: "SM4" });
                const info = await client.getBucketInfo(BUCKET);
                assert.deepEqual(info.bucket.ServerSideEncryptionRule, {
                    SSEAlgorithm: "KMS",
                    KMSMasterKeyID: "k",
                    KMSDataEncryption: "SM4",
                });
            });
        });

        describe("errors keep OSS's code, status and request id", () => {
            it("NoSuchBucket", async () => {
                const error = await rejection(client.getBucketEncryption("no-such-bucket"));
                assertOssError(emulator, error, "NoSuchBucket", 404);
            });

            it("NoSuchServerSideEncryptionRule", async () => {
                const error = await rejection(client.getBucketEncryption(BUCKET));
                assertOssError(emulator, error, "NoSuchServerSideEncryptionRule", 404);
            });

            it("AccessDenied for an action the credential is not allowed, not for one it is", async () => {
                const readOnly = clientWith({ credential: READ_ONLY });
                const denied = await rejection(readOnly.putBucketEncryption(BUCKET, { SSEAlgorithm: "AES256" }));
                assertOssError(emulator, denied, "AccessDenied", 403);
                // Reading is allowed, so the answer is about the (missing) rule instead.
                const allowed = await rejection(readOnly.getBucketEncryption(BUCKET));
                assertOssError(emulator, allowed, "NoSuchServerSideEncryptionRule", 404);
            });

            it("AccessDenied when the endpoint names another region than the bucket's", async () => {
                const elsewhere = clientWith({ region: "oss-cn-shanghai" });
                assertOssError(emulator, await rejection(elsewhere.getBucketEncryption(BUCKET)), "AccessDenied", 403);
            });

            it("InvalidAccessKeyId for an unknown AccessKey", async () => {
                const stranger = clientWith({ credential: { accessKeyId: "LTAIunknown", accessKeySecret: "whatever" } });
                assertOssError(emulator, await rejection(stranger.getBucketEncryption(BUCKET)), "InvalidAccessKeyId", 403);
            });

            it("SignatureDoesNotMatch for a wrong secret", async () => {
                const credential = { ...emulator.defaultCredential, accessKeySecret: "wrong-secret" };
                const error = await rejection(clientWith({ credential }).getBucketEncryption(BUCKET));
                assertOssError(emulator, error, "SignatureDoesNotMatch", 403);
            });

            it("InvalidArgument for an unknown algorithm and for a key id without KMS", async () => {
                const unknown = await rejection(client.putBucketEncryption(BUCKET, { SSEAlgorithm: "DES" }));
                assertOssError(emulator, unknown, "InvalidArgument", 400);
                const keyWithoutKms = await rejection(client.putBucketEncryption(BUCKET, { SSEAlgorithm: "AES256", KMSMasterKeyID: "k" }));
                assertOssError(emulator, keyWithoutKms, "InvalidArgument", 400);
                assert.equal(emulator.getRule(BUCKET), undefined);
            });

            it("InvalidArgument for SM4 data encryption without KMS", async () => {
                const body = encryptionXml({ SSEAlgorithm: "AES256", KMSDataEncryption: "SM4" });
                assertOssError(emulator, await rejection(putRawRule(client, body)), "InvalidArgument", 400);
            });

            it("MalformedXML for a body that is not XML or misses SSEAlgorithm", async () => {
                assertOssError(emulator, await rejection(putRawRule(client, "<ServerSideEncryptionRule>")), "MalformedXML", 400);
                assertOssError(emulator, await rejection(putRawRule(client, encryptionXml({}))), "MalformedXML", 400);
            });

            it("RequestTimeTooSkewed beyond 15 minutes of clock skew, not within", async () => {
                const slow = clientWith({ amendTimeSkewed: -20 * MINUTE });
                assertOssError(emulator, await rejection(slow.getBucketEncryption(BUCKET)), "RequestTimeTooSkewed", 403);
                const slightlyFast = clientWith({ amendTimeSkewed: 10 * MINUTE });
                assert.equal((await slightlyFast.putBucketEncryption(BUCKET, { SSEAlgorithm: "AES256" })).status, 200);
            });
        });

        describe("STS credentials", () => {
            it("accepts requests carrying the token", async () => {
                const sts = clientWith({ credential: STS });
                assert.equal((await sts.putBucketEncryption(BUCKET, { SSEAlgorithm: "SM4" })).status, 200);
                assert.equal((await sts.getBucketEncryption(BUCKET)).encryption.SSEAlgorithm, "SM4");
            });

            it("answers InvalidAccessKeyId without the token or with another one", async () => {
                const noToken = clientWith({ credential: { ...STS, securityToken: undefined } });
                assertOssError(emulator, await rejection(noToken.getBucketEncryption(BUCKET)), "InvalidAccessKeyId", 403);
                const otherToken = clientWith({ credential: { ...STS, securityToken: "stale-token" } });
                assertOssError(emulator, await rejection(otherToken.getBucketEncryption(BUCKET)), "InvalidAccessKeyId", 403);
            });
        });
    });
}
