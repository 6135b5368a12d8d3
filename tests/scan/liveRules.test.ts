// The pack's rules applied to live rules (policy/liveRules.ts, the scan's verdicts): the pack config
// file read as the pack reads it, failing closed; and, for any rule and any config, the same
// violations per policy as the pack's own policies give a BucketEncryption declaring that rule.
import * as assert from "assert/strict";
import fc from "fast-check";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { allowedAlgorithms, allowedKmsKeys, kmsRequired, POLICY_NAMES, sm4Required } from "../../policy";
import { DEFAULT_LIVE_RULE_POLICIES, failsPack, judgeLiveRule, LiveRule, readPackConfig } from "../../policy/liveRules";

/** Runs one of the pack's policies on a plugin BucketEncryption declaring `rule`, with `config` as getConfig gives it. */
async function packViolations(policy: ResourceValidationPolicy, bucket: string, rule: LiveRule, config: object): Promise<string[]> {
    const violations: string[] = [];
    const args = {
        type: "oss-encryption:index:BucketEncryption",
        name: bucket,
        urn: `urn:pulumi:dev::adopt::oss-encryption:index:BucketEncryption::${bucket}`,
        props: { bucket, ...rule },
        opts: {},
        stackTags: new Map(),
        getConfig: () => config,
        notApplicable: () => assert.fail("notApplicable"),
    } as unknown as ResourceValidationArgs;
    for (const validate of [policy.validateResource!].flat()) {
        await validate(args, message => violations.push(message));
    }
    return violations;
}

const RULE_POLICIES: Array<[string, ResourceValidationPolicy]> = [
    [POLICY_NAMES.allowedAlgorithms, allowedAlgorithms],
    [POLICY_NAMES.kmsRequired, kmsRequired],
    [POLICY_NAMES.allowedKmsKeys, allowedKmsKeys],
    [POLICY_NAMES.sm4Required, sm4Required],
];

