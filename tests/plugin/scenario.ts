// The lifecycle every language's example goes through with the real CLI and the plugin against the
// emulator: the commands of the example's README, read from it and run in order, with what each
// must leave in the bucket, and a few more steps between them (drift, a bad KMS key, the code
// `pulumi import` prints pasted into the program). Everything is installed as a user installs it,
// from the release artifacts (harness/release.ts): the plugin tarball, the SDK's wheel, jar or
// npm tarball.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { PASSPHRASE, REPO } from "../../harness/pulumi";
import { assertNoSecretsLeft } from "../support/inspect";
import { fillPlaceholders, shellBlocks } from "../support/standalone";
import { cliEnv, cliWithHosts, CommandRecord, copyExample, filesLeftBehind, Session } from "./support";
import { scratchDir } from "../../harness/package";
import { pathWithoutNode, ReleaseArtifacts, releaseArtifacts } from "../../harness/release";
import { pasteImported, printedCode } from "./paste";

/** How one language's example differs. */
export interface LanguageCase {
    /** Folder under examples/. */
    example: string;
    /** Short name of the language, used in bucket names and the table. */
    language: string;
    /** What the code `pulumi import` prints must match (BUCKET stands for the bucket name). */
    importedCode: RegExp[];
    /** The first line of the program `pulumi import` prints. */
    printedStart: RegExp;
    /** The program file, relative to the project, that the printed code is pasted into (tests/plugin/paste.ts). */
    program: string;
    /** The paste rule of tests/plugin/paste.ts (go, java, python, typescript, yaml). */
    pasteAs: string;
    /** Whether the program itself runs on Node.js; for every other language the CLI's PATH holds no `node`. */
    programNeedsNode?: boolean;
    /** Extra environment of the CLI. */
    env?: Record<string, string>;
    /** Prepares the copied project before the README's first command (e.g. the Python venv). */
    prepare?(project: string): void;
    /** Whether the example reads another bucket's rule with `get` (config `readBucket`). */
    readsWithGet?: boolean;
}

/** The Pulumi steps the lifecycle checks, in the order the README must run them. */
const CHECKED_STEPS = ["up", "preview", "refresh", "import", "destroy"] as const;

/** The commands of examples/<example>/README.md that run the program: its ```sh block with `pulumi up`. */
export function readmeSteps(example: string): string[] {
    const readme = path.join(REPO, "examples", example, "README.md");
    const steps = shellBlocks(readme).find(b => b.some(c => c.startsWith("pulumi up")));
    assert.ok(steps, `${readme}: a \`\`\`sh block with pulumi up`);
    return steps;
}

/** The state of a stack as `pulumi stack export` prints it (secrets stay encrypted). */
async function exportedState(session: Session): Promise<{ text: string; resources: Array<{ urn: string; type: string; outputs?: Record<string, unknown> }> }> {
    const { output } = await session.run("pulumi", ["stack", "export"]);
    const text = output.slice(output.indexOf("{"));
    return { text, resources: JSON.parse(text).deployment.resources ?? [] };
}

