// Provider-wide settings: stack config as @pulumi/alicloud reads it (alicloud:*), then the usual
// environment variables, plus this package's own keys under `oss-encryption:`.
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
    /** Use `oss-<region>-internal.aliyuncs.com` when no endpoint is given. */
    useInternalEndpoint: boolean;
    signatureVersion: "v1" | "v4";
    /** Overall deadline of one operation, retries included. */
    operationTimeoutMs: number;
    /** Resolves credentials for each request; throws CredentialsError listing where it looked. */
    credentials: () => Promise<SigningCredentials>;
}

/** Where credentials and region are looked up, in order; also the text of CredentialsError. */
export const CREDENTIAL_SOURCES = {
    accessKeyId: ["alicloud:accessKey", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
    accessKeySecret: ["alicloud:secretKey", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
    securityToken: ["alicloud:securityToken", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
    region: ["alicloud:region", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"],
};

/** No usable AccessKey pair was found; the message lists every place that was looked at. */
export class CredentialsError extends Error {
    constructor(missing: string[]) {
        super(
            `No Alibaba Cloud credentials: missing ${missing.join(" and ")}. Looked in stack config ` +
                `(${CREDENTIAL_SOURCES.accessKeyId[0]}, ${CREDENTIAL_SOURCES.accessKeySecret[0]}, ` +
                `${CREDENTIAL_SOURCES.securityToken[0]}) and the environment ` +
                `(${[...CREDENTIAL_SOURCES.accessKeyId.slice(1), ...CREDENTIAL_SOURCES.accessKeySecret.slice(1)].join(", ")}). ` +
                `Set them with \`pulumi config set alicloud:accessKey …\` and \`pulumi config set --secret alicloud:secretKey …\`, ` +
                `or export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.`,
        );
        this.name = "CredentialsError";
    }
}

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

/** Reads the settings from stack config and the environment. Credentials are read lazily. */
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
    return {
        region: lookup(CREDENTIAL_SOURCES.region, config, env),
        ossEndpoint: endpoints.oss,
        kmsEndpoint: endpoints.kms,
        useInternalEndpoint: parseBoolean(
            "oss-encryption:useInternalEndpoint",
            config?.get("oss-encryption:useInternalEndpoint"),
            false,
        ),
        signatureVersion,
        operationTimeoutMs: timeoutSeconds * 1000,
        credentials: async () => {
            const accessKeyId = lookup(CREDENTIAL_SOURCES.accessKeyId, config, env);
            const accessKeySecret = lookup(CREDENTIAL_SOURCES.accessKeySecret, config, env);
            if (!accessKeyId || !accessKeySecret) {
                throw new CredentialsError([
                    ...(accessKeyId ? [] : ["the AccessKey ID"]),
                    ...(accessKeySecret ? [] : ["the AccessKey secret"]),
                ]);
            }
            return { accessKeyId, accessKeySecret, securityToken: lookup(CREDENTIAL_SOURCES.securityToken, config, env) };
        },
    };
}
