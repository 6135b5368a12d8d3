// The plugin folder (plugin/package) as `pulumi package add` or a user's copy has it: started
// before `npm install`, it says what to run, where; what it installs is the tested runtime; and
// README.md's `pulumi package add <plugin-folder>` (the install from source) works in a Python project.
import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { REPO } from "../../harness/pulumi";
import { installedPlugin, scratchDir } from "../../harness/package";
import { README } from "../standalone/readme";
import { fillPlaceholders, shellBlocks } from "../support/standalone";
import { cliEnv, cliWithHosts, copyExample, projectVenv, pythonVenv, Session } from "./support";

describe("plugin: the plugin folder", () => {
    let folder: string;
    before(() => {
        // Outside the repository, so that nothing resolves into this checkout's node_modules.
        folder = path.join(scratchDir("plugin-folder"), "oss-encryption-plugin");
        fs.cpSync(path.join(REPO, "plugin/package"), folder, { recursive: true });
    });
    after(() => fs.rmSync(path.dirname(folder), { recursive: true, force: true }));

    for (const [how, command, args] of [
        ["its entry with node (as the Node.js language host's run-plugin does)", process.execPath, ["index.js", "127.0.0.1:1"]],
        ["its launcher (as the engine does when the folder holds one)", "./pulumi-resource-oss-encryption", ["127.0.0.1:1"]],
    ] as const) {
        it(`without npm install, ${how} says to run npm install in the folder, and exits non-zero`, () => {
            const run = spawnSync(command, [...args], { cwd: folder, encoding: "utf8", timeout: 30_000 });
            assert.notEqual(run.status, 0, "exits non-zero");
            assert.equal(run.stdout, "", "prints no port");
            assert.ok(run.stderr.includes(`Run \`npm install\` in ${folder}`), run.stderr);
            assert.match(run.stderr, /pulumi-oss-encryption/);
            assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
        });
    }

    it("without npm install, `pulumi preview` of a program using it shows that message, not a stack trace", async function () {
        this.timeout(5 * 60_000);
        const bin = cliWithHosts(this, ["yaml", "nodejs"]);
        const scratch = path.dirname(folder);
        const project = path.join(scratch, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            `name: uninstalled-plugin\nruntime: yaml\npackages:\n  oss-encryption: ${folder}\nresources:\n  logs:\n    type: oss-encryption:BucketEncryption\n    properties:\n      bucket: acme-logs\n      sseAlgorithm: AES256\n`,
        );
        const session = new Session(project, cliEnv(bin, scratch));
        fs.mkdirSync(path.join(scratch, "state"));
        await session.run("pulumi", ["login", `file://${path.join(scratch, "state")}`]);
        await session.run("pulumi", ["stack", "init", "dev"]);
        const preview = await session.run("pulumi", ["preview"], { expectFailure: true });
        assert.ok(preview.output.includes(`Run \`npm install\` in ${folder}`), preview.output);
        assert.doesNotMatch(preview.output, /node:internal|\sat \S+ \(/, "no stack trace");
        console.log(preview.output.split("\n").filter(line => line.includes("npm install")).map(line => `      ${line.trim()}`).join("\n"));
        console.log(`    pulumi preview exited ${preview.code} after ${preview.seconds.toFixed(1)} s`);
    });

    it("pins @pulumi/pulumi and its gRPC runtime to the versions the tests run", () => {
        const folderManifest = JSON.parse(fs.readFileSync(path.join(REPO, "plugin/package/package.json"), "utf8"));
        const repoManifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
        for (const name of ["@pulumi/pulumi", "@grpc/grpc-js", "google-protobuf"]) {
            assert.equal(folderManifest.dependencies[name], repoManifest.devDependencies[name], `plugin/package/package.json ${name}`);
            assert.match(folderManifest.dependencies[name], /^\d+\.\d+\.\d+$/, `${name}: an exact version`);
        }
        assert.equal(folderManifest.dependencies["pulumi-oss-encryption"], repoManifest.version);
    });

    it("README.md's `pulumi package add <plugin-folder>` in examples/python generates the SDK, links it into the venv, and the program previews", async function () {
        this.timeout(10 * 60_000);
        const bin = cliWithHosts(this, ["python", "nodejs"]);
        const cachedVenv = pythonVenv(this);
        const line = shellBlocks(README)
            .flat()
            .find(c => c.startsWith("pulumi package add "));
        assert.ok(line, "README.md shows `pulumi package add <plugin-folder>`");
        const scratch = scratchDir("package-add");
        const emulator = await startEmulator();
        try {
            emulator.seedBucket("package-add-logs");
            const project = copyExample("python", scratch);
            projectVenv(project, cachedVenv);
            const session = new Session(project, cliEnv(bin, scratch));
            const pulumi = (...args: string[]) => session.run("pulumi", args);
            fs.mkdirSync(path.join(scratch, "state"));
            await pulumi("login", `file://${path.join(scratch, "state")}`);
            await pulumi("stack", "init", "dev");
            await pulumi("install");
            await session.shell(fillPlaceholders(line, { "<plugin-folder>": installedPlugin() }));
            assert.ok(fs.existsSync(path.join(project, "sdks/oss-encryption")), "the SDK is generated into sdks/oss-encryption");
            assert.match(fs.readFileSync(path.join(project, "requirements.txt"), "utf8"), /sdks\/oss-encryption/, "requirements.txt names it");
            for (const [key, value] of Object.entries({
                "oss-encryption:region": "cn-hangzhou",
                "oss-encryption:accessKey": emulator.defaultCredential.accessKeyId,
                "oss-encryption:ossEndpoint": emulator.endpoint,
                "oss-encryption:kmsEndpoint": emulator.kmsEndpoint,
                bucket: "package-add-logs",
            })) {
                await pulumi("config", "set", key, value);
            }
            await session.run("pulumi", ["config", "set", "--secret", "oss-encryption:secretKey"], { input: emulator.defaultCredential.accessKeySecret });
            const preview = await pulumi("preview");
            assert.match(preview.output, /\+\s+oss-encryption:index:BucketEncryption\s+logs\s+create/, preview.output);
            assert.equal(emulator.getRule("package-add-logs"), undefined, "a preview writes nothing");
            console.log(session.table("python, source folder"));
        } finally {
            await emulator.stop();
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });
});
