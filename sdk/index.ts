// What users import: the BucketEncryption resource.
import * as pulumi from "@pulumi/pulumi";
import * as properties from "../provider/bucketEncryption/properties";
import { unsupportedPulumiMessage } from "./pulumiVersion";

const unsupported = unsupportedPulumiMessage(
    (require("@pulumi/pulumi/version") as { version: string }).version,
    (require("../../package.json") as { peerDependencies: Record<string, string> }).peerDependencies["@pulumi/pulumi"],
);
if (unsupported) {
    throw new Error(unsupported);
}

/** Server-side encryption methods: SSE-OSS with AES-256, SSE-KMS, SSE-OSS with SM4. */
export type SseAlgorithm = properties.SseAlgorithm;

/**
 * What removing a BucketEncryption (from the program, or by `pulumi destroy`) does to the bucket's
 * rule. OSS's DeleteBucketEncryption leaves a bucket with no default encryption at all, so:
 * - `RemoveRule` (the default): delete the rule, as other tools do;
 * - `KeepRule`: leave the rule in place (Pulumi forgets it; the bucket stays encrypted as it was);
 * - `FallbackToAES256`: replace the rule with SSE-OSS (AES-256), so the bucket is never left without
 *   default encryption.
 * Unlike the `retainOnDelete` resource option, which skips the provider's delete altogether,
 * `onDelete` is an input: it is recorded in the state, shown in previews and checkable by policy.
 */
export type OnDelete = properties.OnDelete;

/** Arguments of a BucketEncryption: the user inputs of provider/bucketEncryption/properties.ts, with their docs for editors. */
export interface BucketEncryptionArgs {
    /** Name of the existing OSS bucket: 3-63 lowercase letters, digits and hyphens. Changing it replaces the resource. */
    bucket: pulumi.Input<string>;
    /** `AES256` (SSE-OSS), `KMS` (SSE-KMS) or `SM4` (SSE-OSS with SM4). */
    sseAlgorithm: pulumi.Input<SseAlgorithm>;
    /** KMS only: the CMK (key ID, ARN or alias), at most 300 characters. Empty or absent: the OSS default CMK. */
    kmsMasterKeyId?: pulumi.Input<string>;
    /** KMS only: `SM4` to encrypt objects with SM4; absent means AES-256. */
    kmsDataEncryption?: pulumi.Input<"SM4">;
    /** Region of the bucket, overriding the stack's `alicloud:region`; at most 64 characters. */
    region?: pulumi.Input<string>;
    /** OSS endpoint (host or URL, at most 270 characters), overriding the region's endpoint and `alicloud:endpoints`. */
    endpoint?: pulumi.Input<string>;
    /** What removing the resource does to the rule; see OnDelete. Default `RemoveRule`. Changing it writes nothing to OSS. */
    onDelete?: pulumi.Input<OnDelete>;
}

/**
 * A method that `require`s the installed package's provider when it runs and calls the same method.
 * Nothing else is captured, so what Pulumi serialises stays small, holds no credential, and an
 * upgraded package serves old resources too.
 */
function forwardTo(method: keyof pulumi.dynamic.ResourceProvider) {
    return (...args: unknown[]) => require("pulumi-oss-encryption/provider").provider[method](...args);
}

/** The provider object Pulumi serialises into every resource's state. */
const providerShim: pulumi.dynamic.ResourceProvider = {
    configure: forwardTo("configure"),
    check: forwardTo("check"),
    diff: forwardTo("diff"),
    create: forwardTo("create"),
    read: forwardTo("read"),
    update: forwardTo("update"),
    delete: forwardTo("delete"),
};

/**
 * The default server-side encryption rule of an OSS bucket (Put/Get/DeleteBucketEncryption).
 * Its ID is the bucket name. `{ import: "<bucket>" }` adopts an existing rule without writing it,
 * provided the program declares exactly that rule.
 */
export class BucketEncryption extends pulumi.dynamic.Resource {
    /** The bucket whose default encryption this is. */
    declare public readonly bucket: pulumi.Output<string>;
    /** The encryption method in force. */
    declare public readonly sseAlgorithm: pulumi.Output<SseAlgorithm>;
    /** The CMK used with KMS; undefined for the OSS default CMK or another algorithm. */
    declare public readonly kmsMasterKeyId: pulumi.Output<string | undefined>;
    /** `SM4` when KMS encrypts data with SM4. */
    declare public readonly kmsDataEncryption: pulumi.Output<"SM4" | undefined>;
    /** The region the rule was applied in. */
    declare public readonly region: pulumi.Output<string>;
    /** The endpoint override, if one was given. */
    declare public readonly endpoint: pulumi.Output<string | undefined>;
    /** What removing the resource does to the rule; undefined means `RemoveRule`. */
    declare public readonly onDelete: pulumi.Output<OnDelete | undefined>;

    constructor(name: string, args: BucketEncryptionArgs, opts?: pulumi.CustomResourceOptions) {
        // Pulumi cannot route the `import` option to a dynamic provider (pulumi/pulumi#16175), so it
        // becomes an input that makes create adopt the live rule instead of writing one.
        const { import: importId, ...resourceOptions } = opts ?? {};
        super(
            providerShim,
            name,
            {
                // Every input present, so that each one is an output of the resource too.
                ...Object.fromEntries(properties.USER_INPUT_NAMES.map(name => [name, undefined])),
                ...args,
                ...(importId ? { importId } : {}),
                // The engine does not tell a dynamic provider it is previewing; check acts on this and drops it.
                ...(pulumi.runtime.isDryRun() ? { [properties.PREVIEW_MARKER]: "true" } : {}),
            },
            resourceOptions,
            "oss",
            "BucketEncryption",
        );
    }
}
