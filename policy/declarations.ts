// What the policies read from a resource: which bucket's default encryption it sets, to what, and
// what its removal does. Three resource types set a bucket's rule: our BucketEncryption, and
// @pulumi/alicloud's BucketServerSideEncryption and Bucket (with an inline serverSideEncryptionRule),
// whose type tokens and property names are those of @pulumi/alicloud's schema.
import { normaliseInputs, onDeleteOf, OnDelete, UNKNOWN } from "../provider/bucketEncryption";

/** Type tokens of our resource: the dynamic provider's, and the provider plugin's. */
export const BUCKET_ENCRYPTION_TYPES = ["pulumi-nodejs:dynamic/oss:BucketEncryption", "oss-encryption:index:BucketEncryption"];
/** @pulumi/alicloud's OSS bucket; its `serverSideEncryptionRule` sets the bucket's default encryption. */
export const ALICLOUD_BUCKET = "alicloud:oss/bucket:Bucket";
/** @pulumi/alicloud's standalone encryption rule of a bucket. */
export const ALICLOUD_BUCKET_SSE = "alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption";

/** A property whose value is not known until the update runs (preview only). */
export const Unknown: unique symbol = Symbol("unknown");
/** A string property: its value, absent (undefined), or Unknown. */
export type Field = string | undefined | typeof Unknown;

/**
 * The sentinels Pulumi's wire protocol uses for unknown values of each type (strings, booleans,
 * numbers, arrays, assets, archives, objects). Policies see them as plain strings.
 */
const UNKNOWN_SENTINELS = new Set([
    UNKNOWN,
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** A resource as policies see it (ResourceValidationArgs and PolicyResource both fit). */
export interface ResourceShape {
    type: string;
    urn: string;
    name: string;
    props: Record<string, unknown>;
}

/** The kind of resource a declaration comes from, as messages name it. */
/** `LiveRule`: no resource, the rule a bucket holds now, as the scan judges it (scan/). */
export type DeclarationKind = "BucketEncryption" | "BucketServerSideEncryption" | "Bucket" | "LiveRule";

/** One resource's declaration of a bucket's default encryption. */
export interface EncryptionDeclaration {
    kind: DeclarationKind;
    urn: string;
    name: string;
    bucket: Field;
    /** Upper-cased, as OSS spells it. */
    sseAlgorithm: Field;
    kmsMasterKeyId: Field;
    kmsDataEncryption: Field;
    /**
     * What removing the resource does to the rule. BucketServerSideEncryption always deletes it;
     * a Bucket takes the rule with it (removing only its inline block is not a delete).
     */
    onDelete: OnDelete | typeof Unknown | "DeleteBucket";
}

/**
 * The object behind @pulumi/policy's unknown-checking proxy, which throws when a policy reads a
 * value unknown at preview: reading the target instead lets a policy skip unknowns quietly rather
 * than end in "can't run policy during preview". Plain objects (tests) are returned as they are.
 */
export function rawProps(props: Record<string, unknown>): Record<string, unknown> {
    const target = (props as { __getSpecialProxyTarget?: Record<string, unknown> }).__getSpecialProxyTarget;
    return target ?? props;
}

/** Whether a value is one Pulumi does not know yet. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** A string property as a Field: trimmed, empty as absent, unknown as Unknown; non-strings are absent. */
function fieldOf(value: unknown, { upperCase = false } = {}): Field {
    if (isUnknown(value)) {
        return Unknown;
    }
    if (typeof value !== "string" || value.trim() === "") {
        return undefined;
    }
    return upperCase ? value.trim().toUpperCase() : value.trim();
}

/**
 * The rule's fields: ours (the property table's inRule rows) and @pulumi/alicloud's, which spell
 * them the same way.
 */
type RuleFields = Pick<EncryptionDeclaration, "sseAlgorithm" | "kmsMasterKeyId" | "kmsDataEncryption">;

/** The rule fields of a `{ sseAlgorithm, kmsMasterKeyId, kmsDataEncryption }` object. */
function ruleFields(rule: Record<string, unknown>): RuleFields {
    return {
        sseAlgorithm: fieldOf(rule.sseAlgorithm, { upperCase: true }),
        kmsMasterKeyId: fieldOf(rule.kmsMasterKeyId),
        kmsDataEncryption: fieldOf(rule.kmsDataEncryption, { upperCase: true }),
    };
}

/** Whether a resource is one of ours. */
export function isBucketEncryption(type: string): boolean {
    return BUCKET_ENCRYPTION_TYPES.includes(type);
}

/** The bucket name an alicloud Bucket declares: its `bucket` property (Unknown when generated at create). */
export function alicloudBucketName(props: Record<string, unknown>): Field {
    const raw = rawProps(props);
    return raw.bucket === undefined ? Unknown : fieldOf(raw.bucket);
}

/**
 * The encryption declaration of a resource, or undefined when it declares none (another type, or a
 * Bucket without an inline rule).
 */
export function declarationOf(resource: ResourceShape): EncryptionDeclaration | undefined {
    const raw = rawProps(resource.props);
    const who = { urn: resource.urn, name: resource.name };
    if (isBucketEncryption(resource.type)) {
        // As the provider's check normalises them, so the policies judge what will be applied.
        const inputs = normaliseInputs(raw);
        return {
            kind: "BucketEncryption",
            ...who,
            bucket: fieldOf(inputs.bucket),
            ...ruleFields(inputs),
            onDelete: isUnknown(inputs.onDelete) ? Unknown : onDeleteOf(inputs),
        };
    }
    if (resource.type === ALICLOUD_BUCKET_SSE) {
        return { kind: "BucketServerSideEncryption", ...who, bucket: fieldOf(raw.bucket), ...ruleFields(raw), onDelete: "RemoveRule" };
    }
    if (resource.type === ALICLOUD_BUCKET) {
        const rule = raw.serverSideEncryptionRule;
        if (rule === undefined || rule === null) {
            return undefined;
        }
        const unknownRule: RuleFields = {
            sseAlgorithm: Unknown,
            kmsMasterKeyId: Unknown,
            kmsDataEncryption: Unknown,
        };
        const fields = typeof rule === "object" && !Array.isArray(rule) ? ruleFields(rule as Record<string, unknown>) : unknownRule;
        return { kind: "Bucket", ...who, bucket: alicloudBucketName(raw), ...fields, onDelete: "DeleteBucket" };
    }
    return undefined;
}

/** How messages name a declaration: its kind, name and bucket. */
export function describeDeclaration(declaration: EncryptionDeclaration): string {
    if (declaration.kind === "LiveRule") {
        return `the rule of bucket "${String(declaration.bucket)}"`;
    }
    const bucket = typeof declaration.bucket === "string" ? `bucket "${declaration.bucket}"` : "bucket not known yet";
    const inline = declaration.kind === "Bucket" ? "inline serverSideEncryptionRule, " : "";
    return `${declaration.kind} "${declaration.name}" (${inline}${bucket})`;
}
