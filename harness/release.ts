// The release artifacts as a user downloads them, for the tests that install what users install:
// the host platform's plugin tarball, the Python wheel, the Java jar and pom, and the packed Node.js
// SDK. Built once per test process into a scratch folder. Also a PATH without `node`, to show that
// a program in another language needs no Node.js once the plugin is the binary.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_VERSION } from "../plugin";
import { SDK_NAMES } from "../plugin/schema";
import { buildJavaSdk, buildPythonSdk, packNodejsSdk } from "../scripts/sdkBuilds";
import { SDKS_DIR } from "../scripts/sdks";
import { installedPlugin, scratchDir } from "./package";

/** The release files the tests install, by what a user does with each. */
export interface ReleaseArtifacts {
    version: string;
    /** The folder holding them. */
    dir: string;
    /** pulumi-resource-oss-encryption-v<version>-<platform>.tar.gz for this machine: `pulumi plugin install --file`. */
    pluginTarball: string;
    /**
     * Whether the plugin in that tarball needs `node` on PATH.
     * TODO(i21-binary): true only while the tarball is the interim one (the installed plugin folder
     * with its Node.js launcher); false with buildDist's self-contained executable. Remove with it.
     */
    pluginNeedsNode: boolean;
    /** The Python SDK's wheel: `pip install`. */
    pythonWheel: string;
    /** The Java SDK's jar and pom: `mvn install:install-file`. */
    javaJar: string;
    javaPom: string;
    /** The generated Node.js SDK, @oss-encryption/pulumi, packed: `npm install`. */
    nodejsSdk: string;
}

/** The platform part of a plugin tarball's name for this machine (Pulumi's names: linux-amd64, darwin-arm64, ...). */
export function hostPlatform(): string {
    const os = process.platform === "win32" ? "windows" : process.platform;
    const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch] ?? process.arch;
    return `${os}-${arch}`;
}

let artifacts: Promise<ReleaseArtifacts> | undefined;

/** The release artifacts, built on first use (a minute or so) and shared by every suite of the process. */
export function releaseArtifacts(): Promise<ReleaseArtifacts> {
    artifacts ??= build();
    return artifacts;
}

async function build(): Promise<ReleaseArtifacts> {
    const started = Date.now();
    const dir = scratchDir("release");
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    const version = PLUGIN_VERSION;

    // TODO(i21-binary): interim, until scripts/dist.ts (buildDist) is on main: the installed plugin
    // folder (with its Node.js launcher and node_modules) tarred as the release's tarball is named.
    const pluginTarball = path.join(dir, `pulumi-resource-oss-encryption-v${version}-${hostPlatform()}.tar.gz`);
    execFileSync("tar", ["-czf", pluginTarball, "-C", installedPlugin(), "."]);

    const [pythonWheel] = buildPythonSdk(path.join(dir, "python")).filter(f => f.endsWith(".whl"));
    const [javaJar] = buildJavaSdk(path.join(dir, "java"));
    // The pom the release publishes beside the jar (scripts/release-assets.sh: <artifact>-<version>.pom).
    const javaPom = path.join(dir, "java", `${SDK_NAMES.mavenArtifactId}-${version}.pom`);
    fs.copyFileSync(path.join(SDKS_DIR, "java", "pom.xml"), javaPom);
    const [nodejsSdk] = packNodejsSdk(path.join(dir, "nodejs"));
    for (const [name, file] of Object.entries({ pythonWheel, javaJar, nodejsSdk })) {
        if (!file || !fs.existsSync(file)) {
            throw new Error(`release artifacts: no ${name} in ${dir}`);
        }
    }
    console.log(`    release artifacts built into ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { version, dir, pluginTarball, pluginNeedsNode: true, pythonWheel, javaJar, javaPom, nodejsSdk };
}

/** The executables that belong to Node.js, left out of pathWithoutNode's folders. */
const NODE_EXECUTABLES = new Set(["node", "nodejs", "npm", "npx", "corepack"]);

const isExecutable = (file: string) => {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
};

/**
 * `searchPath` with no `node`: each entry that holds a `node` executable (such as /usr/bin, where
 * the machine's Node.js 20 is) is replaced by a folder under `scratch` of symlinks to everything it
 * holds but Node.js's own executables; the other entries stay. Throws if `node` is still found.
 */
export function pathWithoutNode(searchPath: string, scratch: string): string {
    const entries = searchPath.split(path.delimiter).filter(e => e !== "");
    const shadowRoot = path.join(scratch, "path-without-node");
    const result = entries.map((entry, i) => {
        if (!isExecutable(path.join(entry, "node"))) {
            return entry;
        }
        const shadow = path.join(shadowRoot, String(i));
        fs.mkdirSync(shadow, { recursive: true });
        for (const name of fs.readdirSync(entry)) {
            if (!NODE_EXECUTABLES.has(name)) {
                fs.symlinkSync(path.join(entry, name), path.join(shadow, name));
            }
        }
        return shadow;
    });
    const joined = result.join(path.delimiter);
    const found = result.find(e => isExecutable(path.join(e, "node")));
    if (found) {
        throw new Error(`pathWithoutNode: node is still found in ${found}`);
    }
    return joined;
}
