// Each generated SDK builds into what would be published (scripts/sdkBuilds.ts, for `npm run dist`):
// the artifacts exist, carry the names and version of plugin/schema.ts, and hold the package's code.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "../../harness/package";
import { PLUGIN_VERSION } from "../../plugin";
import { SDK_NAMES } from "../../plugin/schema";
import { buildJavaSdk, buildPythonSdk, checkGoSdk, packNodejsSdk } from "../../scripts/sdkBuilds";
import { SDKS_DIR } from "../../scripts/sdks";
import { missing } from "../plugin/support";

const has = (command: string, args = ["--version"]) => {
    try {
        execFileSync(command, args, { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
};
const listing = (command: string, args: string[]) => execFileSync(command, args, { encoding: "utf8" });
const unzipped = (archive: string, member: string) => execFileSync("unzip", ["-p", archive, member], { encoding: "utf8" });

describe("sdks: each SDK builds", function () {
    this.timeout(15 * 60_000);
    let out: string;
    before(() => {
        out = scratchDir("sdk-artifacts");
    });
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("Python: a wheel and an sdist (python -m build), with pulumi-plugin.json at the package's version", function () {
        if (!has("python3")) {
            missing(this, "python3 is not installed");
        }
        const artifacts = buildPythonSdk(path.join(out, "python")).map(a => path.basename(a));
        assert.deepStrictEqual(artifacts, [`${SDK_NAMES.python}-${PLUGIN_VERSION}-py3-none-any.whl`, `${SDK_NAMES.python}-${PLUGIN_VERSION}.tar.gz`]);
        const wheel = path.join(out, "python", artifacts[0]);
        const plugin = JSON.parse(unzipped(wheel, `${SDK_NAMES.python}/pulumi-plugin.json`));
        assert.deepStrictEqual({ name: plugin.name, version: plugin.version }, { name: "oss-encryption", version: PLUGIN_VERSION });
        const metadata = unzipped(wheel, `${SDK_NAMES.python}-${PLUGIN_VERSION}.dist-info/METADATA`);
        assert.match(metadata, /^Requires-Python: >=3\.10$/m);
        assert.match(listing("unzip", ["-l", wheel]), /bucket_encryption\.py/);
    });

    it("Java: the jar (mvn package with sdks/java/pom.xml), classes in io.github.ossencryption.ossencryption", function () {
        if (!has("mvn")) {
            missing(this, "Maven (mvn) is not installed");
        }
        const [jar, ...others] = buildJavaSdk(path.join(out, "java"));
        assert.deepStrictEqual(others, []);
        assert.strictEqual(path.basename(jar), `${SDK_NAMES.mavenArtifactId}-${PLUGIN_VERSION}.jar`);
        const files = listing("unzip", ["-l", jar]);
        assert.match(files, /io\/github\/ossencryption\/ossencryption\/BucketEncryption\.class/);
        assert.match(files, new RegExp(`META-INF/maven/${SDK_NAMES.mavenGroupId}/${SDK_NAMES.mavenArtifactId}/pom\\.xml`));
        assert.strictEqual(unzipped(jar, "io/github/ossencryption/oss-encryption/version.txt").trim(), PLUGIN_VERSION);
    });

    it("Go: go build ./... and go vet ./... in sdks/go against the committed go.mod and go.sum", function () {
        if (!has("go", ["version"])) {
            missing(this, "Go is not installed");
        }
        assert.deepStrictEqual(checkGoSdk(), [path.join(SDKS_DIR, "go")]);
    });

    it("Node.js: the npm tarball (tsc with our TypeScript, npm pack), JavaScript and declarations", () => {
        const [tarball] = packNodejsSdk(path.join(out, "nodejs"));
        assert.strictEqual(path.basename(tarball), `oss-encryption-pulumi-${PLUGIN_VERSION}.tgz`);
        const files = listing("tar", ["tzf", tarball]).split("\n");
        for (const file of ["package/package.json", "package/index.js", "package/index.d.ts", "package/bucketEncryption.js", "package/README.md", "package/LICENSE"]) {
            assert.ok(files.includes(file), `${file} in ${tarball}`);
        }
        const manifest = JSON.parse(execFileSync("tar", ["xzfO", tarball, "package/package.json"], { encoding: "utf8" }));
        assert.deepStrictEqual(
            { name: manifest.name, version: manifest.version, plugin: manifest.pulumi?.version },
            { name: SDK_NAMES.nodejs, version: PLUGIN_VERSION, plugin: PLUGIN_VERSION },
        );
    });
});
