// Shared helpers for the conformance tests: typed access to pop-core (ali-oss's is in
// harness/aliOss.ts), raw HTTP requests signed with the project's signer, and assertions on SDK errors.
import * as assert from "assert/strict";
import * as http from "http";
import RPCClient = require("@alicloud/pop-core");
import { SignableRequest, signRequestV1, signRequestV4, uriEncode } from "../../provider/oss/signing";
import { Emulator, EmulatorCredential, LoggedRequest } from "../../emulator";
import { SigningVersion } from "../../harness/aliOss";

/** A pop-core RPC client for the emulator's KMS endpoint. */
export function kmsClient(emulator: Emulator, credential: EmulatorCredential = emulator.defaultCredential): RPCClient {
    return new RPCClient({
        endpoint: emulator.kmsEndpoint,
        apiVersion: "2016-01-20",
        accessKeyId: credential.accessKeyId,
        accessKeySecret: credential.accessKeySecret,
        securityToken: credential.securityToken,
    });
}

/** What ali-oss and pop-core attach to the errors they throw. */
export interface SdkError extends Error {
    code?: string;
    status?: number;
    requestId?: string;
    /** pop-core: the parsed error body. */
    data?: { Code?: string; Message?: string; RequestId?: string; HostId?: string };
}

/** Awaits a promise that must reject, and returns its error. */
export async function rejection(promise: Promise<unknown>): Promise<SdkError> {
    try {
        await promise;
    } catch (error) {
        return error as SdkError;
    }
    throw new assert.AssertionError({ message: "expected the call to fail, but it succeeded" });
}

/** The emulator's log entry for a request id; fails when there is none. */
export function loggedRequest(emulator: Emulator, requestId: string | undefined): LoggedRequest {
    const entry = emulator.requestLog.find(r => r.requestId === requestId);
    assert.ok(entry, `no logged request with id ${requestId}`);
    return entry;
}

/**
 * Asserts an ali-oss error carries the expected code and status, and a request id that the emulator
 * logged for a request answered with that same code: the error came from the emulator, intact.
 */
export function assertOssError(emulator: Emulator, error: SdkError, code: string, status: number): void {
    assert.equal(error.code, code, error.message);
    assert.equal(error.status, status);
    assert.match(error.requestId ?? "", /^[0-9A-F]{24}$/);
    assert.equal(loggedRequest(emulator, error.requestId).code, code);
}

/** A raw HTTP answer. */
export interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** A raw HTTP request to 127.0.0.1; rejects on connection errors and after `timeoutMs`. */
export function rawRequest(
    baseUrl: string,
    request: { method: string; path: string; headers?: Record<string, string>; body?: string; timeoutMs?: number },
): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
        const req = http.request(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, agent: false });
        req.setTimeout(request.timeoutMs ?? 5000, () => req.destroy(new Error("timeout")));
        req.on("error", reject);
        req.on("response", res => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        req.end(request.body);
    });
}

/** How a raw OSS request names its bucket: in the path, or in the Host header. */
export type AddressStyle = "path" | "virtual-host";

/** A raw OSS request to be signed with the project's signer (provider/oss/signing.ts). */
export interface SignedOssRequest {
    method: string;
    /** Absent for a service-level request (ListBuckets): path "/", and Host only as `host` says. */
    bucket?: string;
    query: Record<string, string | null>;
    headers?: Record<string, string>;
    body?: string;
    version?: SigningVersion;
    style?: AddressStyle;
    /** Host header for virtual-host style; defaults to "<bucket>.127.0.0.1:<port>". */
    host?: string;
    credential?: EmulatorCredential;
    /** The signing clock; defaults to now. */
    now?: Date;
    region?: string;
    timeoutMs?: number;
}

/** Signs a request with provider/oss/signing.ts and sends it to the emulator. */
export function signedOssRequest(emulator: Emulator, request: SignedOssRequest): Promise<RawResponse> {
    const { method, bucket, query, style = "path", version = "v4" } = request;
    const credential = request.credential ?? emulator.defaultCredential;
    const signable: SignableRequest = { method, bucket, query, headers: request.headers ?? {} };
    const now = request.now ?? new Date();
    const headers =
        version === "v4"
            ? signRequestV4(signable, credential, request.region ?? "cn-hangzhou", now)
            : signRequestV1(signable, credential, now);
    const port = new URL(emulator.endpoint).port;
    headers["host"] = style === "path" ? `127.0.0.1:${port}` : request.host ?? `${bucket ? `${bucket}.` : ""}127.0.0.1:${port}`;
    const path = `${style === "path" && bucket ? `/${bucket}/` : "/"}${queryString(query)}`;
    return rawRequest(emulator.endpoint, { method, path, headers, body: request.body, timeoutMs: request.timeoutMs });
}

/** "?a=1&b" from a query map (null values are bare names). */
function queryString(query: Record<string, string | null>): string {
    const pairs = Object.entries(query).map(([k, v]) => (v === null ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`));
    return pairs.length > 0 ? `?${pairs.join("&")}` : "";
}

/** A PutBucketEncryption body with the given ApplyServerSideEncryptionByDefault children. */
export function encryptionXml(fields: Record<string, string>): string {
    const children = Object.entries(fields)
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join("");
    return `<?xml version="1.0" encoding="UTF-8"?><ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>${children}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>`;
}

/** The text of an element in an XML body (first occurrence), or undefined. */
export function xmlElement(body: string, name: string): string | undefined {
    return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
}
