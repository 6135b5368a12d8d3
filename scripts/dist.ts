// `npm run dist [-- --platform P ...] [--out DIR]`: every release artifact, built once, into one
// folder (default dist/), named as scripts/release-assets.sh lists them and the release workflow
// publishes them. The version is package.json's, as everywhere (plugin, schema, SDKs).
//
//   pulumi-oss-encryption-<v>.tgz                                 the dynamic provider (npm pack)
//   pulumi-resource-oss-encryption-v<v>-<os>-<arch>.tar.gz        the plugin executable per platform
//   pulumi-oss-encryption_<v>_checksums.txt                       sha256 of every file above and below
//   python/  nodejs/  java/                                       the SDKs (scripts/sdkBuilds.ts)
//   and the Go SDK checked (it is published as the source in sdks/go, at a tag)
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_VERSION } from "../plugin";
import { buildPluginTarballs, PLUGIN_PLATFORMS, writeChecksums } from "./pluginBinary";
import { buildJavaSdk, buildPythonSdk, checkGoSdk, packNodejsSdk } from "./sdkBuilds";
import { REPO, SDKS_DIR } from "./sdks";

export interface DistArtifacts {
    version: string;
    dir: string;
    /** The dynamic provider's npm package. */
    npmTarball: string;
    /** The plugin tarball per Pulumi platform (`linux-amd64`, ...). */
    pluginTarballs: Record<string, string>;
    checksums: string;
    /** The wheel and the sdist. */
    python: string[];
    /** The jar and the pom. */
    java: string[];
    /** The generated Node.js SDK's npm package. */
    nodejsSdk: string;
}

export interface DistOptions {
    /** The plugin's platforms; default all of PLUGIN_PLATFORMS. */
    platforms?: readonly string[];
}

/** The dynamic provider's npm package, as `npm pack` makes it (its prepare script builds bin/). */
function packNpmPackage(outDir: string): string {
    const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", outDir], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
        .trim()
        .split("\n")
        .pop() as string;
    return path.join(outDir, name);
}

/** The Java SDK's jar and its pom, under the names Maven gives them. */
function javaArtifacts(outDir: string, version: string): string[] {
    const jars = buildJavaSdk(outDir);
    const jar = jars.find(j => path.basename(j) === `pulumi-oss-encryption-${version}.jar`);
    if (!jar) {
        throw new Error(`the Java build made ${jars.map(j => path.basename(j)).join(", ")}, not pulumi-oss-encryption-${version}.jar`);
    }
    const pom = path.join(outDir, `pulumi-oss-encryption-${version}.pom`);
    fs.copyFileSync(path.join(SDKS_DIR, "java/pom.xml"), pom);
    return [jar, pom];
}

/** Builds every artifact into `outDir` (emptied first). */
export async function buildDist(outDir: string, options: DistOptions = {}): Promise<DistArtifacts> {
    const version = PLUGIN_VERSION;
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const pluginTarballs = await buildPluginTarballs(version, options.platforms ?? Object.keys(PLUGIN_PLATFORMS), outDir);
    const npmTarball = packNpmPackage(outDir);
    const python = buildPythonSdk(path.join(outDir, "python"));
    const java = javaArtifacts(path.join(outDir, "java"), version);
    checkGoSdk();
    const [nodejsSdk] = packNodejsSdk(path.join(outDir, "nodejs"));
    const checksums = writeChecksums([...Object.values(pluginTarballs), npmTarball, ...python, ...java, nodejsSdk], version, outDir);
    return { version, dir: outDir, npmTarball, pluginTarballs, checksums, python, java, nodejsSdk };
}

/** `--platform P` (repeatable) and `--out DIR`; anything else is an error naming it. */
function parseArgs(args: string[]): { out: string; platforms?: string[] } {
    let out = path.join(REPO, "dist");
    const platforms: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const [flag, value] = [args[i], args[i + 1]];
        if ((flag === "--platform" || flag === "--out") && value === undefined) {
            throw new Error(`${flag} needs a value`);
        }
        if (flag === "--platform") {
            if (!PLUGIN_PLATFORMS[value]) {
                throw new Error(`--platform ${value}: not a plugin platform; known: ${Object.keys(PLUGIN_PLATFORMS).join(", ")}`);
            }
            platforms.push(value);
            i++;
        } else if (flag === "--out") {
            out = path.resolve(value);
            i++;
        } else {
            throw new Error(`unknown argument ${flag}; usage: npm run dist -- [--platform P ...] [--out DIR]`);
        }
    }
    return { out, platforms: platforms.length ? platforms : undefined };
}

async function main(): Promise<void> {
    const { out, platforms } = parseArgs(process.argv.slice(2));
    const started = Date.now();
    const dist = await buildDist(out, { platforms });
    const files = [...Object.values(dist.pluginTarballs), dist.checksums, dist.npmTarball, dist.nodejsSdk, ...dist.python, ...dist.java];
    for (const file of files) {
        console.log(`${path.relative(process.cwd(), file)}\t${fs.statSync(file).size}`);
    }
    console.log(`dist: ${files.length} files in ${path.relative(process.cwd(), out) || "."} in ${((Date.now() - started) / 1000).toFixed(1)} s (the Go SDK in sdks/go checked)`);
}

if (require.main === module) {
    main().catch(err => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
    });
}
