// Authentication of Alibaba Cloud API requests, in both signatures KMS accepts:
// - RPC ("POP", what @alicloud/pop-core and @alicloud/kms20160120 1.x send): Signature =
//   base64(HMAC-SHA1(secret + "&", METHOD + "&%2F&" + encode(sorted, encoded params))), with the
//   method the request used (pop-core sends GET by default, POST on request);
// - V3, ACS3-HMAC-SHA256 (what @alicloud/openapi-client and the current generated SDKs send by
//   default): an Authorization header over a canonical request, the action in x-acs-action.
import * as crypto from "crypto";
import { uriEncode } from "../../provider/oss/signing";
import { CredentialStore, signaturesEqual } from "../state/credentials";
import { kmsError } from "../errors";
import { EmulatorCredential } from "../types";

/** POP refuses Timestamps more than 15 minutes away from its clock, and remembers nonces that long. */
export const RPC_MAX_SKEW_MS = 15 * 60 * 1000;

/** The V3 signature algorithm the emulator verifies. */
export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

/** The common parameters every signed RPC request carries. */
const REQUIRED_SIGNATURE_PARAMS = ["AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"];

/** The RPC string to sign over every parameter except Signature. */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
    const canonical = Object.keys(params)
        .filter(k => k !== "Signature")
        .sort()
        .map(k => `${uriEncode(k)}=${uriEncode(params[k])}`)
        .join("&");
    return `${method.toUpperCase()}&${uriEncode("/")}&${uriEncode(canonical)}`;
}

/** base64(HMAC-SHA1(secret + "&", stringToSign)). */
export function rpcSignature(secret: string, stringToSign: string): string {
    return crypto.createHmac("sha1", `${secret}&`).update(stringToSign, "utf8").digest("base64");
}

/** Remembers SignatureNonces per AccessKey so a replayed request is refused. */
export class NonceRegistry {
    private readonly seen = new Map<string, number>();

    /** Records the nonce; false when it was already used within the skew window. */
    use(accessKeyId: string, nonce: string, now: number): boolean {
        for (const [key, at] of this.seen) {
            if (at < now - RPC_MAX_SKEW_MS) {
                this.seen.delete(key);
            }
        }
        const key = `${accessKeyId}\n${nonce}`;
        if (this.seen.has(key)) {
            return false;
        }
        this.seen.set(key, now);
        return true;
    }
}

/**
 * Checks, in this order: the signature parameters are present and of the supported kind, the
 * AccessKey is known, the STS token matches, the signature matches, the Timestamp is well formed
 * and recent, the nonce is fresh. Returns the caller's credential or throws the POP error.
 */
