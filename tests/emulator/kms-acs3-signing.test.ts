// The emulator's ACS3-HMAC-SHA256 verifier (emulator/kms/auth.ts) against the published vector
// of the official signer's own tests (darabonba openapi-util's getAuthorization test: query
// test=ok&empty=, headers x-acs-test: http and x-acs-TEST: https, secret "secret"; its C++ port
// expects 910e59dd..., which @alicloud/openapi-util 0.3.3 also produces), and against that signer
// itself on a DescribeKey-shaped request.
import * as assert from "assert/strict";
import { acs3CanonicalRequest, acs3Signature, acs3StringToSign, parseAcs3Authorization } from "../../emulator/kms/auth";

/** openapi-util's getAuthorization (ships without type definitions). */
const openApiUtil: {
    default: {
        getAuthorization(
            request: { method: string; pathname: string; query: Record<string, string>; headers: Record<string, string> },
            algorithm: string,
            payloadHash: string,
            accessKeyId: string,
            secret: string,
        ): string;
    };
} = require("@alicloud/openapi-util");

const PAYLOAD_HASH = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";

describe("KMS ACS3-HMAC-SHA256 signing", () => {
    it("matches openapi-util's published vector", () => {
        // The vector sends x-acs-TEST: https and x-acs-test: http; a server sees them as one header,
        // values sorted and joined by ",". Its pathname is empty and its method GET.
        const request = {
            method: "GET",
            path: "",
            query: { test: "ok", empty: "" },
            headers: { "x-acs-test": "http,https", "x-acs-content-sha256": PAYLOAD_HASH },
        };
        const signature = acs3Signature("secret", acs3StringToSign(acs3CanonicalRequest(request, ["x-acs-test"])));
        assert.equal(signature, "910e59dd385879346de704a06c96613f8157aa7124e6d1c4f2bdffa1e5588187");
    });

    it("verifies what openapi-util signs for a DescribeKey request", () => {
        const headers: Record<string, string> = {
            host: "kms.cn-hangzhou.aliyuncs.com",
            "x-acs-action": "DescribeKey",
            "x-acs-version": "2016-01-20",
            "x-acs-date": "2026-11-29T19:00:00Z",
            "x-acs-signature-nonce": "0a1b2c3d4e5f",
            "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            accept: "application/json",
        };
        const query = { KeyId: "alias/app key", RegionId: "cn-hangzhou" };
        const theirs = openApiUtil.default.getAuthorization(
            { method: "POST", pathname: "/", query, headers },
            "ACS3-HMAC-SHA256",
            headers["x-acs-content-sha256"],
            "LTAIacs3vector",
            "acs3-secret-not-real",
        );
        const parsed = parseAcs3Authorization(theirs);
        assert.ok(parsed);
        assert.equal(parsed.accessKeyId, "LTAIacs3vector");
        assert.deepEqual(parsed.signedHeaders, [
            "host",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version",
        ]);
        const ours = acs3Signature("acs3-secret-not-real", acs3StringToSign(acs3CanonicalRequest({ method: "POST", path: "/", query, headers }, parsed.signedHeaders)));
        assert.equal(ours, parsed.signature);
    });
});
