// Records the upgrade test's fixtures with this checkout's release (`npm run record-upgrade-fixtures`,
// at each release): for each form (the dynamic provider's TypeScript program, the plugin's YAML
// program), a stack on the emulator declaring DECLARED, `pulumi up`, and its `pulumi stack export`
// with every run-specific value made a placeholder. Writes tests/upgrade/fixtures/{declared,dynamic,
// plugin}-<version>.json; tests/upgrade/upgrade.test.ts then imports them into stacks of later builds.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { ensurePulumiCli, PASSPHRASE, REPO } from "../../harness/pulumi";
import { bucketEncryptions, Declared, declaredFile, FIXTURES, fixtureFile, Form, FORMS, placeholderValues, REGION, SALT, seed, upgradeProject } from "./stacks";

/** A CMK of the recorded KMS rule (the emulator's key; not a secret). */
const KEY = "4c1e8f2a-0000-4b6d-9e3f-7a8b9c0d1e2f";

/** What both programs declare: a rule of each kind, and both onDelete choices besides the default. */
const DECLARED: Declared = {
    aes: { bucket: "upgrade-aes", sseAlgorithm: "AES256" },
    kmsCmk: { bucket: "upgrade-kms-cmk", sseAlgorithm: "KMS", kmsMasterKeyId: KEY },
    kmsSm4: { bucket: "upgrade-kms-sm4", sseAlgorithm: "KMS", kmsDataEncryption: "SM4", onDelete: "KeepRule" },
    sm4Fallback: { bucket: "upgrade-sm4", sseAlgorithm: "SM4", onDelete: "FallbackToAES256" },
};

/**
 * `pulumi stack export --show-secrets` made a fixture: the run's values replaced by their
 * placeholders (the salt of the secrets provider's state too; the AccessKey secret stays a secret, in
 * plaintext, as `pulumi stack import` takes one), and checked for anything else of the run.
 */
function asFixture(exported: string, values: Record<string, string>, runPaths: string[]): string {
    const state = JSON.parse(exported);
    assert.ok(state.deployment.secrets_providers?.state?.salt === values[SALT], "the stack's secrets provider is the passphrase one of its config");
    let text = `${JSON.stringify(state, null, 2)}\n`;
    // Longest first: one endpoint can be a prefix of the other (ports 4000 and 40001).
    for (const [placeholder, value] of Object.entries(values).sort(([, a], [, b]) => b.length - a.length)) {
        text = text.split(value).join(placeholder);
    }
    assert.ok(!text.includes("ciphertext"), "a fixture holds no encrypted value (it could not be decrypted elsewhere)");
    for (const secret of [values["<access-key-secret>"], PASSPHRASE]) {
        assert.ok(!text.includes(secret), "a fixture holds no secret");
    }
    for (const runPath of [...runPaths, os.tmpdir()]) {
        assert.ok(!text.includes(runPath), `a fixture holds no path of the run (${runPath})`);
    }
    return text;
}

/** Records one form's stack; returns the fixture's text. */
async function record(form: Form): Promise<string> {
    const emulator = await startEmulator();
    seed(
        emulator,
        Object.values(DECLARED).map(args => ({ bucket: args.bucket, region: REGION, keyId: args.kmsMasterKeyId })),
    );
    try {
        const project = await upgradeProject(form, DECLARED, emulator);
        try {
            await project.run("pulumi up --yes");
            const exported = (await project.run("pulumi stack export --show-secrets")).stdout;
            const fixture = asFixture(exported, placeholderValues(emulator, project), [project.root, REPO]);
            assert.strictEqual(bucketEncryptions(form, JSON.parse(fixture)).length, Object.keys(DECLARED).length, "every declared resource is in the state");
            return fixture;
        } finally {
            project.remove();
        }
    } finally {
        await emulator.stop();
    }
}

async function main(): Promise<void> {
    if (!ensurePulumiCli()) {
        throw new Error("no Pulumi CLI (scripts/ensure-pulumi-cli.sh)");
    }
    const release: string = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version;
    fs.mkdirSync(FIXTURES, { recursive: true });
    for (const form of FORMS) {
        const started = Date.now();
        fs.writeFileSync(fixtureFile(form, release), await record(form));
        console.log(`recorded ${path.relative(REPO, fixtureFile(form, release))} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    fs.writeFileSync(declaredFile(release), `${JSON.stringify(DECLARED, null, 2)}\n`);
    console.log(`recorded ${path.relative(REPO, declaredFile(release))}`);
}

if (require.main === module) {
    main().then(
        () => process.exit(0),
        err => {
            console.error(err);
            process.exit(1);
        },
    );
}
