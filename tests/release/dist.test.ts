// `npm run dist` as the release workflow runs it (scripts/dist.ts, every platform, into a scratch
// folder): scripts/release-assets.sh then finds every file it publishes; the checksums file covers
// each of them; each plugin tarball holds an executable for its own OS and CPU; every artifact has
// package.json's version. That the linux-amd64 executable works is tests/release/pluginBinary.test.ts.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "../../harness/package";
import { REPO } from "../../harness/pulumi";
import { PLUGIN_VERSION } from "../../plugin";
import { PLUGIN_EXECUTABLE, PLUGIN_PLATFORMS, pluginTarballName } from "../../scripts/pluginBinary";
import { missing } from "../plugin/support";

/** What `file` says an executable of each platform is. */
const FORMATS: Record<string, RegExp> = {
    "linux-amd64": /ELF 64-bit LSB .*x86-64/,
    "linux-arm64": /ELF 64-bit LSB .*ARM aarch64/,
    "darwin-amd64": /Mach-O 64-bit x86_64 executable/,
    "windows-amd64": /PE32\+ executable .*x86-64/,
};

describe("release: npm run dist", function () {
    this.timeout(30 * 60_000);
    let out: string;
    let printed: string;

    before(function () {
        for (const tool of ["go", "mvn", "file"]) {
            try {
                execFileSync("which", [tool], { stdio: "ignore" });
            } catch {
                missing(this, `${tool} is not on PATH (npm run dist needs Go and Maven; the test reads executables with file)`);
            }
        }
        out = scratchDir("dist");
        printed = execFileSync(process.execPath, [path.join(REPO, "bin/scripts/dist.js"), "--out", out], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    });
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("writes every file scripts/release-assets.sh checks, and prints each with its size", () => {
        const listed = execFileSync("bash", [path.join(REPO, "scripts/release-assets.sh"), out, PLUGIN_VERSION], { encoding: "utf8" }).trim().split("\n");
        assert.strictEqual(listed.length, 11, listed.join("\n"));
        for (const file of listed) {
            assert.match(printed, new RegExp(`${path.basename(file).replace(/[.+]/g, "\\$&")}\\t${fs.statSync(file).size}\\n`), `npm run dist printed ${file} and its size`);
        }
    });

    it("lists every published file in the checksums file, with its sha256", () => {
        const listed = execFileSync("bash", [path.join(REPO, "scripts/release-assets.sh"), out, PLUGIN_VERSION], { encoding: "utf8" }).trim().split("\n");
        const checksums = listed.find(f => f.endsWith("_checksums.txt")) as string;
        const sums = new Map(
            fs
                .readFileSync(checksums, "utf8")
                .trim()
                .split("\n")
                .map(line => [line.slice(66), line.slice(0, 64)]),
        );
        const others = listed.filter(f => f !== checksums);
        assert.deepStrictEqual([...sums.keys()].sort(), others.map(f => path.basename(f)).sort());
        for (const file of others) {
            assert.strictEqual(sums.get(path.basename(file)), crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex"), file);
        }
    });

    it("packs, per platform, the executable for that OS and CPU and the licence", () => {
        for (const platform of Object.keys(PLUGIN_PLATFORMS)) {
            const tarball = path.join(out, pluginTarballName(PLUGIN_VERSION, platform));
            const name = platform.startsWith("windows-") ? `${PLUGIN_EXECUTABLE}.exe` : PLUGIN_EXECUTABLE;
            const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").sort();
            assert.deepStrictEqual(listing, ["LICENSE", name], tarball);
            const dir = scratchDir(`dist-${platform}`);
            try {
                execFileSync("tar", ["-xzf", tarball, "-C", dir, name]);
                assert.match(execFileSync("file", ["-b", path.join(dir, name)], { encoding: "utf8" }), FORMATS[platform], `${tarball}: ${name}`);
                // The SEA blob is injected: Node's marker of an injected application is in the binary.
                assert.ok(fs.readFileSync(path.join(dir, name)).includes("NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1"), `${name} of ${platform} has its SEA fuse flipped`);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
    });

    it("gives every package package.json's version", () => {
        const pkg = (tgz: string) => JSON.parse(execFileSync("tar", ["-xzOf", tgz, "package/package.json"], { encoding: "utf8" }));
        assert.strictEqual(pkg(path.join(out, `pulumi-oss-encryption-${PLUGIN_VERSION}.tgz`)).version, PLUGIN_VERSION);
        assert.strictEqual(pkg(path.join(out, `nodejs/oss-encryption-pulumi-${PLUGIN_VERSION}.tgz`)).version, PLUGIN_VERSION);
        assert.ok(fs.existsSync(path.join(out, `python/pulumi_oss_encryption-${PLUGIN_VERSION}-py3-none-any.whl`)));
        assert.match(fs.readFileSync(path.join(out, `java/pulumi-oss-encryption-${PLUGIN_VERSION}.pom`), "utf8"), new RegExp(`<version>${PLUGIN_VERSION.replace(/\./g, "\\.")}</version>`));
    });
});
