// The OSS encryption policy pack (Pulumi CrossGuard): what platform teams enforce on every stack
// that declares OSS bucket encryption, with our BucketEncryption or @pulumi/alicloud's resources.
// `newOssEncryptionPolicyPack()` starts the pack (policy/pack/index.js does just that);
// `ossEncryptionPolicies()` gives the policies, to combine with a team's own.
import type {
    EnforcementLevel,
    PolicyPack,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { SSE_ALGORITHMS } from "../provider/bucketEncryption";
import { KeyReference, parseKeyReference } from "../provider/kms/keyReference";
import {
    ALICLOUD_BUCKET,
    alicloudBucketName,
    declarationOf,
    describeDeclaration,
    EncryptionDeclaration,
    Field,
    rawProps,
    ResourceShape,
    Unknown,
} from "./declarations";

export * from "./declarations";

/** The policies' names, as pack config and violations name them. */
export const POLICY_NAMES = {
    allowedAlgorithms: "oss-encryption-allowed-algorithms",
    kmsRequired: "oss-encryption-kms-required",
    allowedKmsKeys: "oss-encryption-allowed-kms-keys",
    sm4Required: "oss-encryption-sm4-required",
    oneOwnerPerBucket: "oss-encryption-one-owner-per-bucket",
    everyBucketEncrypted: "oss-encryption-every-bucket-encrypted",
    noUnencryptingDelete: "oss-encryption-no-unencrypting-delete",
} as const;

/** Config of oss-encryption-allowed-algorithms. */
export interface AllowedAlgorithmsConfig {
    /** SSEAlgorithm values allowed; default all three. */
    allowedAlgorithms: string[];
}

/** Config of oss-encryption-allowed-kms-keys. */
export interface AllowedKmsKeysConfig {
    /** CMKs allowed, as key IDs, key ARNs, aliases (`alias/...`) or alias ARNs. Empty: the policy does not apply. */
    allowedKeys: string[];
    /** Whether KMS with the OSS default CMK (no kmsMasterKeyId) is allowed; default false. */
    allowDefaultKey: boolean;
}

/** Config of oss-encryption-no-unencrypting-delete. */
export interface NoUnencryptingDeleteConfig {
    /** onDelete values allowed for BucketEncryption; default KeepRule and FallbackToAES256. */
    allowedOnDelete: string[];
}

const DEFAULT_ALGORITHMS: AllowedAlgorithmsConfig = { allowedAlgorithms: [...SSE_ALGORITHMS] };
const DEFAULT_KEYS: AllowedKmsKeysConfig = { allowedKeys: [], allowDefaultKey: false };
const DEFAULT_ON_DELETE: NoUnencryptingDeleteConfig = { allowedOnDelete: ["KeepRule", "FallbackToAES256"] };

/**
 * The inputs each alicloud Bucket was declared with in this run, seen by the resource policies.
 * Stack policies only see outputs, and a Bucket's outputs hold the live rule that its provider
 * read back (possibly written by another resource): judging ownership by them would accuse a Bucket
 * of owning a rule it never declared. Analyze (per resource) runs before AnalyzeStack in a run.
 */
const declaredBucketInputs = new Map<string, Record<string, unknown>>();

/** Remembers an alicloud Bucket's inputs for the stack policies; see declaredBucketInputs. */
function observe(args: ResourceShape): void {
    if (args.type === ALICLOUD_BUCKET) {
        declaredBucketInputs.set(args.urn, { ...rawProps(args.props) });
    }
}

/** A resource policy over encryption declarations: `check` runs for each resource that declares one. */
function declarationPolicy(
    policy: Omit<ResourceValidationPolicy, "validateResource">,
    check: (declaration: EncryptionDeclaration, args: ResourceValidationArgs, report: (message: string) => void) => void,
): ResourceValidationPolicy {
    return {
        ...policy,
        validateResource: (args, reportViolation) => {
            observe(args);
            const declaration = declarationOf(args);
            if (declaration) {
                check(declaration, args, message => reportViolation(message));
            }
        },
    };
}

/** Config with its defaults filled in (the engine fills them from the schema too; tests may not). */
function configOf<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
    return { ...defaults, ...args.getConfig<Partial<T>>() };
}

