// What is deployed and compared: each variant is N resources of one kind on its own stack, timed
// through the same cycle in the same repetitions. One more entry in VARIANTS compares one more kind;
// the report gives it its own columns.
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
    /** Type token of its resources in state. */
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

/** A BucketEncryption of the provider plugin, as a generated SDK declares it. */
class PluginBucketEncryption extends pulumi.CustomResource {
    constructor(name: string, args: BucketEncryptionArgs) {
        super(BUCKET_ENCRYPTION_TOKEN, name, { ...args });
    }
}

/**
 * The same provider served as the `oss-encryption` provider plugin (plugin/), from the packed
 * package, found on PATH. At N = 100 only: it shows what the plugin saves where the dynamic
 * provider deserialises `__provider` per resource.
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
export const deployedAt = (variant: Variant, count: number) => variant.counts?.includes(count) ?? true;

/** The list in the order repetition `rep` runs it: rotated by one per repetition, so drift hits each alike. */
export const inRepetitionOrder = <T>(list: T[], rep: number): T[] => list.map((_, i) => list[(i + rep) % list.length]);
