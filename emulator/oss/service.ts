// The OSS side: addressing (path style and virtual-host style), ListBuckets on the service
// endpoint, the bucket and bucket-encryption operations, and OSS's order of checks:
// authentication, bucket existence, endpoint region, permission, then the request's parameters and body.
import * as crypto from "crypto";
import { isIP } from "net";
import { SignableRequest, parseAuthorization } from "../../provider/oss/signing";
import { Bucket, BucketStore } from "../state/buckets";
import { CredentialStore, isAllowed, isDeniedBucket } from "../state/credentials";
import { DEFAULT_ACCOUNT_ID } from "../state/keys";
import { ServiceError, ossError } from "../errors";
import { FaultInjector } from "../faults";
import { authenticateOss } from "./auth";
import {
    BucketListQuery,
    ossErrorEc,
    parseEncryptionRule,
    renderBucketInfo,
    renderBucketList,
    renderEncryptionRule,
    renderLocation,
    renderOssError,
} from "./xml";
import { IncomingParts, Reply, RequestSummary, ServiceHandler } from "../server";

/** Region of buckets created without any region hint. */
export const DEFAULT_REGION = "cn-hangzhou";

/** Where a request points: bucket and key, and the region named by the Host header if any. */
export interface OssAddress {
    bucket?: string;
    key?: string;
    /** From a Host of the form [<bucket>.]oss-<region>[-internal].aliyuncs.com. */
    hostRegion?: string;
}

/** An OSS request after classification. */
export interface OssSummary extends RequestSummary {
    address: OssAddress;
    query: Record<string, string | null>;
}

/**
 * Resolves path style (`/<bucket>/<key>` on an IP, localhost or `oss-<region>...` host) and
 * virtual-host style (`<bucket>.<anything>`). ali-oss with an IP endpoint sends path "/" and
 * Host `<bucket>.oss-<region>.aliyuncs.com`, which is virtual-host style; for ListBuckets it has
 * no bucket to put there and sends `.oss-<region>.aliyuncs.com`: the service endpoint.
 */
