// The plugin's mapper: the settings record from its provider configuration. The engine hands a
// provider only its own namespace (`oss-encryption:<setting>`, or an explicit Provider's inputs),
// whose keys are the settings' own names; messages name them as `oss-encryption:<setting>`.
import { UNKNOWN } from "../provider/bucketEncryption";
import { SETTING_NAMES, SettingsRecord } from "../provider/settings";

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
