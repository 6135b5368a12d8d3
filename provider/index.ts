// What runs inside Pulumi's dynamic-provider process. The SDK's shim `require`s this module by
// name at run time, so the code that serves a resource is always the installed package's.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
    BucketEncryptionInputs,
    BucketEncryptionOutputs,
    checkBucketEncryption,
    createBucketEncryption,
    declaredBucket,
    deleteBucketEncryption,
    diffBucketEncryption,
    readBucketEncryption,
    ResourceContext,
    updateBucketEncryption,
    withTargetRegion,
} from "./bucketEncryption";
import { KmsClient } from "./kms/client";
import { checkKmsKey, KmsKeyChecker } from "./kms/keyCheck";
import { DiagnosticSink, defaultSink } from "./engineLog";
import { OssClient } from "./oss/client";
import { ConfigSource, readSettings } from "./settings";

/**
 * Provider-process state: settings from `configure`, one OSS client per region and endpoint, one
 * KMS client per region, and the KMS key checker with its per-process verdicts.
 */
class ProviderProcess implements ResourceContext {
    private configSource: ConfigSource | undefined;
    private cachedSettings: ReturnType<typeof readSettings> | undefined;
    private readonly clients = new Map<string, OssClient>();
    private readonly kmsClients = new Map<string, KmsClient>();
    private keyChecker = new KmsKeyChecker(this);
    readonly bucketsDeclaredThisRun = new Set<string>();

    constructor(private readonly diagnostics: DiagnosticSink) {}

    configure(config: ConfigSource): void {
        this.configSource = config;
        this.cachedSettings = undefined;
        this.clients.clear();
        this.kmsClients.clear();
        this.keyChecker = new KmsKeyChecker(this);
    }

    get kmsKeys(): KmsKeyChecker {
        return this.keyChecker;
    }

    get settings() {
        // Read lazily so a bad setting fails the operation that needs it, with its message.
        this.cachedSettings ??= readSettings(this.configSource);
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
        let client = this.kmsClients.get(region);
        if (!client) {
            const settings = this.settings;
            client = new KmsClient({
                region,
                endpoint: settings.kmsEndpoint,
                internal: settings.useInternalEndpoint,
                credentials: settings.credentials,
                retry: { deadlineMs: Math.min(settings.operationTimeoutMs, 60_000) },
                onRetry: n =>
                    this.info(`KMS DescribeKey of key "${n.keyId}": ${n.code}, retrying (attempt ${n.attempt + 1} of ${n.maxAttempts}) in ${n.delayMs} ms`),
            });
            this.kmsClients.set(region, client);
        }
        return client;
    }

    verifyKmsKey(inputs: BucketEncryptionInputs & { region: string }): Promise<void> {
        return this.keyChecker.verify(inputs);
    }

    reportKeyHealth(bucket: string, rule: { sseAlgorithm?: string; kmsMasterKeyId?: string; region: string }): Promise<void> {
        return this.keyChecker.reportHealth(bucket, rule);
    }

    warn(message: string): void {
        this.diagnostics.log("warning", message);
    }

    /** Progress worth seeing in the Pulumi output but not worth a warning, such as a retry. */
    info(message: string): void {
        this.diagnostics.log("info", message);
    }
}

/**
 * A BucketEncryption provider with its own process state (settings, clients, buckets written).
 * Pulumi's dynamic-provider process uses the one `provider` below; tests make fresh ones.
 */
export function createProvider(
    options: { diagnostics?: DiagnosticSink } = {},
): dynamic.ResourceProvider<BucketEncryptionInputs, BucketEncryptionOutputs> {
    // In Pulumi's dynamic-provider process diagnostics go to the engine (see engineLog.ts), elsewhere to stderr.
    const state = new ProviderProcess(options.diagnostics ?? defaultSink());
    return {
        async configure(req: dynamic.ConfigureRequest): Promise<void> {
            state.configure(req.config);
        },
        async check(olds, news) {
            const result = withTargetRegion(checkBucketEncryption(news as unknown as Record<string, unknown>), state.stackRegion);
            const bucket = declaredBucket(result);
            if (bucket !== undefined) {
                state.bucketsDeclaredThisRun.add(bucket);
            }
            return checkKmsKey((olds ?? {}) as unknown as Record<string, unknown>, result, state);
        },
        async diff(_id, olds, news) {
            return diffBucketEncryption(
                olds as unknown as Record<string, unknown>,
                news as unknown as Record<string, unknown>,
                state.settings,
            );
        },
        async create(inputs) {
            return createBucketEncryption(inputs, state);
        },
        async read(id, props) {
            return readBucketEncryption(id, props ?? {}, state) as Promise<dynamic.ReadResult<BucketEncryptionOutputs>>;
        },
        async update(id, olds, news) {
            return updateBucketEncryption(id, olds ?? {}, news, state);
        },
        async delete(id, props) {
            await deleteBucketEncryption(id, props, state);
        },
    };
}

/** The BucketEncryption provider, as Pulumi's dynamic-provider process calls it. */
export const provider = createProvider();
