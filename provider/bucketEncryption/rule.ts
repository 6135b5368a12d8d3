// The pure part of BucketEncryption, with no I/O of its own: normalising and checking inputs (with
// the target region, the declared-bucket bookkeeping and the KMS key step, given as callbacks),
// diff, and expand/flatten between the user's shape and the wire's.
import { quoted, shortened, tooLong } from "../bounds";
import { KmsError } from "../kms/errors";
import { KeyCheckTarget } from "../kms/keyCheck";
import { resolveOssEndpoint } from "../oss/endpoint";
import { EncryptionRule } from "../oss/xml";
import { ProviderSettings, SETTINGS } from "../settings";
import {
    BucketEncryptionInputs,
    choicesOf,
    DEFAULT_ON_DELETE,
    INPUT_NAMES,
    KMS_ONLY_INPUTS,
    OnDelete,
    ON_DELETE_CHOICES,
    PROPERTIES,
    PropertyName,
    PropertySpec,
    PREVIEW_MARKER,
    REPLACE_ON_CHANGES,
    SseAlgorithm,
    UPDATE_ON_CHANGES,
} from "./properties";

/** Pulumi's stand-in for a value not known until the update runs (preview only). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One failed property of check, as Pulumi shows it. */
export interface CheckFailure {
    property: string;
    reason: string;
}

/** What check answers: the normalised inputs, and the failures (none when the inputs are valid). */
export interface CheckResult {
    inputs: Record<string, unknown>;
    failures: CheckFailure[];
}

/** What diff answers, as Pulumi takes it. */
export interface DiffResult {
    changes: boolean;
    replaces: string[];
    stables: string[];
    deleteBeforeReplace: boolean;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// A resource's region has the form of the provider's region setting.
const REGION_NAME = SETTINGS.region.format.pattern;

/** The properties whose text has a form of its own: what is wrong with a value, or undefined when it is fine. */
const FORMATS: Partial<Record<PropertyName, (value: string) => string | undefined>> = {
    bucket: value =>
        BUCKET_NAME.test(value)
            ? undefined
            : `bucket ${quoted(value)} is not a valid OSS bucket name: use 3-63 characters of lowercase letters, digits ` +
              `and hyphens, starting and ending with a letter or digit.`,
    region: value => (REGION_NAME.test(value) ? undefined : `region ${quoted(value)} is not an Alibaba Cloud region ID such as "cn-hangzhou".`),
    endpoint: value => {
        try {
            resolveOssEndpoint("cn-hangzhou", value);
            return undefined;
        } catch (err) {
            return `endpoint ${quoted(value)} is not usable: ${(err as Error).message}; give a host such as "oss-cn-hangzhou.aliyuncs.com" or a URL.`;
        }
    },
};

// ---------------------------------------------------------------------------------------------
// normalise

/** Trimmed string, undefined for absent or empty; other types are returned as they are. */
function normaliseText(value: unknown): unknown {
    if (typeof value !== "string") {
        return value === null ? undefined : value;
    }
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
}

/** A property's value as its table entry normalises it. */
function normaliseValue(spec: PropertySpec | undefined, value: unknown): unknown {
    const text = normaliseText(value);
    if (typeof text !== "string" || text === UNKNOWN || spec === undefined) {
        return text;
    }
    if (spec.normalise === "upper") {
        return text.toUpperCase();
    }
    if (spec.normalise === "choice") {
        return spec.enumeration?.choices.find(c => c.value.toLowerCase() === text.toLowerCase())?.value ?? text;
    }
    return text;
}

/** Normalises raw inputs (new or from old state) without validating them. */
export function normaliseInputs(raw: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(raw)) {
        const spec = Object.prototype.hasOwnProperty.call(PROPERTIES, name) ? (PROPERTIES[name as PropertyName] as PropertySpec) : undefined;
        const normalised = normaliseValue(spec, value);
        if (normalised !== undefined) {
            // Defined, not assigned: assigning "__proto__" would replace the prototype, hiding the property from check.
            Object.defineProperty(result, name, { value: normalised, enumerable: true, writable: true, configurable: true });
        }
    }
    return result;
}

