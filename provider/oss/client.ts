// A small OSS client for the bucket-encryption operations and ListBuckets, on Node's HTTP stack.
// Signs with V4 by default (V1 on request), retries transient failures within a deadline, re-signs
// once with the server's clock on RequestTimeTooSkewed, and bounds every response in size and time.
import * as crypto from "crypto";
import * as http from "http";
import * as https from "https";
import { bucketAddress, OssEndpoint, resolveOssEndpoint } from "./endpoint";
import { OssError } from "./errors";
import { canonicalQueryV4, signRequestV1, signRequestV4, SignableRequest, SigningCredentials } from "./signing";
import { buildEncryptionRuleXml, EncryptionRule, ListedBucket, parseEncryptionRuleXml, parseErrorXml, parseListBucketsXml } from "./xml";
import { DEFAULT_RETRY_POLICY, isTransient, RetryNotice, RetryOutcome, RetryPolicy, withRetries } from "../retry";
import { SettingsForm, STACK_CONFIG_FORM } from "../settingNames";
import { describeTlsFailure, permanentTlsCode, TLS_ERROR_CODE } from "../tls";

/** How the client reaches OSS and who it is. */
export interface OssClientOptions {
    /** Region of the bucket; used for the endpoint and the V4 signing scope. */
    region: string;
    /** Endpoint override (`host[:port]` or a URL); default the region's public endpoint. */
    endpoint?: string;
    /** Use the region's internal (VPC) endpoint when no endpoint is given. */
    internal?: boolean;
    /** Called for every request, so refreshed STS credentials are picked up. */
    credentials: () => Promise<SigningCredentials>;
    signatureVersion?: "v1" | "v4";
    /** Longest wait for one complete answer (connect to last byte), in ms; default 30 s. */
    requestTimeoutMs?: number;
    /** Retry policy; `deadlineMs` bounds each call, retries included. */
    retry?: Partial<RetryPolicy>;
    /** Told about each retry, with the operation and bucket. */
    onRetry?: (notice: RetryNotice & { operation: string; bucket: string }) => void;
    /** The clock requests are dated with; injectable so tests can skew it. Default Date.now. */
    clock?: () => number;
    /** The form whose setting names error messages use; default the dynamic provider's stack config. */
    form?: SettingsForm;
    /** The deployment's cancellation: aborts requests in flight and retry waits (the call then fails with code Cancelled). */
    signal?: AbortSignal;
}

/** Per-call limits, for callers that run several calls as one operation. */
export interface CallOptions {
    /** Absolute time (ms since the epoch) after which no attempt starts and no answer is awaited. */
    deadlineAt?: number;
    /** What deadlineAt is, for the message when it stops the retries; default the operation's deadline (operationTimeoutSeconds). */
    deadlineName?: string;
    /**
     * Also retry NoSuchBucket for this long from the call's start: a bucket created moments ago
     * elsewhere can take a while to be visible to every OSS front end.
     */
    retryNoSuchBucketForMs?: number;
}

/** A response body larger than this is not an OSS answer to these operations. */
export const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** One request to send, before signing. */
interface OssRequest {
    operation: string;
    method: string;
    /** The bucket, or "" for a service-level call (ListBuckets). */
    bucket: string;
    /** Query parameters; null is a bare sub-resource (`?encryption`). */
    query: Record<string, string | null>;
    body?: string;
}

/** The query of the bucket-encryption operations. */
const ENCRYPTION_QUERY = { encryption: null };

/** One page of ListBuckets, as the scan needs it. */
export interface BucketPage {
    buckets: ListedBucket[];
    /** Set when more buckets follow: pass it as the next call's marker. */
    nextMarker?: string;
}

/** Client for Put/Get/DeleteBucketEncryption. */
export class OssClient {
    private readonly endpoint: OssEndpoint;
    /** Server clock minus ours, learnt from RequestTimeTooSkewed. */
    private clockOffsetMs = 0;

    constructor(private readonly options: OssClientOptions) {
        this.endpoint = resolveOssEndpoint(options.region, options.endpoint, options.internal);
    }

    /** PutBucketEncryption: sets the bucket's default encryption rule. */
    async putBucketEncryption(bucket: string, rule: EncryptionRule, options?: CallOptions): Promise<void> {
        const body = buildEncryptionRuleXml(rule);
        await this.call({ operation: "PutBucketEncryption", method: "PUT", bucket, query: ENCRYPTION_QUERY, body }, options);
    }