export function resolveAddress(hostHeader: string | undefined, path: string): OssAddress {
    const host = (hostHeader ?? "").toLowerCase().replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
    const pathParts = path.replace(/^\//, "");
    if (isIP(host) || host === "localhost" || host.startsWith("oss-") || !host.includes(".")) {
        const slash = pathParts.indexOf("/");
        const bucket = slash >= 0 ? pathParts.slice(0, slash) : pathParts;
        return {
            bucket: bucket ? safeDecode(bucket) : undefined,
            key: slash >= 0 && pathParts.length > slash + 1 ? safeDecode(pathParts.slice(slash + 1)) : undefined,
            hostRegion: regionOfHost(host),
        };
    }
    const dot = host.indexOf(".");
    return {
        bucket: host.slice(0, dot) || undefined,
        key: pathParts ? safeDecode(pathParts) : undefined,
        hostRegion: regionOfHost(host.slice(dot + 1)),
    };
}

function regionOfHost(host: string): string | undefined {
    return /^oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/.exec(host)?.[1];
}

function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/** Parses a query string; a bare or empty value (`?encryption`, `?encryption=`) becomes null. */
export function parseOssQuery(rawQuery: string): Record<string, string | null> {
    const query: Record<string, string | null> = {};
    for (const pair of rawQuery.split("&").filter(p => p !== "")) {
        const eq = pair.indexOf("=");
        const name = safeDecode(eq >= 0 ? pair.slice(0, eq) : pair);
        const value = eq >= 0 ? safeDecode(pair.slice(eq + 1)) : "";
        query[name] = value === "" ? null : value;
    }
    return query;
}

/** ListBuckets' parameters; any other parameter names another service-level operation (or a filter not implemented). */
const LIST_BUCKETS_PARAMETERS = ["prefix", "marker", "max-keys"];

/** The operation a request asks for; "Unknown" for anything the emulator does not implement. */
export function operationOf(method: string, address: OssAddress, query: Record<string, string | null>): string {
    if (!address.bucket) {
        const listing = method === "GET" && address.key === undefined;
        return listing && Object.keys(query).every(name => LIST_BUCKETS_PARAMETERS.includes(name)) ? "ListBuckets" : "Unknown";
    }
    if (address.key !== undefined) {
        return "Unknown";
    }
    const byMethod = (table: Record<string, string>) => table[method] ?? "Unknown";
    if ("encryption" in query) {
        return byMethod({ PUT: "PutBucketEncryption", GET: "GetBucketEncryption", DELETE: "DeleteBucketEncryption" });
    }
    if ("bucketInfo" in query) {
        return byMethod({ GET: "GetBucketInfo" });
    }
    if ("location" in query) {
        return byMethod({ GET: "GetBucketLocation" });
    }
    return Object.keys(query).length === 0 ? byMethod({ PUT: "PutBucket", DELETE: "DeleteBucket" }) : "Unknown";
}

/** Bucket naming rule: 3-63 characters of a-z, 0-9 and "-", not starting or ending with "-". */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** The OSS ServiceHandler. */
export class OssService implements ServiceHandler<OssSummary> {
    readonly service = "oss" as const;

    constructor(
        private readonly buckets: BucketStore,
        private readonly credentials: CredentialStore,
        private readonly faults: FaultInjector,
    ) {}

    classify(req: IncomingParts): OssSummary {
        const address = resolveAddress(req.headers["host"], req.path);
        const query = parseOssQuery(req.rawQuery);
        const auth = parseAuthorization(req.headers["authorization"] ?? "");
        return {
            action: operationOf(req.method, address, query),
            bucket: address.bucket,
            accessKeyId: auth?.accessKeyId,
            signature: auth ? (auth.version === "v1" ? "OSS" : "OSS4-HMAC-SHA256") : undefined,
            address,
            query,
        };
    }

    handle(req: IncomingParts, summary: OssSummary): Reply {
        const signable: SignableRequest = {
            method: req.method,
            bucket: summary.address.bucket,
            key: summary.address.key,
            query: summary.query,
            headers: req.headers,
        };
        const credential = authenticateOss(signable, this.credentials, req.receivedAt);
        checkContentMd5(req);
        const { action } = summary;
        if (action === "Unknown") {
            throw ossError("NotImplemented");
        }
        if (action === "ListBuckets") {
            // The service endpoint of any region lists the buckets of every region, as OSS does.
            requirePermission(isAllowed(credential, "oss:ListBuckets"), action);
            return this.listBuckets(summary.query);
        }
        const name = summary.address.bucket as string;
        if (action === "PutBucket") {
            requirePermission(isAllowed(credential, "oss:PutBucket"), action);
            return this.putBucket(name, summary.address.hostRegion ?? this.signingRegion(req) ?? DEFAULT_REGION);
        }
        const bucket = this.buckets.get(name);
        if (!bucket) {
            throw ossError("NoSuchBucket", undefined, { BucketName: name });
        }
        checkEndpointRegion(bucket, summary.address.hostRegion);
        requirePermission(isAllowed(credential, `oss:${action}`) && !isDeniedBucket(credential, name), action);
        return this.runBucketOperation(action, bucket, req);
    }

    private runBucketOperation(action: string, bucket: Bucket, req: IncomingParts): Reply {
        const now = req.receivedAt;
        const readLagMs = this.faults.staleReadMs(this.service, action);
        switch (action) {
            case "PutBucketEncryption":
                this.buckets.writeRule(bucket, parseEncryptionRule(req.body), this.faults.staleReadWindowMs(), now);
                return { status: 200 };
            case "GetBucketEncryption": {
                const rule = this.buckets.visibleRule(bucket, readLagMs, now);
                if (!rule) {
                    throw ossError("NoSuchServerSideEncryptionRule", undefined, { BucketName: bucket.name });
                }
                return xmlReply(renderEncryptionRule(rule));
            }
            case "DeleteBucketEncryption":
                // Deleting a rule that does not exist is not an error in OSS.
                this.buckets.writeRule(bucket, undefined, this.faults.staleReadWindowMs(), now);
                return { status: 204 };
            case "GetBucketInfo":
                return xmlReply(renderBucketInfo(bucket, this.buckets.visibleRule(bucket, readLagMs, now)));
            case "GetBucketLocation":
                return xmlReply(renderLocation(bucket));
            case "DeleteBucket":
                this.buckets.delete(bucket.name);
                return { status: 204 };
            default:
                throw ossError("NotImplemented");
        }
    }

    private listBuckets(query: Record<string, string | null>): Reply {
        const listQuery = parseListBucketsQuery(query);
        const page = this.buckets.page(listQuery.prefix, listQuery.marker, listQuery.maxKeys);
        return xmlReply(renderBucketList(page, listQuery, DEFAULT_ACCOUNT_ID));
    }

    private putBucket(name: string, region: string): Reply {
        if (!BUCKET_NAME.test(name)) {
            throw ossError("InvalidBucketName", undefined, { BucketName: name });
        }
        if (this.buckets.get(name)) {
            throw ossError("BucketAlreadyExists", undefined, { BucketName: name });
        }
        this.buckets.create(name, region);
        return { status: 200, headers: { Location: `/${name}` } };
    }

    /** The region a V4 request was signed for; used as the new bucket's region on path-style PutBucket. */
    private signingRegion(req: IncomingParts): string | undefined {
        const auth = parseAuthorization(req.headers["authorization"] ?? "");
        return auth?.version === "v4" ? auth.region : undefined;
    }

    errorReply(error: ServiceError, requestId: string, req: IncomingParts): Reply {
        return {
            status: error.status,
            headers: { "Content-Type": "application/xml", "x-oss-ec": ossErrorEc(error) },
            body: renderOssError(error, requestId, req.headers["host"] ?? ""),
        };
    }

    /** OSS request ids: 24 upper-case hex digits. */
    newRequestId(): string {
        return crypto.randomBytes(12).toString("hex").toUpperCase();
    }

    commonHeaders(requestId: string): Record<string, string> {
        return { "x-oss-request-id": requestId, Server: "AliyunOSS", Date: new Date().toUTCString() };
    }
}

/** ListBuckets returns 100 buckets unless max-keys asks for 1 to 1000. */
const DEFAULT_MAX_KEYS = 100;
const MAX_MAX_KEYS = 1000;

/** prefix and marker as given (empty when absent or empty), max-keys checked. */
export function parseListBucketsQuery(query: Record<string, string | null>): BucketListQuery {
    return { prefix: query.prefix ?? "", marker: query.marker ?? "", maxKeys: maxKeysOf(query["max-keys"]) };
}

/** max-keys: the default when absent or empty, else an integer from 1 to 1000 (InvalidArgument otherwise). */
function maxKeysOf(value: string | null | undefined): number {
    if (value === null || value === undefined) {
        return DEFAULT_MAX_KEYS;
    }
    const maxKeys = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
    if (!(maxKeys >= 1 && maxKeys <= MAX_MAX_KEYS)) {
        throw ossError("InvalidArgument", `Argument max-keys must be an integer between 1 and ${MAX_MAX_KEYS}.`, {
            ArgumentName: "max-keys",
            ArgumentValue: value,
        });
    }
    return maxKeys;
}

function xmlReply(body: string): Reply {
    return { status: 200, headers: { "Content-Type": "application/xml" }, body };
}

function requirePermission(allowed: boolean, action: string): void {
    if (!allowed) {
        throw ossError("AccessDenied", `You are not authorized to do this action (oss:${action}).`);
    }
}

/** A Host naming another region than the bucket's is refused, as OSS does. */
function checkEndpointRegion(bucket: Bucket, hostRegion: string | undefined): void {
    if (hostRegion !== undefined && hostRegion !== bucket.region) {
        throw ossError(
            "AccessDenied",
            "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
            { Bucket: bucket.name, Endpoint: `oss-${bucket.region}.aliyuncs.com` },
        );
    }
}

/** A Content-MD5 header must match the body (InvalidDigest otherwise). */
function checkContentMd5(req: IncomingParts): void {
    const claimed = req.headers["content-md5"];
    if (claimed !== undefined && claimed !== crypto.createHash("md5").update(req.body).digest("base64")) {
        throw ossError("InvalidDigest");
    }
}
