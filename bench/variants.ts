// What is deployed and compared: each variant is N resources of one kind on its own stack, timed
// through the same cycle (up, preview, refresh, destroy) in the same repetitions. Comparing one more
// kind of resource takes one more entry in VARIANTS; the report gives it its own columns.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as automation from "@pulumi/pulumi/automation";
import { BUCKET_ENCRYPTION_TOKEN } from "../plugin/schema";
import { BucketEncryption, BucketEncryptionArgs } from "../sdk";
import { Emulator } from "../tests/emulator";
import { ensurePulumiCli } from "../tests/e2e/harness";
import { installedPlugin } from "../tests/plugin/support";
import { NoopEncryption, NOOP_TYPE } from "./noop-resource";

/** One kind of resource under measurement. */
export interface Variant {
    /** Key in results.json. */
    name: string;
    /** Column heading in the report. */
    label: string;
    /** Declares one resource with BucketEncryption's inputs in the stack's inline program. */
    declare(name: string, args: BucketEncryptionArgs): pulumi.CustomResource;
    /** Type token of its resources in state, for the state sizes. */
    type: string;
    /** The module Pulumi's dynamic-provider process requires for it; absent: start-up not measured. */
    providerModule?: string;
    /** The resource counts it is deployed at; absent: every N of the matrix. */
    counts?: number[];
    /** Its stack's config; absent: the e2e harness's emulatorConfig (the alicloud:* keys). */
    config?(emulator: Emulator): automation.ConfigMap;
    /** Environment of its CLI runs, besides the harness's. */
    env?(): Record<string, string>;
}

/** BucketEncryption, the subject of the benchmark. */
export const OURS: Variant = {
    name: "ours",
    label: "Ours",
    declare: (name, args) => new BucketEncryption(name, args),
    type: "pulumi-nodejs:dynamic/oss:BucketEncryption",
    providerModule: "pulumi-oss-encryption/provider",
};

/** The engine's floor: a dynamic resource with the same inputs whose provider does no I/O. */
export const ENGINE_FLOOR: Variant = {
    name: "noop",
    label: "Engine floor",
    declare: (name, args) => new NoopEncryption(name, args),
    type: NOOP_TYPE,
    providerModule: "oss-encryption-noop-provider",
};

/** A BucketEncryption of the provider plugin, as a generated SDK would declare it. */
class PluginBucketEncryption extends pulumi.CustomResource {
    constructor(name: string, args: BucketEncryptionArgs) {
        super(BUCKET_ENCRYPTION_TOKEN, name, { ...args });
    }
}

/**
 * The same provider served as the `oss-encryption` provider plugin (plugin/): a schema'd resource
 * with no `__provider` in its inputs. The plugin folder is made from the packed package, as a user
 * gets it, and found by the engine on PATH. At N = 100 only: it answers what the plugin saves on a
 * no-change preview and on up, where the dynamic provider deserialises `__provider` per resource.
 */
export const PLUGIN: Variant = {
    name: "plugin",
    label: "Plugin",
    declare: (name, args) => new PluginBucketEncryption(name, args),
    type: BUCKET_ENCRYPTION_TOKEN,
    counts: [100],
    config: emulator => ({
        "oss-encryption:region": { value: "cn-hangzhou" },
        "oss-encryption:accessKey": { value: emulator.defaultCredential.accessKeyId },
        "oss-encryption:secretKey": { value: emulator.defaultCredential.accessKeySecret, secret: true },
        "oss-encryption:ossEndpoint": { value: emulator.endpoint },
        "oss-encryption:kmsEndpoint": { value: emulator.kmsEndpoint },
    }),
    env: () => ({ PATH: [installedPlugin(), ensurePulumiCli(), process.env.PATH].join(path.delimiter) }),
};

/** Every variant, in the order the first repetition runs them; ratios are against ENGINE_FLOOR. */
export const VARIANTS: Variant[] = [OURS, ENGINE_FLOOR, PLUGIN];

/** Whether a variant is deployed at a resource count. */
export function deployedAt(variant: Variant, count: number): boolean {
    return variant.counts?.includes(count) ?? true;
}

/** The list in the order repetition `rep` runs it: rotated by one per repetition, so drift hits each alike. */
export function inRepetitionOrder<T>(list: T[], rep: number): T[] {
    return list.map((_, i) => list[(i + rep) % list.length]);
}