    /** GetBucketEncryption: the bucket's rule; throws OssError NoSuchServerSideEncryptionRule when none. */
    async getBucketEncryption(bucket: string, options?: CallOptions): Promise<EncryptionRule> {
        const request = { operation: "GetBucketEncryption", method: "GET", bucket, query: ENCRYPTION_QUERY };
        const response = await this.call(request, options);
        const contentType = String(response.headers["content-type"] ?? "");
        if (contentType !== "" && !/\bxml\b/i.test(contentType)) {
            throw badResponse(request, response, `content type "${contentType}" where OSS sends XML`);
        }
        try {
            return parseEncryptionRuleXml(response.body);
        } catch (err) {
            throw badResponse(request, response, (err as Error).message);
        }
    }

    /** DeleteBucketEncryption: removes the bucket's rule. */
    async deleteBucketEncryption(bucket: string, options?: CallOptions): Promise<void> {
        await this.call({ operation: "DeleteBucketEncryption", method: "DELETE", bucket, query: ENCRYPTION_QUERY }, options);
    }

    /**
     * ListBuckets (GetService): one page of the account's buckets, of every region, in name order,
     * after `marker`, at most `maxKeys` (OSS allows 1000).
     */
    async listBuckets(page: { prefix?: string; marker?: string; maxKeys?: number } = {}, options?: CallOptions): Promise<BucketPage> {
        const query: Record<string, string | null> = {};
        if (page.prefix) {
            query.prefix = page.prefix;
        }
        if (page.marker) {
            query.marker = page.marker;
        }
        if (page.maxKeys !== undefined) {
            query["max-keys"] = String(page.maxKeys);
        }
        const request = { operation: "ListBuckets", method: "GET", bucket: "", query };
        const response = await this.call(request, options);
        try {
            return parseListBucketsXml(response.body);
        } catch (err) {
            throw badResponse(request, response, (err as Error).message);
        }
    }

    private async call(request: OssRequest, options: CallOptions = {}): Promise<RawResponse> {
        const started = Date.now();
        const base = { ...DEFAULT_RETRY_POLICY, ...this.options.retry };
        const deadlineMs = Math.min(base.deadlineMs, (options.deadlineAt ?? Infinity) - started);
        const propagationEndsAt = started + (options.retryNoSuchBucketForMs ?? 0);
        const retryable = base.retryable ?? isTransient;
        const skew = { resigned: false };
        const signal = this.options.signal;
        return withRetries(
            {
                ...base,
                deadlineMs,
                signal,
                retryable: err => retryable(err) || (isNoSuchBucket(err) && Date.now() < propagationEndsAt),
                onRetry: notice => this.options.onRetry?.({ ...notice, operation: request.operation, bucket: request.bucket }),
                giveUp: (err, outcome) =>
                    explainGiveUp(
                        err,
                        outcome,
                        { deadlineMs, deadlineName: options.deadlineName, propagationMs: options.retryNoSuchBucketForMs },
                        this.options.form ?? STACK_CONFIG_FORM,
                    ),
            },
            (_n, remainingMs) => this.attemptCorrectingSkew(request, Date.now() + remainingMs, skew),
        ).catch(err => {
            if (!signal?.aborted) {
                throw err;
            }
            const { operation, bucket } = request;
            throw new OssError({ code: "Cancelled", status: 0, operation, bucket, ossMessage: "the deployment was cancelled before OSS answered", form: this.options.form });
        });
    }

    /** One attempt; on RequestTimeTooSkewed (once per call) learns the server's clock and re-signs. */
    private async attemptCorrectingSkew(request: OssRequest, deadlineAt: number, skew: { resigned: boolean }): Promise<RawResponse> {
        try {
            return await this.attempt(request, deadlineAt);
        } catch (err) {
            if (!(err instanceof SkewError)) {
                throw err;
            }
            if (skew.resigned || err.serverTime === undefined) {
                throw err.ossError;
            }
            // Re-sign once with the server's clock, as the SDKs do.
            skew.resigned = true;
            this.clockOffsetMs = err.serverTime - this.now();
        }
        try {
            return await this.attempt(request, deadlineAt);
        } catch (err) {
            throw err instanceof SkewError ? err.ossError : err;
        }
    }

    private now(): number {
        return (this.options.clock ?? Date.now)();
    }