/** Whether the objects a declaration's rule writes are encrypted with SM4; Unknown when that is not known. */
function sm4ForData(d: EncryptionDeclaration): boolean | typeof Unknown {
    if (d.sseAlgorithm === Unknown) {
        return Unknown;
    }
    if (d.sseAlgorithm === "SM4") {
        return true;
    }
    if (d.sseAlgorithm !== "KMS") {
        return false;
    }
    return d.kmsDataEncryption === Unknown ? Unknown : d.kmsDataEncryption === "SM4";
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

/** The policies of the pack, with their default enforcement levels. */
export function ossEncryptionPolicies(): Array<ResourceValidationPolicy | StackValidationPolicy> {
    return [
        declarationPolicy(
            {
                name: POLICY_NAMES.allowedAlgorithms,
                description: "Bucket default encryption uses one of the allowed algorithms (SSEAlgorithm).",
                enforcementLevel: "mandatory",
                configSchema: {
                    properties: {
                        allowedAlgorithms: { type: "array", items: { type: "string", enum: [...SSE_ALGORITHMS] }, default: [...SSE_ALGORITHMS] },
                    },
                },
            },
            (d, args, report) => {
                const { allowedAlgorithms } = configOf(args, DEFAULT_ALGORITHMS);
                if (typeof d.sseAlgorithm === "string" && !allowedAlgorithms.includes(d.sseAlgorithm)) {
                    report(`${describeDeclaration(d)} sets SSEAlgorithm ${d.sseAlgorithm}; allowed: ${allowedAlgorithms.join(", ")}.`);
                } else if (d.sseAlgorithm === undefined) {
                    report(`${describeDeclaration(d)} sets no SSEAlgorithm; allowed: ${allowedAlgorithms.join(", ")}.`);
                }
            },
        ),
        declarationPolicy(
            {
                name: POLICY_NAMES.kmsRequired,
                description: "Bucket default encryption is SSE-KMS (SSEAlgorithm KMS).",
                enforcementLevel: "advisory",
            },
            (d, _args, report) => {
                if (d.sseAlgorithm !== Unknown && d.sseAlgorithm !== "KMS") {
                    report(`${describeDeclaration(d)} sets SSEAlgorithm ${String(d.sseAlgorithm ?? "(none)")}; KMS is required.`);
                }
            },
        ),
        declarationPolicy(
            {
                name: POLICY_NAMES.allowedKmsKeys,
                description:
                    "SSE-KMS uses one of the allowed CMKs (key IDs, ARNs and aliases compared after normalising); the OSS default CMK only if allowed.",
                enforcementLevel: "mandatory",
                configSchema: {
                    properties: {
                        allowedKeys: { type: "array", items: { type: "string" }, default: [] },
                        allowDefaultKey: { type: "boolean", default: false },
                    },
                },
            },
            (d, args, report) => {
                const { allowedKeys, allowDefaultKey } = configOf(args, DEFAULT_KEYS);
                if (allowedKeys.length === 0) {
                    args.notApplicable("no allowedKeys configured");
                }
                if (d.sseAlgorithm !== "KMS" || d.kmsMasterKeyId === Unknown) {
                    return;
                }
                if (d.kmsMasterKeyId === undefined) {
                    if (!allowDefaultKey) {
                        report(`${describeDeclaration(d)} uses the OSS default CMK; use one of: ${allowedKeys.join(", ")}.`);
                    }
                } else if (!keyAllowed(d.kmsMasterKeyId, allowedKeys)) {
                    report(
                        `${describeDeclaration(d)} uses CMK "${d.kmsMasterKeyId}", which is not allowed; use one of: ${allowedKeys.join(", ")} ` +
                            `(an alias and a key ID never match: list the form the program uses).`,
                    );
                }
            },
        ),
        declarationPolicy(
            {
                name: POLICY_NAMES.sm4Required,
                description: "Objects are encrypted with SM4: SSEAlgorithm SM4, or KMS with KMSDataEncryption SM4.",
                enforcementLevel: "advisory",
            },
            (d, _args, report) => {
                if (sm4ForData(d) === false) {
                    report(
                        `${describeDeclaration(d)} encrypts objects with AES-256 (SSEAlgorithm ${String(d.sseAlgorithm ?? "(none)")}); SM4 is required: ` +
                            `use SSEAlgorithm SM4, or KMS with kmsDataEncryption SM4.`,
                    );
                }
            },
        ),
        declarationPolicy(
            {
                name: POLICY_NAMES.noUnencryptingDelete,
                description:
                    "Removing a resource never leaves a bucket without default encryption: BucketEncryption declares onDelete KeepRule or FallbackToAES256.",
                enforcementLevel: "advisory",
                configSchema: {
                    properties: {
                        allowedOnDelete: {
                            type: "array",
                            items: { type: "string", enum: ["RemoveRule", "KeepRule", "FallbackToAES256"] },
                            default: [...DEFAULT_ON_DELETE.allowedOnDelete],
                        },
                    },
                },
            },
            (d, args, report) => {
                const { allowedOnDelete } = configOf(args, DEFAULT_ON_DELETE);
                if (d.kind === "BucketServerSideEncryption") {
                    report(
                        `${describeDeclaration(d)}: removing it calls DeleteBucketEncryption, which leaves the bucket without default ` +
                            `encryption. Use BucketEncryption with onDelete ${allowedOnDelete.map(c => `"${c}"`).join(" or ")}.`,
                    );
                } else if (d.kind === "BucketEncryption" && d.onDelete !== Unknown && !allowedOnDelete.includes(d.onDelete)) {
                    report(
                        `${describeDeclaration(d)} has onDelete "${d.onDelete}": removing it deletes the rule and leaves the bucket without ` +
                            `default encryption. Set onDelete to ${allowedOnDelete.map(c => `"${c}"`).join(" or ")}.`,
                    );
                }
            },
        ),
        {
            name: POLICY_NAMES.oneOwnerPerBucket,
            description:
                "One resource per bucket sets its default encryption (not two BucketEncryptions, nor one beside a BucketServerSideEncryption or a Bucket's inline rule).",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => oneOwnerPerBucket(args, reportViolation),
        },
        {
            name: POLICY_NAMES.everyBucketEncrypted,
            description: "Every alicloud OSS Bucket of the stack gets its default encryption from its inline rule or an encryption resource.",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => everyBucketEncrypted(args, reportViolation),
        },
    ];
}

/** A stack resource's declaration, judged by a Bucket's declared inputs where seen (see declaredBucketInputs). */
function stackDeclarationOf(resource: PolicyResource): EncryptionDeclaration | undefined {
    const inputs = resource.type === ALICLOUD_BUCKET ? declaredBucketInputs.get(resource.urn) : undefined;
    return declarationOf(inputs ? { ...resource, props: inputs } : resource);
}

/** An alicloud Bucket's name, from its declared inputs or else its outputs. */
function bucketNameOf(bucket: PolicyResource): Field {
    const name = alicloudBucketName(bucket.props);
    return name === Unknown ? alicloudBucketName(declaredBucketInputs.get(bucket.urn) ?? {}) : name;
}

/**
 * Which bucket a declaration is for, as a key: `name:<bucket>` when the name is known; for a name
 * not known yet, the alicloud Bucket it comes from (`urn:<urn>`): the Bucket itself, or the one
 * Bucket the `bucket` property depends on. Undefined when that cannot be told (no false alarms).
 */
function bucketKeyOf(declaration: EncryptionDeclaration, resource: PolicyResource): string | undefined {
    if (typeof declaration.bucket === "string") {
        return `name:${declaration.bucket}`;
    }
    if (declaration.kind === "Bucket") {
        return `urn:${resource.urn}`;
    }
    const sources = (resource.propertyDependencies?.bucket ?? []).filter(r => r.type === ALICLOUD_BUCKET);
    if (declaration.bucket !== Unknown || sources.length !== 1) {
        return undefined;
    }
    const name = bucketNameOf(sources[0]);
    return typeof name === "string" ? `name:${name}` : `urn:${sources[0].urn}`;
}

/** Every declaration of the stack with the bucket it is for (undefined: cannot tell yet). */
function declarationsOf(args: StackValidationArgs): Array<{ declaration: EncryptionDeclaration; bucketKey: string | undefined }> {
    return args.resources.flatMap(resource => {
        const declaration = stackDeclarationOf(resource);
        return declaration ? [{ declaration, bucketKey: bucketKeyOf(declaration, resource) }] : [];
    });
}

function oneOwnerPerBucket(args: StackValidationArgs, reportViolation: ReportViolation): void {
    const byBucket = new Map<string, EncryptionDeclaration[]>();
    // By URN, so the same stack gives the same report whatever order the engine lists resources in.
    const declarations = declarationsOf(args).sort((a, b) => a.declaration.urn.localeCompare(b.declaration.urn));
    for (const { declaration, bucketKey } of declarations) {
        if (bucketKey !== undefined) {
            byBucket.set(bucketKey, [...(byBucket.get(bucketKey) ?? []), declaration]);
        }
    }
    for (const owners of byBucket.values()) {
        const [first, ...others] = owners;
        for (const other of others) {
            reportViolation(
                `${describeDeclaration(other)} and ${describeDeclaration(first)} both set the default encryption of one bucket: ` +
                    `${other.urn} and ${first.urn}. Each apply of one overwrites the other's rule, and removing one deletes the rule ` +
                    `the other declares. Declare the rule in one place only.`,
                other.urn,
            );
        }
    }
}

function everyBucketEncrypted(args: StackValidationArgs, reportViolation: ReportViolation): void {
    const declarations = declarationsOf(args);
    if (declarations.some(d => d.bucketKey === undefined)) {
        // A declaration whose bucket is not known yet may be the one a Bucket needs.
        return;
    }
    const covered = new Set(declarations.map(d => d.bucketKey));
    for (const bucket of args.resources.filter(r => r.type === ALICLOUD_BUCKET)) {
        const name = bucketNameOf(bucket);
        if (!covered.has(`urn:${bucket.urn}`) && !(typeof name === "string" && covered.has(`name:${name}`))) {
            reportViolation(
                `Bucket "${bucket.name}" (${typeof name === "string" ? `bucket "${name}"` : "bucket not known yet"}) gets no default ` +
                    `encryption from this stack: give it a serverSideEncryptionRule, or declare a BucketEncryption for it (${bucket.urn}).`,
                bucket.urn,
            );
        }
    }
}

/**
 * Starts the policy pack (call it once, from the pack's program). `enforcementLevel` overrides every
 * policy's default; per-policy levels and settings come from the pack config
 * (`pulumi preview --policy-pack <dir> --policy-pack-config <file>`).
 */
export function newOssEncryptionPolicyPack(name = "oss-encryption", options: { enforcementLevel?: EnforcementLevel } = {}): PolicyPack {
    // Loaded here, not at the top: the policies themselves need no @pulumi/policy at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const policy = require("@pulumi/policy") as typeof import("@pulumi/policy");
    const policies = ossEncryptionPolicies().map(p => (options.enforcementLevel ? { ...p, enforcementLevel: options.enforcementLevel } : p));
    return new policy.PolicyPack(name, { policies, description: "OSS bucket default encryption guardrails (pulumi-oss-encryption)." });
}
