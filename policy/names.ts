/**
 * The policies' names, as pack config and violations name them, by their keys: the keys are the
 * policies' named exports and their keys in the pack's args (OssEncryptionPolicyArgs).
 */
export const POLICY_NAMES = {
    allowedAlgorithms: "oss-encryption-allowed-algorithms",
    kmsRequired: "oss-encryption-kms-required",
    allowedKmsKeys: "oss-encryption-allowed-kms-keys",
    sm4Required: "oss-encryption-sm4-required",
    oneOwnerPerBucket: "oss-encryption-one-owner-per-bucket",
    everyBucketEncrypted: "oss-encryption-every-bucket-encrypted",
    noUnencryptingDelete: "oss-encryption-no-unencrypting-delete",
} as const;

/** A policy's key: its named export, and its property in the pack's args. */
export type PolicyKey = keyof typeof POLICY_NAMES;