    private async attempt(request: OssRequest, deadlineAt: number): Promise<RawResponse> {
        const { operation, method, bucket, body } = request;
        const timeoutMs = Math.min(this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, deadlineAt - Date.now());
        if (timeoutMs <= 0) {
            throw new OssError({ code: "Timeout", status: 0, operation, bucket, ossMessage: "the operation's deadline passed before this request could be sent" });
        }
        const address = bucket ? bucketAddress(this.endpoint, bucket) : { host: this.endpoint.host, path: "/" };
        const queryString = canonicalQueryV4(request.query);
        const headers: Record<string, string> = {};
        if (body !== undefined) {
            headers["content-type"] = "application/xml";
            // Both signatures cover Content-MD5 (V1 in the string to sign, V4 as a default signed header),
            // so OSS refuses a body changed on the way (InvalidDigest): V4 signs UNSIGNED-PAYLOAD otherwise.
            headers["content-md5"] = crypto.createHash("md5").update(body, "utf8").digest("base64");
        }
        const signable: SignableRequest = { method, bucket: bucket || undefined, query: request.query, headers };
        const creds = await this.options.credentials();
        const now = new Date(this.now() + this.clockOffsetMs);
        const signed =
            this.options.signatureVersion === "v1"
                ? signRequestV1(signable, creds, now)
                : signRequestV4(signable, creds, this.options.region, now);
        if (body !== undefined) {
            signed["content-length"] = String(Buffer.byteLength(body));
        }
        const response = await send(request, timeoutMs, {
            protocol: this.endpoint.protocol,
            host: address.host,
            path: queryString ? `${address.path}?${queryString}` : address.path,
            method,
            headers: signed,
            body,
            signal: this.options.signal,
        });
        if (response.status >= 200 && response.status < 300) {
            return response;
        }
        throw errorFromResponse(request, response);
    }
}

/** What goes on the wire. */
interface WireRequest {
    protocol: string;
    host: string;
    path: string;
    method: string;
    headers: Record<string, string>;
    body?: string;
    /** Destroys the request when it aborts. */
    signal?: AbortSignal;
}

/**
 * Connections are kept alive and reused across requests of the provider process: a create is a PUT
 * and a GET, and hundreds of resources share one endpoint, so a new TCP (and TLS) handshake per call
 * would add round trips to every resource. Idle sockets do not keep the process alive.
 */
const KEEP_ALIVE_AGENTS = {
    "http:": new http.Agent({ keepAlive: true, scheduling: "lifo" }),
    "https:": new https.Agent({ keepAlive: true, scheduling: "lifo" }),
};

/**
 * Sends one request and reads the whole answer, failing with an OssError when there is no complete
 * answer within `timeoutMs` (measured from the start, so a server that trickles bytes cannot stretch
 * it), when the connection fails, or when the answer is not HTTP or is larger than MAX_BODY_BYTES.
 */
function send(request: OssRequest, timeoutMs: number, wire: WireRequest): Promise<RawResponse> {
    const isHttp = wire.protocol === "http:";
    const transport = isHttp ? http : https;
    const url = new URL(`${wire.protocol}//${wire.host}`);
    return new Promise<RawResponse>((resolve, reject) => {
        let settled = false;
        const settle = (outcome: () => void) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                outcome();
            }
        };
        const fail = (code: string, message: string) => {
            settle(() => reject(new OssError({ code, status: 0, operation: request.operation, bucket: request.bucket, ossMessage: message })));
            outgoing.destroy();
        };
        const outgoing = transport.request(
            {
                protocol: wire.protocol,
                hostname: url.hostname,
                port: url.port || undefined,
                path: wire.path,
                method: wire.method,
                headers: { ...wire.headers, host: wire.host },
                agent: KEEP_ALIVE_AGENTS[isHttp ? "http:" : "https:"],
                signal: wire.signal,
            },
            response => {
                const chunks: Buffer[] = [];
                let size = 0;
                response.on("data", (chunk: Buffer) => {
                    size += chunk.length;
                    if (size > MAX_BODY_BYTES) {
                        fail("BadResponse", `the answer from ${wire.host} is larger than ${MAX_BODY_BYTES} bytes, which no OSS answer to ${request.operation} is`);
                        return;
                    }
                    chunks.push(chunk);
                });
                response.on("end", () =>
                    settle(() =>
                        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }),
                    ),
                );
                response.on("error", err => fail(...connectionFailure(err, wire.host, "while reading the answer")));
                response.on("close", () => fail("NetworkError", `the connection to ${wire.host} closed before the whole answer arrived`));
            },
        );
        const timer = setTimeout(() => fail("Timeout", `no complete answer from ${wire.host} within ${timeoutMs} ms`), timeoutMs);
        outgoing.on("error", err => fail(...connectionFailure(err, wire.host, "")));
        outgoing.end(wire.body);
    });
}

