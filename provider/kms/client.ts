// KMS DescribeKey over the RPC API (version 2016-01-20) with @alicloud/pop-core, which is loaded
// on first use: most stacks never need KMS, and the provider must start fast.
import { SigningCredentials } from "../oss/signing";
import { SettingsForm } from "../settingNames";
import { DEFAULT_RETRY_POLICY, isTransient, RetryNotice, RetryPolicy, withRetries } from "../retry";
import { kmsEndpointUrl } from "./endpoint";
import { isAccessDenied, KmsError, redactSecrets } from "./errors";
import { describeTlsFailure, permanentTlsCode, TLS_ERROR_CODE } from "../tls";
import { silenceCredentialDebugLogging } from "../debugLogging";

/** The KMS API version DescribeKey is called with. */
export const KMS_API_VERSION = "2016-01-20";

/** DescribeKey's KeyMetadata, as far as the key check reads it. */
export interface KeyMetadata {
    KeyId: string;
    Arn: string;
    KeyState: string;
    KeySpec: string;
    KeyUsage: string;
}

/** A DescribeKey answer. */
export interface DescribedKey {
    metadata: KeyMetadata;
    requestId?: string;
}

/** How the client reaches KMS and who it is. */
export interface KmsClientOptions {
    /** Region the keys are looked up in. */
    region: string;
    /** Endpoint override (`host[:port]` or a URL); default the region's endpoint. */
    endpoint?: string;
    /** Use the region's VPC endpoint (kms-vpc.<region>.aliyuncs.com) when no endpoint is given. */
    internal?: boolean;
    /** Called for every request, so refreshed STS credentials are picked up. */
    credentials: () => Promise<SigningCredentials>;
    /** Longest wait for one answer, in ms; default 10 s. */
    requestTimeoutMs?: number;
    retry?: Partial<RetryPolicy>;
    /** Told about each retry, with the key. */
    onRetry?: (notice: RetryNotice & { keyId: string }) => void;
    /** The form whose setting names error messages use; default the dynamic provider's stack config. */
    form?: SettingsForm;
    /** The deployment's cancellation: ends the wait for an answer and retry waits (the call then fails with code Cancelled). */
    signal?: AbortSignal;
}

/** The parts of pop-core's RPCClient used here (its bundled typings lack credentialsProvider). */
interface RpcClient {
    request<T>(action: string, params: object, options?: object): Promise<T>;
}
type RpcClientConstructor = new (config: {
    endpoint: string;
    apiVersion: string;
    credentialsProvider: { getCredentials(): Promise<SigningCredentials> };
}) => RpcClient;

/** What pop-core attaches to the errors it throws for an error answer. */
interface PopCoreError extends Error {
    code?: string;
    data?: { Code?: string; Message?: string; RequestId?: string; HttpStatus?: number };
    entry?: { response?: { statusCode?: number } };
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Client for DescribeKey in one region. */
export class KmsClient {
    /** The base URL requests go to. */
    readonly endpointUrl: string;
    private rpc: RpcClient | undefined;
    /** The credentials of the latest attempt, so error texts can be scrubbed of them. */
    private lastCredentials: SigningCredentials | undefined;
    /** Errors our credential chain threw inside pop-core: they already say what to do and pass through unwrapped. */
    private readonly credentialFailures = new WeakSet<object>();

    constructor(private readonly options: KmsClientOptions) {
        this.endpointUrl = kmsEndpointUrl(options.region, options.endpoint, options.internal);
    }

    /** DescribeKey by key ID, ARN or alias; throws KmsError for error answers and failed calls. */
    async describeKey(keyId: string): Promise<DescribedKey> {
        const policy: RetryPolicy = {
            ...DEFAULT_RETRY_POLICY,
            ...this.options.retry,
            // Access denied is final: the check turns it into a warning at once.
            retryable: err => !isAccessDenied(err) && (this.options.retry?.retryable ?? isTransient)(err),
            onRetry: notice => this.options.onRetry?.({ ...notice, keyId }),
            signal: this.options.signal,
        };
        return withRetries(policy, () => this.attempt(keyId)).catch(err => {
            if (!this.options.signal?.aborted) {
                throw err;
            }
            const detail = "the deployment was cancelled before KMS answered DescribeKey.";
            throw new KmsError({ form: this.options.form, code: "Cancelled", status: 0, keyId, region: this.options.region, detail });
        });
    }

