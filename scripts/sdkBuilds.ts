// Builds the generated SDKs (sdks/<language>, scripts/sdks.ts) into their published artifacts, for a
// later `npm run dist` step. Each function builds from a temporary copy (so nothing is written into
// sdks/), puts its artifacts into `outDir` and returns their paths.
//
// - Python: wheel and sdist, `python -m build --no-isolation` in a venv cached outside the clone with
//   build and setuptools pinned (PYTHON_BUILD_REQUIREMENTS), so no per-build download.
// - Java: the jar, `mvn package` with sdks/java/pom.xml (offline, `-o`, once ~/.m2 holds the plugins
//   and com.pulumi:pulumi; online otherwise).
// - Go: no artifact (a Go module is published as its source at a tag): `go build ./...` and `go vet
//   ./...` in sdks/go with -mod=readonly, i.e. against the committed go.mod and go.sum.
// - Node.js: `npm run build` (tsc) against this repository's node_modules (our TypeScript 5 and
//   @pulumi/pulumi), then `npm pack` of bin/ as the Node.js language host's Pack does.
// - C#: none; no .NET SDK can be installed on the machines this runs on.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cacheRoot, REPO, run, SDKS_DIR } from "./sdks";

/** What the Python build venv holds (pinned). */
export const PYTHON_BUILD_REQUIREMENTS = ["build==1.6.1", "setuptools==84.2.1"];


/** A temporary copy of `source` (default sdks/<language>); removed by the caller. */
function copyOf(language: string, source = path.join(SDKS_DIR, language)): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `oss-encryption-sdk-${language}-`));
    fs.cpSync(source, dir, { recursive: true });
    return dir;
}

function withCopy<T>(language: string, build: (dir: string) => T, source?: string): T {
    const dir = copyOf(language, source);
    try {
        return build(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The venv for `python -m build`, made once per machine (keyed by the requirements and the Python version). */
export function pythonBuildVenv(): string {
    const python = process.env.PYTHON ?? "python3";
    const version = run(python, ["-c", "import sys; print(sys.version)"], { cwd: REPO });
    const key = crypto.createHash("sha256").update(`${PYTHON_BUILD_REQUIREMENTS.join("\n")}\n${version}`).digest("hex").slice(0, 12);
    const venv = path.join(cacheRoot(), `venv-sdk-build-${key}`);
    if (!fs.existsSync(path.join(venv, ".complete"))) {
        fs.rmSync(venv, { recursive: true, force: true });
        run(python, ["-m", "venv", venv], { cwd: REPO });
        run(path.join(venv, "bin/pip"), ["install", "--quiet", "--disable-pip-version-check", ...PYTHON_BUILD_REQUIREMENTS], { cwd: REPO });
        fs.writeFileSync(path.join(venv, ".complete"), "");
    }
    return venv;
}

/** The Python wheel and sdist of sdks/python (or of `source`, a generated Python SDK), in `outDir`. */
export function buildPythonSdk(outDir: string, source?: string): string[] {
    const venv = pythonBuildVenv();
    fs.mkdirSync(outDir, { recursive: true });
    return withCopy("python", dir => {
        const dist = path.join(dir, ".dist");
        run(path.join(venv, "bin/python"), ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", dist, dir], { cwd: dir });
        return fs
            .readdirSync(dist)
            .sort()
            .map(f => {
                fs.copyFileSync(path.join(dist, f), path.join(outDir, f));
                return path.join(outDir, f);
            });
    }, source);
}

/** The Java SDK's jar (sdks/java/pom.xml), in `outDir`. Maven's cache is ~/.m2, as usual. */
export function buildJavaSdk(outDir: string): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    return withCopy("java", dir => {
        const mvn = (offline: boolean) => run("mvn", ["-q", "-B", ...(offline ? ["-o"] : []), "-DskipTests", "package"], { cwd: dir });
        try {
            mvn(true);
        } catch {
            // Not everything is in ~/.m2 yet (the first build on a machine): the same, online.
            mvn(false);
        }
        const target = path.join(dir, "target");
        return fs
            .readdirSync(target)
            .filter(f => f.endsWith(".jar"))
            .map(f => {
                fs.copyFileSync(path.join(target, f), path.join(outDir, f));
                return path.join(outDir, f);
            });
    });
}

/** Checks that sdks/go builds and vets against its committed go.mod and go.sum; returns the module folder (the source is the artifact). */
export function checkGoSdk(): string[] {
    const dir = path.join(SDKS_DIR, "go");
    const env = { ...process.env, GOFLAGS: "-mod=readonly", GOWORK: "off" };
    run("go", ["build", "./..."], { cwd: dir, env });
    run("go", ["vet", "./..."], { cwd: dir, env });
    return [dir];
}

/** The npm tarball of sdks/nodejs (built with this repository's TypeScript), in `outDir`. */
export function packNodejsSdk(outDir: string): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    return withCopy("nodejs", dir => {
        // Our node_modules: TypeScript 5.9, @types/node and the @pulumi/pulumi every test runs.
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
        run("npm", ["run", "build"], { cwd: dir });
        for (const file of ["package.json", "README.md"]) {
            fs.copyFileSync(path.join(dir, file), path.join(dir, "bin", file));
        }
        fs.copyFileSync(path.join(REPO, "LICENSE"), path.join(dir, "bin", "LICENSE"));
        const name = run("npm", ["pack", path.join(dir, "bin"), "--pack-destination", outDir, "--silent"], { cwd: dir }).trim().split("\n").pop() as string;
        return [path.join(outDir, name)];
    });
}

/** Every SDK's artifacts (the Go check included), by language. */
export function buildSdks(outDir: string): Record<string, string[]> {
    return {
        python: buildPythonSdk(path.join(outDir, "python")),
        java: buildJavaSdk(path.join(outDir, "java")),
        go: checkGoSdk(),
        nodejs: packNodejsSdk(path.join(outDir, "nodejs")),
    };
}

if (require.main === module) {
    const out = path.resolve(process.argv[2] ?? path.join(REPO, ".work", "sdk-artifacts"));
    for (const [language, build] of Object.entries({
        python: () => buildPythonSdk(path.join(out, "python")),
        java: () => buildJavaSdk(path.join(out, "java")),
        go: () => checkGoSdk(),
        nodejs: () => packNodejsSdk(path.join(out, "nodejs")),
    })) {
        const started = Date.now();
        const artifacts = build();
        const sizes = artifacts.map(a => (fs.statSync(a).isFile() ? `${path.relative(process.cwd(), a)} (${fs.statSync(a).size} bytes)` : path.relative(process.cwd(), a)));
        console.log(`${language}: ${sizes.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
}
