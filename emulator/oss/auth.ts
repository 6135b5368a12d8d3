// OSS request authentication: V1 ("OSS id:sig") and V4 ("OSS4-HMAC-SHA256 ..."), recomputed with
// the project's shared signer so that the emulator and the provider cannot drift apart silently.
import {
    ParsedAuthorization,
    SignableRequest,
    canonicalRequestV4,
    parseAuthorization,
    requestTimeV4,
    scopeV4,
    signatureV1,
    signatureV4,
    stringToSignV1,
    stringToSignV4,
} from "../../provider/oss/signing";
import { CredentialStore, signaturesEqual } from "../state/credentials";
import { ossError } from "../errors";
import { EmulatorCredential } from "../types";

/** OSS refuses requests whose time is more than 15 minutes away from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * Checks, in this order: an Authorization header is present and parses, the AccessKey is known,
 * the STS token matches, the signature matches, the request time is close to `now`.
 * Returns the caller's credential or throws the OSS error a real server would answer.
 */
export function authenticateOss(req: SignableRequest, credentials: CredentialStore, now: number): EmulatorCredential {
    const header = req.headers["authorization"];
    if (!header) {
        throw ossError("AccessDenied", "Anonymous access is forbidden for this operation.");
    }
    const auth = parseAuthorization(header);
    if (!auth) {
        throw ossError("InvalidArgument", "Authorization header is invalid.", {
            ArgumentName: "Authorization",
            ArgumentValue: header,
        });
    }
    const credential = credentials.find(auth.accessKeyId);
    if (!credential) {
        throw ossError("InvalidAccessKeyId", undefined, { OSSAccessKeyId: auth.accessKeyId });
    }
    if ((req.headers["x-oss-security-token"] ?? "") !== (credential.securityToken ?? "")) {
        // OSS answers a missing, stale or foreign STS token as an unknown AccessKey.
        throw ossError("InvalidAccessKeyId", "The security token you provided is invalid.", {
            OSSAccessKeyId: auth.accessKeyId,
        });
    }
    const expected = expectedSignature(req, auth, credential.accessKeySecret);
    if (!signaturesEqual(expected.signature, auth.signature)) {
        throw ossError("SignatureDoesNotMatch", undefined, {
            ...expected.evidence,
            SignatureProvided: auth.signature,
            OSSAccessKeyId: auth.accessKeyId,
        });
    }
    checkRequestTime(requestTime(req, auth), now);
    return credential;
}

/** What the signature should be, and the strings it was computed from (echoed in the error body). */
function expectedSignature(
    req: SignableRequest,
    auth: ParsedAuthorization,
    secret: string,
): { signature: string; evidence: Record<string, string> } {
    if (auth.version === "v1") {
        const stringToSign = stringToSignV1(req);
        return { signature: signatureV1(secret, stringToSign), evidence: { StringToSign: stringToSign } };
    }
    // The scope (and so the signing key) takes its date from the Credential, whichever header dates the request.
    const canonicalRequest = canonicalRequestV4(req, auth.additionalHeaders);
    const stringToSign = stringToSignV4(canonicalRequest, requestTime(req, auth) ?? "", scopeV4(auth.date, auth.region));
    return {
        signature: signatureV4(secret, auth.date, auth.region, stringToSign),
        evidence: { CanonicalRequest: canonicalRequest, StringToSign: stringToSign },
    };
}

/** V1 dates the request with Date (or x-oss-date when Date is absent); V4 with x-oss-date, else Date. */
function requestTime(req: SignableRequest, auth: ParsedAuthorization): string | undefined {
    return auth.version === "v1" ? req.headers["date"] ?? req.headers["x-oss-date"] : requestTimeV4(req.headers);
}

/** Either version's time may be RFC 1123 (a Date header) or ISO 8601 basic (an x-oss-date); 15 minutes either way. */
function checkRequestTime(value: string | undefined, now: number): void {
    const time = value === undefined ? NaN : parseRequestTime(value);
    if (Number.isNaN(time)) {
        throw ossError("AccessDenied", "OSS authentication requires a valid Date.");
    }
    if (Math.abs(now - time) > MAX_CLOCK_SKEW_MS) {
        throw ossError("RequestTimeTooSkewed", undefined, {
            RequestTime: value as string,
            ServerTime: new Date(now).toISOString(),
            MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
        });
    }
}

/**
 * `yyyymmddThhmmssZ` or an RFC 1123 date ("Tue, 20 Dec 2022 08:48:18 GMT") to ms since the epoch;
 * NaN when it is neither.
 */
export function parseRequestTime(value: string): number {
    const iso = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    if (iso) {
        return Date.UTC(+iso[1], +iso[2] - 1, +iso[3], +iso[4], +iso[5], +iso[6]);
    }
    return /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value) ? Date.parse(value) : NaN;
}