/** The onDelete choice that inputs or state declare, the default when absent or not a choice. */
export function onDeleteOf(props: { onDelete?: unknown }): OnDelete {
    const choice = normaliseValue(PROPERTIES.onDelete, props.onDelete);
    return (ON_DELETE_CHOICES as readonly unknown[]).includes(choice) ? (choice as OnDelete) : DEFAULT_ON_DELETE;
}

/** The CMK that inputs name: their key ID when the algorithm is KMS, else undefined. */
export function cmkOf(inputs: { sseAlgorithm?: unknown; kmsMasterKeyId?: unknown }): string | undefined {
    const keyId = inputs.kmsMasterKeyId;
    return inputs.sseAlgorithm === "KMS" && typeof keyId === "string" && keyId !== "" ? keyId : undefined;
}

/** The region a resource's rule goes to: its own `region`, else the stack's. */
export function effectiveRegion(inputs: { region?: string }, settings: { region?: string }): string | undefined {
    return inputs.region ?? settings.region;
}

// ---------------------------------------------------------------------------------------------
// check

/**
 * Validates and normalises the program's inputs. Values unknown at preview are not validated, and
 * neither are the rules that depend on them. Never throws: every problem is a failure naming its property.
 */
export function validateInputs(news: Record<string, unknown>): CheckResult {
    const inputs = normaliseInputs(news);
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const known = (name: string) => inputs[name] !== UNKNOWN;
    const names = INPUT_NAMES as readonly string[];

    for (const name of Object.keys(inputs)) {
        if (!names.includes(name) && name !== "__provider") {
            fail(shortened(name), `unknown property ${quoted(name)}; BucketEncryption takes ${names.join(", ")}.`);
        }
    }
    const wrongType = names.filter(name => inputs[name] !== undefined && typeof inputs[name] !== "string");
    for (const name of wrongType) {
        fail(name, `${name} must be a string; got ${typeof inputs[name]}.`);
        delete inputs[name];
    }

    for (const [name, spec] of Object.entries(PROPERTIES) as Array<[PropertyName, PropertySpec]>) {
        const value = inputs[name] as string | undefined;
        if (value === undefined) {
            if (spec.required && !wrongType.includes(name)) {
                fail(name, `${name} is required: ${spec.requiredHint ?? `one of ${choicesOf(name).join(", ")}.`}`);
            }
            continue;
        }
        if (!known(name)) {
            continue;
        }
        const overLimit = tooLong(name, value, spec.maxLength);
        if (overLimit) {
            // Nothing else is said of it (every other message would quote it), and nothing uses it.
            fail(name, overLimit);
            delete inputs[name];
            continue;
        }
        if (spec.enumeration && !choicesOf(name).includes(value)) {
            fail(name, `${name} ${quoted(String(news[name]))} is not supported: ${spec.enumeration.invalidHint ?? `use one of ${choicesOf(name).join(", ")}.`}`);
        }
        const problem = FORMATS[name]?.(value);
        if (problem) {
            fail(name, problem);
        }
    }

    const algorithm = inputs.sseAlgorithm as string | undefined;
    const algorithmKnown = algorithm !== undefined && known("sseAlgorithm");
    for (const name of KMS_ONLY_INPUTS) {
        if (inputs[name] !== undefined && algorithmKnown && algorithm !== "KMS") {
            fail(
                name,
                `${name} is only allowed when sseAlgorithm is "KMS" (it is "${algorithm}"): remove ${name}, ` +
                    `or set sseAlgorithm to "KMS".`,
            );
        }
    }

    const bucket = inputs.bucket as string | undefined;
    const importId = inputs.importId as string | undefined;
    if (importId !== undefined && bucket !== undefined && known("importId") && known("bucket") && importId !== bucket) {
        fail("importId", `the import ID ${quoted(importId)} must be the bucket name ${quoted(bucket)}: a BucketEncryption's ID is its bucket.`);
    }

    return { inputs, failures };
}

