// Keeps a dependency's debug logging from printing credentials. With DEBUG=* (the `debug` package's
// switch, read from process.env.DEBUG when `debug` is first loaded), @alicloud/pop-core's HTTP layer
// httpx logs every request body ("httpx:body", which for KMS holds SecurityToken) and its headers,
// and pop-core's ROA client logs its string to sign ("roa"). Those namespaces are switched off in
// this process, whatever DEBUG says; every other namespace stays as the user asked.
import * as path from "path";

/** The namespaces that print request bodies, headers or strings to sign. */
export const CREDENTIAL_NAMESPACES = ["httpx:*", "roa"];

/** The part of `debug`'s API used here (v3 and v4 alike). */
interface DebugModule {
    enable(namespaces: string): void;
}

/** DEBUG with the credential namespaces excluded (`debug` lets an exclusion win over any match). */
export function withoutCredentialNamespaces(debug: string): string {
    return [debug, ...CREDENTIAL_NAMESPACES.map(name => `-${name}`)].filter(part => part !== "").join(",");
}

/**
 * Switches the credential namespaces off in each copy of `debug` that pop-core and httpx load
 * (pop-core bundles its own v3, httpx uses v4), and in process.env.DEBUG for copies not loaded yet.
 * Both versions re-evaluate their loggers on enable(), so loggers created before are covered too.
 * Call before pop-core is first required; a no-op when DEBUG is unset.
 */
export function silenceCredentialDebugLogging(env: NodeJS.ProcessEnv = process.env): void {
    const debug = env.DEBUG;
    if (!debug || CREDENTIAL_NAMESPACES.every(name => debug.includes(`-${name}`))) {
        return;
    }
    const sanitized = withoutCredentialNamespaces(debug);
    env.DEBUG = sanitized;
    let users: string[] = [];
    try {
        const popCoreDir = path.dirname(require.resolve("@alicloud/pop-core"));
        users = [popCoreDir, path.dirname(require.resolve("httpx", { paths: [popCoreDir] }))];
    } catch {
        // Not installed as files (the plugin executable is one bundle, whose entry point calls this
        // before it loads any of them): env.DEBUG covers every copy.
    }
    for (const dir of users) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            (require(require.resolve("debug", { paths: [dir] })) as DebugModule).enable(sanitized);
        } catch {
            // That user's copy of debug is not installed: env.DEBUG covers it if it ever loads.
        }
    }
}
