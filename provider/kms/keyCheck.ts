// The KMS key check: before OSS is asked to encrypt with a customer key, DescribeKey says whether
// the key exists in the bucket's region, is Enabled, and is a symmetric encryption key. It runs in
// check() (so a preview catches a wrong key) and again right before the PUT, with one DescribeKey
// per distinct key per provider process.
import { ProviderSettings, SettingsForm } from "../settings";
import { DescribedKey, KmsClient } from "./client";
import { isAccessDenied, keyCheckOff, KEY_NOT_FOUND_CODES, KeyVerdictCode, KmsError, nextStep } from "./errors";
import { arnRegion } from "./keyReference";

/** A key reference (ID, ARN or alias) and the region of the bucket that would use it. */
export interface KeyCheckTarget {
    keyId: string;
    region: string;
}

/** What the key checker needs from the provider process. */
export interface KeyCheckContext {
    /** Read at each check, so settings are read (and can fail) only when a key is to be checked. */
    readonly settings: ProviderSettings;
    kmsClientFor(region: string): KmsClient;
    warn(message: string): void;
}

/** Key specs OSS can encrypt with: the symmetric ones, all named Aliyun_* (AES_256, AES_128, SM4, ...). */
function isSymmetricSpec(keySpec: string): boolean {
    return keySpec.startsWith("Aliyun_");
}

/**
 * The verdict on a described key: undefined when OSS can use it, else the KmsError saying why not
 * (state, region of its ARN, spec and usage).
 */
export function verdictOn(target: KeyCheckTarget, described: DescribedKey, form?: SettingsForm): KmsError | undefined {
    const { KeyState, KeySpec, KeyUsage, Arn } = described.metadata;
    const reject = (code: KeyVerdictCode, detail: string) =>
        new KmsError({ code, status: 200, requestId: described.requestId, ...target, detail, rejectsKey: true, form });
    const keyRegion = arnRegion(Arn);
    if (keyRegion !== undefined && keyRegion !== target.region) {
        return reject("KeyInOtherRegion", `the key (${Arn}) is in ${keyRegion}, not in the bucket's region.`);
    }
    const stateCodes: Record<string, KeyVerdictCode> = {
        Disabled: "KeyDisabled",
        PendingDeletion: "KeyPendingDeletion",
        PendingImport: "KeyPendingImport",
    };
    if (KeyState !== "Enabled") {
        return reject(stateCodes[KeyState] ?? "KeyDisabled", `the key is ${KeyState}, and OSS can only encrypt with an Enabled key.`);
    }
    if (!isSymmetricSpec(KeySpec) || KeyUsage !== "ENCRYPT/DECRYPT") {
        return reject("KeyNotUsableForOss", `the key is ${KeySpec} for ${KeyUsage}, which OSS cannot encrypt with.`);
    }
    return undefined;
}

/** What KMS says of a key: `verdict` when OSS could not use it; `notDescribed` when KMS refused to say (access denied). */
export interface KeyJudgement {
    verdict?: KmsError;
    notDescribed?: KmsError;
}

/**
 * Describes a key (once: the caller remembers) and judges it: gone, in another region, not Enabled,
 * not a symmetric encryption key. Errors of the call itself (network, credentials) are thrown.
 */
export async function judgeKey(client: KmsClient, target: KeyCheckTarget, form?: SettingsForm): Promise<KeyJudgement> {
    const namedRegion = arnRegion(target.keyId);
    if (namedRegion !== undefined && namedRegion !== target.region) {
        // The ARN says where the key lives: no need to ask KMS in the bucket's region.
        const detail = `the ARN names ${namedRegion}, not the bucket's region.`;
        return { verdict: new KmsError({ code: "KeyInOtherRegion", status: 0, ...target, detail, rejectsKey: true, form }) };
    }
    let described: DescribedKey;
    try {
        described = await client.describeKey(target.keyId);
    } catch (err) {
        if (err instanceof KmsError && KEY_NOT_FOUND_CODES.has(err.code)) {
            const detail = `KMS answered ${err.code}: there is no such key in ${target.region}.`;
            return { verdict: new KmsError({ code: "KeyNotFound", status: err.status, requestId: err.requestId, ...target, detail, rejectsKey: true, form }) };
        }
        if (isAccessDenied(err)) {
            return { notDescribed: err as KmsError };
        }
        throw err;
    }
    return { verdict: verdictOn(target, described, form) };
}

/**
 * Checks keys for one provider process, remembering each key's outcome so a run asks KMS once per
 * distinct key (and region and endpoint), even when many resources ask at the same time.
 */
export class KmsKeyChecker {
    /** The verdict per key: a rejecting KmsError, or undefined (usable, or KMS would not say). */
    private readonly outcomes = new Map<string, Promise<KmsError | undefined>>();

