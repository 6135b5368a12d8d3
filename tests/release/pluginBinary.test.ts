// The plugin executable as a user gets it (this platform's release tarball from npm run dist,
// harness/release.ts), with no `node` on the CLI's PATH: `pulumi plugin install --file`, then a
// Pulumi YAML program's up (with a KMS key check), clean preview and destroy, with DEBUG=* and verbose
// engine logs, leaving no secret anywhere but the engine's own -v=9 marshaling lines; and the
// engine's own download path: a loopback HTTP server named by the pluginDownloadURL of a Python SDK
// generated with that URL, for a program run with no plugin installed.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { scratchDir } from "../../harness/package";
import { PASSPHRASE, REPO } from "../../harness/pulumi";
import { pathWithoutNode, releaseArtifacts } from "../../harness/release";
import { PLUGIN_VERSION } from "../../plugin";
import { packageSchema } from "../../plugin/schema";
import { buildPythonSdk } from "../../scripts/sdkBuilds";
import { generateSdks } from "../../scripts/sdks";
import { cliEnv, cliWithHosts, filesLeftBehind, projectVenv, pythonVenv, Session } from "../plugin/support";
import { assertNoSecretsLeft } from "../support/inspect";

const KEY_ID = "binary-test-key";

/** A session in `project` with the plugin's settings for the emulator, the state in `scratch`, and no node on PATH. */
async function session(project: string, bin: string, scratch: string, emulator: Emulator, extra: Record<string, string> = {}): Promise<Session> {
    const env = cliEnv(bin, scratch, extra);
    env.PATH = pathWithoutNode(env.PATH ?? "", scratch);
    assert.throws(() => execFileSync("node", ["--version"], { env, stdio: "ignore" }), "no node on the PATH the CLI and the plugin run with");
    const s = new Session(project, env);
    const pulumi = (...args: string[]) => s.run("pulumi", args);
    fs.mkdirSync(path.join(scratch, "state"), { recursive: true });
    await pulumi("login", `file://${path.join(scratch, "state")}`);
    await pulumi("stack", "init", "dev");
    await pulumi("config", "set", "oss-encryption:region", "cn-hangzhou");
    await pulumi("config", "set", "oss-encryption:accessKey", emulator.defaultCredential.accessKeyId);
    await s.run("pulumi", ["config", "set", "--secret", "oss-encryption:secretKey"], { input: emulator.defaultCredential.accessKeySecret });
    await pulumi("config", "set", "oss-encryption:ossEndpoint", emulator.endpoint);
    await pulumi("config", "set", "oss-encryption:kmsEndpoint", emulator.kmsEndpoint);
    return s;
}

/** What a run leaves behind in `scratch`, but the installed plugins (the executables themselves). */
const leftBehind = (scratch: string) =>
    fs
        .readdirSync(scratch)
        .flatMap(entry => (entry === "pulumi-home" ? fs.readdirSync(path.join(scratch, entry)).filter(e => e !== "plugins").map(e => path.join(entry, e)) : [entry]))
        .map(entry => path.join(scratch, entry))
        .filter(p => fs.statSync(p).isDirectory())
        .map(filesLeftBehind)
        .join("\n");

