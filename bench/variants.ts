// What is deployed and compared: each variant is N resources of one kind on its own stack, timed
// through the same cycle in the same repetitions. One more entry in VARIANTS compares one more kind;
// the report gives it its own columns.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as automation from "@pulumi/pulumi/automation";
import { BUCKET_ENCRYPTION_TOKEN } from "../plugin/schema";
import { BucketEncryption, BucketEncryptionArgs } from "../sdk";
import { Emulator } from "../emulator";
import { ensurePulumiCli, WORK } from "../harness/pulumi";
import { installedPlugin, pluginExecutableDir } from "../harness/package";
import { PLUGIN_EXECUTABLE } from "../scripts/pluginBinary";

/** One kind of resource under measurement. */
export interface Variant {
    /** Key in results.json. */
    name: string;
    /** Column heading in the report. */
    label: string;
    /** Declares one resource with BucketEncryption's inputs in the stack's inline program. */
    declare(name: string, args: BucketEncryptionArgs): pulumi.CustomResource;
    /** Type token of its resources in state. */
    type: string;
    /** Served by Pulumi's dynamic-provider process: its start-up is measured and it is profiled. */
    dynamic?: boolean;
    /** The resource counts it is deployed at; absent: every N of the matrix. */
    counts?: number[];
    /** Its stack's config; absent: the e2e harness's emulatorConfig (the alicloud:* keys). */
    config?(emulator: Emulator): automation.ConfigMap;
    /** Environment of its CLI runs, besides the harness's. */
    env?(): Record<string, string>;
    /** A provider plugin: the executable the engine launches (its start-up is measured). */
    executable?(): string;
}

/** BucketEncryption, the subject of the benchmark. */
export const OURS: Variant = {
    name: "ours",
    label: "Ours",
    declare: (name, args) => new BucketEncryption(name, args),
    type: "pulumi-nodejs:dynamic/oss:BucketEncryption",
    dynamic: true,
};

/** Makes `require("oss-encryption-noop-provider")` load bin/bench/noop-provider.js from anything under WORK (the stacks). */
export function linkNoopProviderIntoWork(): void {
    const modules = path.join(WORK, "node_modules");
    fs.mkdirSync(modules, { recursive: true });
    const link = path.join(modules, "oss-encryption-noop-provider.js");
    if (!fs.existsSync(link)) {
        fs.symlinkSync(path.relative(modules, require.resolve("./noop-provider")), link, "file");
    }
}

const forwardTo = (method: keyof pulumi.dynamic.ResourceProvider) =>
    (...args: unknown[]) => require("oss-encryption-noop-provider").provider[method](...args);

/** The provider object Pulumi serialises into every NoopEncryption's state. */
const noopShim = Object.fromEntries(
    (["configure", "check", "diff", "create", "read", "update", "delete"] as const).map(m => [m, forwardTo(m)]),
) as unknown as pulumi.dynamic.ResourceProvider;

/** A resource with BucketEncryption's inputs whose provider does nothing. */
class NoopEncryption extends pulumi.dynamic.Resource {
    constructor(name: string, args: BucketEncryptionArgs) {
        const unset = { kmsMasterKeyId: undefined, kmsDataEncryption: undefined, region: undefined, endpoint: undefined };
        super(noopShim, name, { ...unset, ...args }, undefined, "bench", "NoopEncryption");
    }
}

/**
 * The engine's floor: NoopEncryption, a dynamic resource with BucketEncryption's inputs whose
 * provider (noop-provider.ts) does no I/O. Its shim `require`s the provider module by name when a
 * method runs, like the SDK's, so what Pulumi serialises into every resource's state is as small.
 */
export const ENGINE_FLOOR: Variant = {
    name: "noop",
    label: "Engine floor",
    declare: (name, args) => new NoopEncryption(name, args),
    type: "pulumi-nodejs:dynamic/bench:NoopEncryption",
    dynamic: true,
};

/** A BucketEncryption of the provider plugin, as a generated SDK declares it. */
class PluginBucketEncryption extends pulumi.CustomResource {
    constructor(name: string, args: BucketEncryptionArgs) {
        super(BUCKET_ENCRYPTION_TOKEN, name, { ...args });
    }
}

/** The plugin's settings for the emulator, as a stack's config. */
const pluginConfig = (emulator: Emulator): automation.ConfigMap => ({
    "oss-encryption:region": { value: "cn-hangzhou" },
    "oss-encryption:accessKey": { value: emulator.defaultCredential.accessKeyId },
    "oss-encryption:secretKey": { value: emulator.defaultCredential.accessKeySecret, secret: true },
    "oss-encryption:ossEndpoint": { value: emulator.endpoint },
    "oss-encryption:kmsEndpoint": { value: emulator.kmsEndpoint },
});

/** A plugin variant whose executable is in `dir()`, found on PATH. */
const onPath = (dir: () => string) => () => ({ PATH: [dir(), ensurePulumiCli(), process.env.PATH].join(path.delimiter) });

/**
 * The same provider served as the `oss-encryption` provider plugin (plugin/), from the packed
 * package run by Node.js (the plugin folder's launcher), found on PATH. At N = 100 only: it shows
 * what the plugin saves where the dynamic provider deserialises `__provider` per resource.
 */
export const PLUGIN: Variant = {
    name: "plugin",
    label: "Plugin (Node.js)",
    declare: (name, args) => new PluginBucketEncryption(name, args),
    type: BUCKET_ENCRYPTION_TOKEN,
    counts: [100],
    config: pluginConfig,
    env: onPath(installedPlugin),
    executable: () => path.join(installedPlugin(), PLUGIN_EXECUTABLE),
};

/** The plugin as its release executable (scripts/pluginBinary.ts: one bundle in a Node.js single executable application). */
export const PLUGIN_BINARY: Variant = {
    ...PLUGIN,
    name: "pluginBinary",
    label: "Plugin (executable)",
    env: onPath(pluginExecutableDir),
    executable: () => path.join(pluginExecutableDir(), PLUGIN_EXECUTABLE),
};

/** Every variant, in the order the first repetition runs them; ratios are against ENGINE_FLOOR. */
export const VARIANTS: Variant[] = [OURS, ENGINE_FLOOR, PLUGIN, PLUGIN_BINARY];

/** Whether a variant is deployed at a resource count. */
export const deployedAt = (variant: Variant, count: number) => variant.counts?.includes(count) ?? true;

/** The list in the order repetition `rep` runs it: rotated by one per repetition, so drift hits each alike. */
export const inRepetitionOrder = <T>(list: T[], rep: number): T[] => list.map((_, i) => list[(i + rep) % list.length]);
