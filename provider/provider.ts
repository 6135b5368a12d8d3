// The neutral core both forms serve: one BucketEncryption provider with its process state
// (settings, one OSS client per region and endpoint, one KMS client per region, the KMS key
// checker, the buckets declared this run). The dynamic provider (index.ts) and the plugin
// (plugin/server.ts) each adapt it to their protocol and hand it their own settings record.
import { setMaxListeners } from "events";
import {
    BucketEncryptionInputs,
    BucketEncryptionOutputs,
    checkBucketEncryption,
    CheckResult,
    createBucketEncryption,
    deleteBucketEncryption,
    diffBucketEncryption,
    DiffResult,
    readBucketEncryption,
    ResourceContext,
    updateBucketEncryption,
    warnIfBucketMissing,
} from "./bucketEncryption";
import { checkEndpointTransport } from "./endpoint";
import { DiagnosticSink, defaultSink } from "./engineLog";
import { KmsClient } from "./kms/client";
import { KeyCheckTarget, KmsKeyChecker } from "./kms/keyCheck";
import { OssClient } from "./oss/client";
import { ProviderSettings, resolveSettings, setCommand, SettingsForm, SettingsRecord, STACK_CONFIG_FORM } from "./settings";

/** Provider-process state: what the resource's check and operations need (ResourceContext); the scan (scan/) reads OSS and KMS through one too. */
export class ProviderProcess implements ResourceContext {
    private readSettingsRecord: () => SettingsRecord = () => ({});
    private form: SettingsForm = STACK_CONFIG_FORM;
    private cachedSettings: ProviderSettings | undefined;
    private readonly clients = new Map<string, OssClient>();
    private readonly kmsClients = new Map<string, KmsClient>();
    private keyChecker = new KmsKeyChecker(this);
    readonly bucketsDeclaredThisRun = new Set<string>();
    /** Aborted when the engine cancels the deployment (Ctrl-C): ends every request in flight and every retry wait. */
    private readonly cancellation = new AbortController();
    /** Warnings about allowed plain-http endpoints already given this run (one each). */
    private readonly insecureEndpointWarnings = new Set<string>();

    constructor(private readonly diagnostics: DiagnosticSink) {
        // Every request in flight and every retry wait listens on this one signal: hundreds at once in
        // a large stack or a scan are expected, not a leak (Node warns past 10 by default).
        setMaxListeners(0, this.cancellation.signal);
    }

    configure(readRecord: () => SettingsRecord, form: SettingsForm): void {
        this.readSettingsRecord = readRecord;
        this.form = form;
        this.cachedSettings = undefined;
        this.clients.clear();
        this.kmsClients.clear();
        this.keyChecker = new KmsKeyChecker(this);
    }

    get signal(): AbortSignal {
        return this.cancellation.signal;
    }

    cancel(): void {
        this.cancellation.abort();
    }

    get settings(): ProviderSettings {
        // Read lazily so a bad setting fails the operation that needs it, with its message.
        this.cachedSettings ??= resolveSettings(this.readSettingsRecord(), this.form);
        return this.cachedSettings;
    }

    /** The stack's region, or undefined when it is not set or the settings are bad (the operation that needs them says so). */
    get stackRegion(): string | undefined {
        try {
            return this.settings.region;
        } catch {
            return undefined;
        }
    }

    clientFor(target: { region: string; endpoint?: string }): OssClient {
        const fromSettings = target.endpoint === this.settings.ossEndpoint;
        this.checkTransport("OSS", target.endpoint, fromSettings ? this.settings.form.keyOf.ossEndpoint : "the resource's endpoint property");
        const key = `${target.region}|${target.endpoint ?? ""}`;
        let client = this.clients.get(key);
        if (!client) {
            const settings = this.settings;
            client = new OssClient({
                region: target.region,
                endpoint: target.endpoint,
                internal: settings.useInternalEndpoint,
                credentials: settings.credentials,
                signatureVersion: settings.signatureVersion,
                retry: { deadlineMs: settings.operationTimeoutMs },
                form: settings.form,
                signal: this.signal,
                onRetry: n =>
                    this.info(
                        `${n.operation} on bucket "${n.bucket}": ${n.code}, retrying (attempt ${n.attempt + 1} of ${n.maxAttempts}) in ${n.delayMs} ms`,
                    ),
            });
            this.clients.set(key, client);
        }
        return client;
    }