/**
 * Completes valid, checked inputs with the region the rule will be applied in (the stack's when
 * the program names none). The state then says where each rule lives: a change of the stack's
 * region shows as a region change, and the KMS check at preview compares the key's region with the
 * one it was last applied in.
 */
export function withTargetRegion(result: CheckResult, stackRegion: string | undefined): CheckResult {
    if (result.inputs.region !== undefined || stackRegion === undefined || result.failures.length > 0) {
        return result;
    }
    return { ...result, inputs: { ...result.inputs, region: stackRegion } };
}

/** The bucket that checked inputs declare: undefined when it is unknown or the inputs failed check. */
export function declaredBucket(result: CheckResult): string | undefined {
    const bucket = result.inputs.bucket;
    return typeof bucket === "string" && bucket !== UNKNOWN && result.failures.length === 0 ? bucket : undefined;
}

/** What check needs from the provider process. */
export interface CheckContext {
    /** The stack's region; undefined when unset or when the settings are bad (the operation that needs them says so). */
    readonly stackRegion: string | undefined;
    /** Read only when a key is to be checked, so bad settings fail there, with their message. */
    readonly settings: ProviderSettings;
    /** Buckets that resources of this deployment declare; see deleteBucketEncryption. */
    readonly bucketsDeclaredThisRun: Set<string>;
    /** Throws a KmsError that rejectsKey when OSS could not use the key. */
    verifyKmsKey(target: KeyCheckTarget): Promise<void>;
    /** Warns (never throws) when the bucket does not exist; see warnIfBucketMissing. */
    warnIfBucketMissing(inputs: { bucket: string; region?: string; endpoint?: string }): Promise<void>;
}


/**
 * Check, in one place: validate and normalise, add the target region, note the declared bucket,
 * then the KMS key step. The key step runs when the inputs are valid, fully known, name a CMK, and
 * that key (or its region) differs from the last applied one; a key OSS could not use becomes a
 * failure on kmsMasterKeyId. So a preview without changes makes no KMS call. Last, in a preview
 * that the dynamic SDK marks (PREVIEW_MARKER), valid and known inputs with a change to make ask
 * whether the bucket exists (a warning, never a failure).
 */
export async function checkBucketEncryption(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    ctx: CheckContext,
): Promise<CheckResult> {
    const { [PREVIEW_MARKER]: previewRun, ...declared } = news;
    const result = await checkDeclared(olds, declared, ctx);
    const bucket = declaredBucket(result);
    const known = !Object.values(result.inputs).includes(UNKNOWN);
    if (previewRun === "true" && bucket !== undefined && known && (olds.bucket === undefined || diffBucketEncryption(olds, result.inputs, { region: ctx.stackRegion }).changes)) {
        await ctx.warnIfBucketMissing(result.inputs as { bucket: string; region?: string; endpoint?: string });
    }
    return result;
}