/** Code and message for a socket-level failure: a reply that is not HTTP is BadResponse, not worth retrying. */
function connectionFailure(err: NodeJS.ErrnoException, host: string, when: string): [string, string] {
    const during = when ? ` ${when}` : "";
    if (err.code?.startsWith("HPE_")) {
        return ["BadResponse", `${host} answered with something that is not valid HTTP (${err.code})`];
    }
    if (permanentTlsCode(err)) {
        return [TLS_ERROR_CODE, describeTlsFailure(host, err)];
    }
    return ["NetworkError", `the connection to ${host} failed${during}: ${err.message}`];
}

function isNoSuchBucket(err: unknown): boolean {
    return err instanceof OssError && err.code === "NoSuchBucket";
}

/**
 * The error a call ends with, saying how hard it tried and why it stopped when it retried at all,
 * with next steps naming the settings as the form in use does.
 */
function explainGiveUp(
    err: unknown,
    outcome: RetryOutcome,
    limits: { deadlineMs: number; deadlineName?: string; propagationMs?: number },
    form: SettingsForm,
): unknown {
    if (!(err instanceof OssError)) {
        return err;
    }
    const rebuilt = (ossMessage: string) =>
        new OssError({ code: err.code, status: err.status, requestId: err.requestId, operation: err.operation, bucket: err.bucket, ossMessage, form });
    if (outcome.attempts === 1 && outcome.stoppedBecause === "not-retryable") {
        return rebuilt(err.ossMessage);
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const reasons: Record<RetryOutcome["stoppedBecause"], string> = {
        deadline: `; the next try would pass ${limits.deadlineName ?? `the operation's deadline of ${seconds(limits.deadlineMs)} (${form.keyOf.operationTimeoutSeconds})`}`,
        "out-of-attempts": "; that is the most attempts allowed",
        "not-retryable":
            isNoSuchBucket(err) && limits.propagationMs
                ? `; a bucket created moments ago would have appeared within ${seconds(limits.propagationMs)}`
                : "",
    };
    const why = reasons[outcome.stoppedBecause];
    return rebuilt(`${err.ossMessage} (gave up after ${outcome.attempts} attempts over ${seconds(outcome.elapsedMs)}${why})`);
}

/** Carries the server's time from a RequestTimeTooSkewed answer. */
class SkewError extends Error {
    constructor(readonly ossError: OssError, readonly serverTime: number | undefined) {
        super(ossError.message);
    }
}

function requestIdOf(response: RawResponse): string | undefined {
    const id = response.headers["x-oss-request-id"];
    return Array.isArray(id) ? id[0] : id;
}

function badResponse(request: { operation: string; bucket: string }, response: RawResponse, why: string): OssError {
    return new OssError({
        code: "BadResponse",
        status: response.status,
        requestId: requestIdOf(response),
        operation: request.operation,
        bucket: request.bucket,
        ossMessage: `unexpected response (${why})`,
    });
}

/** Turns an OSS error answer into an OssError (or a SkewError carrying the server's time). */
function errorFromResponse({ operation, bucket }: OssRequest, response: RawResponse): Error {
    const parsed = parseErrorXml(response.body);
    if (!parsed?.Code) {
        // No OSS error body (a proxy, a load balancer, or a hostile server): classify by status.
        return new OssError({
            code: codeOfBareStatus(response.status),
            status: response.status,
            requestId: requestIdOf(response),
            operation,
            bucket,
            ossMessage: `HTTP ${response.status} without an OSS error body`,
        });
    }
    const error = new OssError({
        code: parsed.Code,
        status: response.status,
        requestId: parsed.RequestId ?? requestIdOf(response),
        operation,
        bucket,
        ossMessage: parsed.Message ?? "",
    });
    if (parsed.Code === "RequestTimeTooSkewed") {
        return new SkewError(error, serverTimeOf(response));
    }
    return error;
}

/** The code an error answer without an OSS body gets from its status alone. */
function codeOfBareStatus(status: number): string {
    const byStatus: Record<number, string> = { 408: "RequestTimeout", 429: "TooManyRequests", 503: "ServiceUnavailable" };
    return byStatus[status] ?? (status >= 500 ? "InternalError" : "BadResponse");
}

/** The server's clock from the Date header or the error body's ServerTime. */
function serverTimeOf(response: RawResponse): number | undefined {
    const match = /<ServerTime>([^<]+)<\/ServerTime>/.exec(response.body);
    const candidates = [match?.[1], response.headers["date"]];
    for (const text of candidates) {
        const time = text ? Date.parse(text) : NaN;
        if (!Number.isNaN(time)) {
            return time;
        }
    }
    return undefined;
}

