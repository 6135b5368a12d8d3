import * as assert from "assert";
import { diffBucketEncryption, UNKNOWN } from "../../provider/bucketEncryption";
import { readSettings } from "../../provider/settings";

const settings = readSettings({ get: key => (key === "alicloud:region" ? "cn-hangzhou" : undefined) }, {});
const applied = { bucket: "acme", sseAlgorithm: "AES256", region: "cn-hangzhou" };

describe("diff", () => {
    const table: Array<[string, Record<string, unknown>, Record<string, unknown>, { changes: boolean; replaces: string[] }]> = [
        ["identical inputs", applied, { bucket: "acme", sseAlgorithm: "AES256" }, { changes: false, replaces: [] }],
        ["empty vs absent key ID", { ...applied, sseAlgorithm: "KMS" }, { bucket: "acme", sseAlgorithm: "KMS", kmsMasterKeyId: "" }, { changes: false, replaces: [] }],
        ["case of the algorithm", applied, { bucket: "acme", sseAlgorithm: "aes256" }, { changes: false, replaces: [] }],
        ["region given equal to the stack's", applied, { bucket: "acme", sseAlgorithm: "AES256", region: "cn-hangzhou" }, { changes: false, replaces: [] }],
        ["algorithm change", applied, { bucket: "acme", sseAlgorithm: "KMS" }, { changes: true, replaces: [] }],
        ["key change", { ...applied, sseAlgorithm: "KMS", kmsMasterKeyId: "a" }, { bucket: "acme", sseAlgorithm: "KMS", kmsMasterKeyId: "b" }, { changes: true, replaces: [] }],
        ["data encryption added", { ...applied, sseAlgorithm: "KMS" }, { bucket: "acme", sseAlgorithm: "KMS", kmsDataEncryption: "SM4" }, { changes: true, replaces: [] }],
        ["region change (same global bucket)", applied, { bucket: "acme", sseAlgorithm: "AES256", region: "cn-shanghai" }, { changes: true, replaces: [] }],
        ["endpoint change", applied, { bucket: "acme", sseAlgorithm: "AES256", endpoint: "oss-cn-hangzhou-internal.aliyuncs.com" }, { changes: true, replaces: [] }],
        ["bucket change", applied, { bucket: "acme-2", sseAlgorithm: "AES256" }, { changes: true, replaces: ["bucket"] }],
        ["bucket unknown at preview", applied, { bucket: UNKNOWN, sseAlgorithm: "AES256" }, { changes: true, replaces: ["bucket"] }],
        ["algorithm unknown at preview", applied, { bucket: "acme", sseAlgorithm: UNKNOWN }, { changes: true, replaces: [] }],
    ];
    for (const [name, olds, news, expected] of table) {
        it(name, () => {
            const result = diffBucketEncryption(olds, news, settings);
            assert.deepStrictEqual({ changes: result.changes, replaces: result.replaces }, expected);
            assert.strictEqual(result.deleteBeforeReplace, false);
        });
    }

    it("follows a change of the stack's region as an update", () => {
        const moved = readSettings({ get: key => (key === "alicloud:region" ? "cn-beijing" : undefined) }, {});
        assert.deepStrictEqual(diffBucketEncryption(applied, { bucket: "acme", sseAlgorithm: "AES256" }, moved).replaces, []);
        assert.strictEqual(diffBucketEncryption(applied, { bucket: "acme", sseAlgorithm: "AES256" }, moved).changes, true);
    });
});
