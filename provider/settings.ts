// Provider-wide settings as one typed record, read from either form's configuration by a mapper:
// the dynamic provider's stack config (alicloud:* as @pulumi/alicloud reads it, plus this package's
// oss-encryption:* keys), or the plugin's provider configuration (oss-encryption:<setting>, or an
// explicit Provider's inputs). Each form names its settings in its own messages (SettingsForm).
// Credentials come from the chain in credentials.ts.
import { ENDPOINT_MAX_LENGTH, quoted, REGION_MAX_LENGTH, shortened, tooLong } from "./bounds";
import { defaultCredentialChain } from "./credentials";
import { nearestName } from "./nearestName";
import { PLUGIN_CONFIG_FORM, SETTING_NAMES, SETTINGS, SettingName, SettingSpec, SettingsForm, STACK_CONFIG_FORM } from "./settingNames";
import { SigningCredentials } from "./oss/signing";

export { SettingName, SettingsForm, STACK_CONFIG_FORM, PLUGIN_CONFIG_FORM, PROVIDER_INPUTS_FORM, SETTINGS, SETTING_NAMES, SettingSpec, setCommand } from "./settingNames";

/** The settings as a form's configuration gives them: text, before parsing; absent when unset. */
export type SettingsRecord = Partial<Record<SettingName, string>>;

/** The part of Pulumi's dynamic-provider config this module needs. */
export interface ConfigSource {
    get(key: string): string | undefined;
    /** Every key the stack's config holds, namespaces kept; absent where the source cannot list them. */
    keys?(): string[];
}

/** The namespace of this package's own stack config keys (alicloud:* is shared with @pulumi/alicloud, so it is not policed). */
const OWN_NAMESPACE = "oss-encryption:";

/**
 * Fails on a stack config key in this package's namespace that is not one of its settings
 * (`oss-encryption:kmsKeyChek`), naming it and the nearest valid key: a typo must not leave a
 * setting at its default without a word. The plugin's keys (`oss-encryption:region`, ...) count as
 * known: a stack may use both forms, and the plugin checks its own.
 */
function checkOwnKeys(config: ConfigSource | undefined): void {
    const own = (form: SettingsForm) => Object.values(form.keyOf).filter(key => key.startsWith(OWN_NAMESPACE));
    const known = [...new Set([...own(STACK_CONFIG_FORM), ...own(PLUGIN_CONFIG_FORM)])];
    for (const key of config?.keys?.() ?? []) {
        if (key.startsWith(OWN_NAMESPACE) && !known.includes(key)) {
            const nearest = nearestName(key, known);
            throw new SettingsError(
                `${shortened(key)} is not a setting of this provider${nearest ? ` (did you mean ${nearest}?)` : ""}; ` +
                    `this package's keys are ${own(STACK_CONFIG_FORM).join(", ")} (region, credentials and endpoints are alicloud:* keys). Correct it with \`pulumi config rm ${shortened(key)}\` and \`pulumi config set <key> <value>\`.`,
            );
        }
    }
}

/** Everything the provider needs to reach OSS and KMS, resolved once per provider process. */
export interface ProviderSettings {
    /** How the form in use names the settings, for messages. */
    form: SettingsForm;
    /** Default region of buckets (a resource's `region` overrides it). */
    region?: string;
    /** OSS endpoint for every bucket (a resource's `endpoint` overrides it). */
    ossEndpoint?: string;
    /** KMS endpoint of the key check. */
    kmsEndpoint?: string;
    /** Use the VPC endpoints (`oss-<region>-internal.aliyuncs.com`, `kms-vpc.<region>.aliyuncs.com`) when no endpoint is given. */
    useInternalEndpoint: boolean;
    /** Allow plain-http endpoints on other machines (loopback is always allowed). */
    allowInsecureHttp: boolean;
    /** Describe KMS keys before they are used (default true). */
    kmsKeyCheck: boolean;
    signatureVersion: "v1" | "v4";
    /** Overall deadline of one operation, retries included. */
    operationTimeoutMs: number;
    /** Resolves credentials for each request (refreshed STS ones included); throws CredentialsError listing where it looked. */
    credentials: () => Promise<SigningCredentials>;
}

/** Environment variables of the default region, after the form's own setting. */
export const REGION_ENV_NAMES = ["ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"];
/** Where the dynamic provider looks up the default region, in order. */
export const REGION_SOURCES = [STACK_CONFIG_FORM.keyOf.region, ...REGION_ENV_NAMES];

