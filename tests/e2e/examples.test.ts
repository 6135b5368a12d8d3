// examples/import-existing through the Automation API, where the emulator's request log shows what
// the standalone run (tests/standalone/) cannot: adopting the rule writes nothing. Every example's
// README lifecycle runs in tests/standalone/examples.test.ts.
import * as assert from "assert";
import * as automation from "@pulumi/pulumi/automation";
import { Emulator, EncryptionRule, startEmulator } from "../../emulator";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, exampleProgram, exampleProjectName, newStack } from "../../harness/stacks";
import { assertNoSecretsLeft, providerSizes, secretsOf, RunLog } from "../support/inspect";
import { changesBesidesSame } from "../../harness/changes";

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
    {
        name: "import-existing",
        config: { bucket: "example-imported", sseAlgorithm: "SM4" },
        existing: { "example-imported": { SSEAlgorithm: "SM4" } },
        expect: { "example-imported": { SSEAlgorithm: "SM4" } },
    },
];

describe("examples/import-existing through the Automation API", function () {
    this.timeout(180_000);
    let emulator: Emulator;

    before(beforeAllNeedingPulumiCli);
    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedKey({ keyId: KEY, region: "cn-hangzhou", keyState: "Enabled" });
    });
    afterEach(async () => emulator.stop());

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
