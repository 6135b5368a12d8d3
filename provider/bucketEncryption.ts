// The BucketEncryption resource: check, diff and CRUD over OSS Put/Get/DeleteBucketEncryption.
// Reads top to bottom: the user-facing shape, validation, diff, then create/read/update/delete,
// with expand/flatten between the user's shape and the wire's and a find that turns "not there"
// into undefined.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { CallOptions, OssClient } from "./oss/client";
import { resolveOssEndpoint } from "./oss/endpoint";
import { isNotFound } from "./oss/errors";
import { EncryptionRule } from "./oss/xml";
import { ProviderSettings } from "./settings";
import { isTransient, MIN_ATTEMPT_MS, sleep } from "./retry";

/** Pulumi's stand-in for a value not known until the update runs (preview only). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The server-side encryption methods OSS offers, spelled as on the wire. */
export const SSE_ALGORITHMS = ["AES256", "KMS", "SM4"] as const;
/** One of SSE_ALGORITHMS. */
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number];
/** Data encryption algorithms allowed with KMS. */
export const KMS_DATA_ENCRYPTIONS = ["SM4"] as const;
/**
 * What removing the resource does to the bucket's rule: delete it (the default, and what every
 * other tool does, leaving the bucket without default encryption), leave it in place, or put
 * SSE-OSS with AES-256 in its place so the bucket is never left unencrypted.
 */
export const ON_DELETE_CHOICES = ["RemoveRule", "KeepRule", "FallbackToAES256"] as const;
/** One of ON_DELETE_CHOICES. */
export type OnDelete = (typeof ON_DELETE_CHOICES)[number];
/** What removing the resource does when it declares no onDelete. */
export const DEFAULT_ON_DELETE: OnDelete = "RemoveRule";

/** The resource's inputs after check: normalised, optional fields absent rather than empty. */
export interface BucketEncryptionInputs {
    bucket: string;
    sseAlgorithm: SseAlgorithm;
    kmsMasterKeyId?: string;
    kmsDataEncryption?: string;
    region?: string;
    endpoint?: string;
    /** What removing the resource does to the rule; absent means DEFAULT_ON_DELETE. */
    onDelete?: OnDelete;
    /**
     * Set by the SDK from the `import` resource option: adopt the bucket's existing rule instead of
     * writing one (Pulumi cannot route `import` to a dynamic provider; pulumi/pulumi#16175).
     */
    importId?: string;
}

/** The resource's outputs: every input plus the region the rule was applied in. */
export interface BucketEncryptionOutputs extends BucketEncryptionInputs {
    region: string;
}

/** What the CRUD functions need from the provider process. */
export interface ResourceContext {
    settings: ProviderSettings;
    clientFor(target: { region: string; endpoint?: string }): OssClient;
    /**
     * Buckets that resources of this deployment declare (seen by check) or have written a rule to;
     * see deleteBucketEncryption.
     */
    bucketsDeclaredThisRun: Set<string>;
    /** Throws when the CMK the inputs name (if any) is one OSS cannot use; see provider/kms/keyCheck.ts. */
    verifyKmsKey(inputs: BucketEncryptionInputs & { region: string }): Promise<void>;
    /**
     * Warns (never throws) when the CMK a live rule uses is one OSS cannot use any more; see
     * provider/kms/keyCheck.ts.
     */
    reportKeyHealth(bucket: string, rule: { sseAlgorithm?: string; kmsMasterKeyId?: string; region: string }): Promise<void>;
    warn(message: string): void;
    /** Progress worth seeing in the Pulumi output but not worth a warning. */
    info(message: string): void;
}

const INPUT_NAMES = ["bucket", "sseAlgorithm", "kmsMasterKeyId", "kmsDataEncryption", "region", "endpoint", "onDelete", "importId"];
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION_NAME = /^[a-z]{2,}(-[a-z0-9]+)+$/;

// ---------------------------------------------------------------------------------------------
// check

/** Trimmed string, undefined for absent or empty; other types are returned as they are. */
function normaliseText(value: unknown): unknown {
    if (typeof value !== "string") {
        return value === null ? undefined : value;
    }
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
}

/** Upper-cases enumerations so "kms" and "KMS" are one value. */
function normaliseEnum(value: unknown): unknown {
    const text = normaliseText(value);
    return typeof text === "string" && text !== UNKNOWN ? text.toUpperCase() : text;
}

