// The engine floor's resource: a pulumi.dynamic.Resource with BucketEncryption's inputs and a
// provider shim shaped like the SDK's (each method `require`s the provider module by name when it
// runs), so what Pulumi serialises into every resource's state is as small as ours.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { BucketEncryptionArgs } from "../sdk";
import { WORK } from "../tests/e2e/harness";

/** Makes `require("oss-encryption-noop-provider")` load bin/bench/noop-provider.js from anything under WORK (the stacks). */
export function linkNoopProviderIntoWork(): void {
    const modules = path.join(WORK, "node_modules");
    fs.mkdirSync(modules, { recursive: true });
    const link = path.join(modules, "oss-encryption-noop-provider.js");
    if (!fs.existsSync(link)) {
        fs.symlinkSync(path.relative(modules, require.resolve("./noop-provider")), link, "file");
    }
}

const forwardTo = (method: keyof pulumi.dynamic.ResourceProvider) =>
    (...args: unknown[]) => require("oss-encryption-noop-provider").provider[method](...args);

/** The provider object Pulumi serialises into every NoopEncryption's state. */
const noopShim = Object.fromEntries(
    (["configure", "check", "diff", "create", "read", "update", "delete"] as const).map(m => [m, forwardTo(m)]),
) as unknown as pulumi.dynamic.ResourceProvider;

/** Type token of the no-op resource, as Pulumi spells dynamic resource types. */
export const NOOP_TYPE = "pulumi-nodejs:dynamic/bench:NoopEncryption";

/** A resource with BucketEncryption's inputs whose provider does nothing: the engine's floor. */
export class NoopEncryption extends pulumi.dynamic.Resource {
    constructor(name: string, args: BucketEncryptionArgs, opts?: pulumi.CustomResourceOptions) {
        const unset = { kmsMasterKeyId: undefined, kmsDataEncryption: undefined, region: undefined, endpoint: undefined };
        super(noopShim, name, { ...unset, ...args }, opts, "bench", "NoopEncryption");
    }
}
