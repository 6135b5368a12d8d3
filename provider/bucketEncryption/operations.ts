// The BucketEncryption operations over OSS Put/Get/DeleteBucketEncryption: a find that turns "not
// there" into undefined, then create/read/update/delete, top to bottom.
import { CallOptions, OssClient } from "../oss/client";
import { isNotFound, OssError } from "../oss/errors";
import { EncryptionRule } from "../oss/xml";
import { isCoded, isTransient, MIN_ATTEMPT_MS, sleep } from "../retry";
import { ProviderSettings, setCommand } from "../settings";
import { KeyCheckTarget } from "../kms/keyCheck";
import {
    BucketEncryptionInputs,
    BucketEncryptionOutputs,
    KEPT_FROM_STATE,
    PROPERTIES,
    PropertyName,
    PropertySpec,
    RULE_WRITING_INPUTS,
    STATE_ONLY_INPUTS,
} from "./properties";
import { cmkOf, UNKNOWN, describeRule, effectiveRegion, expandRule, flattenRule, normaliseInputs, onDeleteOf, sameRule } from "./rule";

/** What the CRUD functions need from the provider process. */
export interface ResourceContext {
    settings: ProviderSettings;
    clientFor(target: { region: string; endpoint?: string }): OssClient;
    /**
     * Buckets that resources of this deployment declare (seen by check) or have written a rule to;
     * see deleteBucketEncryption.
     */
    bucketsDeclaredThisRun: Set<string>;
    /** Throws when OSS cannot use the CMK; see provider/kms/keyCheck.ts. */
    verifyKmsKey(target: KeyCheckTarget): Promise<void>;
    /** Warns (never throws) when OSS cannot use the CMK a live rule uses any more; see provider/kms/keyCheck.ts. */
    reportKeyHealth(bucket: string, target: KeyCheckTarget): Promise<void>;
    warn(message: string): void;
    /** Progress worth seeing in the Pulumi output but not worth a warning. */
    info(message: string): void;
    /** The deployment's cancellation (Ctrl-C); the clients' requests and retry waits end when it aborts. */
    readonly signal: AbortSignal;
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
                `(${setCommand(ctx.settings.form, "region", "cn-hangzhou")}, or ALIBABA_CLOUD_REGION) or the resource's region property.`,
        );
    }
    return { region, endpoint: inputs.endpoint ?? ctx.settings.ossEndpoint };
}

/**
 * "Created (or updated), but not as intended": the engine records the resource with these
 * properties. Pulumi's dynamic provider reads id/properties/reasons; the plugin packs them into
 * ErrorResourceInitFailed.
 */
export class PartialStateError extends Error {
    constructor(message: string, readonly id: string, readonly properties: object) {
        super(message);
    }
    get reasons(): string[] {
        return [this.message];
    }
}

/** Whether a client call ended because the deployment was cancelled (its code is then Cancelled). */
function isCancelled(err: unknown): boolean {
    return isCoded(err) && err.code === "Cancelled";
}

/** What to run after a cancelled create, update or read. */
const REFRESH_THEN_UP = "Run `pulumi refresh` to record the rule the bucket holds now, then `pulumi up` to apply the program's rule.";

/**
 * The message of an operation that the deployment's cancellation (Ctrl-C) cut short: what was
 * running (naming the bucket), what may have been written, and what to run next.
 */
function cancelledMessage(what: string, outcome: string, next = REFRESH_THEN_UP): string {
    return `${what} cancelled: the deployment was interrupted (Ctrl-C); ${outcome}. ${next}`;
}

/**
 * How long a create retries NoSuchBucket (within the operation's deadline): a bucket created moments
 * ago, e.g. by another resource of the same stack, can take a while to be visible to every OSS front
 * end. Terraform's providers do the same on create; later operations treat NoSuchBucket as final.
 */
export const BUCKET_PROPAGATION_MS = 60_000;
/** Longest wait for a written rule to become visible (within the operation's deadline). */
const CONFIRM_MS = 120_000;

/** A point in time that ends a wait, and what it is, for the message when it does. */
interface Deadline {
    at: number;
    name: string;
}

/** The deadline of an operation starting now (oss-encryption:operationTimeoutSeconds). */
function operationDeadline(ctx: ResourceContext): Deadline {
    const { operationTimeoutMs, form } = ctx.settings;
    return {
        at: Date.now() + operationTimeoutMs,
        name: `the operation's deadline of ${operationTimeoutMs / 1000} s (${form.keyOf.operationTimeoutSeconds})`,
    };
}

