// What is deployed and compared: each variant is N resources of one kind on its own stack, timed
// through the same cycle (up, preview, refresh, destroy) in the same repetitions. Comparing one more
// kind of resource takes one more entry in VARIANTS; the report gives it its own columns.
import type * as pulumi from "@pulumi/pulumi";
import { BucketEncryption, BucketEncryptionArgs } from "../sdk";
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

/** Every variant, in the order the first repetition runs them; ratios are against ENGINE_FLOOR. */
export const VARIANTS: Variant[] = [OURS, ENGINE_FLOOR];

/** Whether a variant is deployed at a resource count. */
export function deployedAt(variant: Variant, count: number): boolean {
    return variant.counts?.includes(count) ?? true;
}

/** The list in the order repetition `rep` runs it: rotated by one per repetition, so drift hits each alike. */
export function inRepetitionOrder<T>(list: T[], rep: number): T[] {
    return list.map((_, i) => list[(i + rep) % list.length]);
}