/** A setting that is present but not valid; names the key and what is allowed. */
export class SettingsError extends Error {}

/** Trimmed text; undefined when absent or blank. */
function present(text: string | undefined): string | undefined {
    const trimmed = text?.trim();
    return trimmed ? trimmed : undefined;
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
        throw new SettingsError(`alicloud:endpoints must be a list of objects such as [{"oss": "oss-cn-hangzhou.aliyuncs.com"}]; got ${quoted(text)}`);
    }
    const entries = Array.isArray(value) ? value : [value];
    const result: { oss?: string; kms?: string } = {};
    for (const entry of entries) {
        if (typeof entry !== "object" || entry === null) {
            throw new SettingsError(`alicloud:endpoints entries must be objects; got ${shortened(JSON.stringify(entry) ?? String(entry))}`);
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

/** The dynamic provider's mapper: the settings record from a stack's config. */
export function stackConfigSettings(config: ConfigSource | undefined): SettingsRecord {
    checkOwnKeys(config);
    const record: SettingsRecord = {};
    for (const [name, key] of Object.entries(STACK_CONFIG_FORM.keyOf) as Array<[SettingName, string]>) {
        if (name !== "ossEndpoint" && name !== "kmsEndpoint") {
            record[name] = config?.get(key);
        }
    }
    const endpoints = parseEndpoints(config?.get("alicloud:endpoints"));
    return { ...record, ossEndpoint: endpoints.oss, kmsEndpoint: endpoints.kms };
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
    throw new SettingsError(`${key} must be true or false; got ${quoted(text)}`);
}

/** Fails the first setting whose text does not have the form its declaration gives (settingNames.ts `format`). */
function checkFormats(record: SettingsRecord, form: SettingsForm): void {
    for (const name of SETTING_NAMES) {
        const format = (SETTINGS[name] as SettingSpec).format;
        const text = present(record[name]);
        if (format && text !== undefined && !format.pattern.test(text)) {
            throw new SettingsError(`${form.keyOf[name]} must be ${format.description}; got ${quoted(text)}`);
        }
    }
}

/** Parses a settings record, with the environment's defaults. Credentials are looked up at the first request. */
export function resolveSettings(record: SettingsRecord, form: SettingsForm, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
    const key = form.keyOf;
    // Lengths first: a megabyte-long value fails here, before any message could quote it whole.
    for (const [name, maxLength] of [["region", REGION_MAX_LENGTH], ["ossEndpoint", ENDPOINT_MAX_LENGTH], ["kmsEndpoint", ENDPOINT_MAX_LENGTH]] as const) {
        const problem = tooLong(key[name], present(record[name]) ?? "", maxLength);
        if (problem) {
            throw new SettingsError(problem);
        }
    }
    checkFormats(record, form);
    const signatureVersion = (record.signatureVersion ?? "v4").toLowerCase();
    if (signatureVersion !== "v1" && signatureVersion !== "v4") {
        throw new SettingsError(`${key.signatureVersion} must be "v4" or "v1"; got ${quoted(signatureVersion)}`);
    }
    const timeoutText = record.operationTimeoutSeconds;
    const timeoutSeconds = timeoutText === undefined ? 300 : Number(timeoutText);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        throw new SettingsError(`${key.operationTimeoutSeconds} must be a positive number of seconds; got ${quoted(String(timeoutText))}`);
    }
    const chain = defaultCredentialChain(record, form, env);
    return {
        form,
        region: present(record.region) ?? REGION_ENV_NAMES.map(name => present(env[name])).find(value => value !== undefined),
        ossEndpoint: present(record.ossEndpoint),
        kmsEndpoint: present(record.kmsEndpoint),
        useInternalEndpoint: parseBoolean(key.useInternalEndpoint, record.useInternalEndpoint, false),
        allowInsecureHttp: parseBoolean(key.allowInsecureHttp, record.allowInsecureHttp, false),
        kmsKeyCheck: parseBoolean(key.kmsKeyCheck, record.kmsKeyCheck, true),
        signatureVersion,
        operationTimeoutMs: timeoutSeconds * 1000,
        credentials: () => chain.get(),
    };
}

/** The dynamic provider's settings, from stack config and the environment. */
export function readSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
    return resolveSettings(stackConfigSettings(config), STACK_CONFIG_FORM, env);
}