/** How long the read-back after a write may run: CONFIRM_MS, or less when the operation's deadline comes first. */
function readBackWindow(operation: Deadline): Deadline {
    const windowEndsAt = Date.now() + CONFIRM_MS;
    return operation.at <= windowEndsAt
        ? operation
        : { at: windowEndsAt, name: `the read-back window of ${CONFIRM_MS / 1000} s (the longest a written rule is awaited)` };
}

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
    const deadline = operationDeadline(ctx);
    const target = targetOf(inputs, ctx);
    const client = ctx.clientFor(target);
    const rule = expandRule(inputs);
    const keyId = cmkOf(inputs);
    const outputs: BucketEncryptionOutputs = { ...inputs, region: target.region };
    if (keyId !== undefined) {
        try {
            await ctx.verifyKmsKey({ keyId, region: target.region });
        } catch (err) {
            const what = `The KMS key check of key "${keyId}" for bucket "${inputs.bucket}"`;
            throw isCancelled(err) ? new Error(cancelledMessage(what, "nothing was written to the bucket")) : err;
        }
    }
    ctx.bucketsDeclaredThisRun.add(inputs.bucket);
    try {
        await client.putBucketEncryption(inputs.bucket, rule, {
            deadlineAt: deadline.at,
            deadlineName: deadline.name,
            retryNoSuchBucketForMs: creating ? BUCKET_PROPAGATION_MS : 0,
        });
    } catch (err) {
        if (!isCancelled(err)) {
            throw err;
        }
        // A request without an answer may still have been applied: the engine records the rule as
        // put but not confirmed, and the refresh the message asks for settles it.
        const outcome = "the request was sent but not answered, so OSS may or may not have applied the rule; the state records it as not confirmed";
        throw new PartialStateError(cancelledMessage(`PutBucketEncryption on bucket "${inputs.bucket}"`, outcome), inputs.bucket, outputs);
    }
    let seen: "visible" | NotSeen;
    try {
        seen = await waitUntilVisible(client, inputs.bucket, rule, readBackWindow(deadline), ctx.signal);
    } catch (err) {
        if (!isCancelled(err)) {
            throw err;
        }
        const what = `GetBucketEncryption on bucket "${inputs.bucket}" (reading back the rule just put)`;
        const outcome = "PutBucketEncryption had succeeded, and the state records the rule it put as not confirmed";
        throw new PartialStateError(cancelledMessage(what, outcome), inputs.bucket, outputs);
    }
    if (seen === "visible") {
        return outputs;
    }
    throw new PartialStateError(
        `PutBucketEncryption on bucket "${inputs.bucket}" succeeded, but ${seen.seen} instead of ${JSON.stringify(rule)}${ranOut(seen)}. ` +
            `The state records the rule that was put; run \`pulumi refresh\` to see what OSS holds now.`,
        inputs.bucket,
        outputs,
    );
}

/** What a read-back that did not see the rule saw, and the limit that ended it, if one did. */
interface NotSeen {
    seen: string;
    limit?: string;
}

/** " when <limit> ran out", or nothing when no limit ended the read-back. */
const ranOut = (notSeen: NotSeen) => (notSeen.limit ? ` when ${notSeen.limit} ran out` : "");

/**
 * Reads the rule back until it equals `rule` ("visible") or `until` passes; else says what was seen.
 * Throws only when the deployment is cancelled (the client's Cancelled error).
 */
async function waitUntilVisible(
    client: OssClient,
    bucket: string,
    rule: EncryptionRule,
    until: Deadline,
    signal: AbortSignal,
): Promise<"visible" | NotSeen> {
    let seen: string;
    for (let wait = 100; ; wait = Math.min(wait * 2, 5_000)) {
        try {
            const live = await findBucketEncryption(client, bucket, { deadlineAt: until.at, deadlineName: until.name });
            if (live && sameRule(live, rule)) {
                return "visible";
            }
            seen = `GetBucketEncryption still answers ${live ? JSON.stringify(live) : "no rule"}`;
        } catch (err) {
            if (isCancelled(err)) {
                throw err;
            }
            seen = `reading it back failed (${(err as Error).message})`;
            if (!isTransient(err)) {
                // AccessDenied on GetBucketEncryption and the like will not pass by waiting.
                return { seen };
            }
        }
        if (Date.now() + wait + MIN_ATTEMPT_MS > until.at) {
            return { seen, limit: until.name };
        }
        await sleep(wait, signal);
    }
}

