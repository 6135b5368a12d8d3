// Every program in examples/ runs with the real CLI against the emulator: up, a clean preview, destroy.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as automation from "@pulumi/pulumi/automation";
import { Emulator, EncryptionRule, startEmulator } from "../emulator";
import { beforeAllNeedingPulumiCli, emulatorConfig, exampleProgram, exampleProjectName, newStack, REPO } from "./harness";
import { assertNoSecretsLeft, changesBesidesSame, providerSizes, secretsOf, RunLog } from "./inspect";

interface ExampleCase {
    name: string;
    config: Record<string, string>;
    /** Buckets the example must leave with these rules after `up`. */
    expect: Record<string, EncryptionRule>;
    /** Rules present before the run (for the import example). */
    existing?: Record<string, EncryptionRule>;
}

const KEY = "0b4f6a1c-0000-4e5a-9c3b-5e2d7f8a9b10";

const cases: ExampleCase[] = [
    { name: "basic", config: { bucket: "example-basic" }, expect: { "example-basic": { SSEAlgorithm: "AES256" } } },
    {
        name: "kms-cmk",
        config: { bucket: "example-kms", kmsMasterKeyId: KEY },
        expect: { "example-kms": { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY } },
    },
    {
        name: "sm4",
        config: { ossManagedBucket: "example-sm4-oss", kmsManagedBucket: "example-sm4-kms" },
        expect: { "example-sm4-oss": { SSEAlgorithm: "SM4" }, "example-sm4-kms": { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" } },
    },
    {
        name: "import-existing",
        config: { bucket: "example-imported", sseAlgorithm: "SM4" },
        existing: { "example-imported": { SSEAlgorithm: "SM4" } },
        expect: { "example-imported": { SSEAlgorithm: "SM4" } },
    },
    {
        name: "many-buckets",
        config: { buckets: JSON.stringify(["example-a", "example-b", "example-c"]) },
        expect: { "example-a": { SSEAlgorithm: "AES256" }, "example-b": { SSEAlgorithm: "AES256" }, "example-c": { SSEAlgorithm: "AES256" } },
    },
];

describe("examples/ with the real CLI", function () {
    this.timeout(180_000);
    let emulator: Emulator;

    before(beforeAllNeedingPulumiCli);
    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedKey({ keyId: KEY, region: "cn-hangzhou", keyState: "Enabled" });
    });
    afterEach(async () => emulator.stop());

    it("covers every example directory", () => {
        // The TypeScript examples; examples/yaml and examples/python (the provider plugin) run in tests/plugin.
        const manifest = (d: string) => path.join(REPO, "examples", d, "Pulumi.yaml");
        const dirs = fs
            .readdirSync(path.join(REPO, "examples"))
            .filter(d => fs.existsSync(manifest(d)) && /^runtime:\s*nodejs\s*$/m.test(fs.readFileSync(manifest(d), "utf8")));
        assert.deepStrictEqual(dirs.sort(), cases.map(c => c.name).sort());
    });

    for (const example of cases) {
        it(`${example.name}: up applies its rules, preview is clean, destroy removes them`, async () => {
            for (const bucket of Object.keys(example.expect)) {
                emulator.seedBucket(bucket, { rule: example.existing?.[bucket] });
            }
            const project = exampleProjectName(example.name);
            const config: automation.ConfigMap = { ...emulatorConfig(emulator) };
            for (const [key, value] of Object.entries(example.config)) {
                config[`${project}:${key}`] = { value };
            }
            const log = new RunLog();
            const test = await newStack({ name: project, program: exampleProgram(example.name), config });
            try {
                await test.stack.up(log.options());
                if (example.existing) {
                    const writes = emulator.requestLog.filter(r => r.action === "PutBucketEncryption" || r.action === "DeleteBucketEncryption");
                    assert.deepStrictEqual(writes, [], "an import writes nothing");
                }
                for (const [bucket, rule] of Object.entries(example.expect)) {
                    assert.deepStrictEqual(emulator.getRule(bucket), rule, bucket);
                }
                const sizes = providerSizes(JSON.parse(test.exportedState()));
                assert.strictEqual(sizes.length, Object.keys(example.expect).length, "one __provider per BucketEncryption");
                for (const [urn, bytes] of sizes) {
                    assert.ok(bytes < 4096, `${urn}: __provider is ${bytes} bytes`);
                }
                const preview = await test.stack.preview(log.options());
                assert.deepStrictEqual(changesBesidesSame(preview.changeSummary), []);
                await test.stack.destroy(log.options());
                for (const bucket of Object.keys(example.expect)) {
                    assert.strictEqual(emulator.getRule(bucket), undefined, bucket);
                }
                assertNoSecretsLeft(secretsOf(emulator), {
                    "pulumi stack export": test.exportedState(),
                    "the CLI output": log.text(),
                    "the stack's files": test.leftovers(),
                });
            } finally {
                await test.remove();
            }
        });
    }
});