/** The canonical spelling of an onDelete choice ("keeprule" is "KeepRule"); anything else as it is. */
function normaliseOnDelete(value: unknown): unknown {
    const text = normaliseText(value);
    return typeof text === "string" ? ON_DELETE_CHOICES.find(c => c.toLowerCase() === text.toLowerCase()) ?? text : text;
}

/** The onDelete choice that inputs or state declare, the default when absent or not a choice. */
export function onDeleteOf(props: { onDelete?: unknown }): OnDelete {
    const choice = normaliseOnDelete(props.onDelete);
    return (ON_DELETE_CHOICES as readonly unknown[]).includes(choice) ? (choice as OnDelete) : DEFAULT_ON_DELETE;
}

/** Normalises raw inputs (new or from old state) without validating them. */
export function normaliseInputs(raw: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(raw)) {
        const normalised =
            name === "sseAlgorithm" || name === "kmsDataEncryption"
                ? normaliseEnum(value)
                : name === "onDelete"
                  ? normaliseOnDelete(value)
                  : normaliseText(value);
        if (normalised !== undefined) {
            // Defined, not assigned: assigning "__proto__" would replace the prototype, hiding the property from check.
            Object.defineProperty(result, name, { value: normalised, enumerable: true, writable: true, configurable: true });
        }
    }
    return result;
}

/**
 * Validates and normalises the program's inputs. Values unknown at preview are not validated, and
 * neither are the rules that depend on them. Never throws: every problem is a failure naming its property.
 */
export function checkBucketEncryption(news: Record<string, unknown>): dynamic.CheckResult {
    const inputs = normaliseInputs(news);
    const failures: dynamic.CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const known = (name: string) => inputs[name] !== UNKNOWN;

    for (const name of Object.keys(inputs)) {
        if (!INPUT_NAMES.includes(name) && name !== "__provider") {
            fail(name, `unknown property "${name}"; BucketEncryption takes ${INPUT_NAMES.join(", ")}.`);
        }
    }
    const wrongType = INPUT_NAMES.filter(name => inputs[name] !== undefined && typeof inputs[name] !== "string");
    for (const name of wrongType) {
        fail(name, `${name} must be a string; got ${typeof inputs[name]}.`);
        delete inputs[name];
    }

    const bucket = inputs.bucket as string | undefined;
    if (bucket === undefined) {
        if (!wrongType.includes("bucket")) {
            fail("bucket", "bucket is required: the name of the OSS bucket whose default encryption this resource manages.");
        }
    } else if (known("bucket") && !BUCKET_NAME.test(bucket)) {
        fail(
            "bucket",
            `bucket "${bucket}" is not a valid OSS bucket name: use 3-63 characters of lowercase letters, digits ` +
                `and hyphens, starting and ending with a letter or digit.`,
        );
    }

    const algorithm = inputs.sseAlgorithm as string | undefined;
    if (algorithm === undefined) {
        if (!wrongType.includes("sseAlgorithm")) {
            fail("sseAlgorithm", `sseAlgorithm is required: one of ${SSE_ALGORITHMS.join(", ")}.`);
        }
    } else if (known("sseAlgorithm") && !(SSE_ALGORITHMS as readonly string[]).includes(algorithm)) {
        fail("sseAlgorithm", `sseAlgorithm "${news.sseAlgorithm}" is not supported: use one of ${SSE_ALGORITHMS.join(", ")}.`);
    }

    const algorithmKnown = algorithm !== undefined && known("sseAlgorithm");
    for (const name of ["kmsMasterKeyId", "kmsDataEncryption"]) {
        if (inputs[name] !== undefined && algorithmKnown && algorithm !== "KMS") {
            fail(
                name,
                `${name} is only allowed when sseAlgorithm is "KMS" (it is "${algorithm}"): remove ${name}, ` +
                    `or set sseAlgorithm to "KMS".`,
            );
        }
    }
    const dataEncryption = inputs.kmsDataEncryption as string | undefined;
    if (
        dataEncryption !== undefined &&
        known("kmsDataEncryption") &&
        !(KMS_DATA_ENCRYPTIONS as readonly string[]).includes(dataEncryption)
    ) {
        fail(
            "kmsDataEncryption",
            `kmsDataEncryption "${news.kmsDataEncryption}" is not supported: use "SM4", or leave it out for AES-256.`,
        );
    }

    const onDelete = inputs.onDelete as string | undefined;
    if (onDelete !== undefined && known("onDelete") && !(ON_DELETE_CHOICES as readonly string[]).includes(onDelete)) {
        fail(
            "onDelete",
            `onDelete "${news.onDelete}" is not supported: use "RemoveRule" (removing the resource deletes the rule; the ` +
                `default), "KeepRule" (the rule stays) or "FallbackToAES256" (the rule becomes SSE-OSS with AES-256).`,
        );
    }

    const importId = inputs.importId as string | undefined;
    if (importId !== undefined && bucket !== undefined && known("importId") && known("bucket") && importId !== bucket) {
        fail("importId", `the import ID "${importId}" must be the bucket name "${bucket}": a BucketEncryption's ID is its bucket.`);
    }

    const region = inputs.region as string | undefined;
    if (region !== undefined && known("region") && !REGION_NAME.test(region)) {
        fail("region", `region "${region}" is not an Alibaba Cloud region ID such as "cn-hangzhou".`);
    }
    const endpoint = inputs.endpoint as string | undefined;
    if (endpoint !== undefined && known("endpoint")) {
        try {
            resolveOssEndpoint("cn-hangzhou", endpoint);
        } catch (err) {
            fail("endpoint", `endpoint "${endpoint}" is not usable: ${(err as Error).message}; give a host such as "oss-cn-hangzhou.aliyuncs.com" or a URL.`);
        }
    }
    return { inputs, failures };
}

