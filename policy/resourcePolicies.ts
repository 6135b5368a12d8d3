// The pack's resource policies: each resource that declares a bucket's default encryption (our
// BucketEncryption, alicloud's BucketServerSideEncryption, a Bucket's inline rule) judged on its own.
// Each policy is a named export; RESOURCE_POLICIES holds their definitions, for the pack to make
// its own (policy/index.ts).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KMS_DATA_ENCRYPTIONS, ON_DELETE_CHOICES, OnDelete, SSE_ALGORITHMS, SseAlgorithm } from "../provider/bucketEncryption";
import { KeyReference, parseKeyReference } from "../provider/kms/keyReference";
import { describeDeclaration, EncryptionDeclaration, Unknown } from "./declarations";
import { makeResourcePolicy, PolicyArgs, ResourcePolicyDefinition, withoutConfig } from "./definition";
import { POLICY_NAMES } from "./names";

/** Config of oss-encryption-allowed-algorithms. */
export interface AllowedAlgorithmsConfig {
    /** SSEAlgorithm values allowed; default all three. */
    allowedAlgorithms: SseAlgorithm[];
}

/** Config of oss-encryption-allowed-kms-keys. */
export interface AllowedKmsKeysConfig {
    /**
     * CMKs allowed, as key IDs, key ARNs, aliases (`alias/...`) or alias ARNs. Empty (the default):
     * no CMK is, and each KMS rule's violation says that allowedKeys is not configured.
     */
    allowedKeys: string[];
    /** Whether KMS with the OSS default CMK (no kmsMasterKeyId) is allowed; default false. */
    allowDefaultKey: boolean;
}

/** Config of oss-encryption-no-unencrypting-delete. */
export interface NoUnencryptingDeleteConfig {
    /** onDelete values allowed for BucketEncryption; default KeepRule and FallbackToAES256. */
    allowedOnDelete: OnDelete[];
}

/** oss-encryption-allowed-algorithms in the pack's args: its level and config. */
export interface AllowedAlgorithmsArgs extends PolicyArgs, Partial<AllowedAlgorithmsConfig> {}
/** oss-encryption-kms-required in the pack's args (no config). */
export type KmsRequiredArgs = PolicyArgs;
/** oss-encryption-allowed-kms-keys in the pack's args: its level and config. */
export interface AllowedKmsKeysArgs extends PolicyArgs, Partial<AllowedKmsKeysConfig> {}
/** oss-encryption-sm4-required in the pack's args (no config). */
export type Sm4RequiredArgs = PolicyArgs;
/** oss-encryption-no-unencrypting-delete in the pack's args: its level and config. */
export interface NoUnencryptingDeleteArgs extends PolicyArgs, Partial<NoUnencryptingDeleteConfig> {}

/** The algorithm that is KMS, and SM4 as both an algorithm and a KMS data encryption (typed: both lists must have them). */
const KMS: SseAlgorithm = "KMS";
const SM4: SseAlgorithm & (typeof KMS_DATA_ENCRYPTIONS)[number] = "SM4";
/** The onDelete choice that deletes the rule, leaving the bucket without default encryption. */
const UNENCRYPTING_DELETE: OnDelete = "RemoveRule";

/** Whether the objects a declaration's rule writes are encrypted with SM4; Unknown when that is not known. */
function sm4ForData(d: EncryptionDeclaration): boolean | typeof Unknown {
    if (d.sseAlgorithm === Unknown) {
        return Unknown;
    }
    if (d.sseAlgorithm === SM4) {
        return true;
    }
    if (d.sseAlgorithm !== KMS) {
        return false;
    }
    return d.kmsDataEncryption === Unknown ? Unknown : d.kmsDataEncryption === SM4;
}

/**
 * Whether a key reference is one of `allowed`, comparing key IDs with key IDs and aliases with
 * aliases after taking ARNs apart; a region or account is compared only when both name one.
 * An alias and a key ID never match: telling which key an alias points to needs KMS.
 */
export function keyAllowed(reference: string, allowed: readonly string[]): boolean {
    const key = parseKeyReference(reference);
    const same = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;
    const sameName = (a: KeyReference, b: KeyReference) =>
        a.kind === b.kind && (a.kind === "key" ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name);
    return allowed.map(parseKeyReference).some(entry => sameName(key, entry) && same(key.region, entry.region) && same(key.account, entry.account));
}

