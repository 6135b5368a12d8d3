// The guardrails with the real CLI, as a pipeline runs them: the policy pack and the drift check
// run the exact commands of examples/pipelines/ (read from those files), on a project outside the
// repo with the package installed from its tarball, against the emulator; then key health on
// refresh with its KMS call counts, and onDelete. The state, outputs and files hold no secret.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { REPO } from "../../harness/pulumi";
import { Emulator, startEmulator } from "../../emulator";
import { POLICY_NAMES } from "../../policy";
import { fencedBlockAfter } from "../support/standalone";
import { CommandResult, DeclaredRule, GuardrailsProject, pipelineCommands } from "./guardrails-project";

const PIPELINES = path.join(REPO, "examples", "pipelines");
const ACCOUNT = "1234567890123456";

/** Prints what a command printed, indented, when GUARDRAILS_VERBOSE is set (for the report). */
function show(title: string, result: CommandResult): void {
    if (process.env.GUARDRAILS_VERBOSE) {
        console.log(`\n----- ${title}: \`${result.command}\` exited ${result.code}\n${result.output.trim().replace(/^/gm, "    ")}`);
    }
}

describe("guardrails with the real CLI", function () {
    this.timeout(10 * 60_000);
    let emulator: Emulator;
    let project: GuardrailsProject;
    let policyCommand: string;
    let driftCommand: string;

    before(beforeAllNeedingPulumiCli);
    before(function () {
        const github = pipelineCommands(path.join(PIPELINES, "github-actions.yml"));
        const gitlab = pipelineCommands(path.join(PIPELINES, "gitlab-ci.yml"));
        assert.deepEqual(github, gitlab, "both pipelines run the same pulumi commands");
        assert.equal(github.length, 2, github.join("\n"));
        policyCommand = github.find(c => c.includes("--policy-pack"))!;
        driftCommand = github.find(c => c.includes("--expect-no-changes"))!;
        assert.ok(policyCommand && driftCommand);
    });
    before(async function () {
        this.timeout(15 * 60_000);
        emulator = await startEmulator();
        for (const bucket of ["acme-a", "acme-b", "acme-c", "acme-d", "acme-e"]) {
            emulator.seedBucket(bucket);
        }
        for (const keyId of ["key-ours", "key-other", "key-health"]) {
            emulator.seedKey({ keyId, region: "cn-hangzhou", keyState: "Enabled", accountId: ACCOUNT });
        }
        project = await GuardrailsProject.create(emulator);
    });
    after(async () => {
        project?.remove();
        await emulator?.stop();
    });

    const describeKeyCalls = () => emulator.requestLog.filter(r => r.action === "DescribeKey").length;
    const ossWrites = () => emulator.requestLog.filter(r => r.action === "PutBucketEncryption" || r.action === "DeleteBucketEncryption");

    /** Pack config with `policy` mandatory (with `settings`) and every other policy disabled. */
    function onlyPolicy(policy: string, settings: object = {}): string {
        const config: Record<string, unknown> = {};
        for (const name of Object.values(POLICY_NAMES)) {
            config[name] = name === policy ? { enforcementLevel: "mandatory", ...settings } : "disabled";
        }
        return JSON.stringify(config, null, 2);
    }

    /** How the CLI lists a violation of `policy` by our BucketEncryption `culprit`. */
    const violation = (level: string, policy: string, culprit: string) =>
        new RegExp(`\\[${level}\\]\\s+${policy}\\s+\\(pulumi-nodejs:dynamic/oss:BucketEncryption: ${culprit}\\)`);

    describe("the policy pack (the pipelines' policy command)", async () => {
        const kms = (name: string, extra: Partial<DeclaredRule> = {}): DeclaredRule => ({ name, bucket: "acme-a", sseAlgorithm: "KMS", kmsMasterKeyId: "key-ours", ...extra });
        const cases: Array<{ policy: string; settings?: object; violating: DeclaredRule[]; complying: DeclaredRule[]; culprit: string }> = [
            {
                policy: POLICY_NAMES.allowedAlgorithms,
                settings: { allowedAlgorithms: ["KMS"] },
                violating: [{ name: "algo", bucket: "acme-a", sseAlgorithm: "AES256" }],
                complying: [kms("algo")],
                culprit: "algo",
            },
            {
                policy: POLICY_NAMES.kmsRequired,
                violating: [{ name: "kms", bucket: "acme-a", sseAlgorithm: "SM4" }],
                complying: [kms("kms")],
                culprit: "kms",
            },
            {
                policy: POLICY_NAMES.allowedKmsKeys,
                settings: { allowedKeys: ["key-ours"] },
                violating: [kms("cmk", { kmsMasterKeyId: "key-other" })],
                complying: [kms("cmk", { kmsMasterKeyId: `acs:kms:cn-hangzhou:${ACCOUNT}:key/key-ours` })],
                culprit: "cmk",
            },
            {
                policy: POLICY_NAMES.sm4Required,
                violating: [kms("sm4")],
                complying: [kms("sm4", { kmsDataEncryption: "SM4" })],
                culprit: "sm4",
            },
            {
                policy: POLICY_NAMES.oneOwnerPerBucket,
                violating: [kms("first"), { name: "second", bucket: "acme-a", sseAlgorithm: "AES256" }],
                complying: [kms("first"), { name: "second", bucket: "acme-b", sseAlgorithm: "AES256" }],
                culprit: "second",
            },
            {
                policy: POLICY_NAMES.noUnencryptingDelete,
                violating: [kms("removal")],
                complying: [kms("removal", { onDelete: "FallbackToAES256" })],
                culprit: "removal",
            },
        ];
        for (const { policy, settings, violating, complying, culprit } of cases) {
            it(`${policy}: a violating stack fails the preview, naming the policy and the resource; a complying one passes`, async () => {
                project.write("policy-config.json", onlyPolicy(policy, settings));
                project.declare(violating);
                const failed = await project.run(policyCommand);
                show(`${policy} violated`, failed);
                assert.notEqual(failed.code, 0);
                assert.match(failed.output, violation("mandatory", policy, culprit));
                if (policy === POLICY_NAMES.oneOwnerPerBucket) {
                    for (const name of ["first", "second"]) {
                        assert.ok(failed.output.includes(`urn:pulumi:ci::guardrails::pulumi-nodejs:dynamic/oss:BucketEncryption::${name}`), `the URN of ${name}`);
                    }
                }
                project.declare(complying);
                const passed = await project.run(policyCommand);
                show(`${policy} complied`, passed);
                assert.equal(passed.code, 0, passed.output);
                assert.ok(!passed.output.includes(`${policy} `), passed.output);
            });
        }

        it("every policy mandatory at once: values unknown at preview raise no violation and no 'can't run policy'", async () => {
            project.write(
                "policy-config.json",
                JSON.stringify({
                    ...Object.fromEntries(Object.values(POLICY_NAMES).map(name => [name, "mandatory"])),
                    [POLICY_NAMES.allowedAlgorithms]: { enforcementLevel: "mandatory", allowedAlgorithms: ["KMS"] },
                    [POLICY_NAMES.allowedKmsKeys]: { enforcementLevel: "mandatory", allowedKeys: ["key-ours"] },
                }),
            );
            const good = { sseAlgorithm: "KMS", kmsMasterKeyId: "key-ours", kmsDataEncryption: "SM4", onDelete: "KeepRule" };
            project.declare([
                { name: "known", bucket: "acme-a", ...good },
                { name: "later", bucket: "acme-b", bucketFrom: "known", ...good },
            ]);
            const result = await project.run(policyCommand);
            show("all policies, unknown bucket", result);
            assert.equal(result.code, 0, result.output);
            assert.ok(!/can't run policy|\[mandatory\]|\[advisory\]/.test(result.output), result.output);
        });

        it("a pack of one's own with levels and settings in code (docs/guardrails.md): its args apply, and the pack config sets them on top", async () => {
            const docs = path.join(REPO, "docs", "guardrails.md");
            const heading = "### Levels and settings in code";
            const command = fencedBlockAfter(docs, heading, "sh").trim();
            assert.match(command, /^pulumi preview --policy-pack platform-pack$/);
            const pack = path.join(project.dir, "platform-pack");
            const shipped = path.join(project.dir, "node_modules", "pulumi-oss-encryption", "policy", "pack");
            fs.mkdirSync(pack, { recursive: true });
            for (const file of ["PulumiPolicy.yaml", "package.json"]) {
                fs.copyFileSync(path.join(shipped, file), path.join(pack, file));
            }
            fs.writeFileSync(path.join(pack, "index.js"), fencedBlockAfter(docs, heading, "js"));

            project.declare([kms("platform")]);
            const failed = await project.run(command);
            show("a pack of one's own, violated", failed);
            assert.notEqual(failed.code, 0);
            assert.match(failed.output, /platform@v0\.1\.0 \(local: platform-pack\)/);
            // allowedKeys from the args; no-unencrypting-delete mandatory by `all`; sm4-required disabled.
            assert.match(failed.output, violation("mandatory", POLICY_NAMES.allowedKmsKeys, "platform"));
            assert.match(failed.output, /uses CMK "key-ours", which is not allowed; use one of: alias\/platform-oss /);
            assert.match(failed.output, violation("mandatory", POLICY_NAMES.noUnencryptingDelete, "platform"));
            assert.ok(!failed.output.includes(POLICY_NAMES.sm4Required) && !failed.output.includes("[advisory]"), failed.output);

            project.write("platform-config.json", JSON.stringify({ [POLICY_NAMES.allowedKmsKeys]: { allowedKeys: ["key-ours"] } }));
            project.declare([kms("platform", { onDelete: "KeepRule" })]);
            const passed = await project.run(`${command} --policy-pack-config platform-config.json`);
            show("a pack of one's own, complied", passed);
            assert.equal(passed.code, 0, passed.output);
            assert.ok(!/\[mandatory\]|\[advisory\]/.test(passed.output), passed.output);
        });
    });

    describe("the drift check (the pipelines' drift command)", async () => {
        const declared = { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-ours" };
        const drifted = { SSEAlgorithm: "AES256" };

        before(async () => {
            project.declare([{ name: "logs", bucket: "acme-a", sseAlgorithm: "KMS", kmsMasterKeyId: "key-ours" }]);
            await project.runArgs(["up", "--yes", "--stack", project.stack], { check: true });
        });
        // Each test starts with the live rule as declared, whichever tests ran before it.
        beforeEach(() => emulator.setRule("acme-a", declared));

        it("exits 0 when the live rule is the declared one", async () => {
            const result = await project.run(driftCommand);
            show("drift check, no drift", result);
            assert.equal(result.code, 0, result.output);
        });

        it("exits non-zero and names the drifted property when the rule was changed outside the stack", async () => {
            emulator.setRule("acme-a", drifted);
            const result = await project.run(driftCommand);
            show("drift check, drifted", result);
            assert.notEqual(result.code, 0);
            assert.match(result.output, /sseAlgorithm\s*:\s*"AES256"\s*=>\s*"KMS"/);
            assert.match(result.output, /error: no changes were expected for preview but changes were proposed/);
        });

        it("`pulumi up --refresh` puts the declared rule back, and the check passes again", async () => {
            emulator.setRule("acme-a", drifted);
            await project.runArgs(["up", "--refresh", "--yes", "--stack", project.stack], { check: true });
            assert.deepEqual(emulator.getRule("acme-a"), declared);
            assert.equal((await project.run(driftCommand)).code, 0);
        });
    });

    describe("key health", async () => {
        const health = (bucket: string): DeclaredRule => ({ name: `health-${bucket}`, bucket, sseAlgorithm: "KMS", kmsMasterKeyId: "key-health", onDelete: "KeepRule" });

        before(async () => {
            project.declare([health("acme-c"), health("acme-d")]);
            emulator.clearLog();
            await project.runArgs(["up", "--yes", "--stack", project.stack], { check: true });
            // `up` is two runs, its preview and its update: one DescribeKey each for the two buckets' one key.
            assert.equal(describeKeyCalls(), 2);
        });
        // Each test starts with the key Disabled, both live rules on it and an empty request log,
        // whichever tests ran before it.
        beforeEach(() => {
            emulator.seedKey({ keyId: "key-health", region: "cn-hangzhou", keyState: "Disabled", accountId: ACCOUNT });
            for (const bucket of ["acme-c", "acme-d"]) {
                emulator.setRule(bucket, { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-health" });
            }
            emulator.clearLog();
        });

        it("a preview without changes makes no KMS call and says nothing", async () => {
            const result = await project.runArgs(["preview", "--stack", project.stack]);
            assert.equal(result.code, 0, result.output);
            assert.equal(describeKeyCalls(), 0);
            assert.ok(!result.output.includes("Key health"));
        });

        it("refresh warns for each bucket using the Disabled key, with one DescribeKey for both (one run: --skip-preview)", async () => {
            const result = await project.runArgs(["refresh", "--yes", "--skip-preview", "--stack", project.stack]);
            show("refresh with a Disabled key", result);
            assert.equal(result.code, 0, result.output);
            for (const bucket of ["acme-c", "acme-d"]) {
                assert.match(result.output, new RegExp(`warning: Key health: bucket "${bucket}" encrypts with KMS key "key-health" in cn-hangzhou, which is Disabled \\(DescribeKey request ID \\S+\\): uploads that rely on the bucket's default encryption fail, and objects encrypted with this key cannot be read until the key is enabled again\\.`));
            }
            assert.equal(describeKeyCalls(), 1);
        });

        it("preview --refresh warns the same way for PendingDeletion and for a key that is gone, one DescribeKey per key", async () => {
            emulator.seedKey({ keyId: "key-health", region: "cn-hangzhou", keyState: "PendingDeletion", accountId: ACCOUNT });
            emulator.setRule("acme-d", { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-gone" });
            emulator.clearLog();
            const result = await project.runArgs(["preview", "--refresh", "--stack", project.stack]);
            show("preview --refresh, PendingDeletion and gone", result);
            // After the refresh, acme-d's declared key-health is a change from the live key-gone, and the
            // check fails the preview because key-health is PendingDeletion: a change to a bad key still fails.
            assert.notEqual(result.code, 0);
            assert.match(result.output, /health-acme-d.*KeyPendingDeletion/);
            assert.match(result.output, /Key health: bucket "acme-c" encrypts with KMS key "key-health" in cn-hangzhou, which is PendingDeletion .*never be decrypted again/);
            assert.match(result.output, /Key health: bucket "acme-d" encrypts with KMS key "key-gone" in cn-hangzhou, which is gone \(KMS does not know it in this region\)/);
            assert.deepEqual(emulator.requestLog.filter(r => r.action === "DescribeKey").map(r => r.keyId).sort(), ["key-gone", "key-health"]);
        });

        after(async () => {
            emulator.seedKey({ keyId: "key-health", region: "cn-hangzhou", keyState: "Enabled", accountId: ACCOUNT });
            emulator.setRule("acme-d", { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-health" });
            project.declare([]);
            await project.runArgs(["up", "--yes", "--stack", project.stack], { check: true });
        });
    });

    describe("onDelete", async () => {
        it("changing onDelete alone is an update that writes nothing to OSS; a rule change notes existing objects; destroy honours each choice", async () => {
            const rules: DeclaredRule[] = [
                { name: "keep", bucket: "acme-c", sseAlgorithm: "AES256" },
                { name: "fallback", bucket: "acme-d", sseAlgorithm: "KMS", kmsMasterKeyId: "key-ours", onDelete: "FallbackToAES256" },
                { name: "remove", bucket: "acme-e", sseAlgorithm: "SM4", onDelete: "RemoveRule" },
            ];
            project.declare(rules);
            await project.runArgs(["up", "--yes", "--stack", project.stack], { check: true });

            project.declare([{ ...rules[0], onDelete: "KeepRule" }, rules[1], rules[2]]);
            emulator.clearLog();
            const onDeleteOnly = await project.runArgs(["up", "--yes", "--stack", project.stack], { check: true });
            show("up changing only onDelete", onDeleteOnly);
            assert.match(onDeleteOnly.output, /~ +pulumi-nodejs:dynamic\/oss:BucketEncryption +keep +updated/);
            assert.deepEqual(ossWrites(), []);
            assert.equal((await project.runArgs(["preview", "--expect-no-changes", "--stack", project.stack])).code, 0);

            project.declare([{ ...rules[0], onDelete: "KeepRule", sseAlgorithm: "SM4" }, rules[1], rules[2]]);
            const ruleChange = await project.runArgs(["up", "--yes", "--stack", project.stack], { check: true });
            show("up changing the rule", ruleChange);
            assert.match(ruleChange.output, /bucket "acme-c" now encrypts new uploads with SSE-OSS \(SM4\)\. Objects already in the bucket are not re-encrypted/);

            const destroyed = await project.runArgs(["destroy", "--yes", "--stack", project.stack], { check: true });
            show("destroy", destroyed);
            assert.deepEqual(emulator.getRule("acme-c"), { SSEAlgorithm: "SM4" }, "KeepRule: the rule stays");
            assert.deepEqual(emulator.getRule("acme-d"), { SSEAlgorithm: "AES256" }, "FallbackToAES256: AES256 in its place");
            assert.equal(emulator.getRule("acme-e"), undefined, "RemoveRule: no rule");
        });
    });

    // In a describe of its own: mocha runs a describe's own tests before its nested describes, so in
    // a whole run this also covers everything the tests above printed and left. Alone (--grep), it
    // runs a lifecycle of its own first.
    describe("afterwards", () => {
        it("no secret reaches the output, the state or any file the runs left", async () => {
            project.declare([{ name: "leak-check", bucket: "acme-b", sseAlgorithm: "KMS", kmsMasterKeyId: "key-ours" }]);
            for (const step of [["up", "--yes"], ["preview"], ["refresh", "--yes"], ["destroy", "--yes"]]) {
                await project.runArgs([...step, "--stack", project.stack], { check: true });
            }
            const everything = project.everything();
            assert.ok(everything.includes("guardrails-ci"), "the runs' output is there to check");
            assert.ok(!everything.includes(emulator.defaultCredential.accessKeySecret), "the AccessKey secret leaked");
        });
    });
});
