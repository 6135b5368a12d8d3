// ali-oss (the official npm OSS client, which ships no type definitions) typed for the calls the
// conformance tests and the benchmark make, and a client of the emulator.
import { Emulator, EmulatorCredential } from "../emulator";

/** The ali-oss constructor options these tests use (ali-oss ships no type definitions). */
export interface AliOssOptions {
    endpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
    region?: string;
    stsToken?: string;
    authorizationV4?: boolean;
    /** Milliseconds added to the client's clock when it dates requests. */
    amendTimeSkewed?: number;
    refreshSTSTokenInterval?: number;
    timeout?: number;
}

/** Parameters of ali-oss's low-level `client.request`. */
export interface AliOssRequestParams {
    method: string;
    bucket: string;
    subres?: string;
    content?: string;
    mime?: string;
    successStatuses?: number[];
}

/** The ali-oss client calls these tests use. */
export interface AliOssClient {
    putBucket(name: string): Promise<{ bucket: string | null }>;
    deleteBucket(name: string): Promise<unknown>;
    getBucketInfo(name: string): Promise<{ bucket: Record<string, unknown> }>;
    putBucketEncryption(name: string, rule: { SSEAlgorithm: string; KMSMasterKeyID?: string }): Promise<{ status: number }>;
    getBucketEncryption(name: string): Promise<{ status: number; encryption: Record<string, string> }>;
    deleteBucketEncryption(name: string): Promise<{ status: number }>;
    request(params: AliOssRequestParams): Promise<{ status: number }>;
}

const AliOss: new (options: AliOssOptions) => AliOssClient = require("ali-oss");

/** The two OSS signature versions. */
export type SigningVersion = "v1" | "v4";

/** An ali-oss client for the emulator; `region` uses ali-oss's "oss-<region>" form for both versions. */
export function aliOssClient(
    emulator: Emulator,
    version: SigningVersion,
    overrides: Partial<AliOssOptions> & { credential?: EmulatorCredential } = {},
): AliOssClient {
    const { credential = emulator.defaultCredential, ...options } = overrides;
    return new AliOss({
        endpoint: emulator.endpoint,
        accessKeyId: credential.accessKeyId,
        accessKeySecret: credential.accessKeySecret,
        stsToken: credential.securityToken,
        region: "oss-cn-hangzhou",
        authorizationV4: version === "v4",
        // Set so ali-oss does not warn about STS tokens without a refresh strategy.
        refreshSTSTokenInterval: 3600000,
        timeout: 5000,
        ...options,
    });
}
