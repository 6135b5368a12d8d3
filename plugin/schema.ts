// The Pulumi package schema of the `oss-encryption` provider plugin: the BucketEncryption resource
// and the provider's configuration. SDKs in every language are generated from it
// (`pulumi package add` / `pulumi package gen-sdk`), and YAML programs are type-checked against it.
import { KMS_DATA_ENCRYPTIONS, ON_DELETE_CHOICES, SSE_ALGORITHMS } from "../provider/bucketEncryption";

/** The package name: the first part of every type token, and the namespace of the provider's stack config. */
export const PACKAGE_NAME = "oss-encryption";
/** The type token of the one resource. */
export const BUCKET_ENCRYPTION_TOKEN = `${PACKAGE_NAME}:index:BucketEncryption`;

/** A property of the schema (the subset this package uses). */
export interface SchemaProperty {
    type?: "string" | "boolean" | "integer" | "number";
    $ref?: string;
    description: string;
    secret?: boolean;
    replaceOnChanges?: boolean;
}

/** What each configuration key means. Keys are the provider's inputs and the stack config `oss-encryption:<key>`. */
export const CONFIG_PROPERTIES: Record<string, SchemaProperty> = {
    region: {
        type: "string",
        description:
            "Default region of buckets, e.g. `cn-hangzhou` (a resource's `region` overrides it). " +
            "Default: the environment variable `ALIBABA_CLOUD_REGION` or `ALICLOUD_REGION`.",
    },
    accessKey: {
        type: "string",
        description:
            "AccessKey ID. Default: the credential chain (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`ALICLOUD_ACCESS_KEY`, " +
            "the Alibaba Cloud CLI's and SDK's credential files, RRSA, the ECS RAM role).",
    },
    secretKey: {
        type: "string",
        secret: true,
        description:
            "AccessKey secret; set it with `pulumi config set --secret`. " +
            "Default: `ALIBABA_CLOUD_ACCESS_KEY_SECRET`/`ALICLOUD_SECRET_KEY`, or the credential chain.",
    },
    securityToken: {
        type: "string",
        secret: true,
        description: "STS token to go with a temporary AccessKey. Default: `ALIBABA_CLOUD_SECURITY_TOKEN`/`ALICLOUD_SECURITY_TOKEN`.",
    },
    profile: {
        type: "string",
        description: "Profile in the shared credential files. Default: `ALIBABA_CLOUD_PROFILE`/`ALICLOUD_PROFILE`.",
    },
    ossEndpoint: {
        type: "string",
        description: "OSS endpoint (host or URL) for every bucket, instead of the region's (a resource's `endpoint` overrides it).",
    },
    kmsEndpoint: {
        type: "string",
        description: "KMS endpoint (host or URL) for the key check, instead of the region's.",
    },
    kmsKeyCheck: {
        type: "boolean",
        description:
            "Describe KMS keys before they are used (at preview and before each write); `false` makes no KMS call at all. Default: true.",
    },
    operationTimeoutSeconds: {
        type: "integer",
        description: "Overall deadline of one operation: the request, its retries and the read-back. Default: 300.",
    },
    signatureVersion: {
        type: "string",
        description: "`v4` (OSS4-HMAC-SHA256) or `v1` (legacy HMAC-SHA1). Default: v4.",
    },
    useInternalEndpoint: {
        type: "boolean",
        description:
            "Use the VPC endpoints `oss-<region>-internal.aliyuncs.com` and `kms-vpc.<region>.aliyuncs.com` when no endpoint is given. Default: false.",
    },
};

const SSE_ALGORITHM_DOCS: Record<(typeof SSE_ALGORITHMS)[number], string> = {
    AES256: "SSE-OSS: OSS-managed keys, AES-256.",
    KMS: "SSE-KMS: a KMS customer master key (the OSS default CMK or your own).",
    SM4: "SSE-OSS with the SM4 block cipher.",
};