/** A list of choices, quoted and joined with "or". */
const either = (choices: readonly string[]) => choices.map(c => `"${c}"`).join(" or ");

const allowedAlgorithmsDefinition: ResourcePolicyDefinition<AllowedAlgorithmsConfig> = {
    name: POLICY_NAMES.allowedAlgorithms,
    description: "Bucket default encryption uses one of the allowed algorithms (SSEAlgorithm).",
    enforcementLevel: "mandatory",
    defaults: { allowedAlgorithms: [...SSE_ALGORITHMS] },
    configSchema: defaults => ({
        properties: {
            allowedAlgorithms: { type: "array", items: { type: "string", enum: [...SSE_ALGORITHMS] }, default: [...defaults.allowedAlgorithms] },
        },
    }),
    check: (d, { allowedAlgorithms }, report) => {
        if (typeof d.sseAlgorithm === "string" && !(allowedAlgorithms as string[]).includes(d.sseAlgorithm)) {
            report(`${describeDeclaration(d)} sets SSEAlgorithm ${d.sseAlgorithm}; allowed: ${allowedAlgorithms.join(", ")}.`);
        } else if (d.sseAlgorithm === undefined) {
            report(`${describeDeclaration(d)} sets no SSEAlgorithm; allowed: ${allowedAlgorithms.join(", ")}.`);
        }
    },
};

const kmsRequiredDefinition = withoutConfig(
    { name: POLICY_NAMES.kmsRequired, description: "Bucket default encryption is SSE-KMS (SSEAlgorithm KMS).", enforcementLevel: "advisory" },
    (d, report) => {
        if (d.sseAlgorithm !== Unknown && d.sseAlgorithm !== KMS) {
            report(`${describeDeclaration(d)} sets SSEAlgorithm ${String(d.sseAlgorithm ?? "(none)")}; KMS is required.`);
        }
    },
);

const allowedKmsKeysDefinition: ResourcePolicyDefinition<AllowedKmsKeysConfig> = {
    name: POLICY_NAMES.allowedKmsKeys,
    description: "SSE-KMS uses one of the allowed CMKs (key IDs, ARNs and aliases compared after normalising); the OSS default CMK only if allowed.",
    enforcementLevel: "mandatory",
    defaults: { allowedKeys: [], allowDefaultKey: false },
    configSchema: defaults => ({
        properties: {
            allowedKeys: { type: "array", items: { type: "string" }, default: [...defaults.allowedKeys] },
            allowDefaultKey: { type: "boolean", default: defaults.allowDefaultKey },
        },
    }),
    check: (d, { allowedKeys, allowDefaultKey }, report) => {
        if (d.sseAlgorithm !== KMS || d.kmsMasterKeyId === Unknown) {
            return;
        }
        // Without a list the policy fails closed: an enabled allow-list that allowed every CMK (or
        // judged nothing) would look enforced and not be.
        const name = POLICY_NAMES.allowedKmsKeys;
        const where = "in --policy-pack-config or the pack's args, or disable the policy.";
        if (d.kmsMasterKeyId === undefined) {
            if (allowDefaultKey) {
                return;
            }
            report(
                allowedKeys.length > 0
                    ? `${describeDeclaration(d)} uses the OSS default CMK; use one of: ${allowedKeys.join(", ")}.`
                    : `${describeDeclaration(d)} uses the OSS default CMK, which is not allowed (allowDefaultKey is false), and ${name} has no ` +
                          `allowedKeys configured: set allowedKeys (the CMKs stacks may use) or allowDefaultKey: true ${where}`,
            );
        } else if (allowedKeys.length === 0) {
            report(
                `${describeDeclaration(d)} uses CMK "${d.kmsMasterKeyId}", but ${name} has no allowedKeys configured, so no CMK is allowed: ` +
                    `set allowedKeys (the CMKs stacks may use) ${where}`,
            );
        } else if (!keyAllowed(d.kmsMasterKeyId, allowedKeys)) {
            report(
                `${describeDeclaration(d)} uses CMK "${d.kmsMasterKeyId}", which is not allowed; use one of: ${allowedKeys.join(", ")} ` +
                    `(an alias and a key ID never match: list the form the program uses).`,
            );
        }
    },
};

