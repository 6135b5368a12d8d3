// The engine-floor baseline's resource: a pulumi.dynamic.Resource with BucketEncryption's inputs
// and a provider shim shaped like the SDK's (each method `require`s the provider module when it
// runs), so what Pulumi serialises into every resource's state is as small as ours.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { BucketEncryptionArgs } from "../sdk";
import { WORK } from "../tests/e2e/harness";

/**
 * Makes `require("oss-encryption-noop-provider")` load bin/bench/noop-provider.js from anything
 * under WORK (where the harness puts stacks), as the harness does for our package. Requiring by a
 * name rather than a path keeps the serialised shim as small as the SDK's.
 */
export function linkNoopProviderIntoWork(): void {
    const modules = path.join(WORK, "node_modules");
    fs.mkdirSync(modules, { recursive: true });
    const link = path.join(modules, "oss-encryption-noop-provider.js");
    if (!fs.existsSync(link)) {
        fs.symlinkSync(path.relative(modules, require.resolve("./noop-provider")), link, "file");
    }
}

/** Like the SDK's forwardTo: a method that requires the provider module at run time and delegates. */
function forwardTo(method: keyof pulumi.dynamic.ResourceProvider) {
    return (...args: unknown[]) => require("oss-encryption-noop-provider").provider[method](...args);
}

/** The provider object Pulumi serialises into every NoopEncryption's state. */
const noopShim: pulumi.dynamic.ResourceProvider = {
    configure: forwardTo("configure"),
    check: forwardTo("check"),
    diff: forwardTo("diff"),
    create: forwardTo("create"),
    read: forwardTo("read"),
    update: forwardTo("update"),
    delete: forwardTo("delete"),
};

/** Type token of the no-op resource, as Pulumi spells dynamic resource types. */
export const NOOP_TYPE = "pulumi-nodejs:dynamic/bench:NoopEncryption";

/** A resource with BucketEncryption's inputs whose provider does nothing: the engine's floor. */
export class NoopEncryption extends pulumi.dynamic.Resource {
    constructor(name: string, args: BucketEncryptionArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            noopShim,
            name,
            { kmsMasterKeyId: undefined, kmsDataEncryption: undefined, region: undefined, endpoint: undefined, ...args },
            opts,
            "bench",
            "NoopEncryption",
        );
    }
}
