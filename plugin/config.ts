// The plugin's provider configuration, read through the same ConfigSource as the dynamic provider's
// stack config. The engine hands a provider only its own namespace (`oss-encryption:<key>` or an
// explicit provider's inputs), so the keys the dynamic provider reads as `alicloud:<key>` are the
// plugin's `<key>`, and `alicloud:endpoints` is made of `ossEndpoint` and `kmsEndpoint`.
import { UNKNOWN } from "../provider/bucketEncryption";
import { ConfigSource } from "../provider/settings";

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

/** The provider's configuration as the ConfigSource that provider/settings.ts reads. */
export function pluginConfigSource(values: Record<string, unknown>): ConfigSource {
    const text = (name: string) => asText(values[name]);
    return {
        get(key: string): string | undefined {
            const name = key.slice(key.indexOf(":") + 1);
            if (key === "alicloud:endpoints") {
                const oss = text("ossEndpoint");
                const kms = text("kmsEndpoint");
                return oss === undefined && kms === undefined ? undefined : JSON.stringify([{ oss, kms }]);
            }
            return text(name);
        },
    };
}
