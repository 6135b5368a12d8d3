// The emulator's OSS wire behaviour beyond what ali-oss exercises: addressing styles, request ids,
// XML validation and hardening, error bodies, and the seeding API.
import * as assert from "assert/strict";
import { stringToSignV1 } from "../../provider/oss/signing";
import { Emulator, startEmulator } from "../../emulator";
import { UNDOCUMENTED_EC } from "../../emulator/oss/xml";
import { RawResponse, SignedOssRequest, encryptionXml, rawRequest, signedOssRequest, xmlElement } from "./support";

const BUCKET = "wire-bucket";

describe("emulator OSS wire behaviour", () => {
    let emulator: Emulator;
    let port: string;

    /** A signed request to BUCKET's ?encryption sub-resource. */
    const encryption = (extra: Partial<SignedOssRequest> & { method: string }) =>
        signedOssRequest(emulator, { bucket: BUCKET, query: { encryption: null }, ...extra });

    /** PutBucketEncryption with a raw body. */
    const putBody = (body: string) => encryption({ method: "PUT", headers: { "content-type": "application/xml" }, body });

    function assertError(res: RawResponse, code: string, status: number): void {
        assert.equal(res.status, status, res.body);
        assert.equal(xmlElement(res.body, "Code"), code, res.body);
        assert.equal(res.headers["content-type"], "application/xml");
        assert.equal(xmlElement(res.body, "RequestId"), res.headers["x-oss-request-id"]);
    }

    before(async () => {
        emulator = await startEmulator();
        port = new URL(emulator.endpoint).port;
    });
    after(() => emulator.stop());
    beforeEach(() => emulator.seedBucket(BUCKET, { rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "seeded-key" } }));

    describe("addressing", () => {
        // Functions, because the port is only known once the emulator runs.
        const styles: [string, () => Partial<SignedOssRequest>][] = [
            ["path style", () => ({ style: "path" })],
            ["virtual-host style on the IP", () => ({ style: "virtual-host" })],
            ["virtual-host style on localhost", () => ({ style: "virtual-host", host: `${BUCKET}.localhost:${port}` })],
            ["virtual-host style on the public OSS host", () => ({ style: "virtual-host", host: `${BUCKET}.oss-cn-hangzhou.aliyuncs.com` })],
        ];
        for (const [name, style] of styles) {
            for (const version of ["v1", "v4"] as const) {
                it(`reads the rule with ${name}, ${version}`, async () => {
                    const res = await encryption({ method: "GET", version, ...style() });
                    assert.equal(res.status, 200, res.body);
                    assert.equal(xmlElement(res.body, "KMSMasterKeyID"), "seeded-key");
                    assert.equal(emulator.requestLog.at(-1)?.bucket, BUCKET);
                });
            }
        }
    });

    describe("request ids", () => {
        it("puts a unique x-oss-request-id on successes and errors, matching the error body", async () => {
            const ok = await encryption({ method: "GET" });
            const failed = await signedOssRequest(emulator, { method: "GET", bucket: "missing-bucket", query: { encryption: null } });
            assertError(failed, "NoSuchBucket", 404);
            const ids = [ok.headers["x-oss-request-id"], failed.headers["x-oss-request-id"]];
            ids.forEach(id => assert.match(String(id), /^[0-9A-F]{24}$/));
            assert.notEqual(ids[0], ids[1]);
            assert.equal(xmlElement(failed.body, "BucketName"), "missing-bucket");
        });
    });

    describe("PutBucketEncryption validation", () => {
        // The EC OSS documents for each case; "data encryption without KMS" has none (UNDOCUMENTED_EC).
        const invalidArguments: [string, Record<string, string>, string][] = [
            ["a lower-case algorithm", { SSEAlgorithm: "aes256" }, "0005-00000003"],
            ["an empty algorithm", { SSEAlgorithm: "" }, "0005-00000003"],
            ["a key id with SM4", { SSEAlgorithm: "SM4", KMSMasterKeyID: "k" }, "0005-00000204"],
            ["data encryption other than SM4", { SSEAlgorithm: "KMS", KMSDataEncryption: "AES256" }, "0005-00000203"],
            ["data encryption without KMS", { SSEAlgorithm: "SM4", KMSDataEncryption: "SM4" }, UNDOCUMENTED_EC],
        ];
        for (const [name, fields, ec] of invalidArguments) {
            it(`InvalidArgument for ${name} (EC ${ec}), keeping the old rule`, async () => {
                const res = await putBody(encryptionXml(fields));
                assertError(res, "InvalidArgument", 400);
                assert.equal(xmlElement(res.body, "EC"), ec);
                assert.equal(res.headers["x-oss-ec"], ec);
                assert.equal(emulator.getRule(BUCKET)?.KMSMasterKeyID, "seeded-key");
            });
        }

        const malformed: [string, string][] = [
            ["an empty body", ""],
            ["unbalanced tags", "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>"],
            ["another root element", "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>"],
            ["no ApplyServerSideEncryptionByDefault", "<ServerSideEncryptionRule><SSEAlgorithm>AES256</SSEAlgorithm></ServerSideEncryptionRule>"],
            ["a repeated SSEAlgorithm", encryptionXml({ SSEAlgorithm: "AES256" }).replace("</SSEAlgorithm>", "</SSEAlgorithm><SSEAlgorithm>KMS</SSEAlgorithm>")],
            ["a DOCTYPE with an entity", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "AES256">]>' + encryptionXml({ SSEAlgorithm: "&a;" }).replace(/^<\?xml[^>]*>/, "")],
            ["an undeclared entity reference", encryptionXml({ SSEAlgorithm: "&a;" })],
        ];
        for (const [name, body] of malformed) {
            it(`MalformedXML for ${name}`, async () => {
                assertError(await putBody(body), "MalformedXML", 400);
                assert.equal(emulator.getRule(BUCKET)?.SSEAlgorithm, "KMS");
            });
        }

        it("accepts an empty KMSMasterKeyID with AES256 and stores no key", async () => {
            assert.equal((await putBody(encryptionXml({ SSEAlgorithm: "AES256", KMSMasterKeyID: "" }))).status, 200);
            assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: "AES256" });
        });

        it("decodes predefined character references and stores the key id as sent", async () => {
            const res = await putBody(encryptionXml({ SSEAlgorithm: "KMS", KMSMasterKeyID: "alias/a&amp;b" }));
            assert.equal(res.status, 200);
            assert.equal(emulator.getRule(BUCKET)?.KMSMasterKeyID, "alias/a&b");
            const read = await encryption({ method: "GET" });
            assert.equal(xmlElement(read.body, "KMSMasterKeyID"), "alias/a&amp;b");
        });

        it("InvalidDigest when Content-MD5 does not match the body", async () => {
            const res = await encryption({
                method: "PUT",
                headers: { "content-type": "application/xml", "content-md5": "AAAAAAAAAAAAAAAAAAAAAA==" },
                body: encryptionXml({ SSEAlgorithm: "AES256" }),
            });
            assertError(res, "InvalidDigest", 400);
        });
    });

    describe("authentication errors", () => {
        it("AccessDenied for an unsigned request", async () => {
            const res = await rawRequest(emulator.endpoint, { method: "GET", path: `/${BUCKET}/?encryption` });
            assertError(res, "AccessDenied", 403);
        });

        it("SignatureDoesNotMatch echoes the V1 string to sign the server computed", async () => {
            const credential = { ...emulator.defaultCredential, accessKeySecret: "wrong" };
            const now = new Date();
            const res = await encryption({ method: "GET", version: "v1", credential, now });
            assertError(res, "SignatureDoesNotMatch", 403);
            const expected = stringToSignV1({
                method: "GET",
                bucket: BUCKET,
                query: { encryption: null },
                headers: { date: now.toUTCString() },
            });
            assert.equal(xmlElement(res.body, "StringToSign"), expected);
            assert.equal(res.headers["x-oss-ec"], "0002-00000040");
        });

        it("RequestTimeTooSkewed reports the request and server times", async () => {
            const anHourAgo = new Date(Date.now() - 3600 * 1000);
            const res = await encryption({ method: "GET", now: anHourAgo });
            assertError(res, "RequestTimeTooSkewed", 403);
            assert.ok(xmlElement(res.body, "RequestTime"));
            assert.ok(Math.abs(Date.parse(xmlElement(res.body, "ServerTime") ?? "") - Date.now()) < 60000);
            assert.equal(xmlElement(res.body, "MaxAllowedSkewMilliseconds"), "900000");
        });
    });

    describe("buckets and the seeding API", () => {
        it("creates path-style buckets in the V4 signing region and reports it", async () => {
            const create = await signedOssRequest(emulator, { method: "PUT", bucket: "made-in-beijing", query: {}, region: "cn-beijing" });
            assert.equal(create.status, 200, create.body);
            const location = await signedOssRequest(emulator, { method: "GET", bucket: "made-in-beijing", query: { location: null }, region: "cn-beijing" });
            assert.equal(xmlElement(location.body, "LocationConstraint"), "oss-cn-beijing");
        });

        it("refuses invalid and taken bucket names", async () => {
            const invalid = await signedOssRequest(emulator, { method: "PUT", bucket: "Bad_Name", query: {} });
            assertError(invalid, "InvalidBucketName", 400);
            assertError(await signedOssRequest(emulator, { method: "PUT", bucket: BUCKET, query: {} }), "BucketAlreadyExists", 409);
        });

        it("seeds buckets in a region, and deletes them", async () => {
            emulator.seedBucket("seeded-in-shanghai", { region: "cn-shanghai" });
            const info = await signedOssRequest(emulator, {
                method: "GET",
                bucket: "seeded-in-shanghai",
                query: { bucketInfo: null },
                region: "cn-shanghai",
            });
            assert.equal(xmlElement(info.body, "Location"), "oss-cn-shanghai");
            assert.equal(xmlElement(info.body, "SSEAlgorithm"), "None");
            emulator.deleteBucket("seeded-in-shanghai");
            const gone = await signedOssRequest(emulator, { method: "GET", bucket: "seeded-in-shanghai", query: { bucketInfo: null } });
            assertError(gone, "NoSuchBucket", 404);
            assert.equal(emulator.getRule("seeded-in-shanghai"), undefined);
        });

        it("NotImplemented for operations outside its scope", async () => {
            assertError(await signedOssRequest(emulator, { method: "GET", bucket: BUCKET, query: { acl: null } }), "NotImplemented", 501);
        });

        it("logs every request with service, action, bucket, status and code", async () => {
            emulator.clearLog();
            await encryption({ method: "GET" });
            await signedOssRequest(emulator, { method: "DELETE", bucket: "missing-bucket", query: { encryption: null } });
            assert.deepEqual(
                emulator.requestLog.map(r => [r.service, r.action, r.bucket, r.status, r.code, r.accessKeyId]),
                [
                    ["oss", "GetBucketEncryption", BUCKET, 200, undefined, emulator.defaultCredential.accessKeyId],
                    ["oss", "DeleteBucketEncryption", "missing-bucket", 404, "NoSuchBucket", emulator.defaultCredential.accessKeyId],
                ],
            );
        });
    });
});