const RULE_PROPERTIES: Record<string, SchemaProperty> = {
    bucket: {
        type: "string",
        replaceOnChanges: true,
        description:
            "Name of the existing OSS bucket: 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen. " +
            "Changing it replaces the resource.",
    },
    sseAlgorithm: {
        $ref: "#/types/oss-encryption:index:SseAlgorithm",
        description: "The server-side encryption method: `AES256` (SSE-OSS), `KMS` (SSE-KMS) or `SM4` (SSE-OSS with SM4).",
    },
    kmsMasterKeyId: {
        type: "string",
        description: "KMS only: the CMK (key ID, ARN or `alias/...`). Empty or absent: the OSS default CMK.",
    },
    kmsDataEncryption: {
        $ref: "#/types/oss-encryption:index:KmsDataEncryption",
        description: "KMS only: `SM4` to encrypt objects with SM4; absent means AES-256.",
    },
    region: {
        type: "string",
        description: "Region of the bucket, overriding the provider's `region`.",
    },
    endpoint: {
        type: "string",
        description: "OSS endpoint (host or URL), overriding the region's and the provider's `ossEndpoint`.",
    },
    onDelete: {
        $ref: "#/types/oss-encryption:index:OnDelete",
        description:
            "What removing the resource (or `pulumi destroy`) does to the rule. Default `RemoveRule`. " +
            "Changing it alone writes nothing to OSS.",
    },
};

/** What each onDelete choice does. */
const ON_DELETE_DOCS: Record<(typeof ON_DELETE_CHOICES)[number], string> = {
    RemoveRule: "Delete the rule (DeleteBucketEncryption); on OSS the bucket is then left with no default encryption.",
    KeepRule: "Leave the rule in place; Pulumi stops managing it.",
    FallbackToAES256: "Replace the rule with SSE-OSS (AES-256), so the bucket is never left without default encryption.",
};

const RESOURCE_DESCRIPTION = [
    "The default server-side encryption rule of an OSS bucket (PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption).",
    "Its ID is the bucket name. A KMS key is described before use, so a missing, disabled or unusable key fails the preview.",
    "",
    "## Import",
    "",
    "An existing rule is adopted without writing anything:",
    "",
    "```sh",
    "$ pulumi import oss-encryption:index:BucketEncryption logs acme-logs",
    "```",
].join("\n");

/** The package schema, as GetSchema returns it. */
export function packageSchema(version: string): Record<string, unknown> {
    return {
        name: PACKAGE_NAME,
        displayName: "Alibaba Cloud OSS bucket encryption",
        version,
        description: "Default server-side encryption of Alibaba Cloud OSS buckets: SSE-OSS (AES-256, SM4) and SSE-KMS.",
        keywords: ["pulumi", "alicloud", "oss", "kms", "encryption", "category/cloud", "kind/native"],
        license: "Apache-2.0",
        config: { variables: CONFIG_PROPERTIES },
        provider: {
            description: "The provider of oss-encryption resources: region, endpoints and credentials.",
            inputProperties: CONFIG_PROPERTIES,
        },
        types: {
            [`${PACKAGE_NAME}:index:SseAlgorithm`]: {
                type: "string",
                description: "Server-side encryption methods of OSS.",
                enum: SSE_ALGORITHMS.map(value => ({ value, name: value, description: SSE_ALGORITHM_DOCS[value] })),
            },
            [`${PACKAGE_NAME}:index:KmsDataEncryption`]: {
                type: "string",
                description: "Data encryption algorithms allowed with SSE-KMS besides the default AES-256.",
                enum: KMS_DATA_ENCRYPTIONS.map(value => ({ value, name: value })),
            },
            [`${PACKAGE_NAME}:index:OnDelete`]: {
                type: "string",
                description: "What removing a BucketEncryption does to the bucket's rule.",
                enum: ON_DELETE_CHOICES.map(value => ({ value, name: value, description: ON_DELETE_DOCS[value] })),
            },
        },
        resources: {
            [BUCKET_ENCRYPTION_TOKEN]: {
                description: RESOURCE_DESCRIPTION,
                inputProperties: RULE_PROPERTIES,
                requiredInputs: ["bucket", "sseAlgorithm"],
                properties: {
                    ...RULE_PROPERTIES,
                    region: { type: "string", description: "The region the rule was applied in." },
                },
                required: ["bucket", "sseAlgorithm", "region"],
            },
        },
        language: {
            python: { packageName: "pulumi_oss_encryption" },
        },
    };
}