describe("release: the plugin executable, with no node on PATH", function () {
    this.timeout(20 * 60_000);
    let bin: string;
    let tarball: string;
    let emulator: Emulator;
    let scratch: string;

    before(async function () {
        this.timeout(30 * 60_000);
        bin = cliWithHosts(this, ["yaml", "python"]);
        tarball = (await releaseArtifacts()).pluginTarball;
    });
    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedKey({ keyId: KEY_ID, region: "cn-hangzhou", keyState: "Enabled" });
        scratch = scratchDir("plugin-binary");
    });
    afterEach(async () => {
        await emulator?.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("installed with pulumi plugin install --file: serves plugin/schema.json, and a YAML program's up, clean preview and destroy work with DEBUG=*, and at -v=9 only the engine's own lines hold the secret", async () => {
        const bucket = "binary-yaml-logs";
        emulator.seedBucket(bucket);
        const project = path.join(scratch, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            [
                "name: binary-yaml",
                "runtime: yaml",
                "resources:",
                "  logs:",
                "    type: oss-encryption:BucketEncryption",
                "    properties:",
                `      bucket: ${bucket}`,
                "      sseAlgorithm: KMS",
                `      kmsMasterKeyId: ${KEY_ID}`,
                "",
            ].join("\n"),
        );
        const s = await session(project, bin, scratch, emulator, { DEBUG: "*" });
        const pulumi = (...args: string[]) => s.run("pulumi", args);

        await pulumi("plugin", "install", "resource", "oss-encryption", PLUGIN_VERSION, "--file", tarball);
        assert.match((await pulumi("plugin", "ls")).output, new RegExp(`oss-encryption\\s+resource\\s+${PLUGIN_VERSION.replace(/\./g, "\\.")}`));
        const served = (await pulumi("package", "get-schema", `oss-encryption@${PLUGIN_VERSION}`)).output;
        assert.deepStrictEqual(JSON.parse(served.slice(served.indexOf("{"))), JSON.parse(fs.readFileSync(path.join(REPO, "plugin/schema.json"), "utf8")));

        await pulumi("up", "--yes");
        assert.deepStrictEqual(emulator.getRule(bucket), { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY_ID });
        assert.ok(emulator.requestLog.some(r => r.action === "DescribeKey"), "the KMS key check ran in the executable");
        await pulumi("preview", "--expect-no-changes");
        const { output } = await pulumi("stack", "export");
        assertNoSecretsLeft([emulator.defaultCredential.accessKeySecret, PASSPHRASE], {
            "`pulumi stack export`": output,
            "the CLI's output (DEBUG=*)": s.output(),
            "the files left behind": leftBehind(scratch),
        });

        // At -v=9 the engine logs every property it marshals for a provider's CheckConfig and Configure,
        // secrets in clear (Pulumi's, for any provider: docs/credentials-and-kms.md). Those are the only
        // lines that may hold the secret; the plugin's own stderr is in the same log and must not.
        const verbose = await pulumi("destroy", "--yes", "-v=9", "--logtostderr", "--logflow");
        assert.strictEqual(emulator.getRule(bucket), undefined);
        const engineMarshaling = /^\{"time":"[^"]+","level":"INFO","msg":"(Un)?[Mm]arshaling property for RPC\[Provider\[0x[0-9a-f]+\]\.(CheckConfig|Configure)\(/;
        const leaks = verbose.output.split("\n").filter(l => l.includes(emulator.defaultCredential.accessKeySecret));
        assert.ok(leaks.length > 0 && leaks.every(l => engineMarshaling.test(l)), `only the engine's own marshaling lines hold the secret:\n${leaks.filter(l => !engineMarshaling.test(l)).join("\n")}`);
        assertNoSecretsLeft([emulator.defaultCredential.accessKeySecret, PASSPHRASE], { "the files left behind (-v=9)": leftBehind(scratch) });
    });

    it("is downloaded by the engine from the pluginDownloadURL of an SDK generated with a loopback URL, for a Python program with no plugin installed", async function () {
        const venv = pythonVenv(this);
        const served: string[] = [];
        const server = http.createServer((req, res) => {
            served.push(req.url ?? "");
            const file = path.join(path.dirname(tarball), path.basename(req.url ?? ""));
            if (req.url === `/${path.basename(tarball)}` && fs.existsSync(file)) {
                res.writeHead(200, { "content-type": "application/gzip", "content-length": fs.statSync(file).size });
                fs.createReadStream(file).pipe(res);
            } else {
                res.writeHead(404).end();
            }
        });
        await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
        try {
            const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
            const schema = { ...packageSchema(PLUGIN_VERSION), pluginDownloadURL: url };
            const sdk = generateSdks(path.join(scratch, "sdk"), PLUGIN_VERSION, ["python"], schema).python;
            const [wheel] = buildPythonSdk(path.join(scratch, "wheel"), sdk).filter(f => f.endsWith(".whl"));

            const bucket = "binary-download-logs";
            emulator.seedBucket(bucket);
            const project = path.join(scratch, "project");
            fs.mkdirSync(project);
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: binary-download\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n");
            fs.writeFileSync(
                path.join(project, "__main__.py"),
                `import pulumi_oss_encryption as oss\n\noss.BucketEncryption("logs", bucket="${bucket}", sse_algorithm="AES256")\n`,
            );
            // The project's venv on top of the cached one (which holds `pulumi`), then the wheel as a user installs it.
            projectVenv(project, venv);
            execFileSync(path.join(project, "venv/bin/python"), ["-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel]);

            const s = await session(project, bin, scratch, emulator);
            const pulumi = (...args: string[]) => s.run("pulumi", args);
            assert.doesNotMatch((await pulumi("plugin", "ls")).output, /oss-encryption/, "no plugin installed before the run");
            await pulumi("up", "--yes");
            assert.deepStrictEqual(served, [`/${path.basename(tarball)}`], "the engine downloaded the tarball once from the schema's URL");
            assert.deepStrictEqual(emulator.getRule(bucket), { SSEAlgorithm: "AES256" });
            assert.match((await pulumi("plugin", "ls")).output, new RegExp(`oss-encryption\\s+resource\\s+${PLUGIN_VERSION.replace(/\./g, "\\.")}`));
            await pulumi("destroy", "--yes");
            assert.strictEqual(emulator.getRule(bucket), undefined);
        } finally {
            await new Promise<void>(resolve => server.close(() => resolve()));
        }
    });
});
