import * as assert from "assert";
import { validateInputs, declaredBucket, UNKNOWN, withTargetRegion } from "../../provider/bucketEncryption";

/** The failures of a check as "property: reason" strings. */
function failuresOf(news: Record<string, unknown>): string[] {
    return (validateInputs(news).failures ?? []).map(f => `${f.property}: ${f.reason}`);
}

describe("check", () => {
    it("normalises: trims, upper-cases enumerations and drops empty optionals", () => {
        const result = validateInputs({
            bucket: " acme-logs ",
            sseAlgorithm: "kms",
            kmsMasterKeyId: "",
            kmsDataEncryption: "sm4",
            region: undefined,
        });
        assert.deepStrictEqual(result.failures, []);
        assert.deepStrictEqual(result.inputs, { bucket: "acme-logs", sseAlgorithm: "KMS", kmsDataEncryption: "SM4" });
    });

    const accepted: Array<[string, Record<string, unknown>]> = [
        ["AES256", { bucket: "abc", sseAlgorithm: "AES256" }],
        ["SM4", { bucket: "a-b-c", sseAlgorithm: "SM4" }],
        ["KMS default key", { bucket: "logs-2024", sseAlgorithm: "KMS" }],
        ["KMS with key", { bucket: "logs", sseAlgorithm: "KMS", kmsMasterKeyId: "9468da86-3509-4f8d-a61e-6eab1eac0000" }],
        ["KMS alias and SM4", { bucket: "logs", sseAlgorithm: "KMS", kmsMasterKeyId: "alias/acs/oss", kmsDataEncryption: "SM4" }],
        ["63-char bucket", { bucket: "a".repeat(63), sseAlgorithm: "AES256" }],
        ["region and endpoint", { bucket: "logs", sseAlgorithm: "AES256", region: "cn-shanghai", endpoint: "http://127.0.0.1:9000" }],
    ];
    for (const [name, news] of accepted) {
        it(`accepts ${name}`, () => assert.deepStrictEqual(failuresOf(news), []));
    }

    const rejected: Array<[string, Record<string, unknown>, RegExp]> = [
        ["a missing bucket", { sseAlgorithm: "AES256" }, /^bucket: bucket is required/],
        ["a 2-char bucket", { bucket: "ab", sseAlgorithm: "AES256" }, /^bucket: bucket "ab" is not a valid OSS bucket name: use 3-63/],
        ["a 64-char bucket", { bucket: "a".repeat(64), sseAlgorithm: "AES256" }, /^bucket: bucket "a{63}a" is too long: at most 63 characters\./],
        ["upper case in bucket", { bucket: "Acme", sseAlgorithm: "AES256" }, /^bucket: bucket "Acme"/],
        ["a leading hyphen", { bucket: "-acme", sseAlgorithm: "AES256" }, /^bucket: /],
        ["a trailing hyphen", { bucket: "acme-", sseAlgorithm: "AES256" }, /^bucket: /],
        ["an underscore", { bucket: "ac_me", sseAlgorithm: "AES256" }, /^bucket: /],
        ["a missing algorithm", { bucket: "acme" }, /^sseAlgorithm: sseAlgorithm is required: one of AES256, KMS, SM4/],
        ["an unknown algorithm", { bucket: "acme", sseAlgorithm: "AES128" }, /^sseAlgorithm: sseAlgorithm "AES128" is not supported: use one of AES256, KMS, SM4/],
        ["a key with AES256", { bucket: "acme", sseAlgorithm: "AES256", kmsMasterKeyId: "k" }, /^kmsMasterKeyId: kmsMasterKeyId is only allowed when sseAlgorithm is "KMS" \(it is "AES256"\)/],
        ["data encryption with SM4", { bucket: "acme", sseAlgorithm: "SM4", kmsDataEncryption: "SM4" }, /^kmsDataEncryption: .*only allowed when sseAlgorithm is "KMS"/],
        ["an unknown data encryption", { bucket: "acme", sseAlgorithm: "KMS", kmsDataEncryption: "AES" }, /^kmsDataEncryption: kmsDataEncryption "AES" is not supported/],
        ["a non-string algorithm", { bucket: "acme", sseAlgorithm: 5 }, /^sseAlgorithm: sseAlgorithm must be a string/],
        ["a bad region", { bucket: "acme", sseAlgorithm: "KMS", region: "Hangzhou" }, /^region: region "Hangzhou"/],
        ["a bad endpoint", { bucket: "acme", sseAlgorithm: "KMS", endpoint: "ftp://x" }, /^endpoint: endpoint "ftp:\/\/x" is not usable/],
        ["an endpoint with a path", { bucket: "acme", sseAlgorithm: "AES256", endpoint: "https://oss.example/bucket" }, /^endpoint: endpoint "https:\/\/oss.example\/bucket" is not usable: .*without a path/],
        ["a misspelt property", { bucket: "acme", sseAlgorithm: "KMS", kmsKeyId: "k" }, /^kmsKeyId: unknown property "kmsKeyId"/],
    ];
    for (const [name, news, expected] of rejected) {
        it(`rejects ${name}, naming the property`, () => {
            const failures = failuresOf(news);
            assert.strictEqual(failures.length, 1, failures.join("\n"));
            assert.match(failures[0], expected);
        });
    }

    it("does not validate values unknown at preview, nor rules that depend on them", () => {
        assert.deepStrictEqual(failuresOf({ bucket: UNKNOWN, sseAlgorithm: UNKNOWN, kmsMasterKeyId: "k" }), []);
        assert.deepStrictEqual(failuresOf({ bucket: "acme", sseAlgorithm: "KMS", kmsMasterKeyId: UNKNOWN, kmsDataEncryption: UNKNOWN }), []);
        assert.deepStrictEqual(validateInputs({ bucket: UNKNOWN, sseAlgorithm: "aes256" }).inputs, {
            bucket: UNKNOWN,
            sseAlgorithm: "AES256",
        });
    });

    it("still rejects known bad values next to unknown ones", () => {
        assert.deepStrictEqual(failuresOf({ bucket: UNKNOWN, sseAlgorithm: "AES256", kmsMasterKeyId: "k" }).length, 1);
    });

    it("records the region the rule goes to: the resource's own, else the stack's, and none for failed or regionless inputs", () => {
        const regionOf = (news: Record<string, unknown>, stackRegion?: string) =>
            (withTargetRegion(validateInputs(news), stackRegion).inputs as { region?: string }).region;
        assert.strictEqual(regionOf({ bucket: "acme", sseAlgorithm: "AES256" }, "cn-hangzhou"), "cn-hangzhou");
        assert.strictEqual(regionOf({ bucket: "acme", sseAlgorithm: "AES256", region: "cn-shanghai" }, "cn-hangzhou"), "cn-shanghai");
        assert.strictEqual(regionOf({ bucket: "acme", sseAlgorithm: "AES256", region: UNKNOWN }, "cn-hangzhou"), UNKNOWN);
        assert.strictEqual(regionOf({ bucket: "acme", sseAlgorithm: "AES256" }), undefined);
        assert.strictEqual(regionOf({ bucket: "acme", sseAlgorithm: "DES" }, "cn-hangzhou"), undefined);
    });

    it("names the bucket a valid, known declaration claims, and none otherwise", () => {
        assert.strictEqual(declaredBucket(validateInputs({ bucket: " acme ", sseAlgorithm: "AES256" })), "acme");
        assert.strictEqual(declaredBucket(validateInputs({ bucket: UNKNOWN, sseAlgorithm: "AES256" })), undefined);
        assert.strictEqual(declaredBucket(validateInputs({ bucket: "acme", sseAlgorithm: "DES" })), undefined);
    });

    it("keeps the serialised provider through check", () => {
        const result = validateInputs({ bucket: "acme", sseAlgorithm: "AES256", __provider: "exports.handler = ..." });
        assert.deepStrictEqual(result.failures, []);
    });
});
