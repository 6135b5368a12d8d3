// What `npm pack` would publish: the files, the scripts a consumer's install can run, the
// dependency declarations, and source maps that point at shipped sources.
import * as assert from "assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { lowestOfRange } from "../../sdk/pulumiVersion";
import { REPO } from "../../harness/pulumi";
import { PACKAGE_MANAGER_VERSIONS } from "../support/standalone";

interface PackedFile {
    path: string;
}

/** Scripts npm may run in a consumer's copy: on install, and `prepare` on an install from git. */
const CONSUMER_LIFECYCLE = ["preinstall", "install", "postinstall", "prepare", "prepublish"];

describe("the packed package", function () {
    this.timeout(120_000);
    let files: string[];
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
        version: string;
        scripts: Record<string, string>;
        engines: Record<string, string>;
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
        peerDependencies: Record<string, string>;
        bin: Record<string, string>;
    };

    before(() => {
        const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8" });
        files = (JSON.parse(out) as Array<{ files: PackedFile[] }>)[0].files.map(f => f.path);
    });

    it("ships the built package, its sources, README and LICENSE, and nothing of tests, harness or bench", () => {
        for (const file of ["LICENSE", "README.md", "package.json", "bin/sdk/index.js", "bin/sdk/index.d.ts", "bin/provider/index.js"]) {
            assert.ok(files.includes(file), `${file} is shipped`);
        }
        assert.deepEqual(files.filter(f => /^(bin\/)?(tests|harness|bench|scripts|examples)\//.test(f)), []);
    });

    it("ships two commands, node scripts with their sources: oss-encryption-emulator and pulumi-oss-encryption (scan)", () => {
        assert.deepEqual(manifest.bin, { "oss-encryption-emulator": "bin/emulator/main.js", "pulumi-oss-encryption": "bin/scan/main.js" });
        for (const file of ["bin/emulator/main.js", "bin/emulator/index.js", "bin/emulator/index.d.ts", "emulator/main.ts", "emulator/index.ts", "bin/scan/main.js", "bin/scan/scan.js", "scan/main.ts"]) {
            assert.ok(files.includes(file), `${file} is shipped`);
        }
        for (const main of ["bin/emulator/main.js", "bin/scan/main.js"]) {
            assert.equal(fs.readFileSync(path.join(REPO, main), "utf8").split("\n")[0], "#!/usr/bin/env node", main);
        }
    });

    it("runs no install-time script that needs a file it does not ship", () => {
        for (const name of CONSUMER_LIFECYCLE) {
            const script = manifest.scripts[name];
            if (script === undefined) {
                continue;
            }
            // Every path-like word of the script (a/b, x.json, x.js) must be a shipped file.
            const paths = script.split(/\s+/).filter(word => /[/]|\.(js|json|sh)$/.test(word));
            for (const file of paths) {
                assert.ok(files.includes(file), `scripts.${name} ("${script}") needs ${file}, which is not shipped`);
            }
        }
    });

    it("ships source maps only together with the sources they name", () => {
        const maps = files.filter(f => f.endsWith(".js.map"));
        assert.ok(maps.length > 0, "the build writes source maps");
        for (const map of maps) {
            const { sources } = JSON.parse(fs.readFileSync(path.join(REPO, map), "utf8")) as { sources: string[] };
            for (const source of sources) {
                const shipped = path.posix.normalize(path.posix.join(path.posix.dirname(map), source));
                assert.ok(files.includes(shipped), `${map} names ${shipped}, which is not shipped`);
            }
        }
    });

    it("takes @pulumi/pulumi as a peer and needs Node.js 22 or newer", () => {
        assert.equal(manifest.dependencies["@pulumi/pulumi"], undefined, "@pulumi/pulumi is not a dependency (a second copy)");
        assert.match(manifest.peerDependencies["@pulumi/pulumi"], /^>=3\.\d+\.\d+ <4$/);
        assert.equal(manifest.engines.node, ">=22");
    });

    it("is described with the versions package.json declares, in README.md, docs/ and the examples' READMEs", () => {
        const docs = [
            "README.md",
            ...fs.readdirSync(path.join(REPO, "docs")).map(f => `docs/${f}`),
            ...fs.readdirSync(path.join(REPO, "examples")).map(d => `examples/${d}/README.md`),
        ].filter(f => f.endsWith(".md") && fs.existsSync(path.join(REPO, f)));
        const text = Object.fromEntries(docs.map(f => [f, fs.readFileSync(path.join(REPO, f), "utf8")]));
        /** Asserts that every version `pattern` captures (there is at least one) is `expected`; returns where each stands. */
        const assertStated = (what: string, pattern: RegExp, expected: string): string[] => {
            const statements = docs.flatMap(f => [...text[f].matchAll(pattern)].map(m => `${f}: ${m[1]}`));
            assert.ok(statements.length > 0, `the docs state ${what}`);
            assert.deepEqual(statements.filter(s => !s.endsWith(`: ${expected}`)), [], `${what} is ${expected}`);
            return statements;
        };
        const minor = (version: string) => version.split(".").slice(0, 2).join(".");

        const sdk = assertStated("the lowest @pulumi/pulumi", /`@pulumi\/pulumi`\s+(\S+)\s+or\s+newer/g, lowestOfRange(manifest.peerDependencies["@pulumi/pulumi"]));
        assert.ok(sdk.some(s => s.startsWith("README.md: ")), "README.md states the lowest @pulumi/pulumi");
        assertStated("the lowest Node.js", /Node\.js\s+\(?(\d+)(?:\+|\s+or\s+newer)/g, manifest.engines.node.replace(/^>=/, ""));
        assertStated("the version in the tarball's name", /pulumi-oss-encryption-(\d+\.\d+\.\d+)\.tgz/g, manifest.version);
        assertStated("the Pulumi CLI's pin", /develops with \((\d+\.\d+\.\d+)/g, manifest.devDependencies["@pulumi/pulumi"]);
        assertStated("the pnpm the tests use", /\(pnpm (\d+\.\d+), yarn/g, minor(PACKAGE_MANAGER_VERSIONS.pnpm));
        assertStated("the yarn the tests use", /, yarn (\d+\.\d+)\)/g, minor(PACKAGE_MANAGER_VERSIONS.yarn));
    });

    it("runs on Node.js 24 in CI", function () {
        if (process.env.CI !== "true") {
            this.skip();
        }
        assert.ok(Number(process.versions.node.split(".")[0]) >= 24, `Node.js ${process.versions.node}`);
    });
});