    constructor(private readonly ctx: KeyCheckContext) {}

    /**
     * Throws a KmsError when OSS could not use the key; warns (once per key) when KMS refuses to
     * describe it; does nothing when the check is off. Errors of the call itself (network,
     * credentials) are thrown and not remembered.
     */
    async verify(target: KeyCheckTarget): Promise<void> {
        if (!this.ctx.settings.kmsKeyCheck) {
            return;
        }
        const verdict = await this.outcome(target);
        if (verdict) {
            throw verdict;
        }
    }

    private outcome(target: KeyCheckTarget): Promise<KmsError | undefined> {
        const cacheKey = `${this.ctx.settings.kmsEndpoint ?? ""}|${target.region}|${target.keyId}`;
        let outcome = this.outcomes.get(cacheKey);
        if (!outcome) {
            outcome = this.judge(target);
            this.outcomes.set(cacheKey, outcome);
            outcome.catch(() => this.outcomes.delete(cacheKey));
        }
        return outcome;
    }

    private async judge(target: KeyCheckTarget): Promise<KmsError | undefined> {
        const judgement = await judgeKey(this.ctx.kmsClientFor(target.region), target, this.ctx.settings.form);
        if (judgement.notDescribed) {
            this.warnAccessDenied(judgement.notDescribed);
        }
        return judgement.verdict;
    }

    /**
     * Key health of a live rule: when the CMK it uses is one OSS cannot use any more (disabled,
     * pending deletion, gone, ...), warns naming the bucket, the key, its state and what that means
     * for the bucket's objects. Shares the verdicts of verify (one DescribeKey per key per process);
     * never throws, so a refresh goes on when KMS cannot be asked.
     */
    async reportHealth(bucket: string, target: KeyCheckTarget): Promise<void> {
        if (!this.ctx.settings.kmsKeyCheck) {
            return;
        }
        let verdict: KmsError | undefined;
        try {
            verdict = await this.outcome(target);
        } catch (err) {
            this.ctx.warn(`Key health of bucket "${bucket}" not checked: ${(err as Error).message}`);
            return;
        }
        if (verdict) {
            this.ctx.warn(keyHealthWarning(bucket, verdict, this.ctx.settings.form));
        }
    }

    private warnAccessDenied(err: KmsError): void {
        this.ctx.warn(
            `KMS key check skipped for key "${err.keyId}" in ${err.region}: KMS refused DescribeKey (${err.code}` +
                `${err.requestId ? `, request ID ${err.requestId}` : ""}), so OSS will be the first to judge the key. ` +
                `Grant kms:DescribeKey to check keys at preview, or turn the check off with \`${keyCheckOff(this.ctx.settings.form)}\`.`,
        );
    }
}

/** The key's state, in words, per verdict. */
const STATES: Record<KeyVerdictCode, string> = {
    KeyDisabled: "Disabled",
    KeyPendingDeletion: "PendingDeletion",
    KeyPendingImport: "PendingImport",
    KeyNotFound: "gone (KMS does not know it in this region)",
    KeyInOtherRegion: "in another region than the bucket",
    KeyNotUsableForOss: "not a symmetric encryption key",
};

/** What each verdict means for the bucket's objects. */
const CONSEQUENCES: Record<KeyVerdictCode, string> = {
    KeyDisabled:
        "uploads that rely on the bucket's default encryption fail, and objects encrypted with this key cannot be read until the key is enabled again",
    KeyPendingDeletion:
        "uploads that rely on the bucket's default encryption fail, objects encrypted with this key cannot be read, and once " +
        "the deletion completes they can never be decrypted again",
    KeyPendingImport: "uploads that rely on the bucket's default encryption fail until the key has key material",
    KeyNotFound:
        "uploads that rely on the bucket's default encryption fail, and objects encrypted with this key can no longer be decrypted",
    KeyInOtherRegion: "uploads that rely on the bucket's default encryption fail",
    KeyNotUsableForOss: "uploads that rely on the bucket's default encryption fail",
};

/** The key-health warning for a bucket whose live rule uses a key that `verdict` rejects. */
export function keyHealthWarning(bucket: string, verdict: KmsError, form?: SettingsForm): string {
    const code = verdict.code as KeyVerdictCode;
    const requestPart = verdict.requestId ? ` (DescribeKey request ID ${verdict.requestId})` : "";
    const next = nextStep(code, verdict.region, form);
    return (
        `Key health: bucket "${bucket}" encrypts with KMS key "${verdict.keyId}" in ${verdict.region}, which is ` +
        `${STATES[code] ?? code}${requestPart}: ${CONSEQUENCES[code] ?? "OSS cannot use it"}.${next ? ` ${next}` : ""}`
    );
}
