// The KMS side: requests for API version 2016-01-20 in both of its signatures (see auth.ts):
// RPC, with every parameter (Action, Version, the signature's) in the query (GET) or a form body
// (POST); and ACS3-HMAC-SHA256, with the action, version, date and nonce in x-acs-* headers and the
// operation's parameters in the query or a form body. The only action is DescribeKey.
//
// Region: one emulator server plays every regional KMS endpoint, so a request's region comes from,
// in order: (1) the RegionId parameter (pop-core sends any parameter the caller passes, and most
// Alibaba Cloud callers pass RegionId); (2) the Host header `kms[-vpc].<region>.aliyuncs.com`
// (pop-core lets a caller set it through `opts.headers` while connecting to 127.0.0.1); (3) else
// "cn-hangzhou". Keys of other regions are then not found, as on a real regional endpoint.
import * as crypto from "crypto";
import { CredentialStore, isAllowed } from "../state/credentials";
import { ServiceError, kmsError } from "../errors";
import { KeyStore, StoredKey, keyArn } from "../state/keys";
import { ACS3_ALGORITHM, NonceRegistry, authenticateAcs3, authenticateRpc, parseAcs3Authorization } from "./auth";
import { IncomingParts, Reply, RequestSummary, ServiceHandler } from "../server";

/** The only API version KMS answers here. */
export const KMS_API_VERSION = "2016-01-20";

/** Region of requests that name none. */
export const DEFAULT_KMS_REGION = "cn-hangzhou";

/** A KMS request after classification. */
export interface KmsSummary extends RequestSummary {
    params: Record<string, string>;
    region: string;
    /** Which signature the request carries: ACS3 when its Authorization header says so, else RPC's SignatureMethod. */
    signature?: string;
    /** The API version asked for (the Version parameter, or x-acs-version). */
    version?: string;
}

