// The public vocabulary of the OSS + KMS emulator: what tests seed, inspect and inject.

/** How to start the emulator. */
export interface EmulatorOptions {
    /** Port of the OSS server; 0 (the default) picks any free port. */
    port?: number;
    /** Port of the KMS server; 0 (the default) picks any free port. */
    kmsPort?: number;
    /** Extra credentials known from the start (the generated default credential is always known). */
    credentials?: EmulatorCredential[];
    /** Default seed of the fault injector's PRNG, used when a FaultPlan has no seed of its own. */
    seed?: number;
}

/** An AccessKey the emulator accepts, optionally an STS one and optionally restricted to some actions. */
export interface EmulatorCredential {
    accessKeyId: string;
    accessKeySecret: string;
    /** When set, every request made with this key must carry exactly this token. */
    securityToken?: string;
    /**
     * Permitted actions such as "oss:PutBucketEncryption" or "kms:DescribeKey"; `*` is a wildcard
     * ("oss:*", "*"). Absent means everything is allowed.
     */
    allow?: string[];
    /** Buckets (`*` a wildcard) this key may not touch at all, as a RAM policy denying `acs:oss:*:*:<bucket>` would. */
    denyBuckets?: string[];
}

/** A bucket's default server-side encryption rule, with OSS's element names. */
export interface EncryptionRule {
    SSEAlgorithm: string;
    KMSMasterKeyID?: string;
    KMSDataEncryption?: string;
}

/** The lifecycle states DescribeKey reports. */
export type KmsKeyState = "Enabled" | "Disabled" | "PendingDeletion" | "PendingImport";

/** A KMS key as seeded into the emulator; its ARN is acs:kms:<region>:<accountId>:key/<keyId>. */
export interface KmsKey {
    keyId: string;
    region: string;
    keyState: KmsKeyState;
    /** Defaults to "Aliyun_AES_256". Others: "Aliyun_SM4", "RSA_2048", "EC_P256", ... */
    keySpec?: string;
    /** Defaults to "ENCRYPT/DECRYPT". */
    keyUsage?: "ENCRYPT/DECRYPT" | "SIGN/VERIFY";
    /** Alias names, with or without the "alias/" prefix. */
    aliases?: string[];
    /** Defaults to the emulator's account id. */
    accountId?: string;
    description?: string;
}

/** One request as the emulator saw it, in arrival order. */
export interface LoggedRequest {
    service: "oss" | "kms";
    /** Operation name, e.g. "PutBucketEncryption" or "DescribeKey"; "Unknown" when not recognised. */
    action: string;
    bucket?: string;
    /** KeyId parameter of a KMS request, as sent. */
    keyId?: string;
    /** AccessKey ID the request claimed, if any. */
    accessKeyId?: string;
    /**
     * The signature scheme the request claimed: "OSS" (V1) or "OSS4-HMAC-SHA256" (V4) for OSS,
     * "HMAC-SHA1" (RPC) or "ACS3-HMAC-SHA256" for KMS; absent for an unsigned request.
     */
    signature?: string;
    /** HTTP status answered; 0 when the connection was reset or left hanging. */
    status: number;
    /** Error code answered (or the injected fault's name), absent on success. */
    code?: string;
    requestId: string;
    /** Arrival time, ms since the epoch. */
    at: number;
    /** True when the answer came from the fault injector rather than the service logic. */
    injected?: boolean;
}

/**
 * Faults to inject, deterministically for a given seed. Rates are probabilities per request (their
 * sum must not exceed 1). Keys of `rates` are error codes answered with the service's own error
 * format (see FAULT_STATUS in faults.ts for their HTTP statuses), plus two special ones:
 * "reset" destroys the connection and "hang" never answers.
 */
export interface FaultPlan {
    seed?: number;
    /** Delay added before every affected request is answered. */
    latencyMs?: number;
    rates?: { [code: string]: number };
    /**
     * After a PutBucketEncryption or DeleteBucketEncryption, GetBucketEncryption and GetBucketInfo
     * keep showing the previous rule for this long (eventual consistency).
     */
    staleReadMs?: number;
    /** Actions the plan applies to, e.g. ["PutBucketEncryption", "kms:DescribeKey"]; absent means all. */
    only?: string[];
}