/** Runs the whole lifecycle; returns the session with every command's record. */
export async function runLifecycle(c: LanguageCase, bin: string, scratch: string, emulator: Emulator, release: ReleaseArtifacts): Promise<Session> {
    const bucket = `plugin-${c.language}-logs`;
    const adopted = `plugin-${c.language}-adopted`;
    const readOnly = `plugin-${c.language}-read`;
    // KMS with SM4 data encryption: the printed code has both enum-typed inputs.
    const adoptedRule = { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" };
    emulator.seedBucket(bucket);
    emulator.seedBucket(adopted, { rule: adoptedRule });
    emulator.seedBucket(readOnly, { rule: { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" } });
    const project = copyExample(c.example, scratch);
    const env = cliEnv(bin, scratch, c.env);
    // No Node.js at all unless the program is Node.js: the plugin is the self-contained executable.
    const withoutNode = !c.programNeedsNode;
    if (withoutNode) {
        env.PATH = pathWithoutNode(env.PATH ?? "", scratch);
    }
    const session = new Session(project, env);
    if (withoutNode) {
        // As the README's commands run (bash, which may read ~/.bashrc and add to PATH).
        await session.run("bash", ["-c", "! command -v node"], { shown: "command -v node  (not found: no Node.js on PATH)" });
    }
    if (process.env.PLUGIN_TEST_LOG) {
        // Everything the CLI printed, for reading after the run (set PLUGIN_TEST_LOG=<file>).
        process.on("exit", () => fs.writeFileSync(`${process.env.PLUGIN_TEST_LOG}.${c.language}`, session.output()));
    }
    const pulumi = (...args: string[]) => session.run("pulumi", args);
    const rule = () => emulator.getRule(bucket);
    const values = {
        // "or any backend": a file backend in the scratch folder, not the user's home.
        "~/.pulumi-state": path.join(scratch, "state"),
        "<version>": release.version,
        "<plugin-tarball>": release.pluginTarball,
        "<python-wheel>": release.pythonWheel,
        "<java-jar>": release.javaJar,
        "<java-pom>": release.javaPom,
        "<nodejs-sdk-tarball>": release.nodejsSdk,
        // A clone of this repository, for the Go SDK's source until the module is published.
        "<checkout>": REPO,
        "<access-key-id>": emulator.defaultCredential.accessKeyId,
        "<bucket>": bucket,
        "<read-bucket>": readOnly,
        "<bucket-to-adopt>": adopted,
    };
    let beforeDestroy = "";

    /** What the lifecycle does around each README step it checks. */
    const around: Record<(typeof CHECKED_STEPS)[number], { before?(): Promise<void>; after(result: CommandRecord): Promise<void> }> = {
        up: {
            // The emulator's endpoints, as the README's last paragraph says.
            before: async () => {
                await pulumi("config", "set", "oss-encryption:ossEndpoint", emulator.endpoint);
                await pulumi("config", "set", "oss-encryption:kmsEndpoint", emulator.kmsEndpoint);
            },
            after: async () => {
                assert.deepStrictEqual(rule(), { SSEAlgorithm: "AES256" }, "up puts the declared rule");
                assert.strictEqual((await pulumi("stack", "output", "algorithm")).output.trim(), "AES256");
                if (c.readsWithGet) {
                    assert.strictEqual((await pulumi("stack", "output", "readAlgorithm")).output.trim(), "KMS", "get reads the other bucket's rule");
                    assert.deepStrictEqual(emulator.getRule(readOnly), { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" }, "get writes nothing");
                }
            },
        },
        preview: {
            after: async () => assert.deepStrictEqual(rule(), { SSEAlgorithm: "AES256" }, "preview writes nothing"),
        },
        refresh: {
            // Drift made in the console: refresh records it, up puts the declared rule back.
            before: async () => emulator.setRule(bucket, { SSEAlgorithm: "SM4" }),
            after: async () => {
                const refreshed = (await exportedState(session)).resources.find(r => r.urn.endsWith("oss-encryption:index:BucketEncryption::logs"));
                assert.strictEqual(refreshed?.outputs?.sseAlgorithm, "SM4", "refresh records the live rule");
                await pulumi("up", "--yes");
                assert.deepStrictEqual(rule(), { SSEAlgorithm: "AES256" }, "up after refresh puts the declared rule back");
                await pulumi("preview", "--expect-no-changes");

                // The KMS check fails a key that does not exist at preview, before anything is written.
                await pulumi("config", "set", "sseAlgorithm", "KMS");
                await pulumi("config", "set", "kmsMasterKeyId", "no-such-key-0000");
                const badKey = await session.run("pulumi", ["preview"], { expectFailure: true });
                assert.match(badKey.output, /no-such-key-0000/, "the preview names the key");
                assert.match(badKey.output, /KeyNotFound|no such key/i, "the preview says the key does not exist");
                assert.deepStrictEqual(rule(), { SSEAlgorithm: "AES256" }, "a failed preview writes nothing");
                await pulumi("config", "rm", "kmsMasterKeyId");
                await pulumi("config", "rm", "sseAlgorithm");
            },
        },
        import: {
            // Import adopts a live rule without writing it and prints the code that declares it;
            // pasted into the program, that code previews with no changes.
            after: async imported => {
                const code = printedCode(imported.output, c.printedStart);
                for (const expected of c.importedCode) {
                    assert.match(code, new RegExp(expected.source.replace("BUCKET", adopted)), `the printed code declares the live rule:\n${imported.output}`);
                }
                const adoptedState = (await exportedState(session)).resources.find(r => r.urn.endsWith("::adopted"));
                assert.strictEqual(adoptedState?.outputs?.sseAlgorithm, "KMS", "the state holds the imported rule");
                assert.strictEqual(adoptedState?.outputs?.kmsDataEncryption, "SM4", "the state holds the imported rule");
                assert.deepStrictEqual(emulator.getRule(adopted), adoptedRule, "import writes nothing");
                pasteImported(c.pasteAs, path.join(project, c.program), code);
                await session.run("pulumi", ["preview", "--expect-no-changes"], { shown: `pulumi preview --expect-no-changes  (the printed code pasted into ${c.program})` });
            },
        },
        destroy: {
            before: async () => {
                beforeDestroy = (await exportedState(session)).text;
            },
            after: async () => {
                assert.strictEqual(rule(), undefined, "destroy deletes the rule");
                assert.strictEqual(emulator.getRule(adopted), undefined, "destroy deletes the imported rule");
                assert.deepStrictEqual(emulator.getRule(readOnly), { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" }, "a rule read with get is left alone");
            },
        },
    };

    c.prepare?.(project);
    const checked: string[] = [];
    for (const step of readmeSteps(c.example)) {
        const name = CHECKED_STEPS.find(s => step.startsWith(`pulumi ${s} `) || step === `pulumi ${s}`);
        await (name ? around[name].before?.() : undefined);
        // The secret goes on stdin, as a user types it at the prompt, so no command line holds it.
        const input = step.startsWith("pulumi config set --secret ") ? emulator.defaultCredential.accessKeySecret : undefined;
        const result = await session.shell(fillPlaceholders(step, values), { input });
        if (name) {
            await around[name].after(result);
            checked.push(name);
        }
    }
    assert.deepStrictEqual(checked, [...CHECKED_STEPS], `examples/${c.example}/README.md runs each of pulumi ${CHECKED_STEPS.join(", ")} once, in that order`);
    const afterDestroy = (await exportedState(session)).text;

    assertNoSecretsLeft([emulator.defaultCredential.accessKeySecret, PASSPHRASE], {
        "`pulumi stack export` before destroy": beforeDestroy,
        "`pulumi stack export` after destroy": afterDestroy,
        "the CLI's output": session.output(),
        "the files left behind": filesLeftBehind(scratch),
    });
    return session;
}

/**
 * A mocha suite running one language's lifecycle: `hosts` must be beside the CLI (the program's
 * language; the plugin needs none); `prepare` finds anything else the language needs.
 */
export function lifecycleSuite(title: string, hosts: string[], languageCase: () => LanguageCase, prepare?: (ctx: Mocha.Context) => void): void {
    describe(title, function () {
        this.timeout(15 * 60_000);
        let bin: string;
        let emulator: Emulator;
        let scratch: string;
        let release: ReleaseArtifacts;

        before(async function () {
            this.timeout(30 * 60_000);
            bin = cliWithHosts(this, hosts);
            prepare?.(this);
            release = await releaseArtifacts();
        });
        beforeEach(async () => {
            emulator = await startEmulator();
            scratch = scratchDir(`plugin-${languageCase().language}`);
        });
        afterEach(async () => {
            await emulator?.stop();
            fs.rmSync(scratch, { recursive: true, force: true });
        });

        it("up, preview, refresh, a bad KMS key at preview, import (its code pasted and previewed), destroy; no secret anywhere", async () => {
            const c = languageCase();
            const session = await runLifecycle(c, bin, scratch, emulator, release);
            console.log(session.table(c.language));
        });
    });
}
