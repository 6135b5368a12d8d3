// The pack config (`--policy-pack-config`) with the real CLI, as a careless or hostile user writes
// it: a misspelt setting of any policy, a misspelt enforcementLevel, a required allow-list left out,
// a misspelt policy name. Each stack here passes under the policy's defaults, so a preview that
// ignored the mistake would exit 0 with no word, the guardrail looking enforced and not being it.
import * as assert from "assert/strict";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { Emulator, startEmulator } from "../../emulator";
import { POLICY_NAMES } from "../../policy";
import { CommandResult, DeclaredRule, GuardrailsProject } from "./guardrails-project";

const ACCOUNT = "1234567890123456";
/** The pipelines' policy command (examples/pipelines/, which tests/e2e/guardrails.test.ts reads). */
const POLICY_COMMAND = 'pulumi preview --stack "$PULUMI_STACK" --policy-pack node_modules/pulumi-oss-encryption/policy/pack --policy-pack-config policy-config.json';

/** Prints what a command printed when GUARDRAILS_VERBOSE is set (for the report). */
function show(title: string, result: CommandResult): void {
    if (process.env.GUARDRAILS_VERBOSE) {
        console.log(`\n----- ${title}: exited ${result.code} in ${result.seconds.toFixed(1)} s\n${result.output.trim().replace(/^/gm, "    ")}`);
    }
}

