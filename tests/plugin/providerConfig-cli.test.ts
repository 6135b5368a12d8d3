// The provider's configuration through the real CLI: a Pulumi YAML project on the plugin (the
// cheapest program) against the emulator. A misspelt stack config key fails `pulumi preview` up
// front, naming the key and the setting meant; a secretKey set with --plaintext is a secret in
// the state; a setting changed updates the provider, not replaces it (nor its resources).
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { installedPlugin, scratchDir } from "../../harness/package";
import { cliEnv, cliWithHosts, Session } from "./support";

const SIG = "4dabf18193072939515e22adb298388d";

describe("plugin: the provider's configuration with the real CLI (Pulumi YAML)", function () {
    this.timeout(10 * 60_000);
    let emulator: Emulator;
    let scratch: string;
    let session: Session;
    const bucket = "plugin-config-logs";
    const pulumi = (...args: string[]) => session.run("pulumi", args);

    before(async function () {
        this.timeout(30 * 60_000);
        const bin = cliWithHosts(this, ["yaml", "nodejs"]);
        const plugin = installedPlugin();
        emulator = await startEmulator();
        emulator.seedBucket(bucket);
        scratch = scratchDir("plugin-config");
        const project = path.join(scratch, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            [
                "name: oss-encryption-config",
                "runtime: yaml",
                "packages:",
                `  oss-encryption: ${plugin}`,
                "resources:",
                "  logs:",
                "    type: oss-encryption:BucketEncryption",
                "    properties:",
                `      bucket: ${bucket}`,
                "      sseAlgorithm: AES256",
                "",
            ].join("\n"),
        );
        session = new Session(project, cliEnv(bin, scratch));
        fs.mkdirSync(path.join(scratch, "state"));
        await pulumi("login", `file://${path.join(scratch, "state")}`);
        await pulumi("stack", "init", "dev");
        await pulumi("config", "set", "oss-encryption:region", "cn-hangzhou");
        await pulumi("config", "set", "oss-encryption:accessKey", emulator.defaultCredential.accessKeyId);
        await pulumi("config", "set", "oss-encryption:ossEndpoint", emulator.endpoint);
        await pulumi("config", "set", "oss-encryption:kmsEndpoint", emulator.kmsEndpoint);
    });
    after(async () => {
        if (session) {
            console.log(session.table("yaml"));
        }
        await emulator?.stop();
        if (scratch) {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    it("fails `pulumi preview` on a misspelt setting, naming it and the setting meant; and on a bad value, at once", async () => {
        await pulumi("config", "set", "oss-encryption:ossEndpont", emulator.endpoint);
        const typo = await session.run("pulumi", ["preview"], { expectFailure: true });
        assert.match(typo.output, /oss-encryption:ossEndpont is not a setting of the oss-encryption provider: did you mean oss-encryption:ossEndpoint\?/);
        console.log(`    ${typo.output.split("\n").find(line => line.includes("ossEndpont is not"))?.trim()} (${typo.seconds.toFixed(1)} s)`);
        await pulumi("config", "rm", "oss-encryption:ossEndpont");

        await pulumi("config", "set", "oss-encryption:operationTimeoutSeconds", "abc");
        const bad = await session.run("pulumi", ["preview"], { expectFailure: true });
        assert.match(bad.output, /oss-encryption:operationTimeoutSeconds must be a whole number; got "abc"/);
        assert.ok(bad.seconds < 60, `failed after ${bad.seconds} s`);
        await pulumi("config", "rm", "oss-encryption:operationTimeoutSeconds");
        assert.equal(emulator.getRule(bucket), undefined, "a failed preview writes nothing");
    });

    it("keeps a secretKey set with --plaintext out of the state, and updates (not replaces) the provider when a setting changes", async () => {
        const secret = emulator.defaultCredential.accessKeySecret;
        await pulumi("config", "set", "--plaintext", "oss-encryption:secretKey", secret);
        await pulumi("up", "--yes");
        assert.deepEqual(emulator.getRule(bucket), { SSEAlgorithm: "AES256" });
        const exported = (await pulumi("stack", "export")).output;
        assert.ok(!exported.includes(secret), "the AccessKey secret is not in clear in `pulumi stack export`");
        const state = JSON.parse(exported.slice(exported.indexOf("{")));
        const provider = state.deployment.resources.find((r: { type: string }) => r.type === "pulumi:providers:oss-encryption");
        for (const side of ["inputs", "outputs"]) {
            assert.equal(provider[side].secretKey?.[SIG], "1b47061264138c4ac30d75fd1eb44270", `the provider's ${side} hold secretKey as a secret`);
            assert.ok(provider[side].secretKey.ciphertext, `the provider's ${side} hold secretKey encrypted`);
        }

        // The engine's display leaves default providers out, so the state shows what happened to it.
        await pulumi("config", "set", "oss-encryption:kmsKeyCheck", "false");
        const changed = await pulumi("up", "--yes");
        assert.doesNotMatch(changed.output, /replace/i);
        const after = JSON.parse((await pulumi("stack", "export")).output.replace(/^[^{]*/, ""));
        const updated = after.deployment.resources.find((r: { type: string }) => r.type === "pulumi:providers:oss-encryption");
        assert.equal(updated.id, provider.id, "the provider is updated in place, not replaced");
        assert.equal(updated.inputs.kmsKeyCheck, "false");
        assert.equal(updated.inputs.secretKey[SIG], "1b47061264138c4ac30d75fd1eb44270", "still a secret after the update");
        const resourceOf = (s: typeof state) => s.deployment.resources.find((r: { type: string }) => r.type === "oss-encryption:index:BucketEncryption");
        assert.equal(resourceOf(after).created, resourceOf(state).created, "its resource is not replaced");
        await pulumi("preview", "--expect-no-changes");
        assert.deepEqual(emulator.getRule(bucket), { SSEAlgorithm: "AES256" });
        // (What the commands printed; the command line of `config set --plaintext` holds it, by the user's choice.)
        assert.ok(!session.records.some(r => r.output.includes(secret)), "the CLI printed no secret");
    });

    it("installs the pinned @pulumi/pulumi into the plugin folder", () => {
        const pinned = JSON.parse(fs.readFileSync(path.join(installedPlugin(), "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
        const installed = JSON.parse(fs.readFileSync(path.join(installedPlugin(), "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
        assert.equal(installed, pinned);
    });
});
