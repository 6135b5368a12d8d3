// The code `pulumi import` prints, pasted into a program that uses the generated SDK, compiles and
// matches the imported state: in Go (sdks/go through a `replace`) and in Java (the jar of sdks/java
// installed into ~/.m2), with the real CLI, the installed plugin folder and the emulator. The rule
// imported is KMS with SM4 data encryption, so both enum-typed inputs are printed.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { installedPlugin, scratchDir } from "../../harness/package";
import { PLUGIN_VERSION } from "../../plugin";
import { SDK_NAMES } from "../../plugin/schema";
import { SDKS_DIR } from "../../scripts/sdks";
import { cliEnv, cliWithHosts, missing, Session } from "../plugin/support";

const PULUMI_VERSION: string = require("@pulumi/pulumi/package.json").version;
const BUCKET = "sdk-import-adopted";
const GO_MODULE_PATH = SDK_NAMES.goModule;

const has = (command: string, args: string[]) => {
    try {
        execFileSync(command, args, { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
};

/** What `pulumi import` printed after "Please copy the following code into your Pulumi application". */
function printedCode(output: string, firstLine: RegExp): string {
    const start = output.search(firstLine);
    assert.ok(start >= 0, `pulumi import printed code starting with ${firstLine}:\n${output}`);
    return output.slice(start);
}

/** A project of `runtime` with the plugin and the emulator's settings, on a file backend in `scratch`. */
async function project(dir: string, runtime: string, bin: string, scratch: string, emulator: Emulator, plugin: string): Promise<Session> {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: sdk-import-${runtime}\nruntime: ${runtime}\npackages:\n  oss-encryption: ${plugin}\n`);
    const session = new Session(dir, cliEnv(bin, scratch));
    const pulumi = (...args: string[]) => session.run("pulumi", args);
    fs.mkdirSync(path.join(scratch, "state"), { recursive: true });
    await pulumi("login", `file://${path.join(scratch, "state")}`);
    await pulumi("stack", "init", `dev-${runtime}`);
    await pulumi("config", "set", "oss-encryption:region", "cn-hangzhou");
    await pulumi("config", "set", "oss-encryption:accessKey", emulator.defaultCredential.accessKeyId);
    await session.run("pulumi", ["config", "set", "--secret", "oss-encryption:secretKey"], { input: emulator.defaultCredential.accessKeySecret });
    await pulumi("config", "set", "oss-encryption:ossEndpoint", emulator.endpoint);
    await pulumi("config", "set", "oss-encryption:kmsEndpoint", emulator.kmsEndpoint);
    return session;
}

describe("sdks: the code pulumi import prints compiles with the generated SDK", function () {
    this.timeout(20 * 60_000);
    let bin: string;
    let emulator: Emulator;
    let plugin: string;
    let scratch: string;

    before(async function () {
        bin = cliWithHosts(this, ["go", "java", "nodejs"]);
        scratch = scratchDir("sdk-import");
        emulator = await startEmulator();
        emulator.seedBucket(BUCKET, { rule: { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" } });
        plugin = installedPlugin();
    });
    after(async () => {
        await emulator?.stop();
        if (scratch && !process.env.SDK_IMPORT_KEEP) {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    it("Go: the printed main.go builds against sdks/go and previews with no changes", async function () {
        if (!has("go", ["version"])) {
            missing(this, "Go is not installed");
        }
        const dir = path.join(scratch, "go");
        fs.mkdirSync(dir);
        fs.writeFileSync(
            path.join(dir, "go.mod"),
            `module sdk-import-go\n\ngo 1.25\n\nrequire (\n\tgithub.com/pulumi/pulumi/sdk/v3 v${PULUMI_VERSION}\n\t${GO_MODULE_PATH} v${PLUGIN_VERSION}\n)\n\nreplace ${GO_MODULE_PATH} => ${path.join(SDKS_DIR, "go")}\n`,
        );
        fs.copyFileSync(path.join(SDKS_DIR, "go", "go.sum"), path.join(dir, "go.sum"));
        const session = await project(dir, "go", bin, scratch, emulator, plugin);
        const imported = await session.run("pulumi", ["import", "oss-encryption:index:BucketEncryption", "adopted", BUCKET, "--yes", "--protect=false"]);
        const code = printedCode(imported.output, /^package main$/m);
        assert.match(code, new RegExp(`"${SDK_NAMES.goPackage}"`), "imports the SDK's package");
        // The enum member, as is or converted (pulumi.String(ossencryption.SseAlgorithmKMS)): the input is
        // a string-or-enum union, and codegen has printed either form; both compile.
        assert.match(code, /SseAlgorithm:\s+(pulumi\.String\()?ossencryption\.SseAlgorithmKMS\)?,/);
        assert.match(code, /KmsDataEncryption:\s+(pulumi\.String\()?ossencryption\.KmsDataEncryptionSM4\)?,/);
        fs.writeFileSync(path.join(dir, "main.go"), code);
        const env = { ...session.env, GOFLAGS: "-mod=mod", GOWORK: "off" };
        const go = new Session(dir, env);
        await go.run("go", ["mod", "tidy"]);
        await go.run("go", ["build", "./..."]);
        await go.run("go", ["vet", "./..."]);
        await session.run("pulumi", ["preview", "--expect-no-changes"]);
    });

    it("Java: the printed App.java compiles against the SDK's jar and previews with no changes", async function () {
        if (!has("mvn", ["--version"])) {
            missing(this, "Maven (mvn) is not installed");
        }
        // The SDK's jar into ~/.m2, where the program's pom finds it.
        const sdk = path.join(scratch, "java-sdk");
        fs.cpSync(path.join(SDKS_DIR, "java"), sdk, { recursive: true });
        await new Session(sdk, process.env).run("mvn", ["-q", "-B", "-DskipTests", "install"]);

        const dir = path.join(scratch, "java");
        fs.mkdirSync(path.join(dir, "src/main/java/myproject"), { recursive: true });
        fs.writeFileSync(path.join(dir, "pom.xml"), programPom());
        const session = await project(dir, "java", bin, scratch, emulator, plugin);
        const imported = await session.run("pulumi", ["import", "oss-encryption:index:BucketEncryption", "adopted", BUCKET, "--yes", "--protect=false"]);
        const code = printedCode(imported.output, /^package generated_program;$/m);
        assert.match(code, new RegExp(`import ${SDK_NAMES.javaBasePackage.replace(/\./g, "\\.")}\\.ossencryption\\.BucketEncryption;`));
        assert.match(code, /\.sseAlgorithm\("KMS"\)/, "pulumi-java prints an enum as its string; the builder takes it");
        assert.match(code, /\.kmsDataEncryption\("SM4"\)/);
        fs.writeFileSync(path.join(dir, "src/main/java/myproject/App.java"), code.replace("package generated_program;", "package myproject;"));
        await session.run("mvn", ["-q", "-B", "compile"]);
        await session.run("pulumi", ["preview", "--expect-no-changes"]);
    });
});

/** A Maven program as `pulumi new java` makes one, depending on the SDK's coordinates. */
function programPom(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
    <modelVersion>4.0.0</modelVersion>
    <groupId>scratch</groupId>
    <artifactId>sdk-import-java</artifactId>
    <version>1.0</version>
    <properties>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
        <maven.compiler.release>11</maven.compiler.release>
        <mainClass>myproject.App</mainClass>
    </properties>
    <dependencies>
        <dependency><groupId>com.pulumi</groupId><artifactId>pulumi</artifactId><version>${SDK_NAMES.pulumiJavaVersion}</version></dependency>
        <dependency><groupId>${SDK_NAMES.mavenGroupId}</groupId><artifactId>${SDK_NAMES.mavenArtifactId}</artifactId><version>${PLUGIN_VERSION}</version></dependency>
    </dependencies>
    <build>
        <plugins>
            <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
            <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
            <plugin>
                <groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>3.1.0</version>
                <configuration><mainClass>\${mainClass}</mainClass><cleanupDaemonThreads>false</cleanupDaemonThreads></configuration>
            </plugin>
        </plugins>
    </build>
</project>
`;
}
