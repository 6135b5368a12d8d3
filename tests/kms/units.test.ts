// The pure parts of the KMS check: endpoints, ARN regions, verdicts on metadata, and redaction.
import * as assert from "assert/strict";
import { kmsEndpointUrl } from "../../provider/kms/endpoint";
import { isAccessDenied, KmsError, redactSecrets } from "../../provider/kms/errors";
import { cmkOf } from "../../provider/bucketEncryption";
import { verdictOn } from "../../provider/kms/keyCheck";
import { arnRegion } from "../../provider/kms/keyReference";

describe("KMS check units", () => {
    describe("kmsEndpointUrl", () => {
        const cases: Array<[string, string | undefined, boolean, string]> = [
            ["public endpoint of the region, https", undefined, false, "https://kms.cn-hangzhou.aliyuncs.com"],
            ["VPC endpoint with the internal switch", undefined, true, "https://kms-vpc.cn-hangzhou.aliyuncs.com"],
            ["an alicloud:endpoints host, https", "kms.example.internal", true, "https://kms.example.internal"],
            ["http only when the endpoint says so", "http://127.0.0.1:8080", false, "http://127.0.0.1:8080"],
            ["https URL kept", "https://kms.cn-shanghai.aliyuncs.com/", false, "https://kms.cn-shanghai.aliyuncs.com"],
        ];
        for (const [name, endpoint, internal, expected] of cases) {
            it(name, () => assert.equal(kmsEndpointUrl("cn-hangzhou", endpoint, internal), expected));
        }
        it("refuses other schemes", () => assert.throws(() => kmsEndpointUrl("cn-hangzhou", "ftp://kms.example"), /must be http or https/));
    });

    it("arnRegion reads key and alias ARNs only", () => {
        assert.equal(arnRegion("acs:kms:cn-shanghai:123:key/abc"), "cn-shanghai");
        assert.equal(arnRegion("acs:kms:ap-southeast-1:123:alias/app"), "ap-southeast-1");
        assert.equal(arnRegion("alias/app"), undefined);
        assert.equal(arnRegion("9468da86-3509-4f8d-a61e-6eab1eac0001"), undefined);
    });

    it("cmkOf names a key only with KMS", () => {
        assert.equal(cmkOf({ sseAlgorithm: "KMS", kmsMasterKeyId: "k" }), "k");
        assert.equal(cmkOf({ sseAlgorithm: "KMS" }), undefined);
        assert.equal(cmkOf({ sseAlgorithm: "AES256", kmsMasterKeyId: "k" }), undefined);
    });

    describe("verdictOn", () => {
        const target = { keyId: "k", region: "cn-hangzhou" };
        const metadata = { KeyId: "k", Arn: "acs:kms:cn-hangzhou:1:key/k", KeyState: "Enabled", KeySpec: "Aliyun_AES_256", KeyUsage: "ENCRYPT/DECRYPT" };
        it("accepts an Enabled symmetric encryption key of the region", () => assert.equal(verdictOn(target, { metadata }), undefined));
        it("rejects a key whose ARN is in another region (an endpoint of another region)", () => {
            const verdict = verdictOn(target, { metadata: { ...metadata, Arn: "acs:kms:cn-beijing:1:key/k" }, requestId: "R1" });
            assert.equal(verdict?.code, "KeyInOtherRegion");
            assert.match(verdict!.message, /^KMS key "k" in region cn-hangzhou: KeyInOtherRegion \(HTTP 200, request ID R1\): the key \(acs:kms:cn-beijing:1:key\/k\) is in cn-beijing/);
        });
        it("rejects an ENCRYPT/DECRYPT key of an asymmetric spec", () => {
            assert.equal(verdictOn(target, { metadata: { ...metadata, KeySpec: "RSA_2048" } })?.code, "KeyNotUsableForOss");
        });
    });

    it("isAccessDenied knows KMS's permission codes, not its not-found one", () => {
        const error = (code: string) => new KmsError({ code, status: 403, keyId: "k", region: "r", detail: "" });
        assert.ok(isAccessDenied(error("Forbidden.RAM")));
        assert.ok(isAccessDenied(error("Forbidden.NoPermission")));
        assert.ok(!isAccessDenied(error("Forbidden.KeyNotFound")));
        assert.ok(!isAccessDenied({ code: "Forbidden.RAM" }));
    });

    it("redactSecrets removes secrets, their encoded forms and POP's echoed string to sign", () => {
        const credentials = { accessKeyId: "id", accessKeySecret: "s3cr/t+", securityToken: "t/k=n" };
        const text = `bad s3cr/t+ ${encodeURIComponent("t/k=n")} ${encodeURIComponent(encodeURIComponent("t/k=n"))} server string to sign is:POST&%2F&SecurityToken%3Dxyz`;
        assert.equal(redactSecrets(text, credentials), "bad [redacted] [redacted] [redacted] server string to sign is: [omitted]");
    });
});
