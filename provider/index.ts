// The dynamic provider: what runs inside Pulumi's dynamic-provider process. The SDK's shim
// `require`s this module by name at run time, so the code that serves a resource is always the
// installed package's. It adapts the neutral core (provider.ts) to Pulumi's dynamic.ResourceProvider,
// with the settings read from the stack's config (alicloud:*, oss-encryption:*).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { BucketEncryptionInputs, BucketEncryptionOutputs } from "./bucketEncryption";
import { DiagnosticSink } from "./engineLog";
import { createBucketEncryptionProvider } from "./provider";
import { ConfigSource, STACK_CONFIG_FORM, stackConfigSettings } from "./settings";

export { BucketEncryptionProvider, createBucketEncryptionProvider } from "./provider";

/**
 * A dynamic BucketEncryption provider with its own process state (settings, clients, buckets written).
 * Pulumi's dynamic-provider process uses the one `provider` below; tests make fresh ones.
 */
export function createProvider(
    options: { diagnostics?: DiagnosticSink } = {},
): dynamic.ResourceProvider<BucketEncryptionInputs, BucketEncryptionOutputs> & { cancel(): void } {
    const core = createBucketEncryptionProvider(options);
    const plain = (value: unknown) => (value ?? {}) as Record<string, unknown>;
    return {
        async configure(req: dynamic.ConfigureRequest): Promise<void> {
            // Pulumi's dynamic-provider Config keeps the whole stack config as `rawConfig` (not in its
            // typings): listing it lets a misspelt oss-encryption:* key fail instead of being ignored.
            const raw = (req.config as { rawConfig?: Record<string, unknown> }).rawConfig;
            const config: ConfigSource = { get: key => req.config.get(key), keys: raw ? () => Object.keys(raw) : undefined };
            core.configure(() => stackConfigSettings(config), STACK_CONFIG_FORM);
        },
        check: (olds, news) => core.check(plain(olds), plain(news)) as Promise<dynamic.CheckResult<BucketEncryptionInputs>>,
        diff: (_id, olds, news) => core.diff(plain(olds), plain(news)),
        create: inputs => core.create(inputs),
        read: (id, props) => core.read(id, props ?? {}) as Promise<dynamic.ReadResult<BucketEncryptionOutputs>>,
        update: (id, olds, news) => core.update(id, olds ?? {}, news),
        delete: (id, props) => core.delete(id, props),
        cancel: () => core.cancel(),
    };
}

/** The BucketEncryption provider, as Pulumi's dynamic-provider process calls it. */
export const provider = createProvider();

/** The RPC the engine sends every provider when the deployment is cancelled (Ctrl-C). */
const CANCEL_METHOD = "/pulumirpc.ResourceProvider/Cancel";

/**
 * Runs `onCancel` when the engine calls Cancel on the dynamic-provider process. That process
 * (@pulumi/pulumi's cmd/dynamic-provider) answers Cancel itself and tells no provider, so without
 * this a Ctrl-C waits for every request in flight to reach its deadline. Its gRPC server looks up
 * the handler of each call it receives by method path (`_retrieveHandler`, @grpc/grpc-js 1.10 and
 * newer): that lookup, on the copy of @grpc/grpc-js the process itself loaded, is watched. Returns
 * false where there is no such lookup; operations then end at their deadline, as before.
 */
export function watchEngineCancel(onCancel: () => void, grpc: { Server?: { prototype: object } }): boolean {
    const server = grpc.Server?.prototype as { _retrieveHandler?: (path: string) => unknown } | undefined;
    const lookup = server?._retrieveHandler;
    if (!server || typeof lookup !== "function") {
        return false;
    }
    server._retrieveHandler = function (this: unknown, path: string) {
        if (path === CANCEL_METHOD) {
            onCancel();
        }
        return lookup.call(this, path);
    };
    return true;
}

// Only in the dynamic-provider process: elsewhere (tests, the plugin) a Cancel is not this provider's.
if (/[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(require.main?.filename ?? "")) {
    watchEngineCancel(() => provider.cancel(), require.main!.require("@grpc/grpc-js"));
}
