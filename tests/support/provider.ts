// The dynamic provider as the engine configures it, pointed at the emulator (or at a server that
// stands in for OSS): the one way the tests get a provider whose methods they call directly.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createProvider } from "../../provider";
import { BucketEncryptionInputs, BucketEncryptionOutputs } from "../../provider/bucketEncryption";
import { DiagnosticSink, Severity } from "../../provider/engineLog";
import { Emulator, EmulatorCredential } from "../../emulator";

/** The dynamic provider, typed with the resource's inputs and outputs. */
export type Provider = dynamic.ResourceProvider<BucketEncryptionInputs, BucketEncryptionOutputs>;

/** Where the provider's requests go: the emulator, or a server in OSS's place (KMS optional). */
export type ProviderTarget = Pick<Emulator, "endpoint" | "defaultCredential"> & { kmsEndpoint?: string };

export interface ProviderOptions {
    /** Stack config on top of the target's (region cn-hangzhou, endpoints, credential); "" removes a key. */
    config?: Record<string, string>;
    /** The credential the stack config holds: the target's default one unless given; "none" for no credential keys. */
    credential?: EmulatorCredential | "none";
    /** Where diagnostics go; unless given, createProvider's default (the engine, else stderr). */
    diagnostics?: DiagnosticSink;
}

/** The stack config a provider against `target` reads (see ProviderOptions). */
export function stackConfigAgainst(target: ProviderTarget, options: Pick<ProviderOptions, "config" | "credential"> = {}): Record<string, string> {
    const credential = options.credential ?? target.defaultCredential;
    const config: Record<string, string> = {
        "alicloud:region": "cn-hangzhou",
        "alicloud:endpoints": JSON.stringify([{ oss: target.endpoint, kms: target.kmsEndpoint }]),
        ...(credential === "none"
            ? {}
            : {
                  "alicloud:accessKey": credential.accessKeyId,
                  "alicloud:secretKey": credential.accessKeySecret,
                  ...(credential.securityToken ? { "alicloud:securityToken": credential.securityToken } : {}),
              }),
        ...options.config,
    };
    return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== ""));
}

/** A fresh provider (a process of its own: settings, clients, key verdicts) configured against `target`. */
export async function providerAgainst(target: ProviderTarget, options: ProviderOptions = {}): Promise<Provider> {
    const config = stackConfigAgainst(target, options);
    const provider = createProvider(options.diagnostics ? { diagnostics: options.diagnostics } : {});
    await provider.configure!({ config: { get: key => config[key], require: key => config[key] } });
    return provider;
}

/** A diagnostic sink that keeps what a provider sent, in order. */
export class RecordingSink implements DiagnosticSink {
    readonly messages: Array<{ severity: Severity; message: string }> = [];

    log(severity: Severity, message: string): void {
        this.messages.push({ severity, message });
    }

    /** The messages of one severity. */
    of(severity: Severity): string[] {
        return this.messages.filter(m => m.severity === severity).map(m => m.message);
    }
}

/** A diagnostic sink that drops everything. */
export const QUIET: DiagnosticSink = { log: () => undefined };
