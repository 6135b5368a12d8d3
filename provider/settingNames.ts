// The provider's settings: the one declaration of their names, types and documentation, and how
// each form of the provider spells them. A leaf module, so that error messages anywhere (OSS, KMS,
// credentials) can name a setting the way the form in use does.

/** One setting of the provider. */
export interface SettingSpec {
    type: "string" | "boolean" | "integer";
    secret?: true;
    /** The documentation, as the plugin's schema shows it. */
    description: string;
    /** The dynamic provider's stack config key (for the endpoints: the key whose JSON holds them). */
    stackConfigKey: string;
    /** The form a value must have, when it has one, and how messages describe it. */
    format?: { pattern: RegExp; description: string };
}

/** The settings, in the order they are documented. */
export const SETTINGS = {
    region: {
        type: "string",
        stackConfigKey: "alicloud:region",
        format: { pattern: /^[a-z]{2,}(-[a-z0-9]+)+$/, description: 'an Alibaba Cloud region ID such as "cn-hangzhou"' },
        description:
            "Default region of buckets, e.g. `cn-hangzhou` (a resource's `region` overrides it). " +
            "Default: the environment variable `ALIBABA_CLOUD_REGION` or `ALICLOUD_REGION`.",
    },
    accessKey: {
        type: "string",
        stackConfigKey: "alicloud:accessKey",
        description:
            "AccessKey ID. Default: the credential chain (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`ALICLOUD_ACCESS_KEY`, " +
            "the Alibaba Cloud CLI's and SDK's credential files, RRSA, the ECS RAM role).",
    },
    secretKey: {
        type: "string",
        secret: true,
        stackConfigKey: "alicloud:secretKey",
        description:
            "AccessKey secret; set it with `pulumi config set --secret`. " +
            "Default: `ALIBABA_CLOUD_ACCESS_KEY_SECRET`/`ALICLOUD_SECRET_KEY`, or the credential chain.",
    },
    securityToken: {
        type: "string",
        secret: true,
        stackConfigKey: "alicloud:securityToken",
        description: "STS token to go with a temporary AccessKey. Default: `ALIBABA_CLOUD_SECURITY_TOKEN`/`ALICLOUD_SECURITY_TOKEN`.",
    },
    profile: {
        type: "string",
        stackConfigKey: "alicloud:profile",
        description: "Profile in the shared credential files. Default: `ALIBABA_CLOUD_PROFILE`/`ALICLOUD_PROFILE`.",
    },
    ossEndpoint: {
        type: "string",
        stackConfigKey: "alicloud:endpoints",
        description: "OSS endpoint (host or URL) for every bucket, instead of the region's (a resource's `endpoint` overrides it).",
    },
    kmsEndpoint: {
        type: "string",
        stackConfigKey: "alicloud:endpoints",
        description: "KMS endpoint (host or URL) for the key check, instead of the region's.",
    },
    kmsKeyCheck: {
        type: "boolean",
        stackConfigKey: "oss-encryption:kmsKeyCheck",
        description:
            "Describe KMS keys before they are used (at preview and before each write); `false` makes no KMS call at all. Default: true.",
    },
    operationTimeoutSeconds: {
        type: "integer",
        stackConfigKey: "oss-encryption:operationTimeoutSeconds",
        description: "Overall deadline of one operation: the request, its retries and the read-back. Default: 300.",
    },
    signatureVersion: {
        type: "string",
        stackConfigKey: "oss-encryption:signatureVersion",
        description: "`v4` (OSS4-HMAC-SHA256) or `v1` (legacy HMAC-SHA1). Default: v4.",
    },
    useInternalEndpoint: {
        type: "boolean",
        stackConfigKey: "oss-encryption:useInternalEndpoint",
        description:
            "Use the VPC endpoints `oss-<region>-internal.aliyuncs.com` and `kms-vpc.<region>.aliyuncs.com` when no endpoint is given. Default: false.",
    },
    allowInsecureHttp: {
        type: "boolean",
        stackConfigKey: "oss-encryption:allowInsecureHttp",
        description:
            "Allow `http://` OSS and KMS endpoints on other machines (the STS token and unsigned request bodies then cross the " +
            "network in clear; a warning each run). Loopback endpoints (127.0.0.0/8, ::1, localhost) are always allowed. Default: false.",
    },
} as const satisfies Record<string, SettingSpec>;

/** The name of a setting. */
export type SettingName = keyof typeof SETTINGS;
/** Every setting's name. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** How one form of the provider names its settings to users. */
export interface SettingsForm {
    /** The key a user sets, per setting. */
    keyOf: Record<SettingName, string>;
    /** Where those keys live, as the credential chain lists it. */
    label: string;
    /** How a user sets a key to a value, when not with `pulumi config set` (the scan's options and environment). */
    setExample?: (key: string, value: string, secret: boolean) => string;
}

const keysOf = (key: (name: SettingName) => string) =>
    Object.fromEntries(SETTING_NAMES.map(name => [name, key(name)])) as Record<SettingName, string>;

/** The dynamic provider: stack config as @pulumi/alicloud reads it, plus `oss-encryption:*`. */
export const STACK_CONFIG_FORM: SettingsForm = {
    keyOf: keysOf(name => SETTINGS[name].stackConfigKey),
    label: "stack config",
};

/** The plugin: its own namespace, `oss-encryption:<setting>` (an explicit Provider's inputs have the same names). */
export const PLUGIN_CONFIG_FORM: SettingsForm = {
    keyOf: keysOf(name => `oss-encryption:${name}`),
    label: "provider configuration",
};

/** An explicit `Provider` resource of the plugin: its input properties, which are the settings' own names. */
export const PROVIDER_INPUTS_FORM: SettingsForm = {
    keyOf: keysOf(name => name),
    label: "provider inputs",
};

/** The command that sets a setting in the form in use. */
export function setCommand(form: SettingsForm, name: SettingName, value: string): string {
    const secret = "secret" in SETTINGS[name];
    if (form.setExample) {
        return form.setExample(form.keyOf[name], value, secret);
    }
    return `pulumi config set ${secret ? "--secret " : ""}${form.keyOf[name]} ${value}`;
}
