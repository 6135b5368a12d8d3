// Typed KMS errors: every failure names the key, the region, the code, the request ID and what to
// do next, and never carries a credential (see redactSecrets).
import { SigningCredentials } from "../oss/signing";
import { SettingsForm, setCommand, STACK_CONFIG_FORM } from "../settingNames";
import { tlsNextStep, TLS_ERROR_CODE } from "../tls";

/** The setting that turns the KMS key check off, as users of the form type it. */
export function keyCheckOff(form: SettingsForm): string {
    return setCommand(form, "kmsKeyCheck", "false");
}

/** Codes KMS answers when the caller may not call DescribeKey; the check then only warns. */
export const ACCESS_DENIED_CODES = new Set([
    "Forbidden.RAM",
    "Forbidden.NoPermission",
    "Forbidden.AccessDenied",
    "Forbidden.Unauthorized",
    "NoPermission",
]);

/** Codes KMS answers for a key ID, ARN or alias it does not know in the addressed region. */
export const KEY_NOT_FOUND_CODES = new Set(["Forbidden.KeyNotFound", "Forbidden.AliasNotFound", "Forbidden.ResourceNotFound"]);

/** Our codes for keys that KMS describes but OSS cannot use (the verdicts of the key check). */
export type KeyVerdictCode =
    | "KeyNotFound"
    | "KeyDisabled"
    | "KeyPendingDeletion"
    | "KeyPendingImport"
    | "KeyInOtherRegion"
    | "KeyNotUsableForOss";

/** What the caller should do about each code; the text ends the error message. */
export function nextStep(code: string, region: string, form: SettingsForm = STACK_CONFIG_FORM): string | undefined {
    const key = form.keyOf;
    if (ACCESS_DENIED_CODES.has(code)) {
        return (
            `Grant the deploying identity kms:DescribeKey on the key, or turn the key check off with ` +
            `\`${keyCheckOff(form)}\`.`
        );
    }
    const steps: Record<string, string> = {
        KeyNotFound:
            `Check the key ID, ARN or alias, and that the key was created in ${region}: KMS keys are regional, ` +
            `and OSS can only use a key of the bucket's region.`,
        KeyDisabled: "Enable the key (KMS console, or the EnableKey API), or choose another key.",
        KeyPendingDeletion:
            "The key is scheduled for deletion: cancel the deletion (CancelKeyDeletion) if the key is still needed, or choose another key.",
        KeyPendingImport: "The key has no key material yet: import it (ImportKeyMaterial), or choose another key.",
        KeyInOtherRegion: `Use a key created in ${region}, the bucket's region: OSS cannot use a key of another region.`,
        KeyNotUsableForOss:
            "OSS server-side encryption needs a symmetric key (KeySpec Aliyun_AES_256, Aliyun_SM4, ...) with " +
            "KeyUsage ENCRYPT/DECRYPT; choose such a key.",
        "InvalidAccessKeyId.NotFound":
            `Check the AccessKey ID (${key.accessKey} or ALIBABA_CLOUD_ACCESS_KEY_ID) and, for STS credentials, ` +
            "that the security token is set and not expired.",
        SignatureDoesNotMatch: `Check the AccessKey secret (${key.secretKey} or ALIBABA_CLOUD_ACCESS_KEY_SECRET).`,
        "InvalidSecurityToken.Expired": `Refresh the STS credentials (${key.securityToken} or ALIBABA_CLOUD_SECURITY_TOKEN).`,
        "InvalidSecurityToken.MismatchWithAccessKey":
            "The security token does not belong to the AccessKey: set both from the same STS answer.",
        NetworkError:
            `Check that the KMS endpoint is reachable from here (${kmsEndpointSetting(form)}, or ` +
            `${key.useInternalEndpoint} inside a VPC).`,
        Timeout: "KMS did not answer in time; retry later, or check the KMS endpoint.",
        [TLS_ERROR_CODE]: `${tlsNextStep(kmsEndpointSetting(form))} Or turn the key check off with \`${keyCheckOff(form)}\`.`,
        UnexpectedError: `Check the KMS endpoint (${kmsEndpointSetting(form)}) and retry, or turn the key check off with \`${keyCheckOff(form)}\`.`,
        BadResponse:
            "Something other than KMS may have answered (a proxy or gateway): check the KMS endpoint " +
            `(${kmsEndpointSetting(form)}) and retry, or turn the key check off with ` +
            `\`${keyCheckOff(form)}\`.`,
    };
    return steps[code];
}

/** The setting of the KMS endpoint, in words: a kms entry of `alicloud:endpoints`, or the plugin's kmsEndpoint. */
function kmsEndpointSetting(form: SettingsForm): string {
    const key = form.keyOf.kmsEndpoint;
    return key === "alicloud:endpoints" ? "an `alicloud:endpoints` kms entry" : key;
}

/** An error answered by KMS, a failure to get an answer, or a key that OSS cannot use. */
export class KmsError extends Error {
    /** KMS error code (e.g. `Forbidden.RAM`), a KeyVerdictCode, or `NetworkError`/`Timeout`/`BadResponse`. */
    readonly code: string;
    /** HTTP status of the DescribeKey answer, or 0 when none arrived (or the verdict needed no call). */
    readonly status: number;
    /** Request ID of the DescribeKey call, when KMS answered. */
    readonly requestId?: string;
    /** The key as the resource names it. */
    readonly keyId: string;
    /** The region the key was looked up in (the bucket's). */
    readonly region: string;
    /** KMS's own message, or what we found wrong, before the next step is added. */
    readonly detail: string;
    /** True when the error is about the key itself (a verdict), not about the call. */
    readonly rejectsKey: boolean;

    constructor(args: {
        code: string;
        status: number;
        requestId?: string;
        keyId: string;
        region: string;
        detail: string;
        rejectsKey?: boolean;
        /** The form whose setting names the next step uses. */
        form?: SettingsForm;
    }) {
        const requestPart = args.requestId ? `, request ID ${args.requestId}` : "";
        const statusPart = args.status ? `HTTP ${args.status}` : "no HTTP status";
        const next = nextStep(args.code, args.region, args.form);
        super(
            `KMS key "${args.keyId}" in region ${args.region}: ${args.code} (${statusPart}${requestPart}): ` +
                `${args.detail}${next ? ` ${next}` : ""}`,
        );
        this.name = "KmsError";
        this.code = args.code;
        this.status = args.status;
        this.requestId = args.requestId;
        this.keyId = args.keyId;
        this.region = args.region;
        this.detail = args.detail;
        this.rejectsKey = args.rejectsKey ?? false;
    }
}

/** Whether KMS refused the DescribeKey call itself for lack of permission. */
export function isAccessDenied(err: unknown): boolean {
    return err instanceof KmsError && ACCESS_DENIED_CODES.has(err.code);
}

/**
 * Removes credential values from text a server or library produced. POP's SignatureDoesNotMatch
 * echoes its string to sign, which holds the security token percent-encoded (twice), so the
 * encoded forms are removed too, and the echoed string is cut off altogether.
 */
export function redactSecrets(text: string, credentials: Partial<SigningCredentials> | undefined): string {
    let result = text.replace(/(string to sign is:).*$/s, "$1 [omitted]");
    for (const secret of [credentials?.accessKeySecret, credentials?.securityToken]) {
        if (!secret) {
            continue;
        }
        const once = encodeURIComponent(secret);
        for (const form of new Set([secret, once, encodeURIComponent(once)])) {
            result = result.split(form).join("[redacted]");
        }
    }
    return result;
}
