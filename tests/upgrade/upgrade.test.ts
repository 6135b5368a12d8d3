// The README's promise that an upgraded package serves resources created by an older one: the stack
// exports recorded with each earlier release (tests/upgrade/fixtures, written by record.ts) are
// imported into fresh stacks whose programs run this checkout's build, installed as a user installs
// it (the packed tarball; the plugin folder made from it), against an emulator holding the rules the
// state records. The dynamic form's resources carry the old release's serialised __provider, which
// refresh and destroy run. Then: a preview wants no change, refresh finds none, a second preview
// wants none, nothing was written, and destroy does what each resource's onDelete says.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Emulator, EncryptionRule, startEmulator } from "../../emulator";
import { PASSPHRASE } from "../../harness/pulumi";
import { assertNoSecretsLeft, StateResource } from "../support/inspect";
import { cliWithHosts } from "../plugin/support";
import { fillPlaceholders, StandaloneProject } from "../support/standalone";
import {
    bucketEncryptions,
    Declared,
    declaredFile,
    fixtureFile,
    FORMS,
    placeholderValues,
    recordedReleases,
    recordedRule,
    seed,
    upgradeProject,
} from "./stacks";

/** The first release whose stacks are recorded; every later one adds its own. */
const FIRST_RELEASE = "0.1.0";

/** The rules of the buckets, by bucket. */
function liveRules(emulator: Emulator, resources: StateResource[]): Record<string, EncryptionRule | undefined> {
    return Object.fromEntries(resources.map(r => [String(r.outputs.bucket), emulator.getRule(String(r.outputs.bucket))]));
}

/** What destroy leaves in a bucket: its onDelete's answer (RemoveRule when none). */
function ruleAfterDestroy(resource: StateResource): EncryptionRule | undefined {
    switch (resource.outputs.onDelete ?? "RemoveRule") {
        case "KeepRule":
            return recordedRule(resource.outputs);
        case "FallbackToAES256":
            return { SSEAlgorithm: "AES256" };
        default:
            return undefined;
    }
}

describe("upgrade: stacks recorded with earlier releases, under this build", function () {
    this.timeout(15 * 60_000);
    let emulator: Emulator | undefined;
    let project: StandaloneProject | undefined;

    before(function () {
        this.timeout(30 * 60_000);
        // nodejs runs the TypeScript program and the plugin; yaml the plugin's program.
        cliWithHosts(this, ["nodejs", "yaml"]);
    });
    afterEach(async () => {
        project?.remove();
        await emulator?.stop();
        project = emulator = undefined;
    });

    it(`has both forms' fixtures of every recorded release, from ${FIRST_RELEASE} on, without a secret`, () => {
        const releases = recordedReleases();
        assert.strictEqual(releases[0], FIRST_RELEASE);
        for (const release of releases) {
            for (const form of FORMS) {
                const file = fixtureFile(form, release);
                assert.ok(fs.existsSync(file), `${file} (tests/upgrade/record.ts writes it)`);
                // No secret, not even an encrypted one: each secret is a placeholder filled at import.
                const text = fs.readFileSync(file, "utf8");
                assert.ok(!text.includes("ciphertext"), `${file} holds an encrypted secret`);
                for (const [, plaintext] of text.matchAll(/"plaintext": ("(?:[^"\\]|\\.)*")/g)) {
                    assert.match(JSON.parse(plaintext), /^"<[a-z0-9-]+>"$/, `${file}: a secret that is not a placeholder`);
                }
            }
        }
    });

    for (const release of recordedReleases()) {
        for (const form of FORMS) {
            it(`${form} stack of ${release}: imported, preview --expect-no-changes, refresh finds no change, preview again, destroy as onDelete says`, async () => {
                const declared: Declared = JSON.parse(fs.readFileSync(declaredFile(release), "utf8"));
                const fixture = fs.readFileSync(fixtureFile(form, release), "utf8");
                const recorded = bucketEncryptions(form, JSON.parse(fixture));
                assert.strictEqual(recorded.length, Object.keys(declared).length, "the fixture holds every declared resource");

                emulator = await startEmulator();
                seed(
                    emulator,
                    recorded.map(({ outputs }) => ({
                        bucket: String(outputs.bucket),
                        region: String(outputs.region),
                        rule: recordedRule(outputs),
                        keyId: outputs.kmsMasterKeyId as string | undefined,
                    })),
                );
                const seeded = liveRules(emulator, recorded);
                project = await upgradeProject(form, declared, emulator);
                // The filled state holds the AccessKey secret in plaintext: it lives only until imported.
                const stateFile = path.join(project.dir, "recorded-state.json");
                fs.writeFileSync(stateFile, fillPlaceholders(fixture, placeholderValues(emulator, project)));
                await project.run(`pulumi stack import --file '${stateFile}'`);
                fs.rmSync(stateFile);

                await project.run("pulumi preview --expect-no-changes --diff");
                emulator.clearLog();
                const refreshed = await project.run("pulumi refresh --yes --expect-no-changes --diff");
                // The resources and the stack (the provider is not counted).
                assert.match(refreshed.stdout, new RegExp(`\\b${recorded.length + 1} unchanged`), `refresh: every resource unchanged:\n${refreshed.stdout}`);
                const read = new Set(emulator.requestLog.filter(r => r.action === "GetBucketEncryption" && r.status === 200).map(r => r.bucket));
                assert.deepStrictEqual([...read].sort(), recorded.map(r => String(r.outputs.bucket)).sort(), "refresh read every bucket's rule");
                await project.run("pulumi preview --expect-no-changes --diff");
                assert.deepStrictEqual(liveRules(emulator, recorded), seeded, "previews and refresh write nothing");

                await project.run("pulumi destroy --yes");
                assert.deepStrictEqual(
                    liveRules(emulator, recorded),
                    Object.fromEntries(recorded.map(r => [String(r.outputs.bucket), ruleAfterDestroy(r)])),
                    "destroy, through the recorded state, leaves what each onDelete says",
                );
                assertNoSecretsLeft([emulator.defaultCredential.accessKeySecret, PASSPHRASE], {
                    "the CLI output": project.output(),
                    "the stack's files": project.leftovers(),
                });
            });
        }
    }
});
