// A small OSS client for the three bucket-encryption operations, on Node's HTTP stack.
// Signs with V4 by default (V1 on request), retries transient failures, re-signs once with the
// server's clock on RequestTimeTooSkewed, and bounds every response in size and time.
import * as http from "http";
import * as https from "https";
import { bucketAddress, OssEndpoint, resolveOssEndpoint } from "./endpoint";
import { OssError } from "./errors";
import { signRequestV1, signRequestV4, SignableRequest, SigningCredentials } from "./signing";
import { buildEncryptionRuleXml, EncryptionRule, parseEncryptionRuleXml, parseErrorXml } from "./xml";
import { DEFAULT_RETRY_POLICY, RetryNotice, RetryPolicy, withRetries } from "../retry";

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
    /** Per-attempt timeout in ms. */
    requestTimeoutMs?: number;
    retry?: Partial<RetryPolicy>;
    /** Told about each retry, with the operation and bucket. */
    onRetry?: (notice: RetryNotice & { operation: string; bucket: string }) => void;
}

/** A response body larger than this is not an OSS answer to these operations. */
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
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
    async putBucketEncryption(bucket: string, rule: EncryptionRule): Promise<void> {
        await this.call("PutBucketEncryption", "PUT", bucket, buildEncryptionRuleXml(rule));
    }

    /** GetBucketEncryption: the bucket's rule; throws OssError NoSuchServerSideEncryptionRule when none. */
    async getBucketEncryption(bucket: string): Promise<EncryptionRule> {
        const response = await this.call("GetBucketEncryption", "GET", bucket);
        try {
            return parseEncryptionRuleXml(response.body);
        } catch (err) {
            throw badResponse("GetBucketEncryption", bucket, response, (err as Error).message);
        }
    }

    /** DeleteBucketEncryption: removes the bucket's rule. */
    async deleteBucketEncryption(bucket: string): Promise<void> {
        await this.call("DeleteBucketEncryption", "DELETE", bucket);
    }

    private async call(operation: string, method: string, bucket: string, body?: string): Promise<RawResponse> {
        const policy: RetryPolicy = {
            ...DEFAULT_RETRY_POLICY,
            ...this.options.retry,
            onRetry: notice => this.options.onRetry?.({ ...notice, operation, bucket }),
        };
        let resignedForSkew = false;
        return withRetries(policy, async () => {
            try {
                return await this.attempt(operation, method, bucket, body);
            } catch (err) {
                const serverTime = err instanceof SkewError ? err.serverTime : undefined;
                if (serverTime === undefined || resignedForSkew) {
                    throw err instanceof SkewError ? err.ossError : err;
                }
                // Re-sign once with the server's clock, as the SDKs do.
                resignedForSkew = true;
                this.clockOffsetMs = serverTime - Date.now();
                return await this.attempt(operation, method, bucket, body);
            }
        });
    }

    private async attempt(operation: string, method: string, bucket: string, body?: string): Promise<RawResponse> {
        const address = bucketAddress(this.endpoint, bucket);
        const headers: Record<string, string> = {};
        if (body !== undefined) {
            headers["content-type"] = "application/xml";
        }
        const signable: SignableRequest = { method, bucket, query: { encryption: null }, headers };
        const creds = await this.options.credentials();
        const now = new Date(Date.now() + this.clockOffsetMs);
        const signed =
            this.options.signatureVersion === "v1"
                ? signRequestV1(signable, creds, now)
                : signRequestV4(signable, creds, this.options.region, now);
        if (body !== undefined) {
            signed["content-length"] = String(Buffer.byteLength(body));
        }
        const response = await this.send(operation, bucket, {
            protocol: this.endpoint.protocol,
            host: address.host,
            path: `${address.path}?encryption`,
            method,
            headers: signed,
            body,
        });
        if (response.status >= 200 && response.status < 300) {
            return response;
        }
        throw errorFromResponse(operation, bucket, response);
    }

    private send(
        operation: string,
        bucket: string,
        req: { protocol: string; host: string; path: string; method: string; headers: Record<string, string>; body?: string },
    ): Promise<RawResponse> {
        const timeoutMs = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
        const transport = req.protocol === "http:" ? http : https;
        const url = new URL(`${req.protocol}//${req.host}`);
        return new Promise<RawResponse>((resolve, reject) => {
            const fail = (code: string, message: string) =>
                reject(new OssError({ code, status: 0, operation, bucket, ossMessage: message }));
            const request = transport.request(
                {
                    protocol: req.protocol,
                    hostname: url.hostname,
                    port: url.port || undefined,
                    path: req.path,
                    method: req.method,
                    headers: { ...req.headers, host: req.host },
                    agent: false,
                },
                response => {
                    const chunks: Buffer[] = [];
                    let size = 0;
                    response.on("data", (chunk: Buffer) => {
                        size += chunk.length;
                        if (size > MAX_BODY_BYTES) {
                            request.destroy();
                            fail("BadResponse", `response body larger than ${MAX_BODY_BYTES} bytes`);
                            return;
                        }
                        chunks.push(chunk);
                    });
                    response.on("end", () =>
                        resolve({
                            status: response.statusCode ?? 0,
                            headers: response.headers,
                            body: Buffer.concat(chunks).toString("utf8"),
                        }),
                    );
                    response.on("error", err => fail("NetworkError", `connection failed while reading: ${err.message}`));
                },
            );
            request.setTimeout(timeoutMs, () => {
                request.destroy();
                fail("Timeout", `no complete answer from ${req.host} within ${timeoutMs} ms`);
            });
            request.on("error", err => fail("NetworkError", `cannot reach ${req.host}: ${err.message}`));
            request.end(req.body);
        });
    }
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

function badResponse(operation: string, bucket: string, response: RawResponse, why: string): OssError {
    return new OssError({
        code: "BadResponse",
        status: response.status,
        requestId: requestIdOf(response),
        operation,
        bucket,
        ossMessage: `unexpected response (${why})`,
    });
}

/** Turns an OSS error answer into an OssError (or a SkewError carrying the server's time). */
function errorFromResponse(operation: string, bucket: string, response: RawResponse): Error {
    const parsed = parseErrorXml(response.body);
    if (!parsed?.Code) {
        // No OSS error body (a proxy, a load balancer, or a hostile server): classify by status.
        const code = response.status === 503 ? "ServiceUnavailable" : response.status >= 500 ? "InternalError" : "BadResponse";
        return new OssError({
            code,
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