/** checkBucketEncryption's validation, bookkeeping and KMS key step. */
async function checkDeclared(olds: Record<string, unknown>, news: Record<string, unknown>, ctx: CheckContext): Promise<CheckResult> {
    const result = withTargetRegion(validateInputs(news), ctx.stackRegion);
    const bucket = declaredBucket(result);
    if (bucket !== undefined) {
        ctx.bucketsDeclaredThisRun.add(bucket);
    }
    const inputs = result.inputs;
    const keyId = cmkOf(inputs);
    if (keyId === undefined || result.failures.length > 0 || Object.values(inputs).includes(UNKNOWN)) {
        return result;
    }
    const settings = ctx.settings;
    const region = effectiveRegion(inputs as { region?: string }, settings);
    const before = normaliseInputs(olds) as { sseAlgorithm?: string; kmsMasterKeyId?: string; region?: string };
    if (!settings.kmsKeyCheck || region === undefined || (cmkOf(before) === keyId && effectiveRegion(before, settings) === region)) {
        return result;
    }
    try {
        await ctx.verifyKmsKey({ keyId, region });
    } catch (err) {
        if (err instanceof KmsError && err.rejectsKey) {
            return { ...result, failures: [{ property: "kmsMasterKeyId", reason: err.message }] };
        }
        throw err;
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// diff

/**
 * What PROPERTIES says a change does: a bucket change replaces (another physical resource); the
 * others update in place (bucket names are global, so a new region or endpoint reaches the same
 * bucket), onDelete by an update that only records it. Equivalent forms (empty vs absent, "kms"
 * vs "KMS", an absent onDelete vs "RemoveRule") are no change. A region the inputs leave out is the
 * stack's.
 */
export function diffBucketEncryption(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    settings: { region?: string },
): DiffResult {
    const before = normaliseInputs(olds);
    const after = { ...normaliseInputs(news), region: effectiveRegion(normaliseInputs(news) as { region?: string }, settings) };
    const comparable = (props: Record<string, unknown>, name: PropertyName) => props[name] ?? (PROPERTIES[name] as PropertySpec).default;
    const changed = (name: PropertyName) =>
        name === "region" ? after.region !== undefined && after.region !== before.region : comparable(before, name) !== comparable(after, name);
    const replaces = REPLACE_ON_CHANGES.filter(changed);
    const updates = UPDATE_ON_CHANGES.filter(changed);
    return {
        changes: replaces.length + updates.length > 0,
        replaces,
        stables: replaces.length === 0 ? [...REPLACE_ON_CHANGES] : [],
        deleteBeforeReplace: false,
    };
}

// ---------------------------------------------------------------------------------------------
// expand / flatten between the user's shape and the wire's

/** Inputs to the wire rule. */
export function expandRule(inputs: BucketEncryptionInputs): EncryptionRule {
    const rule: EncryptionRule = { SSEAlgorithm: inputs.sseAlgorithm };
    if (inputs.kmsMasterKeyId) {
        rule.KMSMasterKeyID = inputs.kmsMasterKeyId;
    }
    if (inputs.kmsDataEncryption) {
        rule.KMSDataEncryption = inputs.kmsDataEncryption;
    }
    return rule;
}

/** The wire rule to the rule's inputs; absent fields stay absent. */
export function flattenRule(rule: EncryptionRule): Pick<BucketEncryptionInputs, "sseAlgorithm" | "kmsMasterKeyId" | "kmsDataEncryption"> {
    return {
        sseAlgorithm: rule.SSEAlgorithm as SseAlgorithm,
        ...(rule.KMSMasterKeyID ? { kmsMasterKeyId: rule.KMSMasterKeyID } : {}),
        ...(rule.KMSDataEncryption ? { kmsDataEncryption: rule.KMSDataEncryption } : {}),
    };
}

/** Whether two rules say the same thing. */
export function sameRule(a: EncryptionRule, b: EncryptionRule): boolean {
    return (
        a.SSEAlgorithm === b.SSEAlgorithm &&
        (a.KMSMasterKeyID ?? "") === (b.KMSMasterKeyID ?? "") &&
        (a.KMSDataEncryption ?? "") === (b.KMSDataEncryption ?? "")
    );
}

/** A rule in words, for messages. */
export function describeRule(rule: EncryptionRule): string {
    if (rule.SSEAlgorithm !== "KMS") {
        return rule.SSEAlgorithm === "SM4" ? "SSE-OSS (SM4)" : "SSE-OSS (AES-256)";
    }
    const key = rule.KMSMasterKeyID ? `CMK "${rule.KMSMasterKeyID}"` : "the OSS default CMK";
    return `SSE-KMS with ${key} (${rule.KMSDataEncryption ?? "AES-256"} data encryption)`;
}