/** The buckets whose existence a provider process has asked OSS about (once per bucket per run). */
const bucketsProbed = new WeakMap<ResourceContext, Set<string>>();
/** How long the preview's existence probe may take: it only ever warns. */
const PROBE_MS = 5_000;

/**
 * At preview, for a change to make (create or update): warns, without failing, when the bucket does
 * not exist, saying that `up` will wait for it (it may be created by the same program moments
 * earlier). One GetBucketEncryption per bucket per run; any other answer or failure says nothing
 * here (the operation itself reports it).
 */
export async function warnIfBucketMissing(inputs: { bucket: string; region?: string; endpoint?: string }, ctx: ResourceContext): Promise<void> {
    const probed = bucketsProbed.get(ctx) ?? new Set<string>();
    bucketsProbed.set(ctx, probed);
    const region = effectiveRegion(inputs, ctx.settings);
    if (probed.has(inputs.bucket) || region === undefined || [inputs.bucket, region, inputs.endpoint].includes(UNKNOWN)) {
        return;
    }
    probed.add(inputs.bucket);
    try {
        await ctx.clientFor({ region, endpoint: inputs.endpoint ?? ctx.settings.ossEndpoint }).getBucketEncryption(inputs.bucket, { deadlineAt: Date.now() + PROBE_MS });
    } catch (err) {
        if (err instanceof OssError && err.code === "NoSuchBucket") {
            ctx.warn(
                `BucketEncryption: bucket "${inputs.bucket}" does not exist in ${region} (GetBucketEncryption answered NoSuchBucket` +
                    `${err.requestId ? `, request ID ${err.requestId}` : ""}). \`pulumi up\` will wait up to ${BUCKET_PROPAGATION_MS / 1000} s ` +
                    `for it (a bucket this program creates first is fine), then fail; check the bucket name and its region otherwise.`,
            );
        }
    }
}

/** Create: puts the rule on the bucket (or adopts the existing one); the ID is the bucket name. */
export async function createBucketEncryption(
    inputs: BucketEncryptionInputs,
    ctx: ResourceContext,
): Promise<{ id: string; outs: BucketEncryptionOutputs }> {
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
 * state. No bucket or no rule: for a refresh the resource is gone (empty ID); for a lookup (`get`
 * or `pulumi import`, which come with no state of a rule) an error naming the bucket and what is
 * missing, as Pulumi's other providers do. A live rule whose CMK OSS can no longer use (disabled,
 * pending deletion, gone) is reported as a warning.
 */
export async function readBucketEncryption(
    id: string,
    props: Partial<BucketEncryptionOutputs>,
    ctx: ResourceContext,
): Promise<{ id: string; props: Partial<BucketEncryptionOutputs>; inputs?: BucketEncryptionInputs }> {
    const target = targetOf({ ...props, bucket: id }, ctx);
    // A refresh reads a resource whose state holds the rule it recorded (sseAlgorithm is required).
    const lookup = props.sseAlgorithm === undefined;
    const client = ctx.clientFor(target);
    const rule = await (lookup ? lookUpRule(client, id, target.region, ctx) : findBucketEncryption(client, id)).catch(err => {
        throw isCancelled(err) ? new Error(cancelledMessage(`GetBucketEncryption on bucket "${id}"`, "nothing was written")) : err;
    });
    if (!rule) {
        return { id: "", props: {} };
    }
    const inputs: BucketEncryptionInputs = {
        bucket: id,
        ...flattenRule(rule),
        // As check records it: where the rule lives, so a preview after a refresh compares like with like.
        region: target.region,
        ...Object.fromEntries(KEPT_FROM_STATE.filter(name => props[name]).map(name => [name, props[name]])),
    };
    const keyId = cmkOf(flattenRule(rule));
    if (keyId !== undefined) {
        await ctx.reportKeyHealth(id, { keyId, region: target.region });
    }
    return { id, props: { ...inputs, region: target.region }, inputs };
}

