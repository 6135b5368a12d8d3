// README.md's "Find and adopt existing buckets", as a team runs it: a Pulumi YAML project on the
// plugin whose stack manages one bucket, an account (the emulator) with buckets in every state, and
// the README's commands in order with the real CLI and the scan from the installed package: the
// verdicts and exit codes, the Markdown summary, the import file fed to `pulumi import --file`, the
// generated YAML joined to the program, and a preview with no changes; the stack then manages them.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { PASSPHRASE } from "../../harness/pulumi";
import { installedPlugin, packedTarball, scratchDir } from "../../harness/package";
import { POLICY_NAMES } from "../../policy";
import { assertNoSecretsLeft } from "../support/inspect";
import { fillPlaceholders } from "../support/standalone";
import { adoptionSteps } from "../standalone/readme";
import { cliEnv, cliWithHosts, filesLeftBehind, Session } from "../plugin/support";

/** The account: what each bucket holds, and whether the scan must pass it. */
const ACCOUNT = [
    { name: "acme-managed", region: "cn-hangzhou", rule: { SSEAlgorithm: "AES256" }, managed: true },
    { name: "acme-raw", region: "cn-hangzhou", pass: false },
    { name: "acme-aes", region: "cn-shanghai", rule: { SSEAlgorithm: "AES256" }, pass: true },
    { name: "acme-sm4", region: "cn-beijing", rule: { SSEAlgorithm: "SM4" }, pass: true },
    { name: "acme-kms-ok", region: "cn-hangzhou", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-ok" }, pass: true },
    { name: "acme-kms-other", region: "cn-hangzhou", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-other" }, pass: false },
    { name: "acme-kms-off", region: "cn-shanghai", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-off", KMSDataEncryption: "SM4" }, pass: false },
];
/** The buckets with a rule that no stack manages: what the import adopts. */
const ADOPTED = ACCOUNT.filter(b => b.rule && !b.managed).map(b => b.name);

describe("README: find and adopt existing buckets (scan, pulumi import --file, real CLI, Pulumi YAML)", function () {
    this.timeout(15 * 60_000);
    let bin: string;
    let emulator: Emulator;
    let scratch: string;

    before(function () {
        this.timeout(30 * 60_000);
        bin = cliWithHosts(this, ["yaml", "nodejs"]);
    });
    beforeEach(async () => {
        emulator = await startEmulator();
        for (const b of ACCOUNT) {
            emulator.seedBucket(b.name, { region: b.region, rule: b.rule });
        }
        emulator.seedKey({ keyId: "key-ok", region: "cn-hangzhou", keyState: "Enabled" });
        emulator.seedKey({ keyId: "key-other", region: "cn-hangzhou", keyState: "Enabled" });
        emulator.seedKey({ keyId: "key-off", region: "cn-shanghai", keyState: "Disabled" });
        scratch = scratchDir("adopt");
    });
    afterEach(async () => {
        await emulator?.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("scans, reports, imports the unmanaged buckets, and previews clean", async () => {
        const project = path.join(scratch, "platform");
        fs.mkdirSync(project);
        const plugin = installedPlugin();
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            `name: platform\nruntime: yaml\npackages:\n  oss-encryption: ${plugin}\nresources:\n  acme-managed:\n    type: oss-encryption:BucketEncryption\n    properties:\n      bucket: acme-managed\n      sseAlgorithm: AES256\n`,
        );
        fs.writeFileSync(path.join(project, "policy-config.json"), JSON.stringify({ [POLICY_NAMES.allowedKmsKeys]: { allowedKeys: ["key-ok", "key-off"] } }));
        const summary = path.join(scratch, "step-summary.md");
        const credential = emulator.defaultCredential;
        // The scan reads the credential chain's environment, as a pipeline would give it.
        const session = new Session(
            project,
            cliEnv(bin, scratch, { ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret, GITHUB_STEP_SUMMARY: summary }),
        );
        const pulumi = (...args: string[]) => session.run("pulumi", args);
        fs.mkdirSync(path.join(scratch, "state"));
        await pulumi("login", `file://${path.join(scratch, "state")}`);
        await pulumi("stack", "init", "dev");
        for (const [key, value] of Object.entries({ region: "cn-hangzhou", accessKey: credential.accessKeyId, ossEndpoint: emulator.endpoint, kmsEndpoint: emulator.kmsEndpoint })) {
            await pulumi("config", "set", `oss-encryption:${key}`, value);
        }
        await session.run("pulumi", ["config", "set", "--secret", "oss-encryption:secretKey"], { input: credential.accessKeySecret });
        await pulumi("up", "--yes");

        const endpoints = `--oss-endpoint ${emulator.endpoint} --kms-endpoint ${emulator.kmsEndpoint}`;
        const steps = adoptionSteps();
        assert.ok(steps.some(s => s.startsWith("pulumi import --file")), "the README imports with --file");
        for (const step of steps) {
            const line = fillPlaceholders(step, { "<path-to-tarball>": packedTarball() }).replace("npx pulumi-oss-encryption scan", `npx pulumi-oss-encryption scan ${endpoints}`);
            if (step.includes("pulumi-oss-encryption scan")) {
                // Some buckets fail the pack: exit 1, and every verdict printed.
                const scanned = await session.run("bash", ["-c", line], { shown: step, expectFailure: true });
                assert.equal(scanned.code, 1, scanned.output);
                if (!step.includes("--format")) {
                    for (const b of ACCOUNT) {
                        const row = new RegExp(`^${b.name}\\s.*\\s${b.pass ? "PASS" : "FAIL"}\\s`, "m");
                        assert.equal(row.test(scanned.output), !b.managed, `${b.name} in the table:\n${scanned.output}`);
                    }
                }
                continue;
            }
            await session.shell(line);
        }

        assert.match(fs.readFileSync(summary, "utf8"), /^## OSS bucket encryption scan\n\n6 buckets: 3 pass, 3 fail, 0 could not be read/m);
        const importFile = JSON.parse(fs.readFileSync(path.join(project, "import.json"), "utf8")) as { resources: Array<{ id: string }> };
        assert.deepEqual(importFile.resources.map(r => r.id).sort(), [...ADOPTED].sort(), "every unmanaged bucket with a rule, not the managed one, not the one without a rule");
        const exported = JSON.parse((await pulumi("stack", "export")).output) as { deployment: { resources: Array<{ type: string; id?: string; outputs?: Record<string, unknown> }> } };
        const managed = exported.deployment.resources.filter(r => r.type === "oss-encryption:index:BucketEncryption");
        assert.deepEqual(managed.map(r => r.id).sort(), ["acme-managed", ...ADOPTED].sort(), "the stack now manages the adopted buckets");
        for (const b of ACCOUNT.filter(a => a.rule)) {
            assert.deepEqual(emulator.getRule(b.name), b.rule, `${b.name}: nothing was written`);
        }
        assert.equal(emulator.requestLog.filter(r => ["PutBucketEncryption", "DeleteBucketEncryption"].includes(r.action)).length, 1, "only the managed bucket's own create wrote");
        assertNoSecretsLeft([credential.accessKeySecret, PASSPHRASE], { "the commands' output": session.output(), "the files left behind": filesLeftBehind(scratch) });
        console.log(session.table("yaml"));
    });
});
