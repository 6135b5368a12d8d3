// The OSS encryption policy pack (Pulumi CrossGuard): what platform teams enforce on every stack
// that declares OSS bucket encryption, with our BucketEncryption or @pulumi/alicloud's resources.
// Each policy is a named export (allowedAlgorithms, ..., everyBucketEncrypted). A pack's policies
// come from `ossEncryptionPolicies(args)` (to combine with a team's own) or
// `newOssEncryptionPolicyPack(name, args)` (policy/pack/index.js calls it): `args` sets each
// policy's enforcement level and config, keyed as the named exports are, and each call makes
// policies of its own, sharing nothing with another pack.
import type { EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DeclaredBucketInputs, makeResourcePolicy, makeStackPolicy, PolicyArgs, ResourcePolicyDefinition } from "./definition";
import { POLICY_NAMES, PolicyKey } from "./names";
import {
    AllowedAlgorithmsArgs,
    AllowedKmsKeysArgs,
    KmsRequiredArgs,
    NoUnencryptingDeleteArgs,
    RESOURCE_POLICIES,
    Sm4RequiredArgs,
} from "./resourcePolicies";
import { EveryBucketEncryptedArgs, OneOwnerPerBucketArgs, STACK_POLICIES } from "./stackPolicies";

export * from "./declarations";
export { DeclaredBucketInputs, PolicyArgs } from "./definition";
export { POLICY_NAMES, PolicyKey } from "./names";
export {
    allowedAlgorithms,
    AllowedAlgorithmsArgs,
    AllowedAlgorithmsConfig,
    allowedKmsKeys,
    AllowedKmsKeysArgs,
    AllowedKmsKeysConfig,
    keyAllowed,
    kmsRequired,
    KmsRequiredArgs,
    noUnencryptingDelete,
    NoUnencryptingDeleteArgs,
    NoUnencryptingDeleteConfig,
    sm4Required,
    Sm4RequiredArgs,
} from "./resourcePolicies";
export { everyBucketEncrypted, EveryBucketEncryptedArgs, oneOwnerPerBucket, OneOwnerPerBucketArgs } from "./stackPolicies";

/**
 * Each policy's enforcement level and config, keyed as the policies' named exports: a level, or
 * `{ enforcementLevel, ...config }` (awsguard's shape). What is not given keeps the policy's
 * default. `--policy-pack-config` still sets anything on top, by policy name.
 *
 * ```ts
 * newOssEncryptionPolicyPack("platform", {
 *     all: "mandatory",
 *     sm4Required: "disabled",
 *     allowedKmsKeys: { allowedKeys: ["alias/platform-oss"] },
 * });
 * ```
 */
export interface OssEncryptionPolicyArgs {
    /** The level of every policy not given one here (default: each policy's own). */
    all?: EnforcementLevel;
    allowedAlgorithms?: EnforcementLevel | AllowedAlgorithmsArgs;
    kmsRequired?: EnforcementLevel | KmsRequiredArgs;
    allowedKmsKeys?: EnforcementLevel | AllowedKmsKeysArgs;
    sm4Required?: EnforcementLevel | Sm4RequiredArgs;
    noUnencryptingDelete?: EnforcementLevel | NoUnencryptingDeleteArgs;
    oneOwnerPerBucket?: EnforcementLevel | OneOwnerPerBucketArgs;
    everyBucketEncrypted?: EnforcementLevel | EveryBucketEncryptedArgs;
}

/** The policies of one pack, by their keys. */
export type OssEncryptionPolicySet = { [K in keyof typeof RESOURCE_POLICIES]: ResourceValidationPolicy } & {
    [K in keyof typeof STACK_POLICIES]: StackValidationPolicy;
};

/** True when A and B are the same union (of keys). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Every policy has a name, a definition and an entry in the args, under one key.
const everyPolicyKeyed: Same<keyof OssEncryptionPolicySet, PolicyKey> & Same<keyof OssEncryptionPolicyArgs, PolicyKey | "all"> = true;
void everyPolicyKeyed;

/** The keys of the args: every policy's, and `all`. */
const ARG_KEYS: ReadonlyArray<keyof OssEncryptionPolicyArgs> = ["all", ...(Object.keys(POLICY_NAMES) as PolicyKey[])];

/** A policy's level and settings from its entry in the args. */
function makingOf(given: EnforcementLevel | PolicyArgs | undefined, all: EnforcementLevel | undefined) {
    if (typeof given === "string") {
        return { enforcementLevel: given, settings: {} };
    }
    const { enforcementLevel, ...settings } = given ?? {};
    return { enforcementLevel: enforcementLevel ?? all, settings };
}

/**
 * The policies of one pack, by their keys, with the levels and config of `args`. The stack policies
 * judge each alicloud Bucket by the inputs this set's resource policies saw, and by nothing another
 * set saw: one set for each pack.
 */
export function ossEncryptionPolicySet(args: OssEncryptionPolicyArgs = {}): OssEncryptionPolicySet {
    const unknown = Object.keys(args).filter(key => !(ARG_KEYS as string[]).includes(key));
    if (unknown.length > 0) {
        throw new Error(`The OSS encryption policies have no ${unknown.map(k => `"${k}"`).join(", ")}; the args take: ${ARG_KEYS.join(", ")}.`);
    }
    const declared = new DeclaredBucketInputs();
    const resource = Object.entries(RESOURCE_POLICIES).map(([key, definition]) => {
        const making = makingOf(args[key as keyof typeof RESOURCE_POLICIES], args.all);
        return [key, makeResourcePolicy<object>(definition as ResourcePolicyDefinition<object>, { ...making, declared })] as const;
    });
    const stack = Object.entries(STACK_POLICIES).map(([key, definition]) => {
        const making = makingOf(args[key as keyof typeof STACK_POLICIES], args.all);
        return [key, makeStackPolicy(definition, { ...making, declared })] as const;
    });
    return Object.fromEntries([...resource, ...stack]) as OssEncryptionPolicySet;
}

/** The policies of one pack (see ossEncryptionPolicySet), to combine with a team's own in a PolicyPack. */
export function ossEncryptionPolicies(args: OssEncryptionPolicyArgs = {}): Array<ResourceValidationPolicy | StackValidationPolicy> {
    return Object.values(ossEncryptionPolicySet(args));
}

/** newOssEncryptionPolicyPack's args: the policies' (OssEncryptionPolicyArgs), and 0.1.0's single level. */
export interface OssEncryptionPackArgs extends OssEncryptionPolicyArgs {
    /** @deprecated Use `all`: the level of every policy not given one. */
    enforcementLevel?: EnforcementLevel;
}

/**
 * Starts the policy pack (call it once, from the pack's program). `args` sets each policy's level
 * and config (OssEncryptionPolicyArgs); the pack config
 * (`pulumi preview --policy-pack <dir> --policy-pack-config <file>`) sets them on top, by policy name.
 */
export function newOssEncryptionPolicyPack(name = "oss-encryption", args: OssEncryptionPackArgs = {}): PolicyPack {
    // Loaded here, not at the top: the policies themselves need no @pulumi/policy at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const policy = require("@pulumi/policy") as typeof import("@pulumi/policy");
    const { enforcementLevel, ...policyArgs } = args;
    const policies = ossEncryptionPolicies({ ...policyArgs, all: policyArgs.all ?? enforcementLevel });
    return new policy.PolicyPack(name, { policies, description: "OSS bucket default encryption guardrails (pulumi-oss-encryption)." });
}
