// The SDKs generated from the plugin's schema, one folder per language under sdks/ (committed; the
// hand-written dynamic-provider SDK is sdk/, a different thing). `npm run sdks` rewrites them:
//
// - nodejs, python, go, java: `pulumi package gen-sdk plugin/schema.json --language <lang>
//   --version <package.json version>`, with the CLI and language hosts of scripts/ensure-pulumi-cli.sh;
// - dotnet: tools/gen-dotnet-sdk (the C# generator of pulumi/pkg v3.205.0; the CLI would need the
//   pulumi-language-dotnet host, whose module the Go module proxy refuses);
//
// then what codegen leaves out, written here so that it is regenerated too and never drifts by hand:
//
// - python: README.md beside pyproject.toml (pyproject names it; codegen writes it into the package);
// - go: go.mod requires the Pulumi Go SDK of our @pulumi/pulumi version (codegen names v3.256.0), and
//   `go mod tidy` writes go.sum;
// - java: pom.xml with the Maven coordinates of plugin/schema.ts SDK_NAMES (codegen emits Gradle files
//   only, named after the base package; the schema turns them off).
//
// tests/sdks/generated.test.ts regenerates into a temporary folder and fails on any difference.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLUGIN_VERSION } from "../plugin";
import { packageSchema, SDK_NAMES } from "../plugin/schema";
import { schemaText } from "./schema";

/** The repository root (this file is compiled to bin/scripts/). */
export const REPO = path.resolve(__dirname, "../..");
/** Where the committed SDKs are. */
export const SDKS_DIR = path.join(REPO, "sdks");
/** The languages, as folder names under sdks/ (and gen-sdk's --language). */
export const SDK_LANGUAGES = ["nodejs", "python", "go", "java", "dotnet"] as const;
export type SdkLanguage = (typeof SDK_LANGUAGES)[number];
/** The command that rewrites sdks/, for failure messages. */
export const REGENERATE_SDKS = "npm run sdks";

/** The version of @pulumi/pulumi we build with; the Go SDK requires the Go SDK of the same version. */
const PULUMI_VERSION: string = require(path.join(REPO, "node_modules/@pulumi/pulumi/package.json")).version;

/** Runs a build tool, returning its stdout; a failure says the command, where it ran, and everything it printed. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
    try {
        return execFileSync(command, args, {
            cwd: options.cwd,
            env: options.env ?? process.env,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            // A first Maven build online or a first go mod tidy on a machine can take minutes.
            timeout: 15 * 60_000,
        });
    } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        const where = options.cwd ? ` (in ${options.cwd})` : "";
        throw new Error(`${command} ${args.join(" ")}${where} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
}

/** The directory of `pulumi` and the language hosts (scripts/ensure-pulumi-cli.sh). */
export function pulumiBin(): string {
    return run("bash", [path.join(REPO, "scripts/ensure-pulumi-cli.sh")]).trim().split("\n").pop() as string;
}

/** A cache directory outside the clone (scripts/cache-root.sh). */
export function cacheRoot(): string {
    return run("bash", ["-c", `. "${REPO}/scripts/cache-root.sh" && echo "$cache_root"`]).trim();
}

/** tools/gen-dotnet-sdk, built once into the cache (the Go build cache makes a rebuild quick). */
function dotnetGenerator(): string {
    const out = path.join(cacheRoot(), "gen-dotnet-sdk", "gen-dotnet-sdk");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    run("go", ["build", "-trimpath", "-o", out, "."], { cwd: path.join(REPO, "tools/gen-dotnet-sdk") });
    return out;
}