describe("scan: the pack's rules on live rules", () => {
    describe("the pack config file", () => {
        it("takes levels, `all`, and each policy's settings", () => {
            const policies = readPackConfig({
                all: "advisory",
                [POLICY_NAMES.allowedKmsKeys]: { enforcementLevel: "mandatory", allowedKeys: ["key-a"] },
                [POLICY_NAMES.sm4Required]: "disabled",
            });
            assert.equal(policies.levels[POLICY_NAMES.allowedKmsKeys], "mandatory");
            assert.equal(policies.levels[POLICY_NAMES.allowedAlgorithms], "advisory");
            assert.equal(policies.levels[POLICY_NAMES.sm4Required], "disabled");
            assert.deepEqual(policies.configs[POLICY_NAMES.allowedKmsKeys], { allowedKeys: ["key-a"], allowDefaultKey: false });
        });

        const refused: Array<[string, unknown, RegExp]> = [
            ["a misspelt setting", { [POLICY_NAMES.allowedKmsKeys]: { allowedKey: ["k"] } }, /oss-encryption-allowed-kms-keys has no setting "allowedKey" \(did you mean "allowedKeys"\?\)/],
            ["a misspelt setting of a policy the scan does not apply", { [POLICY_NAMES.noUnencryptingDelete]: { allowedOnDelte: [] } }, /has no setting "allowedOnDelte"/],
            ["a misspelt policy name, even with a level (the engine ignores that one)", { "oss-encryption-allowed-algorithm": "mandatory" }, /names no policy "oss-encryption-allowed-algorithm" \(did you mean "oss-encryption-allowed-algorithms"\?\)/],
            ["a level that is none", { [POLICY_NAMES.kmsRequired]: "strict" }, /enforcementLevel "strict" is not one of advisory, mandatory, remediate, disabled/],
            ["a value of the wrong type", { [POLICY_NAMES.allowedAlgorithms]: { allowedAlgorithms: "KMS" } }, /allowedAlgorithms must be a list of AES256, KMS, SM4/],
            ["an algorithm that is none", { [POLICY_NAMES.allowedAlgorithms]: { allowedAlgorithms: ["AES128"] } }, /allowedAlgorithms must be a list of AES256, KMS, SM4/],
            ["not an object", ["mandatory"], /must hold a JSON object keyed by policy name/],
        ];
        for (const [what, file, message] of refused) {
            it(`refuses ${what}, naming it`, () => {
                assert.throws(() => readPackConfig(file), (err: Error) => message.test(err.message));
            });
        }
    });

    describe("verdicts", () => {
        it("a bucket without a rule fails every-bucket-encrypted (mandatory by default)", () => {
            const findings = judgeLiveRule("acme-raw", undefined, DEFAULT_LIVE_RULE_POLICIES);
            assert.deepEqual(findings.map(f => [f.policy, f.level]), [[POLICY_NAMES.everyBucketEncrypted, "mandatory"]]);
            assert.match(findings[0].message, /bucket "acme-raw" has no default encryption/);
            assert.ok(failsPack(findings));
        });

        it("by default: AES256 passes with advisory findings; KMS with a CMK fails the empty allow-list", () => {
            const aes = judgeLiveRule("acme-a", { sseAlgorithm: "AES256" }, DEFAULT_LIVE_RULE_POLICIES);
            assert.deepEqual(aes.map(f => f.level), ["advisory", "advisory"]);
            assert.ok(!failsPack(aes));
            const kms = judgeLiveRule("acme-k", { sseAlgorithm: "KMS", kmsMasterKeyId: "key-a" }, DEFAULT_LIVE_RULE_POLICIES);
            assert.ok(failsPack(kms));
            assert.match(kms.find(f => f.policy === POLICY_NAMES.allowedKmsKeys)!.message, /the rule of bucket "acme-k" uses CMK "key-a", but .* has no allowedKeys configured/);
        });

        it("for any rule and any config: per policy, as many violations as the pack's own policy reports, and so the same pass or fail", async () => {
            const level = fc.constantFrom("advisory", "mandatory", "disabled");
            const keys = ["key-a", "key-b", "alias/platform"];
            const rule = fc.oneof(
                fc.record({ sseAlgorithm: fc.constantFrom("AES256", "SM4", "aes256") }),
                fc.record({ sseAlgorithm: fc.constantFrom("KMS", "kms"), kmsMasterKeyId: fc.option(fc.constantFrom(...keys), { nil: undefined }), kmsDataEncryption: fc.option(fc.constantFrom("SM4", "sm4"), { nil: undefined }) }),
            );
            const file = fc.record({
                [POLICY_NAMES.allowedAlgorithms]: fc.record({ enforcementLevel: level, allowedAlgorithms: fc.subarray(["AES256", "KMS", "SM4"]) }, { requiredKeys: ["enforcementLevel"] }),
                [POLICY_NAMES.kmsRequired]: level,
                [POLICY_NAMES.allowedKmsKeys]: fc.record({ enforcementLevel: level, allowedKeys: fc.subarray(keys), allowDefaultKey: fc.boolean() }, { requiredKeys: [] }),
                [POLICY_NAMES.sm4Required]: level,
            }, { requiredKeys: [] });
            await fc.assert(
                fc.asyncProperty(rule, file, async (live, config) => {
                    const cleaned = Object.fromEntries(Object.entries(live).filter(([, v]) => v !== undefined)) as unknown as LiveRule;
                    const policies = readPackConfig(config);
                    const findings = judgeLiveRule("acme-x", cleaned, policies);
                    let packFails = false;
                    for (const [name, policy] of RULE_POLICIES) {
                        const entry = (config as Record<string, unknown>)[name];
                        const { enforcementLevel: _level, ...settings } = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
                        const fromPack = policies.levels[name] === "disabled" ? [] : await packViolations(policy, "acme-x", cleaned, settings);
                        assert.equal(findings.filter(f => f.policy === name).length, fromPack.length, `${name} on ${JSON.stringify(cleaned)} with ${JSON.stringify(config)}`);
                        packFails ||= fromPack.length > 0 && policies.levels[name] === "mandatory";
                    }
                    assert.equal(failsPack(findings), packFails);
                }),
                { numRuns: 300 },
            );
        });
    });
});
