// The plugin's mapper: the settings record from its provider configuration. The engine hands a
// provider only its own namespace (`oss-encryption:<setting>`, or an explicit Provider's inputs),
// whose keys are the settings' own names; messages name them as `oss-encryption:<setting>`.
import { UNKNOWN } from "../provider/bucketEncryption";
import { nearestName } from "../provider/nearestName";
import { quoted } from "../provider/bounds";
import {
    PLUGIN_CONFIG_FORM,
    PROVIDER_INPUTS_FORM,
    resolveSettings,
    SETTING_NAMES,
    SETTINGS,
    SettingsError,
    SettingsForm,
    SettingsRecord,
    SettingSpec,
} from "../provider/settings";

/** The marker the engine wraps a secret in when a provider accepts secrets. */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** A config value as text, as the dynamic provider receives stack config; undefined when absent or unknown. */
function asText(value: unknown): string | undefined {
    if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIGNATURE) {
        return asText((value as Record<string, unknown>).value);
    }
    if (value === undefined || value === null || value === UNKNOWN) {
        return undefined;
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The provider's configuration from a Configure request: the `args` struct when the engine sends one,
 * else the `variables` map (keys `oss-encryption:config:<key>`).
 */
export function providerConfigValues(args: Record<string, unknown> | undefined, variables: Map<string, string>): Record<string, unknown> {
    if (args !== undefined) {
        return args;
    }
    const values: Record<string, unknown> = {};
    for (const [key, value] of variables) {
        values[key.replace(/^[^:]+:config:/, "").replace(/^[^:]+:/, "")] = value;
    }
    return values;
}

/** The settings record from the provider's configuration values. */
export function pluginSettings(values: Record<string, unknown>): SettingsRecord {
    return Object.fromEntries(SETTING_NAMES.map(name => [name, asText(values[name])])) as SettingsRecord;
}

/**
 * Keys the engine itself puts in a provider's inputs, which are not settings: `version` (the plugin
 * version it loaded), and in states of engines before `__internal` the plugin's download URL,
 * checksums, name and parameterization (pulumi/pulumi pkg/resource/deploy/providers/registry.go).
 */
const ENGINE_KEYS: ReadonlySet<string> = new Set(["version", "__internal", "pluginDownloadURL", "pluginChecksums", "name", "parameterization", "envVarMappings"]);

/** A value the engine sent wrapped as a secret, unwrapped; anything else as it is. */
function unwrapSecret(value: unknown): unknown {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIGNATURE
        ? (value as Record<string, unknown>).value
        : value;
}

/** A value wrapped as a secret, as the engine records one. */
function asSecret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIGNATURE, value };
}

/**
 * How one provider resource's settings are named to its user: the engine's default provider
 * (`default`, `default_<version>`) is configured by stack config `oss-encryption:<setting>`; an
 * explicit `Provider` by its properties.
 */
export function providerForm(urn: string): SettingsForm {
    return /^default(_|$)/.test(urn.split("::").pop() ?? "") ? PLUGIN_CONFIG_FORM : PROVIDER_INPUTS_FORM;
}

/** What kind of value this is, in words, without the value (which may be a secret). */
function kindOf(value: unknown): string {
    return Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * What is wrong with a value's type, by the setting's declared type; undefined when it is fine.
 * Stack config reaches the provider as text, so text is taken for booleans and integers too.
 */
function typeProblem(key: string, spec: SettingSpec, value: unknown): string | undefined {
    switch (spec.type) {
        case "string":
            return typeof value === "string" ? undefined : `${key} must be a string; got ${kindOf(value)}`;
        case "boolean":
            return typeof value === "boolean" || typeof value === "string" ? undefined : `${key} must be true or false; got ${kindOf(value)}`;
        case "integer":
            if (typeof value === "number" ? Number.isInteger(value) : typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) {
                return undefined;
            }
            return typeof value === "string" || typeof value === "number"
                ? `${key} must be a whole number; got ${quoted(String(value))}`
                : `${key} must be a whole number; got ${kindOf(value)}`;
    }
}

/** A failure of CheckConfig: no property, so that the engine prints no value (it prints a property's); the reason names the key. */
export interface ConfigFailure {
    property: "";
    reason: string;
}

/**
 * CheckConfig: every key of the provider's configuration is a setting (or one the engine adds), of
 * its declared type, and parses as resolveSettings parses it; the credential secrets are returned
 * as secrets, so that a value set with `--plaintext` is encrypted in the state. Values not known yet
 * (a preview of a computed input) are left to Configure.
 */
export function checkProviderConfig(urn: string, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: ConfigFailure[] } {
    const form = providerForm(urn);
    const [kind, kinds] = form === PLUGIN_CONFIG_FORM ? ["setting", "settings"] : ["property", "properties"];
    const failures: ConfigFailure[] = [];
    const fail = (reason: string) => failures.push({ property: "", reason });
    const settingNames: readonly string[] = SETTING_NAMES;
    const keyOf = (name: string) => (form === PLUGIN_CONFIG_FORM ? `oss-encryption:${name}` : name);

    for (const key of Object.keys(news)) {
        if (!settingNames.includes(key) && !ENGINE_KEYS.has(key)) {
            const nearest = nearestName(key, SETTING_NAMES);
            fail(
                `${keyOf(key)} is not a ${kind} of the oss-encryption provider: ` +
                    (nearest ? `did you mean ${keyOf(nearest)}?` : `the ${kinds} are ${SETTING_NAMES.join(", ")}.`),
            );
        }
    }
    for (const name of SETTING_NAMES) {
        const value = unwrapSecret(news[name]);
        if (value === undefined || value === null || value === UNKNOWN) {
            continue;
        }
        const problem = typeProblem(form.keyOf[name], SETTINGS[name], value);
        if (problem) {
            fail(problem);
            continue;
        }
        try {
            // One setting at a time, so that each bad one is reported; nothing is looked up (no environment).
            resolveSettings({ [name]: asText(value) } as SettingsRecord, form, {});
        } catch (err) {
            if (!(err instanceof SettingsError)) {
                throw err;
            }
            fail(err.message);
        }
    }

    const inputs = { ...news };
    for (const name of SETTING_NAMES.filter(n => "secret" in SETTINGS[n])) {
        const value = news[name];
        if (value !== undefined && value !== null && value !== UNKNOWN && unwrapSecret(value) === value) {
            inputs[name] = asSecret(value);
        }
    }
    return { inputs, failures };
}

/** How a key of the configuration changed. */
export type ConfigChange = "add" | "update" | "delete";

/**
 * DiffConfig: the keys whose values changed (secrets compared by value). Every setting is one the
 * resources take in place (region, endpoints, credentials, the rest), so no change replaces the provider.
 */
export function diffProviderConfig(olds: Record<string, unknown>, news: Record<string, unknown>): Map<string, ConfigChange> {
    const changes = new Map<string, ConfigChange>();
    for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) {
        const [before, after] = [unwrapSecret(olds[key]), unwrapSecret(news[key])];
        if (key === "__internal" || JSON.stringify(before) === JSON.stringify(after)) {
            continue;
        }
        changes.set(key, before === undefined || before === null ? "add" : after === undefined || after === null ? "delete" : "update");
    }
    return changes;
}