/** The bucket's live rule for a lookup (get, import): a missing bucket or rule is an error saying which. */
async function lookUpRule(client: OssClient, bucket: string, region: string, ctx: ResourceContext): Promise<EncryptionRule> {
    try {
        return await client.getBucketEncryption(bucket);
    } catch (err) {
        if (!isNotFound(err)) {
            throw err;
        }
        const { code, requestId } = err as OssError;
        const answer = `GetBucketEncryption answered ${code}${requestId ? `, request ID ${requestId}` : ""}`;
        throw new Error(
            code === "NoSuchBucket"
                ? `Reading the encryption rule of bucket "${bucket}" failed: no such bucket in ${region} (${answer}). ` +
                      `Check the bucket name and its region (the resource's region, or ${ctx.settings.form.keyOf.region}), or create the bucket first.`
                : `Reading the encryption rule of bucket "${bucket}" failed: the bucket has no default encryption rule (${answer}). ` +
                      `Declare a BucketEncryption to give it one instead of reading it.`,
        );
    }
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
): Promise<{ outs: BucketEncryptionOutputs }> {
    const { importId: _importOnly, ...rule } = news;
    const region = effectiveRegion(rule, ctx.settings) ?? olds.region;
    const inputs = { ...rule, bucket: id, ...(region ? { region } : {}) };
    const before = normaliseInputs(olds) as Partial<BucketEncryptionOutputs>;
    const after = normaliseInputs(inputs);
    const same = (name: PropertyName) => (before[name] ?? (PROPERTIES[name] as PropertySpec).default) === (after[name] ?? (PROPERTIES[name] as PropertySpec).default);
    const onlyStateChanged =
        before.sseAlgorithm !== undefined && RULE_WRITING_INPUTS.every(same) && !STATE_ONLY_INPUTS.every(same);
    if (onlyStateChanged && region !== undefined) {
        // What changed (onDelete) lives in the state only: nothing to write.
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
        if (isCancelled(err)) {
            throw new Error(cancelledMessage(`DeleteBucketEncryption on bucket "${id}"`, DELETE_UNANSWERED, REFRESH_THEN_DELETE_AGAIN));
        }
        if (!isNotFound(err)) {
            throw err;
        }
    }
}

/** What a cancelled delete leaves. */
const DELETE_UNANSWERED = "the request may have been sent without an answer, so OSS may or may not have changed the rule; the state keeps the resource";
/** What to run after a cancelled delete. */
const REFRESH_THEN_DELETE_AGAIN =
    "Run `pulumi refresh` to record what the bucket holds now, then the command again (`pulumi up` or `pulumi destroy`).";

/** The rule onDelete "FallbackToAES256" leaves. */
const FALLBACK_RULE: EncryptionRule = { SSEAlgorithm: "AES256" };

/**
 * Puts SSE-OSS with AES-256 in place of the resource's rule and reads it back; a missing bucket
 * needs nothing. Not seeing the rule in time fails the delete, so the resource stays in the state
 * and the next run puts it again.
 */
async function putFallback(bucket: string, client: OssClient, ctx: ResourceContext): Promise<void> {
    const deadline = operationDeadline(ctx);
    const what = `PutBucketEncryption of the fallback AES256 rule on bucket "${bucket}" (onDelete: "FallbackToAES256")`;
    let seen: "visible" | NotSeen;
    try {
        await client.putBucketEncryption(bucket, FALLBACK_RULE, { deadlineAt: deadline.at, deadlineName: deadline.name });
        seen = await waitUntilVisible(client, bucket, FALLBACK_RULE, readBackWindow(deadline), ctx.signal);
    } catch (err) {
        if (isCancelled(err)) {
            throw new Error(cancelledMessage(what, DELETE_UNANSWERED, REFRESH_THEN_DELETE_AGAIN));
        }
        if (isNotFound(err)) {
            return;
        }
        throw err;
    }
    if (seen !== "visible") {
        throw new Error(
            `PutBucketEncryption of the fallback AES256 rule on bucket "${bucket}" (onDelete: "FallbackToAES256") succeeded, ` +
                `but ${seen.seen}${ranOut(seen)}. The resource stays in the state; run the delete again (pulumi up or destroy).`,
        );
    }
    ctx.info(`BucketEncryption: bucket "${bucket}" now has SSE-OSS (AES-256) in place of the removed rule (onDelete: "FallbackToAES256").`);
}