/** The Java SDK's Maven build: coordinates from SDK_NAMES, everything else pinned, so `mvn -o` works once the cache is warm. */
export function javaPom(version: string): string {
    const schema = packageSchema(version) as { description: string; repository: string; license: string };
    return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/sdks.ts (npm run sdks) with the generated sources; do not edit by hand. -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>

    <groupId>${SDK_NAMES.mavenGroupId}</groupId>
    <artifactId>${SDK_NAMES.mavenArtifactId}</artifactId>
    <version>${version}</version>
    <packaging>jar</packaging>

    <name>${SDK_NAMES.mavenArtifactId}</name>
    <description>${schema.description}</description>
    <url>${schema.repository}</url>
    <licenses>
        <license>
            <name>${schema.license}</name>
            <url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>
        </license>
    </licenses>
    <scm>
        <url>${schema.repository}</url>
    </scm>

    <properties>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
        <maven.compiler.release>11</maven.compiler.release>
        <!-- Reproducible jars: fixed entry times. -->
        <project.build.outputTimestamp>2000-01-01T00:00:00Z</project.build.outputTimestamp>
    </properties>

    <dependencies>
        <dependency>
            <groupId>com.pulumi</groupId>
            <artifactId>pulumi</artifactId>
            <version>${SDK_NAMES.pulumiJavaVersion}</version>
        </dependency>
        <!-- javax.annotation.Nullable in the generated code (codegen's Gradle files add it too). -->
        <dependency>
            <groupId>com.google.code.findbugs</groupId>
            <artifactId>jsr305</artifactId>
            <version>3.0.2</version>
        </dependency>
    </dependencies>

    <build>
        <plugins>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-resources-plugin</artifactId>
                <version>3.3.1</version>
            </plugin>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.13.0</version>
            </plugin>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-surefire-plugin</artifactId>
                <version>3.5.2</version>
            </plugin>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-jar-plugin</artifactId>
                <version>3.4.2</version>
            </plugin>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-install-plugin</artifactId>
                <version>3.1.3</version>
            </plugin>
        </plugins>
    </build>
</project>
`;
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string, base = dir): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap(entry => {
            const full = path.join(dir, entry.name);
            return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
        })
        .sort();
}

/** What codegen leaves out, added to one language's generated folder. */
function complete(language: SdkLanguage, dir: string, version: string): void {
    switch (language) {
        case "python":
            fs.copyFileSync(path.join(dir, SDK_NAMES.python, "README.md"), path.join(dir, "README.md"));
            break;
        case "go": {
            const env = { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off" };
            run("go", ["mod", "edit", `-require=github.com/pulumi/pulumi/sdk/v3@v${PULUMI_VERSION}`], { cwd: dir, env });
            run("go", ["mod", "tidy"], { cwd: dir, env });
            break;
        }
        case "java":
            fs.writeFileSync(path.join(dir, "pom.xml"), javaPom(version));
            break;
        default:
            break;
    }
}

/**
 * Generates every language's SDK into `out/<language>` (replacing what is there) from the schema the
 * plugin serves at `version` (or `schema`, a variant of it), and returns the folders.
 */
export function generateSdks(
    out: string,
    version: string = PLUGIN_VERSION,
    languages: readonly SdkLanguage[] = SDK_LANGUAGES,
    schema: Record<string, unknown> = packageSchema(version),
): Record<string, string> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "oss-encryption-sdks-"));
    try {
        const schemaFile = path.join(work, "schema.json");
        fs.writeFileSync(schemaFile, schemaText(schema));
        const bin = pulumiBin();
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(work, "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
        };
        const generated = path.join(work, "out");
        const folders: Record<string, string> = {};
        for (const language of languages) {
            if (language === "dotnet") {
                run(dotnetGenerator(), [schemaFile, path.join(generated, language), version]);
            } else {
                // Codegen's diagnostics (Java's "secret property ... does not have an Output type") go to stderr; run() keeps them out.
                run(path.join(bin, "pulumi"), ["package", "gen-sdk", schemaFile, "--language", language, "--out", generated, "--version", version], { cwd: work, env });
            }
            complete(language, path.join(generated, language), version);
            const target = path.join(out, language);
            fs.rmSync(target, { recursive: true, force: true });
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.cpSync(path.join(generated, language), target, { recursive: true });
            folders[language] = target;
        }
        return folders;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const languages = process.argv.slice(2) as SdkLanguage[];
    for (const language of languages) {
        if (!SDK_LANGUAGES.includes(language)) {
            throw new Error(`unknown SDK language ${language}: one of ${SDK_LANGUAGES.join(", ")}`);
        }
    }
    const started = Date.now();
    const folders = generateSdks(SDKS_DIR, PLUGIN_VERSION, languages.length ? languages : SDK_LANGUAGES);
    for (const [language, dir] of Object.entries(folders)) {
        console.log(`${language}: ${path.relative(process.cwd(), dir)} (${listFiles(dir).length} files)`);
    }
    console.log(`version ${PLUGIN_VERSION}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