/**
 * Completes valid, checked inputs with the region the rule will be applied in (the stack's when
 * the program names none). The state then says where each rule lives: a change of the stack's
 * region shows as a region change, and the KMS check at preview compares the key's region with the
 * one it was last applied in.
 */
export function withTargetRegion(result: dynamic.CheckResult, stackRegion: string | undefined): dynamic.CheckResult {
    const inputs = result.inputs as Record<string, unknown> | undefined;
    if (!inputs || inputs.region !== undefined || stackRegion === undefined || (result.failures ?? []).length > 0) {
        return result;
    }
    return { ...result, inputs: { ...inputs, region: stackRegion } };
}

/** The bucket that checked inputs declare: undefined when it is unknown or the inputs failed check. */
export function declaredBucket(result: dynamic.CheckResult): string | undefined {
    const bucket = (result.inputs as Record<string, unknown> | undefined)?.bucket;
    return typeof bucket === "string" && bucket !== UNKNOWN && (result.failures ?? []).length === 0 ? bucket : undefined;
}

// ---------------------------------------------------------------------------------------------
// diff

/** The region a resource's rule goes to: its own `region`, else the stack's. */
export function effectiveRegion(inputs: { region?: string }, settings: ProviderSettings): string | undefined {
    return inputs.region ?? settings.region;
}

/**
 * Bucket changes replace (another physical resource); algorithm, key, data encryption, region and
 * endpoint update in place (bucket names are global, so a new region or endpoint reaches the same
 * bucket), and so does onDelete (an update that only records it). Equivalent forms (empty vs
 * absent, "kms" vs "KMS", an absent onDelete vs "RemoveRule") are no change.
 */
