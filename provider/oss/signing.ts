// OSS request signing (V1 "OSS" and V4 "OSS4-HMAC-SHA256") as small pure functions over plain
// request objects, so the client, the emulator and the tests share one definition and the
// published behaviour of ali-oss's signUtils can be checked against it.
import * as crypto from "crypto";

/** The parts of an OSS request that a signature covers. Header names are lower-case. */
export interface SignableRequest {
    method: string;
    /** Bucket name, or undefined for service-level requests. */
    bucket?: string;
    /** Object key, or undefined for bucket-level requests. */
    key?: string;
    /** Query parameters; a null value is a bare sub-resource such as `encryption`. */
    query: Record<string, string | null>;
    headers: Record<string, string>;
}

/** An AccessKey pair, optionally with an STS security token. */
export interface SigningCredentials {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
}

/**
 * Query parameters that V1 includes in the canonicalized resource: the union of the official SDKs'
 * lists (aliyun-oss-go-sdk's signKeyList, alibabacloud-oss-go-sdk-v2's requiredSignedParametersMap
 * plus the sub-resource each operation names, oss2's and alibabacloud-oss-v2's
 * _subresource_key_set). Any parameter starting with `x-oss-` is signed too (go-sdk-v2 does so).
 */
export const V1_SUBRESOURCES: ReadonlySet<string> = new Set([
    "accessPoint", "accessPointPolicy", "acl", "append", "asyncFetch", "bucketArchiveDirectRead", "bucketInfo",
    "callback", "callback-var", "cloudboxes", "cname", "comp", "continuation-token", "cors", "delete", "encryption",
    "endTime", "group", "httpsConfig", "img", "inventory", "inventoryId", "lifecycle", "link", "live", "location",
    "logging", "metaQuery", "objectInfo", "objectMeta", "partNumber", "policy", "position", "publicAccessBlock",
    "qos", "qosInfo", "qosRequester", "redundancyTransition", "referer", "regionList", "replication",
    "replicationLocation", "replicationProgress", "requestPayment", "requesterQosInfo", "resourceGroup",
    "resourcePool", "resourcePoolBuckets", "resourcePoolInfo", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires", "responseHeader", "restore", "rtc", "security-token",
    "sequential", "startTime", "stat", "status", "style", "styleName", "symlink", "tagging", "transferAcceleration",
    "udf", "udfApplication", "udfApplicationLog", "udfId", "udfImage", "udfImageDesc", "udfName", "uploadId",
    "uploads", "versionId", "versioning", "versions", "vod", "website", "worm", "wormExtend", "wormId",
    "withHashContext",
]);