/** Pack config with every policy disabled but those `given` (by policy name). */
function packConfig(given: Record<string, unknown>): string {
    const config: Record<string, unknown> = Object.fromEntries(Object.values(POLICY_NAMES).map(name => [name, "disabled"]));
    return JSON.stringify({ ...config, ...given }, null, 2);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("policy pack config with the real CLI: a mistake in it cannot switch a guardrail off", function () {
    this.timeout(10 * 60_000);
    let emulator: Emulator;
    let project: GuardrailsProject;

    before(beforeAllNeedingPulumiCli);
    before(async function () {
        this.timeout(15 * 60_000);
        emulator = await startEmulator();
        emulator.seedBucket("acme-a");
        for (const keyId of ["key-ours", "key-other"]) {
            emulator.seedKey({ keyId, region: "cn-hangzhou", keyState: "Enabled", accountId: ACCOUNT });
        }
        project = await GuardrailsProject.create(emulator);
    });
    after(async () => {
        project?.remove();
        await emulator?.stop();
    });

    async function preview(title: string, config: string, rules: DeclaredRule[]): Promise<CommandResult> {
        project.write("policy-config.json", config);
        project.declare(rules);
        const result = await project.run(POLICY_COMMAND);
        show(title, result);
        return result;
    }

    const rule = (extra: Partial<DeclaredRule>): DeclaredRule => ({ name: "logs", bucket: "acme-a", sseAlgorithm: "KMS", kmsMasterKeyId: "key-other", ...extra });

    const misspelt: Array<{ policy: string; key: string; nearest: string; valid: string[]; value: unknown; stack: DeclaredRule[] }> = [
        {
            policy: POLICY_NAMES.allowedAlgorithms,
            key: "allowedAlgorithm",
            nearest: "allowedAlgorithms",
            valid: ["enforcementLevel", "allowedAlgorithms"],
            value: ["KMS"],
            stack: [rule({ sseAlgorithm: "AES256", kmsMasterKeyId: undefined })],
        },
        {
            policy: POLICY_NAMES.allowedKmsKeys,
            key: "allowedKey",
            nearest: "allowedKeys",
            valid: ["enforcementLevel", "allowedKeys", "allowDefaultKey"],
            value: ["key-ours"],
            stack: [rule({})],
        },
        {
            policy: POLICY_NAMES.noUnencryptingDelete,
            key: "allowedOnDelte",
            nearest: "allowedOnDelete",
            valid: ["enforcementLevel", "allowedOnDelete"],
            value: ["KeepRule"],
            stack: [rule({ onDelete: "FallbackToAES256" })],
        },
    ];
    for (const { policy, key, nearest, valid, value, stack } of misspelt) {
        it(`${policy}: a misspelt setting ("${key}") fails the preview, naming the policy, the key, the nearest valid key and the valid ones`, async () => {
            const result = await preview(`${policy} with "${key}"`, packConfig({ [policy]: { enforcementLevel: "mandatory", [key]: value } }), stack);
            assert.notEqual(result.code, 0, result.output);
            assert.match(result.output, new RegExp(`${escape(policy)} has no setting "${key}" \\(did you mean "${nearest}"\\?\\); it takes ${valid.join(", ")}\\.`));
            assert.match(result.output, /--policy-pack-config/);
            // The message, not a stack trace of the pack's code.
            assert.ok(!/\n\s+at .*\.js:\d+/.test(result.output), result.output);
        });
    }

    it("a setting of the policy with the key spelt right is enforced (the stacks above do violate it)", async () => {
        const { policy, nearest, value, stack } = misspelt[1];
        const result = await preview("allowed-kms-keys spelt right", packConfig({ [policy]: { enforcementLevel: "mandatory", [nearest]: value } }), stack);
        assert.notEqual(result.code, 0, result.output);
        assert.match(result.output, /\[mandatory\]\s+oss-encryption-allowed-kms-keys/);
        assert.match(result.output, /uses CMK "key-other", which is not allowed; use one of: key-ours/);
    });

    it("a policy without settings: a misspelt enforcementLevel fails the preview instead of leaving the policy at its default level", async () => {
        const result = await preview("kms-required with enforcementLevl", packConfig({ [POLICY_NAMES.kmsRequired]: { enforcementLevl: "mandatory" } }), [rule({ sseAlgorithm: "SM4", kmsMasterKeyId: undefined })]);
        assert.notEqual(result.code, 0, result.output);
        assert.match(result.output, /oss-encryption-kms-required has no setting "enforcementLevl" \(did you mean "enforcementLevel"\?\); it takes enforcementLevel\./);
    });

    it("oss-encryption-allowed-kms-keys enabled without allowedKeys: a KMS rule is a violation saying allowedKeys is not configured, not 'not applicable'", async () => {
        const result = await preview("allowed-kms-keys without allowedKeys", packConfig({ [POLICY_NAMES.allowedKmsKeys]: "mandatory" }), [rule({ kmsMasterKeyId: "key-ours" })]);
        assert.notEqual(result.code, 0, result.output);
        assert.match(result.output, /\[mandatory\]\s+oss-encryption-allowed-kms-keys\s+\(pulumi-nodejs:dynamic\/oss:BucketEncryption: logs\)/);
        assert.match(result.output, /uses CMK "key-ours", but oss-encryption-allowed-kms-keys has no allowedKeys configured, so no CMK is allowed: set allowedKeys/);
        // A stack without KMS rules has nothing for the policy to judge.
        const aes = await preview("allowed-kms-keys without allowedKeys, AES256 only", packConfig({ [POLICY_NAMES.allowedKmsKeys]: "mandatory" }), [rule({ sseAlgorithm: "AES256", kmsMasterKeyId: undefined })]);
        assert.equal(aes.code, 0, aes.output);
    });

    describe("a misspelt policy name (left to Pulumi's engine: it validates only the config of the pack's own policies, and a policy reads only its own entry)", () => {
        const withMisspeltName = (enabled: string, misspelt: string, entry: unknown) =>
            JSON.stringify({ ...JSON.parse(packConfig({ [enabled]: "mandatory" })), [misspelt]: entry }, null, 2);

        it("with settings alone: the engine refuses the config (invalid enforcement level \"\")", async () => {
            const result = await preview(
                "misspelt policy name, settings only",
                withMisspeltName(POLICY_NAMES.allowedAlgorithms, "oss-encryption-allowed-algorithm", { allowedAlgorithms: ["KMS"] }),
                [rule({ sseAlgorithm: "AES256", kmsMasterKeyId: undefined })],
            );
            assert.notEqual(result.code, 0, result.output);
            assert.match(result.output, /error: configuring policy pack "oss-encryption" at "[^"]+": invalid enforcement level ""/);
        });

        it("with a level: the engine ignores the entry; the CMK allow-list then fails as not configured, the algorithms keep their default", async () => {
            const keys = await preview(
                "misspelt policy name with a level, allowed-kms-keys",
                withMisspeltName(POLICY_NAMES.allowedKmsKeys, "oss-encryption-allowed-kms-key", { enforcementLevel: "mandatory", allowedKeys: ["key-ours"] }),
                [rule({ kmsMasterKeyId: "key-ours" })],
            );
            assert.notEqual(keys.code, 0, keys.output);
            assert.match(keys.output, /has no allowedKeys configured/);
            const algorithms = await preview(
                "misspelt policy name with a level, allowed-algorithms",
                withMisspeltName(POLICY_NAMES.allowedAlgorithms, "oss-encryption-allowed-algorithm", { enforcementLevel: "mandatory", allowedAlgorithms: ["KMS"] }),
                [rule({ sseAlgorithm: "AES256", kmsMasterKeyId: undefined })],
            );
            assert.equal(algorithms.code, 0, "the engine started rejecting unknown policy names: say so in docs/guardrails.md and here\n" + algorithms.output);
        });
    });
});
