// Provider-wide settings: stack config as @pulumi/alicloud reads it (alicloud:*), then the usual
// environment variables, plus this package's own keys under `oss-encryption:`. Credentials come
// from the chain in credentials.ts.
import { defaultCredentialChain } from "./credentials";
import { SigningCredentials } from "./oss/signing";

/** The part of Pulumi's dynamic-provider config this module needs. */
export interface ConfigSource {
    get(key: string): string | undefined;
}

/** Everything the provider needs to reach OSS and KMS, resolved once per provider process. */
export interface ProviderSettings {
    /** Default region of buckets (a resource's `region` overrides it). */
    region?: string;
    /** OSS endpoint from `alicloud:endpoints` (a resource's `endpoint` overrides it). */
    ossEndpoint?: string;
    /** KMS endpoint from `alicloud:endpoints`. */
    kmsEndpoint?: string;
    /** Use the VPC endpoints (`oss-<region>-internal.aliyuncs.com`, `kms-vpc.<region>.aliyuncs.com`) when no endpoint is given. */
    useInternalEndpoint: boolean;
    /** Describe KMS keys before they are used (`oss-encryption:kmsKeyCheck`, default true). */
    kmsKeyCheck: boolean;
    signatureVersion: "v1" | "v4";
    /** Overall deadline of one operation, retries included. */
    operationTimeoutMs: number;
    /** Resolves credentials for each request (refreshed STS ones included); throws CredentialsError listing where it looked. */
    credentials: () => Promise<SigningCredentials>;
}

/** Where the default region is looked up, in order. */
export const REGION_SOURCES = ["alicloud:region", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"];

/** A setting that is present but not valid; names the key and what is allowed. */
export class SettingsError extends Error {}

/** The first non-empty value among config keys (containing ":") and environment variables. */
function lookup(names: string[], config: ConfigSource | undefined, env: NodeJS.ProcessEnv): string | undefined {
    for (const name of names) {
        const value = name.includes(":") ? config?.get(name) : env[name];
        if (value !== undefined && value.trim() !== "") {
            return value.trim();
        }
    }
    return undefined;
}

/**
 * `alicloud:endpoints` as @pulumi/alicloud takes it: a list of objects keyed by service
 * (`[{ "oss": "...", "kms": "..." }]`), which reaches the provider as JSON. A single object is accepted too.
 */
export function parseEndpoints(text: string | undefined): { oss?: string; kms?: string } {
    if (!text) {
        return {};
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new SettingsError(`alicloud:endpoints must be a list of objects such as [{"oss": "oss-cn-hangzhou.aliyuncs.com"}]; got ${text}`);
    }
    const entries = Array.isArray(value) ? value : [value];
    const result: { oss?: string; kms?: string } = {};
    for (const entry of entries) {
        if (typeof entry !== "object" || entry === null) {
            throw new SettingsError(`alicloud:endpoints entries must be objects; got ${JSON.stringify(entry)}`);
        }
        const record = entry as Record<string, unknown>;
        for (const service of ["oss", "kms"] as const) {
            if (typeof record[service] === "string" && record[service] !== "") {
                result[service] = record[service] as string;
            }
        }
    }
    return result;
}

function parseBoolean(key: string, text: string | undefined, fallback: boolean): boolean {
    if (text === undefined || text === "") {
        return fallback;
    }
    if (/^(true|1|yes)$/i.test(text)) {
        return true;
    }
    if (/^(false|0|no)$/i.test(text)) {
        return false;
    }
    throw new SettingsError(`${key} must be true or false; got "${text}"`);
}

/** Reads the settings from stack config and the environment. Credentials are looked up at the first request. */
export function readSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
    const endpoints = parseEndpoints(config?.get("alicloud:endpoints"));
    const signatureVersion = (config?.get("oss-encryption:signatureVersion") ?? "v4").toLowerCase();
    if (signatureVersion !== "v1" && signatureVersion !== "v4") {
        throw new SettingsError(`oss-encryption:signatureVersion must be "v4" or "v1"; got "${signatureVersion}"`);
    }
    const timeoutText = config?.get("oss-encryption:operationTimeoutSeconds");
    const timeoutSeconds = timeoutText === undefined ? 300 : Number(timeoutText);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        throw new SettingsError(`oss-encryption:operationTimeoutSeconds must be a positive number of seconds; got "${timeoutText}"`);
    }
    const chain = defaultCredentialChain(key => config?.get(key), env);
    return {
        region: lookup(REGION_SOURCES, config, env),
        ossEndpoint: endpoints.oss,
        kmsEndpoint: endpoints.kms,
        useInternalEndpoint: parseBoolean(
            "oss-encryption:useInternalEndpoint",
            config?.get("oss-encryption:useInternalEndpoint"),
            false,
        ),
        kmsKeyCheck: parseBoolean("oss-encryption:kmsKeyCheck", config?.get("oss-encryption:kmsKeyCheck"), true),
        signatureVersion,
        operationTimeoutMs: timeoutSeconds * 1000,
        credentials: () => chain.get(),
    };
}