/** RFC 3986 percent-encoding, as OSS V4 and ali-oss's encodeString do it. */
export function uriEncode(value: string): string {
    return encodeURIComponent(value).replace(/[!'()*]/g, c => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** `yyyymmddThhmmssZ`, the V4 timestamp format. */
export function v4DateTime(now: Date): string {
    return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** The V1 StringToSign: verb, Content-MD5, Content-Type, date, x-oss-* headers, resource. */
export function stringToSignV1(req: SignableRequest): string {
    const h = req.headers;
    const ossHeaders = Object.keys(h)
        .filter(k => k.startsWith("x-oss-"))
        .sort()
        .map(k => `${k}:${String(h[k]).trim()}\n`)
        .join("");
    return [
        req.method.toUpperCase(),
        h["content-md5"] ?? "",
        h["content-type"] ?? "",
        h["date"] ?? h["x-oss-date"] ?? "",
    ].join("\n") + "\n" + ossHeaders + canonicalizedResourceV1(req);
}

/** `/<bucket>/<key>` followed by the signed sub-resources, sorted. */
export function canonicalizedResourceV1(req: SignableRequest): string {
    let resource = req.bucket ? `/${req.bucket}/${req.key ?? ""}` : "/";
    const params = Object.keys(req.query).filter(k => V1_SUBRESOURCES.has(k) || k.startsWith("x-oss-")).sort();
    if (params.length > 0) {
        resource += "?" + params.map(k => queryPair(k, req.query[k])).join("&");
    }
    return resource;
}

/** `name=value`, or the bare name when the value is null or empty (as every official SDK signs it). */
function queryPair(name: string, value: string | null): string {
    return value ? `${name}=${value}` : name;
}

/** base64(HMAC-SHA1(secret, stringToSign)). */
export function signatureV1(secret: string, stringToSign: string): string {
    return crypto.createHmac("sha1", secret).update(stringToSign, "utf8").digest("base64");
}

/** Names that V4 always signs when present, plus the caller's additional headers, sorted. */
function signedHeaderNamesV4(headers: Record<string, string>, additionalHeaders: string[]): string[] {
    const names = new Set(additionalHeaders);
    for (const k of Object.keys(headers)) {
        if (k === "content-type" || k === "content-md5" || k.startsWith("x-oss-")) {
            names.add(k);
        }
    }
    return [...names].sort();
}

/** The V4 canonical request. `additionalHeaders` must be lower-case and sorted. */
export function canonicalRequestV4(req: SignableRequest, additionalHeaders: string[] = []): string {
    const path = uriEncode(`/${req.bucket ? `${req.bucket}/` : ""}${req.key ?? ""}`).replace(/%2F/g, "/");
    const query = canonicalQueryV4(req.query);
    const headerLines = signedHeaderNamesV4(req.headers, additionalHeaders)
        .map(k => `${k}:${String(req.headers[k] ?? "").trim()}\n`)
        .join("");
    return [
        req.method.toUpperCase(),
        path,
        query,
        headerLines,
        additionalHeaders.join(";"),
        req.headers["x-oss-content-sha256"] ?? "UNSIGNED-PAYLOAD",
    ].join("\n");
}

/**
 * The V4 canonical query: names and values percent-encoded, then sorted by the encoded name (byte
 * order), an empty value as the bare name. OSS, the Go SDKs and oss2 sort after encoding: `|a`
 * sorts after `a` raw but before it encoded (`%7Ca`).
 */
export function canonicalQueryV4(query: Record<string, string | null>): string {
    return Object.entries(query)
        .map(([name, value]): [string, string | null] => [uriEncode(name), value ? uriEncode(value) : null])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => queryPair(name, value))
        .join("&");
}

/**
 * The time a V4 request is dated by: `x-oss-date` (`yyyymmddThhmmssZ`), else `Date` (RFC 1123), as
 * OSS's V4 documentation allows. aliyun-oss-go-sdk and ossutil 1.x send only `Date`. The value goes
 * into the string to sign exactly as sent.
 */
export function requestTimeV4(headers: Record<string, string>): string | undefined {
    return headers["x-oss-date"] ?? headers["date"];
}

/** `<yyyymmdd>/<region>/oss/aliyun_v4_request`. */
export function scopeV4(date: string, region: string): string {
    return `${date}/${region}/oss/aliyun_v4_request`;
}

/**
 * The V4 string to sign over a canonical request: the request time as sent (see requestTimeV4) and
 * the scope, whose date is the Credential's (`yyyymmdd`), not necessarily taken from that time.
 */
export function stringToSignV4(canonicalRequest: string, requestTime: string, scope: string): string {
    return [
        "OSS4-HMAC-SHA256",
        requestTime,
        scope,
        crypto.createHash("sha256").update(canonicalRequest).digest("hex"),
    ].join("\n");
}

/** hex(HMAC-SHA256 chain from "aliyun_v4" + secret over date, region, "oss", "aliyun_v4_request"). */
export function signatureV4(secret: string, date: string, region: string, stringToSign: string): string {
    return crypto.createHmac("sha256", signingKeyV4(secret, date, region)).update(stringToSign).digest("hex");
}

/** The V4 signing key: the HMAC-SHA256 chain from "aliyun_v4" + secret over date, region, "oss", "aliyun_v4_request". */
function signingKeyV4(secret: string, date: string, region: string): Buffer {
    const hmac = (key: crypto.BinaryLike, data: string) => crypto.createHmac("sha256", key).update(data).digest();
    return hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, date), region), "oss"), "aliyun_v4_request");
}