    kmsClientFor(region: string): KmsClient {
        this.checkTransport("KMS", this.settings.kmsEndpoint, this.settings.form.keyOf.kmsEndpoint);
        let client = this.kmsClients.get(region);
        if (!client) {
            const settings = this.settings;
            client = new KmsClient({
                region,
                endpoint: settings.kmsEndpoint,
                internal: settings.useInternalEndpoint,
                credentials: settings.credentials,
                retry: { deadlineMs: Math.min(settings.operationTimeoutMs, 60_000) },
                form: settings.form,
                signal: this.signal,
                onRetry: n =>
                    this.info(`KMS DescribeKey of key "${n.keyId}": ${n.code}, retrying (attempt ${n.attempt + 1} of ${n.maxAttempts}) in ${n.delayMs} ms`),
            });
            this.kmsClients.set(region, client);
        }
        return client;
    }

    /** Refuses a plain-http endpoint off this machine unless allowed; warns once per run when it is. */
    private checkTransport(service: "OSS" | "KMS", endpoint: string | undefined, source: string): void {
        if (!endpoint) {
            return; // the region's endpoint, over https
        }
        const form = this.settings.form;
        const warning = checkEndpointTransport(endpoint, {
            service,
            source,
            allowSetting: form.keyOf.allowInsecureHttp,
            allowCommand: setCommand(form, "allowInsecureHttp", "true"),
            allowed: this.settings.allowInsecureHttp,
        });
        if (warning && !this.insecureEndpointWarnings.has(warning)) {
            this.insecureEndpointWarnings.add(warning);
            this.warn(warning);
        }
    }

    verifyKmsKey(target: KeyCheckTarget): Promise<void> {
        return this.keyChecker.verify(target);
    }

    warnIfBucketMissing(inputs: { bucket: string; region?: string; endpoint?: string }): Promise<void> {
        return warnIfBucketMissing(inputs, this);
    }

    reportKeyHealth(bucket: string, target: KeyCheckTarget): Promise<void> {
        return this.keyChecker.reportHealth(bucket, target);
    }

    warn(message: string): void {
        this.diagnostics.log("warning", message);
    }

    /** Progress worth seeing in the Pulumi output but not worth a warning, such as a retry. */
    info(message: string): void {
        this.diagnostics.log("info", message);
    }
}

/** The provider both forms serve, in plain values; errors are typed (OssError, KmsError, PartialStateError, SettingsError). */
export interface BucketEncryptionProvider {
    /** Takes the form's settings (read at first need, so a bad one fails that operation with its message). */
    configure(readRecord: () => SettingsRecord, form: SettingsForm): void;
    check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult>;
    diff(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult>;
    create(inputs: BucketEncryptionInputs): Promise<{ id: string; outs: BucketEncryptionOutputs }>;
    read(id: string, props: Partial<BucketEncryptionOutputs>): Promise<{ id: string; props: Partial<BucketEncryptionOutputs>; inputs?: BucketEncryptionInputs }>;
    update(id: string, olds: Partial<BucketEncryptionOutputs>, news: BucketEncryptionInputs): Promise<{ outs: BucketEncryptionOutputs }>;
    delete(id: string, props: Partial<BucketEncryptionOutputs>): Promise<void>;
    /** A create or update at preview (the plugin's Create/Update with preview set): writes nothing, warns of a missing bucket. */
    preview(inputs: BucketEncryptionInputs): Promise<void>;
    /**
     * The engine's cancellation (Ctrl-C): operations in flight end at once with a "cancelled" error
     * (a partial-state one when a rule may have been written), and later ones fail the same way.
     */
    cancel(): void;
}

/** A provider with its own process state; diagnostics go to the engine in Pulumi's processes, elsewhere to stderr. */
export function createBucketEncryptionProvider(options: { diagnostics?: DiagnosticSink } = {}): BucketEncryptionProvider {
    const state = new ProviderProcess(options.diagnostics ?? defaultSink());
    return {
        configure: (readRecord, form) => state.configure(readRecord, form),
        check: (olds, news) => checkBucketEncryption(olds, news, state),
        diff: async (olds, news) => diffBucketEncryption(olds, news, state.settings),
        create: inputs => createBucketEncryption(inputs, state),
        read: (id, props) => readBucketEncryption(id, props, state),
        update: (id, olds, news) => updateBucketEncryption(id, olds, news, state),
        delete: (id, props) => deleteBucketEncryption(id, props, state),
        preview: inputs => warnIfBucketMissing(inputs, state),
        cancel: () => state.cancel(),
    };
}
