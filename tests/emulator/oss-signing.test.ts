// The emulator verifies OSS signatures as OSS does for requests the project's own signer never
// sends: a published V4 vector replayed verbatim (query names that need encoding, empty values),
// and V4 requests dated by Date alone (aliyun-oss-go-sdk, ossutil 1.x), in both date formats.
import * as assert from "assert/strict";
import { canonicalRequestV4, scopeV4, signatureV4, stringToSignV4 } from "../../provider/oss/signing";
import { Emulator, startEmulator } from "../../emulator";
import { rawRequest, xmlElement } from "./support";

const BUCKET = "dating-bucket";
const MINUTE = 60 * 1000;

/** yyyymmdd of a time, UTC. */
const dayOf = (time: Date) => time.toISOString().slice(0, 10).replace(/-/g, "");

describe("emulator OSS signature verification beyond the project's signer", () => {
    let emulator: Emulator;

    before(async () => {
        emulator = await startEmulator({ credentials: [{ accessKeyId: "ak", accessKeySecret: "sk" }] });
    });
    after(() => emulator.stop());
    beforeEach(() => emulator.seedBucket(BUCKET, { rule: { SSEAlgorithm: "AES256" } }));

    describe("the Go SDKs' TestV4AuthHeader vector, replayed", () => {
        // Sent as Go's url.Values.Encode() sends it; signed 2023-12-16, so a correct signature ends in
        // RequestTimeTooSkewed (time is checked after the signature) and a wrong one in SignatureDoesNotMatch.
        const send = (signature: string) =>
            rawRequest(emulator.endpoint, {
                method: "PUT",
                path: "/bucket/1234%2B-/123/1.txt?%2Bparam1=value3&%2Bparam2=&%7Cparam1=value4&%7Cparam2=&param1=value1&param2=",
                headers: {
                    host: "127.0.0.1",
                    "x-oss-head1": "value",
                    abc: "value",
                    zabc: "value",
                    xyz: "value",
                    "content-type": "text/plain",
                    "x-oss-content-sha256": "UNSIGNED-PAYLOAD",
                    "x-oss-date": "20231216T162057Z",
                    authorization: `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=${signature}`,
                },
            });

        it("accepts the published signature (then refuses the 2023 date)", async () => {
            const res = await send("e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
            assert.equal(xmlElement(res.body, "Code"), "RequestTimeTooSkewed", res.body);
        });

        it("refuses any other signature", async () => {
            const res = await send("0".repeat(64));
            assert.equal(xmlElement(res.body, "Code"), "SignatureDoesNotMatch", res.body);
        });
    });

    describe("V4 requests dated by Date alone, as aliyun-oss-go-sdk sends them", () => {
        /** GetBucketEncryption signed the Go SDK's way: time line = the Date text, scope date = that day. */
        function dateOnlyRequest(requestTime: Date, secret = "sk") {
            const date = requestTime.toUTCString();
            const headers = { date, "x-oss-content-sha256": "UNSIGNED-PAYLOAD" };
            const request = { method: "GET", bucket: BUCKET, query: { encryption: null }, headers };
            const day = dayOf(requestTime);
            const stringToSign = stringToSignV4(canonicalRequestV4(request), date, scopeV4(day, "cn-hangzhou"));
            const signature = signatureV4(secret, day, "cn-hangzhou", stringToSign);
            return rawRequest(emulator.endpoint, {
                method: "GET",
                path: `/${BUCKET}/?encryption`,
                headers: {
                    ...headers,
                    host: "127.0.0.1",
                    authorization: `OSS4-HMAC-SHA256 Credential=ak/${day}/cn-hangzhou/oss/aliyun_v4_request,Signature=${signature}`,
                },
            });
        }

        it("accepts one with a correct signature", async () => {
            const res = await dateOnlyRequest(new Date());
            assert.equal(res.status, 200, res.body);
            assert.equal(xmlElement(res.body, "SSEAlgorithm"), "AES256");
        });

        it("refuses one signed with another secret, echoing the Date in its string to sign", async () => {
            const res = await dateOnlyRequest(new Date(), "not-the-secret");
            assert.equal(xmlElement(res.body, "Code"), "SignatureDoesNotMatch", res.body);
            assert.match(xmlElement(res.body, "StringToSign") ?? "", /^OSS4-HMAC-SHA256\n\w{3}, \d{2} \w{3} \d{4} [\d:]{8} GMT\n\d{8}\/cn-hangzhou\//);
        });

        it("applies the 15-minute window to the Date: 20 minutes off is RequestTimeTooSkewed, 10 is fine", async () => {
            const late = await dateOnlyRequest(new Date(Date.now() - 20 * MINUTE));
            assert.equal(xmlElement(late.body, "Code"), "RequestTimeTooSkewed", late.body);
            const early = await dateOnlyRequest(new Date(Date.now() + 10 * MINUTE));
            assert.equal(early.status, 200, early.body);
        });
    });

    it("dates a V4 request by x-oss-date when it also has a Date", async () => {
        const now = new Date();
        const dateTime = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
        // A stale Date alongside a current x-oss-date: the x-oss-date decides, so the request is fresh.
        const headers = { date: new Date(Date.now() - 60 * MINUTE).toUTCString(), "x-oss-date": dateTime, "x-oss-content-sha256": "UNSIGNED-PAYLOAD" };
        const request = { method: "GET", bucket: BUCKET, query: { encryption: null }, headers };
        const scope = scopeV4(dayOf(now), "cn-hangzhou");
        const signature = signatureV4("sk", dayOf(now), "cn-hangzhou", stringToSignV4(canonicalRequestV4(request), dateTime, scope));
        const res = await rawRequest(emulator.endpoint, {
            method: "GET",
            path: `/${BUCKET}/?encryption`,
            headers: { ...headers, host: "127.0.0.1", authorization: `OSS4-HMAC-SHA256 Credential=ak/${scope},Signature=${signature}` },
        });
        assert.equal(res.status, 200, res.body);
    });
});
