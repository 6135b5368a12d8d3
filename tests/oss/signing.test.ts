// provider/oss/signing.ts against published vectors: the signature tests that the official Go SDKs
// ship (alibabacloud-oss-go-sdk-v2 oss/signer/signer_test.go TestV1AuthHeader, TestV4AuthHeader,
// TestV4AuthHeaderToken, TestV4AuthHeaderWithAdditionalHeaders; aliyun-oss-go-sdk oss/conn_test.go
// carries the same V4 vectors). AccessKey "ak", secret "sk", as in those tests.
import * as assert from "assert/strict";
import {
    SignableRequest,
    V1_SUBRESOURCES,
    canonicalQueryV4,
    canonicalRequestV4,
    canonicalizedResourceV1,
    requestTimeV4,
    scopeV4,
    signRequestV1,
    signRequestV4,
    signatureV4,
    stringToSignV1,
    stringToSignV4,
} from "../../provider/oss/signing";

const CREDENTIALS = { accessKeyId: "ak", accessKeySecret: "sk" };

/** The query every V4 vector carries: names that need encoding, and empty values. */
const V4_QUERY = { param1: "value1", "+param1": "value3", "|param1": "value4", "+param2": "", "|param2": "", param2: "" };

/** The V4 vectors' request: PUT of object "1234+-/123/1.txt" with signed and unsigned headers. */
function v4Request(): SignableRequest {
    return {
        method: "PUT",
        bucket: "bucket",
        key: "1234+-/123/1.txt",
        query: { ...V4_QUERY },
        headers: { "x-oss-head1": "value", abc: "value", zabc: "value", xyz: "value", "content-type": "text/plain" },
    };
}

describe("OSS signing: published vectors of the official SDKs", () => {
    describe("V4", () => {
        it("TestV4AuthHeader: query names that need encoding and empty values", () => {
            const headers = signRequestV4(v4Request(), CREDENTIALS, "cn-hangzhou", new Date(1702743657 * 1000));
            assert.equal(
                headers["authorization"],
                "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request," +
                    "Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe",
            );
        });

        it("TestV4AuthHeaderToken: an STS token", () => {
            const credentials = { ...CREDENTIALS, securityToken: "token" };
            const headers = signRequestV4(v4Request(), credentials, "cn-hangzhou", new Date(1702784856 * 1000));
            assert.equal(
                headers["authorization"],
                "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request," +
                    "Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea",
            );
        });

        it("TestV4AuthHeaderWithAdditionalHeaders: abc and zabc signed too", () => {
            const request = v4Request();
            request.headers = { ...request.headers, "x-oss-date": "20231216T172512Z", "x-oss-content-sha256": "UNSIGNED-PAYLOAD" };
            const canonical = canonicalRequestV4(request, ["abc", "zabc"]);
            const stringToSign = stringToSignV4(canonical, "20231216T172512Z", scopeV4("20231216", "cn-hangzhou"));
            assert.equal(
                signatureV4("sk", "20231216", "cn-hangzhou", stringToSign),
                "4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f",
            );
        });

        it("sorts the query by encoded name and signs an empty value as the bare name", () => {
            // Raw names sort "|param1" after "param1" ("|" > "p"); encoded, "%7Cparam1" comes before it.
            assert.equal(
                canonicalQueryV4(V4_QUERY),
                "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2",
            );
            assert.equal(canonicalQueryV4({ "a b": "x", a: "y", "a~": null }), "a=y&a%20b=x&a~");
        });

        it("dates a request by x-oss-date, else by Date, and puts that text in the string to sign", () => {
            const date = "Sat, 16 Dec 2023 16:20:57 GMT";
            assert.equal(requestTimeV4({ "x-oss-date": "20231216T162057Z", date }), "20231216T162057Z");
            assert.equal(requestTimeV4({ date }), date);
            assert.equal(requestTimeV4({}), undefined);
            // aliyun-oss-go-sdk (V4 with only Date): the time line is the Date text, the scope date the Credential's.
            const stringToSign = stringToSignV4("canonical", date, scopeV4("20231216", "cn-hangzhou"));
            assert.deepEqual(stringToSign.split("\n").slice(0, 3), ["OSS4-HMAC-SHA256", date, "20231216/cn-hangzhou/oss/aliyun_v4_request"]);
        });
    });

    describe("V1 (TestV1AuthHeader)", () => {
        const date = "Wed, 28 Dec 2022 10:27:41 GMT";
        const now = new Date(date);

        it("case 1: an object with Content-MD5, Content-Type and x-oss-* headers", () => {
            const request: SignableRequest = {
                method: "PUT",
                bucket: "examplebucket",
                key: "nelson",
                query: {},
                headers: {
                    "content-md5": "eB5eJF1ptWaXm4bijSPyxw==",
                    "content-type": "text/html",
                    "x-oss-meta-author": "alice",
                    "x-oss-meta-magic": "abracadabra",
                    "x-oss-date": date,
                },
            };
            const headers = signRequestV1(request, CREDENTIALS, now);
            assert.equal(
                stringToSignV1({ ...request, headers }),
                `PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n${date}\nx-oss-date:${date}\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson`,
            );
            assert.equal(headers["authorization"], "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
        });

        it("case 3: resourceGroup is signed, an unknown parameter is not", () => {
            const request: SignableRequest = {
                method: "GET",
                bucket: "examplebucket",
                query: { resourceGroup: null, "non-resousce": "null" },
                headers: { "x-oss-date": date },
            };
            assert.equal(signRequestV1(request, CREDENTIALS, now)["authorization"], "OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs=");
        });

        it("case 4: sub-resources sorted (acl before resourceGroup)", () => {
            const request: SignableRequest = {
                method: "GET",
                bucket: "examplebucket",
                query: { resourceGroup: null, acl: null },
                headers: { "x-oss-date": date },
            };
            assert.equal(signRequestV1(request, CREDENTIALS, now)["authorization"], "OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=");
        });

        it("signs every sub-resource of the official SDKs' lists, x-oss-* parameters, and an empty value bare", () => {
            for (const name of ["encryption", "resourceGroup", "publicAccessBlock", "udfApplicationLog", "withHashContext"]) {
                assert.ok(V1_SUBRESOURCES.has(name), name);
            }
            const resource = canonicalizedResourceV1({
                method: "GET",
                bucket: "b",
                query: { "x-oss-process": "a", encryption: "", prefix: "p", "response-unknown": "x" },
                headers: {},
            });
            assert.equal(resource, "/b/?encryption&x-oss-process=a");
        });
    });
});
