// The release artifacts as a user downloads them, for the tests that install what users install:
// the host platform's plugin tarball, the Python wheel, the Java jar and pom, and the packed Node.js
// SDK, made by `npm run dist`'s buildDist once per test process into a scratch folder. Also a PATH
// without `node`, to show that a program in another language needs no Node.js with the plugin
// executable.
import * as fs from "fs";
import * as path from "path";
import { buildDist } from "../scripts/dist";
import { hostPlatform } from "../scripts/pluginBinary";
import { scratchDir } from "./package";

/** The release files the tests install, by what a user does with each. */
export interface ReleaseArtifacts {
    version: string;
    /** The folder holding them. */
    dir: string;
    /** pulumi-resource-oss-encryption-v<version>-<platform>.tar.gz for this machine: `pulumi plugin install --file`. */
    pluginTarball: string;
    /** The Python SDK's wheel: `pip install`. */
    pythonWheel: string;
    /** The Java SDK's jar and pom: `mvn install:install-file`. */
    javaJar: string;
    javaPom: string;
    /** The generated Node.js SDK, @oss-encryption/pulumi, packed: `npm install`. */
    nodejsSdk: string;
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
    const platform = hostPlatform();
    const dist = await buildDist(dir, { platforms: [platform] });
    const pick = (files: string[], suffix: string) => {
        const file = files.find(f => f.endsWith(suffix));
        if (!file) {
            throw new Error(`npm run dist made no *${suffix} in ${dir}: ${files.join(", ")}`);
        }
        return file;
    };
    console.log(`    release artifacts (npm run dist, ${platform}) built into ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
        version: dist.version,
        dir,
        pluginTarball: pick(Object.values(dist.pluginTarballs), `-${platform}.tar.gz`),
        pythonWheel: pick(dist.python, ".whl"),
        javaJar: pick(dist.java, ".jar"),
        javaPom: pick(dist.java, ".pom"),
        nodejsSdk: dist.nodejsSdk,
    };
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