/**
 * Signing keys a client derived, by secret, date and region: every request of a day to one region
 * with one credential has the same key, so a scan of thousands of buckets derives it once rather
 * than four HMACs a request. Bounded (cleared when full): STS credentials rotate.
 */
const derivedKeys = new Map<string, Buffer>();
const MAX_DERIVED_KEYS = 64;

function cachedSigningKeyV4(secret: string, date: string, region: string): Buffer {
    const id = `${date}\n${region}\n${secret}`;
    let key = derivedKeys.get(id);
    if (!key) {
        if (derivedKeys.size >= MAX_DERIVED_KEYS) {
            derivedKeys.clear();
        }
        key = signingKeyV4(secret, date, region);
        derivedKeys.set(id, key);
    }
    return key;
}

/**
 * Returns the request's headers with V4 authentication added: x-oss-date, x-oss-content-sha256,
 * x-oss-security-token (STS) and Authorization. The input is not modified.
 */
export function signRequestV4(
    req: SignableRequest,
    creds: SigningCredentials,
    region: string,
    now: Date,
): Record<string, string> {
    const dateTime = v4DateTime(now);
    const headers: Record<string, string> = {
        ...req.headers,
        "x-oss-date": dateTime,
        "x-oss-content-sha256": "UNSIGNED-PAYLOAD",
    };
    if (creds.securityToken) {
        headers["x-oss-security-token"] = creds.securityToken;
    }
    const date = dateTime.slice(0, 8);
    const scope = scopeV4(date, region);
    const canonical = canonicalRequestV4({ ...req, headers });
    const signingKey = cachedSigningKeyV4(creds.accessKeySecret, date, region);
    const signature = crypto.createHmac("sha256", signingKey).update(stringToSignV4(canonical, dateTime, scope)).digest("hex");
    headers["authorization"] = `OSS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},Signature=${signature}`;
    return headers;
}

/** Returns the request's headers with V1 authentication added (Date, token, Authorization). */
export function signRequestV1(req: SignableRequest, creds: SigningCredentials, now: Date): Record<string, string> {
    const headers: Record<string, string> = { ...req.headers, date: now.toUTCString() };
    if (creds.securityToken) {
        headers["x-oss-security-token"] = creds.securityToken;
    }
    const signature = signatureV1(creds.accessKeySecret, stringToSignV1({ ...req, headers }));
    headers["authorization"] = `OSS ${creds.accessKeyId}:${signature}`;
    return headers;
}

/** An Authorization header taken apart; what a server needs to recompute the signature. */
export type ParsedAuthorization =
    | { version: "v1"; accessKeyId: string; signature: string }
    | {
          version: "v4";
          accessKeyId: string;
          date: string;
          region: string;
          product: string;
          additionalHeaders: string[];
          signature: string;
      };

/** Parses a V1 or V4 Authorization header; undefined when it is neither. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
    const v1 = /^OSS ([^:\s]+):(\S+)$/.exec(header);
    if (v1) {
        return { version: "v1", accessKeyId: v1[1], signature: v1[2] };
    }
    const v4 = /^OSS4-HMAC-SHA256 (.*)$/.exec(header);
    if (!v4) {
        return undefined;
    }
    const fields: Record<string, string> = {};
    for (const part of v4[1].split(",")) {
        const eq = part.indexOf("=");
        if (eq > 0) {
            fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
        }
    }
    const credential = (fields["Credential"] ?? "").split("/");
    if (credential.length !== 5 || credential[4] !== "aliyun_v4_request" || !fields["Signature"]) {
        return undefined;
    }
    return {
        version: "v4",
        accessKeyId: credential[0],
        date: credential[1],
        region: credential[2],
        product: credential[3],
        additionalHeaders: fields["AdditionalHeaders"] ? fields["AdditionalHeaders"].split(";") : [],
        signature: fields["Signature"],
    };
}