const sm4RequiredDefinition = withoutConfig(
    {
        name: POLICY_NAMES.sm4Required,
        description: "Objects are encrypted with SM4: SSEAlgorithm SM4, or KMS with KMSDataEncryption SM4.",
        enforcementLevel: "advisory",
    },
    (d, report) => {
        if (sm4ForData(d) === false) {
            report(
                `${describeDeclaration(d)} encrypts objects with AES-256 (SSEAlgorithm ${String(d.sseAlgorithm ?? "(none)")}); SM4 is required: ` +
                    `use SSEAlgorithm SM4, or KMS with kmsDataEncryption SM4.`,
            );
        }
    },
);

const noUnencryptingDeleteDefinition: ResourcePolicyDefinition<NoUnencryptingDeleteConfig> = {
    name: POLICY_NAMES.noUnencryptingDelete,
    description:
        "Removing a resource never leaves a bucket without default encryption: BucketEncryption declares onDelete KeepRule or FallbackToAES256.",
    enforcementLevel: "advisory",
    defaults: { allowedOnDelete: ON_DELETE_CHOICES.filter(c => c !== UNENCRYPTING_DELETE) },
    configSchema: defaults => ({
        properties: {
            allowedOnDelete: { type: "array", items: { type: "string", enum: [...ON_DELETE_CHOICES] }, default: [...defaults.allowedOnDelete] },
        },
    }),
    check: (d, { allowedOnDelete }, report) => {
        if (d.kind === "BucketServerSideEncryption") {
            report(
                `${describeDeclaration(d)}: removing it calls DeleteBucketEncryption, which leaves the bucket without default ` +
                    `encryption. Use BucketEncryption with onDelete ${either(allowedOnDelete)}.`,
            );
        } else if (d.kind === "BucketEncryption" && d.onDelete !== Unknown && !(allowedOnDelete as string[]).includes(d.onDelete)) {
            report(
                `${describeDeclaration(d)} has onDelete "${d.onDelete}": removing it deletes the rule and leaves the bucket without ` +
                    `default encryption. Set onDelete to ${either(allowedOnDelete)}.`,
            );
        }
    },
};

/** The resource policies' definitions, by their keys in the pack's args, in the pack's order. */
export const RESOURCE_POLICIES = {
    allowedAlgorithms: allowedAlgorithmsDefinition,
    kmsRequired: kmsRequiredDefinition,
    allowedKmsKeys: allowedKmsKeysDefinition,
    sm4Required: sm4RequiredDefinition,
    noUnencryptingDelete: noUnencryptingDeleteDefinition,
};

/** oss-encryption-allowed-algorithms: a rule's SSEAlgorithm is one of `allowedAlgorithms` (default all three). Mandatory. */
export const allowedAlgorithms: ResourceValidationPolicy = makeResourcePolicy(allowedAlgorithmsDefinition);
/** oss-encryption-kms-required: a rule's SSEAlgorithm is KMS. Advisory. */
export const kmsRequired: ResourceValidationPolicy = makeResourcePolicy(kmsRequiredDefinition);
/** oss-encryption-allowed-kms-keys: a KMS rule's CMK is one of `allowedKeys`, the OSS default CMK only with `allowDefaultKey`. Mandatory. */
export const allowedKmsKeys: ResourceValidationPolicy = makeResourcePolicy(allowedKmsKeysDefinition);
/** oss-encryption-sm4-required: objects are encrypted with SM4 (SSEAlgorithm SM4, or KMS with kmsDataEncryption SM4). Advisory. */
export const sm4Required: ResourceValidationPolicy = makeResourcePolicy(sm4RequiredDefinition);
/** oss-encryption-no-unencrypting-delete: removing a resource leaves the bucket encrypted (onDelete in `allowedOnDelete`). Advisory. */
export const noUnencryptingDelete: ResourceValidationPolicy = makeResourcePolicy(noUnencryptingDeleteDefinition);
