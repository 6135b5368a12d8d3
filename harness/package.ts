// The package as users get it: the tarball `npm pack` makes from this checkout, and the provider
// plugin folder with that tarball installed into it, both outside the repository.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "./pulumi";

let tarball: string | undefined;

/** The package as `npm pack` makes it from this checkout (built by its prepare script); once per run. */
export function packedTarball(): string {
    if (!tarball) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oss-encryption-pack-"));
        const packed = spawnSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: REPO, encoding: "utf8" });
        if (packed.status !== 0) {
            throw new Error(`npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
        }
        tarball = path.join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename);
    }
    return tarball;
}

let pluginDir: string | undefined;

/**
 * The plugin as a user gets it: the packed package (`npm pack`) installed into a copy of
 * plugin/package outside the repo, so nothing resolves into this checkout. Made once per test run.
 * The copy's dependency on pulumi-oss-encryption points at the tarball (a user's resolves from the
 * registry). Returns the folder to give `pulumi package add`.
 */
export function installedPlugin(): string {
    if (pluginDir) {
        return pluginDir;
    }
    const started = Date.now();
    const scratch = scratchDir("plugin");
    process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
    const dir = path.join(scratch, "plugin");
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(path.join(REPO, "plugin/package"), dir, { recursive: true });
    const manifestPath = path.join(dir, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
    manifest.dependencies["pulumi-oss-encryption"] = `file:${packedTarball()}`;
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
    console.log(`    plugin packed and installed into ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    pluginDir = dir;
    return dir;
}

/** A fresh scratch directory outside the repo. */
export function scratchDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `oss-encryption-${prefix}-`));
}

let executableDir: string | undefined;

/**
 * The plugin executable for this machine (scripts/pluginBinary.ts; cached per bundle outside the
 * clone), alone in a folder outside the repo; made once per process. Returns the folder.
 */
export function pluginExecutableDir(): string {
    if (!executableDir) {
        const dir = scratchDir("plugin-executable");
        process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        execFileSync(process.execPath, [path.join(REPO, "bin/scripts/pluginBinary.js"), dir], { stdio: ["ignore", "ignore", "inherit"] });
        executableDir = dir;
    }
    return executableDir;
}
