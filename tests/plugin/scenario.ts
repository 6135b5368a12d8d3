// The lifecycle every language's example goes through with the real CLI and the plugin against the
// emulator: the commands of the example's README, in order, with what each must leave in the bucket.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../emulator";
import { PASSPHRASE } from "../e2e/harness";
import { assertNoSecretsLeft } from "../e2e/inspect";
import { cliEnv, cliWithHosts, copyExample, filesLeftBehind, installedPlugin, providerConfigCommands, scratchDir, Session } from "./support";

/** How one language's example differs. */
export interface LanguageCase {
    /** Folder under examples/. */
    example: string;
    /** Short name of the language, used in bucket names and the table. */
    language: string;
    /** What the code `pulumi import` prints must match (BUCKET stands for the bucket name). */
    importedCode: RegExp;
    /** Extra environment of the CLI. */
    env?: Record<string, string>;
    /** Commands the README lists before `pulumi package add` (e.g. the Python venv). */
    setUp?(session: Session, project: string): Promise<void>;
    /** Makes the plugin known to the project, as the README says; default `pulumi package add <plugin>`. */
    addPackage?(session: Session, project: string, plugin: string): Promise<void>;
    /** Whether the example reads another bucket's rule with `get` (config `readBucket`). */
    readsWithGet?: boolean;
}

/** The state of a stack as `pulumi stack export` prints it (secrets stay encrypted). */
async function exportedState(session: Session): Promise<{ text: string; resources: Array<{ urn: string; type: string; outputs?: Record<string, unknown> }> }> {
    const { output } = await session.run("pulumi", ["stack", "export"]);
    const text = output.slice(output.indexOf("{"));
    return { text, resources: JSON.parse(text).deployment.resources ?? [] };
}

/** Runs the whole lifecycle; returns the session with every command's record. */
export async function runLifecycle(c: LanguageCase, bin: string, scratch: string, emulator: Emulator): Promise<Session> {
    const bucket = `plugin-${c.language}-logs`;
    const adopted = `plugin-${c.language}-adopted`;
    const readOnly = `plugin-${c.language}-read`;
    emulator.seedBucket(bucket);
    emulator.seedBucket(adopted, { rule: { SSEAlgorithm: "KMS" } });
    emulator.seedBucket(readOnly, { rule: { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" } });
    const plugin = installedPlugin();
    const project = copyExample(c.example, scratch);
    const session = new Session(project, cliEnv(bin, scratch, c.env));
    if (process.env.PLUGIN_TEST_LOG) {
        // Everything the CLI printed, for reading after the run (set PLUGIN_TEST_LOG=<file>).
        process.on("exit", () => fs.writeFileSync(`${process.env.PLUGIN_TEST_LOG}.${c.language}`, session.output()));
    }
    const pulumi = (...args: string[]) => session.run("pulumi", args);
    const rule = () => emulator.getRule(bucket);

    fs.mkdirSync(path.join(scratch, "state"));
    await pulumi("login", `file://${path.join(scratch, "state")}`);
    await pulumi("stack", "init", "dev");
    await c.setUp?.(session, project);
    await (c.addPackage ? c.addPackage(session, project, plugin) : pulumi("package", "add", plugin));
    for (const { args, input } of providerConfigCommands(emulator)) {
        await session.run("pulumi", args, { input });
    }
    await pulumi("config", "set", "bucket", bucket);
    if (c.readsWithGet) {
        await pulumi("config", "set", "readBucket", readOnly);
    }

    await pulumi("up", "--yes");
    assert.deepStrictEqual(rule(), { SSEAlgorithm: "AES256" }, "up puts the declared rule");
    assert.strictEqual((await pulumi("stack", "output", "algorithm")).output.trim(), "AES256");
    if (c.readsWithGet) {
        assert.strictEqual((await pulumi("stack", "output", "readAlgorithm")).output.trim(), "KMS", "get reads the other bucket's rule");
        assert.deepStrictEqual(emulator.getRule(readOnly), { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" }, "get writes nothing");
    }
    await pulumi("preview", "--expect-no-changes");

    // Drift made in the console: refresh records it, up puts the declared rule back.
    emulator.setRule(bucket, { SSEAlgorithm: "SM4" });
    await pulumi("refresh", "--yes");
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

    // Import adopts a live rule without writing it and prints the code that declares it.
    const imported = await pulumi("import", "oss-encryption:index:BucketEncryption", "adopted", adopted, "--yes", "--protect=false");
    const code = imported.output.slice(imported.output.indexOf("Please copy the following code into your Pulumi application"));
    assert.match(code, new RegExp(c.importedCode.source.replace("BUCKET", adopted)), `the printed code declares the live rule:\n${imported.output}`);
    const adoptedState = (await exportedState(session)).resources.find(r => r.urn.endsWith("::adopted"));
    assert.strictEqual(adoptedState?.outputs?.sseAlgorithm, "KMS", "the state holds the imported rule");
    assert.deepStrictEqual(emulator.getRule(adopted), { SSEAlgorithm: "KMS" }, "import writes nothing");

    const beforeDestroy = await exportedState(session);
    await pulumi("destroy", "--yes");
    assert.strictEqual(rule(), undefined, "destroy deletes the rule");
    assert.strictEqual(emulator.getRule(adopted), undefined, "destroy deletes the imported rule");
    assert.deepStrictEqual(emulator.getRule(readOnly), { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" }, "a rule read with get is left alone");
    const afterDestroy = await exportedState(session);

    assertNoSecretsLeft([emulator.defaultCredential.accessKeySecret, PASSPHRASE], {
        "`pulumi stack export` before destroy": beforeDestroy.text,
        "`pulumi stack export` after destroy": afterDestroy.text,
        "the CLI's output": session.output(),
        "the files left behind": filesLeftBehind(scratch),
    });
    return session;
}

/**
 * A mocha suite running one language's lifecycle: `hosts` must be beside the CLI (the program's
 * language and nodejs, which runs the plugin); `prepare` finds anything else the language needs.
 */
export function lifecycleSuite(title: string, hosts: string[], languageCase: () => LanguageCase, prepare?: (ctx: Mocha.Context) => void): void {
    describe(title, function () {
        this.timeout(15 * 60_000);
        let bin: string;
        let emulator: Emulator;
        let scratch: string;

        before(function () {
            this.timeout(30 * 60_000);
            bin = cliWithHosts(this, hosts);
            prepare?.(this);
        });
        beforeEach(async () => {
            emulator = await startEmulator();
            scratch = scratchDir(`plugin-${languageCase().language}`);
        });
        afterEach(async () => {
            await emulator?.stop();
            fs.rmSync(scratch, { recursive: true, force: true });
        });

        it("up, preview, refresh, a bad KMS key at preview, import, destroy; no secret anywhere", async () => {
            const c = languageCase();
            const session = await runLifecycle(c, bin, scratch, emulator);
            console.log(session.table(c.language));
        });
    });
}