export function authenticateRpc(
    method: string,
    params: Record<string, string>,
    credentials: CredentialStore,
    nonces: NonceRegistry,
    now: number,
): EmulatorCredential {
    const missing = REQUIRED_SIGNATURE_PARAMS.filter(p => !params[p]);
    if (missing.length > 0) {
        throw kmsError("IncompleteSignature", `The request signature is incomplete: missing ${missing.join(", ")}.`);
    }
    if (params.SignatureMethod !== "HMAC-SHA1" || params.SignatureVersion !== "1.0") {
        throw kmsError("IncompleteSignature", "Only SignatureMethod HMAC-SHA1 with SignatureVersion 1.0 is supported.");
    }
    const credential = credentials.find(params.AccessKeyId);
    if (!credential) {
        throw kmsError("InvalidAccessKeyId.NotFound");
    }
    checkSecurityToken(credential, params.SecurityToken);
    const stringToSign = rpcStringToSign(method, params);
    if (!signaturesEqual(rpcSignature(credential.accessKeySecret, stringToSign), params.Signature)) {
        // POP echoes its string to sign, which is what makes this error debuggable.
        throw kmsError(
            "SignatureDoesNotMatch",
            `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
        );
    }
    checkTimestamp(params.Timestamp, now);
    if (!nonces.use(params.AccessKeyId, params.SignatureNonce, now)) {
        throw kmsError("SignatureNonceUsed");
    }
    return credential;
}

/** The parts of an HTTP request that an ACS3 signature covers. Header names are lower-case. */
export interface Acs3Request {
    method: string;
    /** The path as sent, e.g. "/". */
    path: string;
    /** Decoded query parameters. */
    query: Record<string, string>;
    headers: Record<string, string>;
}

/** An ACS3 Authorization header taken apart. */
export interface Acs3Authorization {
    accessKeyId: string;
    signedHeaders: string[];
    signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`; undefined when it is not one. */
export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
    if (!header.startsWith(`${ACS3_ALGORITHM} `)) {
        return undefined;
    }
    const fields: Record<string, string> = {};
    for (const part of header.slice(ACS3_ALGORITHM.length + 1).split(",")) {
        const eq = part.indexOf("=");
        if (eq > 0) {
            fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
        }
    }
    if (!fields.Credential || fields.SignedHeaders === undefined || !fields.Signature) {
        return undefined;
    }
    return {
        accessKeyId: fields.Credential,
        signedHeaders: fields.SignedHeaders ? fields.SignedHeaders.split(";") : [],
        signature: fields.Signature,
    };
}

/**
 * The ACS3 canonical request: method, path, the query sorted by name with values percent-encoded
 * (`name=` for an empty value), the signed headers as `name:trimmed value` lines, the signed header
 * names, and the payload hash (x-acs-content-sha256).
 */
export function acs3CanonicalRequest(req: Acs3Request, signedHeaders: string[]): string {
    const query = Object.keys(req.query)
        .sort()
        .map(k => `${uriEncode(k)}=${uriEncode(req.query[k])}`)
        .join("&");
    const headerLines = signedHeaders.map(h => `${h}:${(req.headers[h] ?? "").trim()}\n`).join("");
    return [req.method.toUpperCase(), req.path, query, headerLines, signedHeaders.join(";"), req.headers["x-acs-content-sha256"] ?? ""].join(
        "\n",
    );
}

/** `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)). */
export function acs3StringToSign(canonicalRequest: string): string {
    return `${ACS3_ALGORITHM}\n${crypto.createHash("sha256").update(canonicalRequest, "utf8").digest("hex")}`;
}

/** hex(HMAC-SHA256(secret, stringToSign)). */
export function acs3Signature(secret: string, stringToSign: string): string {
    return crypto.createHmac("sha256", secret).update(stringToSign, "utf8").digest("hex");
}

/** Headers an ACS3 request must carry, and sign, for the emulator to accept it. */
const ACS3_REQUIRED_HEADERS = ["x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

/**
 * Checks an ACS3-HMAC-SHA256 request in the order authenticateRpc does: the Authorization and the
 * x-acs-* headers are present and signed, the AccessKey is known, the STS token (x-acs-security-token)
 * matches, the payload hash matches the body, the signature matches, x-acs-date is recent, the nonce
 * is fresh. Returns the caller's credential or throws the POP error.
 */
export function authenticateAcs3(
    req: Acs3Request,
    body: Buffer,
    credentials: CredentialStore,
    nonces: NonceRegistry,
    now: number,
): EmulatorCredential {
    const auth = parseAcs3Authorization(req.headers["authorization"] ?? "");
    const missing = ACS3_REQUIRED_HEADERS.filter(h => !req.headers[h] || !auth?.signedHeaders.includes(h));
    if (!auth || missing.length > 0) {
        throw kmsError("IncompleteSignature", `The request signature is incomplete: missing or unsigned ${missing.join(", ") || "Authorization"}.`);
    }
    const credential = credentials.find(auth.accessKeyId);
    if (!credential) {
        throw kmsError("InvalidAccessKeyId.NotFound");
    }
    checkSecurityToken(credential, req.headers["x-acs-security-token"]);
    if (req.headers["x-acs-content-sha256"] !== crypto.createHash("sha256").update(body).digest("hex")) {
        // The documentation names no error for a wrong payload hash; the signature no longer covers the body.
        throw kmsError("SignatureDoesNotMatch", "The x-acs-content-sha256 header does not match the request body.");
    }
    const stringToSign = acs3StringToSign(acs3CanonicalRequest(req, auth.signedHeaders));
    if (!signaturesEqual(acs3Signature(credential.accessKeySecret, stringToSign), auth.signature)) {
        throw kmsError(
            "SignatureDoesNotMatch",
            `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
        );
    }
    checkTimestamp(req.headers["x-acs-date"], now);
    if (!nonces.use(auth.accessKeyId, req.headers["x-acs-signature-nonce"], now)) {
        throw kmsError("SignatureNonceUsed");
    }
    return credential;
}

/** An STS key without its token looks like an expired one (not found); a wrong token is a mismatch. */
function checkSecurityToken(credential: EmulatorCredential, token: string | undefined): void {
    if (credential.securityToken !== undefined && token === undefined) {
        throw kmsError("InvalidAccessKeyId.NotFound", "Specified access key is not found or the security token is missing.");
    }
    if ((token ?? "") !== (credential.securityToken ?? "")) {
        throw kmsError("InvalidSecurityToken.MismatchWithAccessKey");
    }
}

/** Timestamp must be ISO 8601 UTC (`yyyy-MM-ddTHH:mm:ssZ`) within the skew window. */
function checkTimestamp(timestamp: string, now: number): void {
    const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(timestamp) ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(time)) {
        throw kmsError("InvalidTimeStamp.Format");
    }
    if (Math.abs(now - time) > RPC_MAX_SKEW_MS) {
        throw kmsError("InvalidTimeStamp.Expired");
    }
}
