// Typed OSS errors: every failure names the operation, the bucket, the OSS code, the request ID and
// what to do next, and never carries a credential.
import { SettingsForm, STACK_CONFIG_FORM } from "../settingNames";
import { tlsNextStep, TLS_ERROR_CODE } from "../tls";

/** What the caller should do about each OSS error code, naming settings as the form in use does; the text ends the error message. */
function nextSteps(form: SettingsForm): Record<string, string> {
    let steps = nextStepsByForm.get(form);
    if (!steps) {
        steps = nextStepsOf(form);
        nextStepsByForm.set(form, steps);
    }
    return steps;
}

/** The next steps of each form, made once: an error is built for every bucket without a rule in a scan. */
const nextStepsByForm = new WeakMap<SettingsForm, Record<string, string>>();

function nextStepsOf(form: SettingsForm): Record<string, string> {
    const key = form.keyOf;
    return {
        NoSuchBucket: "Create the bucket first, or check the bucket name and the region/endpoint it lives in.",
        NoSuchServerSideEncryptionRule: "The bucket has no default encryption rule; declare one with a BucketEncryption to set it.",
        AccessDenied:
            "Grant the caller the RAM permission for this operation on the bucket (oss:PutBucketEncryption, " +
            "oss:GetBucketEncryption, oss:DeleteBucketEncryption), and check that the account owns the bucket.",
        InvalidAccessKeyId:
            `Check the AccessKey ID (${key.accessKey} or ALIBABA_CLOUD_ACCESS_KEY_ID) and, for STS credentials, ` +
            "that the security token is set and not expired.",
        SecurityTokenExpired: `Refresh the STS credentials (${key.securityToken} or ALIBABA_CLOUD_SECURITY_TOKEN).`,
        SignatureDoesNotMatch:
            `Check the AccessKey secret (${key.secretKey} or ALIBABA_CLOUD_ACCESS_KEY_SECRET) and the region used for signing.`,
        RequestTimeTooSkewed: "The machine's clock is more than 15 minutes off; synchronise it (NTP).",
        InvalidArgument:
            "Check sseAlgorithm (AES256, KMS or SM4), kmsMasterKeyId (KMS only) and kmsDataEncryption (SM4, KMS only).",
        MalformedXML: "The request body was rejected; this is a provider bug, please report it with the request ID.",
        InternalError: "OSS had an internal error; retry later.",
        ServiceUnavailable: "OSS is unavailable; retry later.",
        TooManyRequests: "OSS is throttling this account; retry later, or lower the deployment's parallelism (pulumi up --parallel).",
        RequestTimeout: "OSS gave up waiting for the request; check the network to the endpoint and retry.",
        NetworkError:
            `Check that the OSS endpoint (the region, ${key.ossEndpoint}, the resource's endpoint, ` +
            `${key.useInternalEndpoint}) is reachable from this machine.`,
        Timeout:
            "Check that the OSS endpoint is reachable from this machine, or give the operation longer " +
            `(${key.operationTimeoutSeconds}).`,
        [TLS_ERROR_CODE]: tlsNextStep(`${key.ossEndpoint}, the resource's endpoint`),
        BadResponse:
            "Something other than OSS answered (a proxy or captive portal?): check the endpoint " +
            `(${key.ossEndpoint}, the resource's endpoint) and any HTTP proxy in between.`,
    };
}

/** An error answered by OSS (or a failure to get an answer), with everything needed to act on it. */
export class OssError extends Error {
    /** OSS error code, e.g. `NoSuchBucket`; `NetworkError`/`Timeout`/`BadResponse` for failures without one. */
    readonly code: string;
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number;
    /** `x-oss-request-id` of the failed request, when OSS answered. */
    readonly requestId?: string;
    /** API operation, e.g. `PutBucketEncryption`. */
    readonly operation: string;
    /** Bucket the operation was for. */
    readonly bucket: string;
    /** OSS's own message, before our context is added. */
    readonly ossMessage: string;

    constructor(args: {
        code: string;
        status: number;
        requestId?: string;
        operation: string;
        bucket: string;
        ossMessage: string;
        /** The form whose setting names the next step uses. */
        form?: SettingsForm;
    }) {
        const requestPart = args.requestId ? `, request ID ${args.requestId}` : "";
        const statusPart = args.status ? `HTTP ${args.status}` : "no HTTP status";
        const next = nextSteps(args.form ?? STACK_CONFIG_FORM)[args.code];
        // Service-level calls (ListBuckets) are for no bucket.
        const subject = args.bucket ? `${args.operation} on bucket "${args.bucket}"` : args.operation;
        super(
            `${subject} failed: ${args.code} (${statusPart}${requestPart}): ` +
                `${args.ossMessage}${next ? ` ${next}` : ""}`,
        );
        this.name = "OssError";
        this.code = args.code;
        this.status = args.status;
        this.requestId = args.requestId;
        this.operation = args.operation;
        this.bucket = args.bucket;
        this.ossMessage = args.ossMessage;
    }
}

/** Codes that mean "the bucket or its rule is not there", which reads and deletes treat as absence. */
export function isNotFound(err: unknown): boolean {
    return err instanceof OssError && (err.code === "NoSuchBucket" || err.code === "NoSuchServerSideEncryptionRule");
}
