// Authentication of Alibaba Cloud RPC ("POP") requests as @alicloud/pop-core signs them:
// Signature = base64(HMAC-SHA1(secret + "&", METHOD + "&%2F&" + encode(sorted, encoded params))).
// The method is whatever the request used (pop-core sends GET by default, POST on request).
import * as crypto from "crypto";
import { uriEncode } from "../../provider/oss/signing";
import { CredentialStore, signaturesEqual } from "./credentials";
import { kmsError } from "./errors";
import { EmulatorCredential } from "./types";

/** POP refuses Timestamps more than 15 minutes away from its clock, and remembers nonces that long. */
export const RPC_MAX_SKEW_MS = 15 * 60 * 1000;

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
