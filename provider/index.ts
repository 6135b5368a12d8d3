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
): dynamic.ResourceProvider<BucketEncryptionInputs, BucketEncryptionOutputs> {
    const core = createBucketEncryptionProvider(options);
    const plain = (value: unknown) => (value ?? {}) as Record<string, unknown>;
    return {
        async configure(req: dynamic.ConfigureRequest): Promise<void> {
            const config = req.config as ConfigSource;
            core.configure(() => stackConfigSettings(config), STACK_CONFIG_FORM);
        },
        check: (olds, news) => core.check(plain(olds), plain(news)) as Promise<dynamic.CheckResult<BucketEncryptionInputs>>,
        diff: (_id, olds, news) => core.diff(plain(olds), plain(news)),
        create: inputs => core.create(inputs),
        read: (id, props) => core.read(id, props ?? {}) as Promise<dynamic.ReadResult<BucketEncryptionOutputs>>,
        update: (id, olds, news) => core.update(id, olds ?? {}, news),
        delete: (id, props) => core.delete(id, props),
    };
}

/** The BucketEncryption provider, as Pulumi's dynamic-provider process calls it. */
export const provider = createProvider();
