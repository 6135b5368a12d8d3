// OSS request authentication: V1 ("OSS id:sig") and V4 ("OSS4-HMAC-SHA256 ..."), recomputed with
// the project's shared signer so that the emulator and the provider cannot drift apart silently.
import {
    ParsedAuthorization,
    SignableRequest,
    canonicalRequestV4,
    parseAuthorization,
    signatureV1,
    signatureV4,
    stringToSignV1,
    stringToSignV4,
} from "../../provider/oss/signing";
import { CredentialStore, signaturesEqual } from "./credentials";
import { ossError } from "./errors";
import { EmulatorCredential } from "./types";

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
    checkRequestTime(requestTime(req, auth), auth.version, now);
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
    const canonicalRequest = canonicalRequestV4(req, auth.additionalHeaders);
    const stringToSign = stringToSignV4(canonicalRequest, requestTime(req, auth) ?? "", auth.region);
    return {
        signature: signatureV4(secret, auth.date, auth.region, stringToSign),
        evidence: { CanonicalRequest: canonicalRequest, StringToSign: stringToSign },
    };
}

/** V1 dates the request with Date (or x-oss-date when Date is absent); V4 with x-oss-date. */
function requestTime(req: SignableRequest, auth: ParsedAuthorization): string | undefined {
    return auth.version === "v1" ? req.headers["date"] ?? req.headers["x-oss-date"] : req.headers["x-oss-date"];
}

function checkRequestTime(value: string | undefined, version: "v1" | "v4", now: number): void {
    const time = value === undefined ? NaN : version === "v1" ? parseV1DateTime(value) : parseV4DateTime(value);
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

/** V1 dates are RFC 1123 ("Tue, 20 Dec 2022 08:48:18 GMT"); an x-oss-date may also be ISO 8601 basic. */
function parseV1DateTime(value: string): number {
    const iso = parseV4DateTime(value);
    return Number.isNaN(iso) ? Date.parse(value) : iso;
}

/** `yyyymmddThhmmssZ` to ms since the epoch; NaN when malformed. */
function parseV4DateTime(value: string): number {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}