export function diffBucketEncryption(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    settings: ProviderSettings,
): dynamic.DiffResult {
    const before = normaliseInputs(olds);
    const after = normaliseInputs(news);
    const replaces = before.bucket !== after.bucket ? ["bucket"] : [];
    const updates = ["sseAlgorithm", "kmsMasterKeyId", "kmsDataEncryption", "endpoint"].filter(
        name => before[name] !== after[name],
    );
    const newRegion = effectiveRegion(after as { region?: string }, settings);
    if (newRegion !== undefined && newRegion !== before.region) {
        updates.push("region");
    }
    if ((before.onDelete ?? DEFAULT_ON_DELETE) !== (after.onDelete ?? DEFAULT_ON_DELETE)) {
        updates.push("onDelete");
    }
    const changed = [...replaces, ...updates];
    return {
        changes: changed.length > 0,
        replaces,
        stables: replaces.length === 0 ? ["bucket"] : [],
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

// ---------------------------------------------------------------------------------------------
// find

/** The bucket's live rule, or undefined when the bucket or its rule does not exist. */
export async function findBucketEncryption(
    client: OssClient,
    bucket: string,
    options?: CallOptions,
): Promise<EncryptionRule | undefined> {
    try {
        return await client.getBucketEncryption(bucket, options);
    } catch (err) {
        if (isNotFound(err)) {
            return undefined;
        }
        throw err;
    }
}

// ---------------------------------------------------------------------------------------------
// create / read / update / delete

/** Where a resource's requests go; fails with what to set when no region is known. */
function targetOf(inputs: { region?: string; endpoint?: string; bucket: string }, ctx: ResourceContext) {
    const region = effectiveRegion(inputs, ctx.settings);
    if (!region) {
        throw new Error(
            `BucketEncryption for bucket "${inputs.bucket}": no region. Set the stack's region ` +
                `(pulumi config set alicloud:region cn-hangzhou, or ALIBABA_CLOUD_REGION) or the resource's region property.`,
        );
    }
    return { region, endpoint: inputs.endpoint ?? ctx.settings.ossEndpoint };
}

/** The error Pulumi's dynamic provider turns into "created, but not initialised" with the given state. */
class PartialStateError extends Error {
    constructor(message: string, readonly id: string, readonly properties: object) {
        super(message);
    }
    get reasons(): string[] {
        return [this.message];
    }
}

/**
 * How long a create retries NoSuchBucket (within the operation's deadline): a bucket created moments
 * ago, e.g. by another resource of the same stack, can take a while to be visible to every OSS front
 * end. Terraform's providers do the same on create; later operations treat NoSuchBucket as final.
 */
export const BUCKET_PROPAGATION_MS = 60_000;
/** Longest wait for a written rule to become visible (within the operation's deadline). */
const CONFIRM_MS = 120_000;

/**
 * PutBucketEncryption, then read back until the rule is visible (OSS is eventually consistent
 * across its front ends), all within one deadline (oss-encryption:operationTimeoutSeconds). Once the
 * PUT has succeeded, failing to see the rule still records it in the state, so the state matches
 * the most likely live rule and the next refresh settles it.
 */
async function putAndConfirm(
    inputs: BucketEncryptionInputs,
    ctx: ResourceContext,
    { creating = false } = {},
): Promise<BucketEncryptionOutputs> {
    const deadlineAt = Date.now() + ctx.settings.operationTimeoutMs;
    const target = targetOf(inputs, ctx);
    const client = ctx.clientFor(target);
    const rule = expandRule(inputs);
    await ctx.verifyKmsKey({ ...inputs, region: target.region });
    ctx.bucketsDeclaredThisRun.add(inputs.bucket);
    await client.putBucketEncryption(inputs.bucket, rule, {
        deadlineAt,
        retryNoSuchBucketForMs: creating ? BUCKET_PROPAGATION_MS : 0,
    });
    const outputs: BucketEncryptionOutputs = { ...inputs, region: target.region };
    const seen = await waitUntilVisible(client, inputs.bucket, rule, Math.min(deadlineAt, Date.now() + CONFIRM_MS));
    if (seen === "visible") {
        return outputs;
    }
    throw new PartialStateError(
        `PutBucketEncryption on bucket "${inputs.bucket}" succeeded, but ${seen} instead of ${JSON.stringify(rule)}. ` +
            `The state records the rule that was put; run \`pulumi refresh\` to see what OSS holds now.`,
        inputs.bucket,
        outputs,
    );
}

/** Reads the rule back until it equals `rule` ("visible") or `until` passes; else says what was seen. */
async function waitUntilVisible(client: OssClient, bucket: string, rule: EncryptionRule, until: number): Promise<string> {
    let seen: string;
    for (let wait = 100; ; wait = Math.min(wait * 2, 5_000)) {
        try {
            const live = await findBucketEncryption(client, bucket, { deadlineAt: until });
            if (live && sameRule(live, rule)) {
                return "visible";
            }
            seen = `GetBucketEncryption still answers ${live ? JSON.stringify(live) : "no rule"}`;
        } catch (err) {
            seen = `reading it back failed (${(err as Error).message})`;
            if (!isTransient(err)) {
                // AccessDenied on GetBucketEncryption and the like will not pass by waiting.
                return seen;
            }
        }
        if (Date.now() + wait + MIN_ATTEMPT_MS > until) {
            return seen;
        }
        await sleep(wait);
    }
}

/** Create: puts the rule on the bucket (or adopts the existing one); the ID is the bucket name. */
export async function createBucketEncryption(
    inputs: BucketEncryptionInputs,
    ctx: ResourceContext,
): Promise<dynamic.CreateResult<BucketEncryptionOutputs>> {
    const { importId, ...rule } = inputs;
    const outs = importId ? await adoptExisting(rule, ctx) : await putAndConfirm(rule, ctx, { creating: true });
    return { id: inputs.bucket, outs };
}

/**
 * Import: records the bucket's live rule without writing anything. As with Pulumi's own import,
 * the program must declare exactly the live rule; otherwise nothing is imported and the error
 * shows both, so the program can be corrected.
 */
async function adoptExisting(inputs: BucketEncryptionInputs, ctx: ResourceContext): Promise<BucketEncryptionOutputs> {
    const target = targetOf(inputs, ctx);
    const live = await findBucketEncryption(ctx.clientFor(target), inputs.bucket);
    const declared = expandRule(inputs);
    if (!live) {
        throw new Error(
            `Import of bucket "${inputs.bucket}" failed: the bucket has no encryption rule to import (or does not exist ` +
                `in ${target.region}). Remove the import option to create the rule instead.`,
        );
    }
    if (!sameRule(live, declared)) {
        throw new Error(
            `Import of bucket "${inputs.bucket}" failed: the live rule ${JSON.stringify(flattenRule(live))} differs from ` +
                `the program's ${JSON.stringify(flattenRule(declared))}. Change the program to match the live rule, import, ` +
                `then change it.`,
        );
    }
    return { ...inputs, region: target.region };
}

/**
 * Read: the live rule as both outputs and inputs, so `pulumi refresh` shows drift and the next
 * diff compares against reality; endpoint and onDelete, which OSS does not hold, are kept from the
 * state. No bucket or no rule: the resource is gone (empty ID). A live rule whose CMK OSS can no
 * longer use (disabled, pending deletion, gone) is reported as a warning.
 */
export async function readBucketEncryption(
    id: string,
    props: Partial<BucketEncryptionOutputs>,
    ctx: ResourceContext,
): Promise<dynamic.ReadResult<Partial<BucketEncryptionOutputs>>> {
    const target = targetOf({ ...props, bucket: id }, ctx);
    const rule = await findBucketEncryption(ctx.clientFor(target), id);
    if (!rule) {
        return { id: "", props: {} };
    }
    const inputs: BucketEncryptionInputs = {
        bucket: id,
        ...flattenRule(rule),
        // As check records it: where the rule lives, so a preview after a refresh compares like with like.
        region: target.region,
        ...(props.endpoint ? { endpoint: props.endpoint } : {}),
        ...(props.onDelete ? { onDelete: props.onDelete } : {}),
    };
    await ctx.reportKeyHealth(id, { ...flattenRule(rule), region: target.region });
    return { id, props: { ...inputs, region: target.region }, inputs };
}

/**
 * Update: re-puts the whole rule (through the new region or endpoint, if those changed). Without a
 * region in the inputs or the stack, the region the rule was applied in (from the state) is used,
 * as read and delete do. An update that changes only onDelete writes nothing to OSS. A new rule
 * applies to new uploads only, which the update says.
 */
export async function updateBucketEncryption(
    id: string,
    olds: Partial<BucketEncryptionOutputs>,
    news: BucketEncryptionInputs,
    ctx: ResourceContext,
): Promise<dynamic.UpdateResult<BucketEncryptionOutputs>> {
    const { importId: _importOnly, ...rule } = news;
    const region = effectiveRegion(rule, ctx.settings) ?? olds.region;
    const inputs = { ...rule, bucket: id, ...(region ? { region } : {}) };
    const before = normaliseInputs(olds) as Partial<BucketEncryptionOutputs>;
    const onlyOnDeleteChanged =
        onDeleteOf(before) !== onDeleteOf(inputs) &&
        before.sseAlgorithm !== undefined &&
        sameRule(expandRule(before as BucketEncryptionInputs), expandRule(inputs)) &&
        before.region === region &&
        before.endpoint === inputs.endpoint;
    if (onlyOnDeleteChanged && region !== undefined) {
        // onDelete lives in the state only: nothing to write.
        return { outs: { ...inputs, region } };
    }
    const outs = await putAndConfirm(inputs, ctx);
    ctx.info(existingObjectsNotice(id, inputs));
    return { outs };
}

/**
 * What a changed default means for objects already in the bucket: OSS applies a bucket's default
 * only to uploads that name no encryption of their own; stored objects keep what they were written with.
 */
export function existingObjectsNotice(bucket: string, inputs: BucketEncryptionInputs): string {
    const rule = expandRule(inputs);
    const headers = [
        `x-oss-server-side-encryption: ${rule.SSEAlgorithm}`,
        ...(rule.KMSMasterKeyID ? [`x-oss-server-side-encryption-key-id: ${rule.KMSMasterKeyID}`] : []),
        ...(rule.KMSDataEncryption ? [`x-oss-server-side-data-encryption: ${rule.KMSDataEncryption}`] : []),
    ];
    return (
        `BucketEncryption: bucket "${bucket}" now encrypts new uploads with ${describeRule(rule)}. Objects already in the ` +
        `bucket are not re-encrypted: they keep the encryption they were written with. To re-encrypt one, copy it onto ` +
        `itself (CopyObject) with the headers ${headers.join(", ")}.`
    );
}

/** A rule in words, for messages. */
function describeRule(rule: EncryptionRule): string {
    if (rule.SSEAlgorithm !== "KMS") {
        return rule.SSEAlgorithm === "SM4" ? "SSE-OSS (SM4)" : "SSE-OSS (AES-256)";
    }
    const key = rule.KMSMasterKeyID ? `CMK "${rule.KMSMasterKeyID}"` : "the OSS default CMK";
    return `SSE-KMS with ${key} (${rule.KMSDataEncryption ?? "AES-256"} data encryption)`;
}

/**
 * Delete: does what the resource's onDelete declares. RemoveRule (the default) removes the rule; a
 * missing bucket or rule counts as deleted. KeepRule writes nothing. FallbackToAES256 puts SSE-OSS
 * with AES-256, so the bucket keeps a default encryption.
 *
 * When another resource of this deployment declares the same bucket or has just written its rule
 * (a rename without an alias, applied in one run, or its create landed in an earlier run by
 * `--target` or a killed run), any of these would overwrite the rule the program declares: the
 * delete is skipped with a warning instead. Pulumi deletes removed resources only after the program
 * has declared all the others, so every other declaration of the bucket has been checked by then.
 */
export async function deleteBucketEncryption(
    id: string,
    props: Partial<BucketEncryptionOutputs>,
    ctx: ResourceContext,
): Promise<void> {
    if (ctx.bucketsDeclaredThisRun.has(id)) {
        ctx.warn(
            `BucketEncryption: not deleting the rule of bucket "${id}": another resource in this deployment declares ` +
                `the same bucket, and deleting would strip the rule it declares.`,
        );
        return;
    }
    const onDelete = onDeleteOf(props);
    if (onDelete === "KeepRule") {
        ctx.info(`BucketEncryption: left the rule of bucket "${id}" in place (onDelete: "KeepRule").`);
        return;
    }
    const target = targetOf({ ...props, bucket: id }, ctx);
    if (onDelete === "FallbackToAES256") {
        await putFallback(id, ctx.clientFor(target), ctx);
        return;
    }
    try {
        await ctx.clientFor(target).deleteBucketEncryption(id);
    } catch (err) {
        if (!isNotFound(err)) {
            throw err;
        }
    }
}

/** The rule onDelete "FallbackToAES256" leaves. */
const FALLBACK_RULE: EncryptionRule = { SSEAlgorithm: "AES256" };

/**
 * Puts SSE-OSS with AES-256 in place of the resource's rule and reads it back; a missing bucket
 * needs nothing. Not seeing the rule in time fails the delete, so the resource stays in the state
 * and the next run puts it again.
 */
async function putFallback(bucket: string, client: OssClient, ctx: ResourceContext): Promise<void> {
    const deadlineAt = Date.now() + ctx.settings.operationTimeoutMs;
    try {
        await client.putBucketEncryption(bucket, FALLBACK_RULE, { deadlineAt });
    } catch (err) {
        if (isNotFound(err)) {
            return;
        }
        throw err;
    }
    const seen = await waitUntilVisible(client, bucket, FALLBACK_RULE, Math.min(deadlineAt, Date.now() + CONFIRM_MS));
    if (seen !== "visible") {
        throw new Error(
            `PutBucketEncryption of the fallback AES256 rule on bucket "${bucket}" (onDelete: "FallbackToAES256") succeeded, ` +
                `but ${seen}. The resource stays in the state; run the delete again (pulumi up or destroy).`,
        );
    }
    ctx.info(`BucketEncryption: bucket "${bucket}" now has SSE-OSS (AES-256) in place of the removed rule (onDelete: "FallbackToAES256").`);
}
