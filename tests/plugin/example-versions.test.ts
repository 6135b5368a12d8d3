// The plugin examples name the SDKs by the coordinates and versions plugin/schema.ts and package.json
// give (one source for each), so a version bump or a rename cannot leave an example behind on an
// older SDK that the lifecycle would still pass with.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_VERSION } from "../../plugin";
import { SDK_NAMES } from "../../plugin/schema";
import { REPO } from "../../harness/pulumi";

const read = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

/** The version go.mod requires `module` at. */
const goRequire = (goMod: string, module: string) => new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[./]/g, "\\$&")} (v\\S+)`, "m").exec(goMod)?.[1];

describe("plugin examples: SDK names and versions", () => {
    it("examples/go requires sdks/go's module at the package's version, and the Pulumi Go SDK sdks/go requires", () => {
        const example = read("examples/go/go.mod");
        assert.equal(goRequire(example, SDK_NAMES.goModule), `v${PLUGIN_VERSION}`);
        const pulumiSdk = "github.com/pulumi/pulumi/sdk/v3";
        assert.ok(goRequire(read("sdks/go/go.mod"), pulumiSdk), "sdks/go/go.mod requires the Pulumi Go SDK");
        assert.equal(goRequire(example, pulumiSdk), goRequire(read("sdks/go/go.mod"), pulumiSdk));
        assert.match(read("examples/go/main.go"), new RegExp(`"${SDK_NAMES.goPackage}"`));
        assert.ok(read("examples/go/README.md").includes(`go mod edit -replace ${SDK_NAMES.goModule}=<checkout>/sdks/go`));
    });

    it("examples/java depends on the Java SDK's coordinates at the package's version, and on the Pulumi Java SDK it is built with", () => {
        const pom = read("examples/java/pom.xml").replace(/\s+/g, "");
        assert.ok(pom.includes(`<groupId>${SDK_NAMES.mavenGroupId}</groupId><artifactId>${SDK_NAMES.mavenArtifactId}</artifactId><version>${PLUGIN_VERSION}</version>`), "the SDK dependency");
        assert.ok(pom.includes(`<groupId>com.pulumi</groupId><artifactId>pulumi</artifactId><version>${SDK_NAMES.pulumiJavaVersion}</version>`), "com.pulumi:pulumi");
        assert.match(read("examples/java/src/main/java/myproject/App.java"), new RegExp(`import ${SDK_NAMES.javaBasePackage.replace(/\./g, "\\.")}\\.ossencryption\\.BucketEncryption;`));
    });

    it("examples/typescript-plugin and examples/python import the SDKs by their published names", () => {
        assert.ok(read("examples/typescript-plugin/index.ts").includes(`from "${SDK_NAMES.nodejs}"`));
        assert.match(read("examples/python/__main__.py"), new RegExp(`^import ${SDK_NAMES.python} as `, "m"));
    });
});
