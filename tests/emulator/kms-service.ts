// The KMS side: RPC requests (API version 2016-01-20) as @alicloud/pop-core sends them, with
// parameters in the query (GET) or in a form body (POST), and the DescribeKey action.
//
// Region: one emulator server plays every regional KMS endpoint, so a request's region comes from,
// in order: (1) the RegionId parameter (pop-core sends any parameter the caller passes, and most
// Alibaba Cloud callers pass RegionId); (2) the Host header `kms[-vpc].<region>.aliyuncs.com`
// (pop-core lets a caller set it through `opts.headers` while connecting to 127.0.0.1); (3) else
// "cn-hangzhou". Keys of other regions are then not found, as on a real regional endpoint.
import * as crypto from "crypto";
import { CredentialStore, isAllowed } from "./credentials";
import { ServiceError, kmsError } from "./errors";
import { KeyStore, StoredKey, keyArn } from "./keys";
import { NonceRegistry, authenticateRpc } from "./kms-auth";
import { IncomingParts, Reply, RequestSummary, ServiceHandler } from "./server";

/** The only API version KMS answers here. */
export const KMS_API_VERSION = "2016-01-20";

/** Region of requests that name none. */
export const DEFAULT_KMS_REGION = "cn-hangzhou";

/** A KMS request after classification. */
export interface KmsSummary extends RequestSummary {
    params: Record<string, string>;
    region: string;
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
        return {
            action: params.Action || "Unknown",
            keyId: params.KeyId,
            accessKeyId: params.AccessKeyId,
            params,
            region: kmsRegion(params, req.headers["host"]),
        };
    }

    handle(req: IncomingParts, summary: KmsSummary, requestId: string): Reply {
        const { params, action } = summary;
        const credential = authenticateRpc(req.method, params, this.credentials, this.nonces, req.receivedAt);
        if (params.Version !== KMS_API_VERSION) {
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

/** DescribeKey's KeyMetadata for a key. */
function keyMetadata(key: StoredKey): Record<string, string> {
    const created = kmsDate(key.creationDate);
    return {
        KeyId: key.keyId,
        Arn: keyArn(key),
        KeyState: key.keyState,
        KeySpec: key.keySpec,
        KeyUsage: key.keyUsage,
        CreationDate: created,
        Creator: key.accountId,
        Description: key.description,
        Origin: key.keyState === "PendingImport" ? "EXTERNAL" : "Aliyun_KMS",
        ProtectionLevel: "SOFTWARE",
        AutomaticRotation: "Disabled",
        LastRotationDate: created,
        // Real KMS fills this for keys scheduled for deletion: seven days (the minimum) from creation here.
        DeleteDate: key.keyState === "PendingDeletion" ? kmsDate(new Date(key.creationDate.getTime() + 7 * 86400000)) : "",
    };
}