/** All request parameters: the query, plus a form body when there is one (the body wins). */
export function rpcParams(req: IncomingParts): Record<string, string> {
    const params: Record<string, string> = Object.fromEntries(new URLSearchParams(req.rawQuery));
    if ((req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
        Object.assign(params, Object.fromEntries(new URLSearchParams(req.body.toString("utf8"))));
    }
    return params;
}

/** The region a request addresses (see the top of this file). */
export function kmsRegion(params: Record<string, string>, hostHeader: string | undefined): string {
    const fromHost = /^kms(?:-vpc)?\.([a-z0-9-]+)\.aliyuncs\.com(?::\d+)?$/i.exec(hostHeader ?? "")?.[1];
    return params.RegionId || fromHost?.toLowerCase() || DEFAULT_KMS_REGION;
}

/** The KMS ServiceHandler. */
export class KmsService implements ServiceHandler<KmsSummary> {
    readonly service = "kms" as const;
    private readonly nonces = new NonceRegistry();

    constructor(
        private readonly keys: KeyStore,
        private readonly credentials: CredentialStore,
    ) {}

    classify(req: IncomingParts): KmsSummary {
        const params = rpcParams(req);
        const acs3 = parseAcs3Authorization(req.headers["authorization"] ?? "");
        return {
            action: (acs3 ? req.headers["x-acs-action"] : params.Action) || "Unknown",
            keyId: params.KeyId,
            accessKeyId: acs3 ? acs3.accessKeyId : params.AccessKeyId,
            params,
            region: kmsRegion(params, req.headers["host"]),
            signature: acs3 ? ACS3_ALGORITHM : params.SignatureMethod,
            version: acs3 ? req.headers["x-acs-version"] : params.Version,
        };
    }

    handle(req: IncomingParts, summary: KmsSummary, requestId: string): Reply {
        const { params, action } = summary;
        const credential =
            summary.signature === ACS3_ALGORITHM
                ? authenticateAcs3(
                      { method: req.method, path: req.path, query: Object.fromEntries(new URLSearchParams(req.rawQuery)), headers: req.headers },
                      req.body,
                      this.credentials,
                      this.nonces,
                      req.receivedAt,
                  )
                : authenticateRpc(req.method, params, this.credentials, this.nonces, req.receivedAt);
        if (summary.version !== KMS_API_VERSION) {
            throw kmsError("InvalidVersion");
        }
        if (action !== "DescribeKey") {
            throw kmsError("InvalidAction.NotFound");
        }
        if (!isAllowed(credential, `kms:${action}`)) {
            throw kmsError("Forbidden.RAM", `User not authorized to operate on the specified resource (kms:${action}).`);
        }
        return jsonReply(200, { KeyMetadata: keyMetadata(this.describe(params.KeyId, summary.region)), RequestId: requestId });
    }

    private describe(keyId: string | undefined, region: string): StoredKey {
        if (!keyId) {
            throw kmsError("MissingKeyId");
        }
        const key = this.keys.find(keyId, region);
        if (!key) {
            throw kmsError("Forbidden.KeyNotFound", `The specified Key is not found: ${keyId}`);
        }
        return key;
    }

    errorReply(error: ServiceError, requestId: string, req: IncomingParts): Reply {
        const region = kmsRegion(rpcParams(req), req.headers["host"]);
        return jsonReply(error.status, {
            RequestId: requestId,
            HostId: `kms.${region}.aliyuncs.com`,
            Code: error.code,
            Message: error.message,
        });
    }

    /** POP request ids: upper-case UUIDs. */
    newRequestId(): string {
        return crypto.randomUUID().toUpperCase();
    }

    commonHeaders(requestId: string): Record<string, string> {
        return { "x-acs-request-id": requestId };
    }
}

function jsonReply(status: number, body: object): Reply {
    return { status, headers: { "Content-Type": "application/json;charset=utf-8" }, body: JSON.stringify(body) };
}

/** Seconds-precision ISO 8601, as KMS formats dates. */
function kmsDate(date: Date): string {
    return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * DescribeKey's KeyMetadata for a key, with the fields the API reference lists. Fields it says are
 * returned only in some states are left out otherwise: DeleteDate (PendingDeletion only),
 * NextRotationDate and RotationInterval (automatic rotation on; it is always off here),
 * DeletionProtectionDescription (protection on; always off here), DKMSInstanceId (keys of a
 * dedicated KMS instance; none here). MaterialExpireTime is empty for imported keys, which the
 * reference documents as "does not expire". Values the reference does not pin down for a default
 * key (ProtectionLevel SOFTWARE, PrimaryKeyVersion) are chosen here; see docs/emulator.md.
 */
function keyMetadata(key: StoredKey): Record<string, string> {
    const created = kmsDate(key.creationDate);
    const external = key.keyState === "PendingImport";
    const metadata: Record<string, string> = {
        KeyId: key.keyId,
        Arn: keyArn(key),
        KeyState: key.keyState,
        KeySpec: key.keySpec,
        KeyUsage: key.keyUsage,
        CreationDate: created,
        Creator: key.accountId,
        Description: key.description,
        Origin: external ? "EXTERNAL" : "Aliyun_KMS",
        ProtectionLevel: "SOFTWARE",
        AutomaticRotation: "Disabled",
        LastRotationDate: created,
        DeletionProtection: "Disabled",
        PrimaryKeyVersion: primaryKeyVersion(key),
    };
    if (external) {
        metadata.MaterialExpireTime = "";
    }
    if (key.keyState === "PendingDeletion") {
        // Real KMS fills this for keys scheduled for deletion: seven days (the minimum) from creation here.
        metadata.DeleteDate = kmsDate(new Date(key.creationDate.getTime() + 7 * 86400000));
    }
    return metadata;
}

/** A stable UUID-shaped version id derived from the key's region and id. */
function primaryKeyVersion(key: StoredKey): string {
    const hex = crypto.createHash("sha256").update(`${key.region}/${key.keyId}`).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