    private async attempt(keyId: string): Promise<DescribedKey> {
        type Answer = { KeyMetadata?: Partial<KeyMetadata>; RequestId?: string };
        let answer: Answer;
        try {
            // RegionId is a common RPC parameter (the aliyun CLI sends it too); it names the region
            // when the endpoint is an override that does not.
            answer = await untilAborted(
                this.client().request<Answer>(
                    "DescribeKey",
                    { KeyId: keyId, RegionId: this.options.region },
                    // POST keeps the signature and security token out of the URL (and of pop-core's error texts).
                    { method: "POST", timeout: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS },
                ),
                this.options.signal,
            );
        } catch (err) {
            throw this.toKmsError(err, keyId);
        }
        const metadata = answer.KeyMetadata;
        if (!metadata?.KeyId || !metadata.KeyState || !metadata.KeySpec || !metadata.KeyUsage) {
            throw new KmsError({ form: this.options.form,
                code: "BadResponse",
                status: 200,
                requestId: answer.RequestId,
                keyId,
                region: this.options.region,
                detail: "DescribeKey answered without KeyId, KeyState, KeySpec and KeyUsage.",
            });
        }
        return { metadata: { Arn: "", ...metadata } as KeyMetadata, requestId: answer.RequestId };
    }

    /** The pop-core client, created (and pop-core loaded) on first use. */
    private client(): RpcClient {
        if (!this.rpc) {
            silenceCredentialDebugLogging();
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const RPCClient = require("@alicloud/pop-core") as RpcClientConstructor;
            this.rpc = new RPCClient({
                endpoint: this.endpointUrl,
                apiVersion: KMS_API_VERSION,
                credentialsProvider: {
                    getCredentials: async () => {
                        try {
                            this.lastCredentials = await this.options.credentials();
                        } catch (err) {
                            if (typeof err === "object" && err !== null) {
                                this.credentialFailures.add(err);
                            }
                            throw err;
                        }
                        return this.lastCredentials;
                    },
                },
            });
        }
        return this.rpc;
    }

    /** pop-core's error (an error answer, bad JSON or a network failure) as a KmsError; other errors pass. */
    private toKmsError(err: unknown, keyId: string): unknown {
        if (typeof err !== "object" || err === null || err instanceof KmsError || this.credentialFailures.has(err)) {
            return err;
        }
        const popError = err as PopCoreError;
        const region = this.options.region;
        const scrub = (text: string) => redactSecrets(text, this.lastCredentials);
        if (popError.data?.Code) {
            return new KmsError({ form: this.options.form,
                code: popError.data.Code,
                status: popError.entry?.response?.statusCode ?? popError.data.HttpStatus ?? 0,
                requestId: popError.data.RequestId,
                keyId,
                region,
                detail: scrub(popError.data.Message ?? ""),
            });
        }
        // json-bigint throws a plain object named SyntaxError (carrying the whole body) for non-JSON.
        if (popError.name === "SyntaxError") {
            return new KmsError({ form: this.options.form, code: "BadResponse", status: 0, keyId, region, detail: "KMS answered something other than JSON." });
        }
        if (permanentTlsCode(popError)) {
            const host = new URL(this.endpointUrl).host;
            return new KmsError({ form: this.options.form, code: TLS_ERROR_CODE, status: 0, keyId, region, detail: scrub(describeTlsFailure(host, popError)) });
        }
        if (/Timeout/.test(popError.name ?? "") || /^E[A-Z]+$/.test(popError.code ?? "")) {
            // httpx names its timeouts RequestTimeoutError; Node's socket errors carry codes like ECONNREFUSED.
            const code = /Timeout/.test(popError.name) ? "Timeout" : "NetworkError";
            return new KmsError({ form: this.options.form, code, status: 0, keyId, region, detail: `cannot reach ${this.endpointUrl}: ${scrub(popError.message)}` });
        }
        // Anything else pop-core or Node throws still names the key and region (and is not retried).
        const code = typeof popError.code === "string" && popError.code ? popError.code : "UnexpectedError";
        return new KmsError({ form: this.options.form, code, status: 0, keyId, region, detail: `calling ${this.endpointUrl} failed: ${scrub(String(popError.message ?? err))}` });
    }
}

/**
 * `answer`, or the signal's reason once it aborts: pop-core takes no AbortSignal, so a cancelled
 * DescribeKey (a read) is left to end by its own timeout while the operation moves on.
 */
function untilAborted<T>(answer: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) {
        return answer;
    }
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.throwIfAborted();
        signal.addEventListener("abort", onAbort, { once: true });
        answer.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}
