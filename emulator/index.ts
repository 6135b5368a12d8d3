// An OSS + KMS emulator on 127.0.0.1 for tests: bucket encryption rules over OSS's REST API
// (V1 and V4 signatures, STS tokens, OSS's error codes) and KMS DescribeKey over the RPC API,
// with seeded fault injection. Start it with startEmulator(); see types.ts for the vocabulary.
import { BucketStore, copyRule } from "./state/buckets";
import { CredentialStore, generateCredential } from "./state/credentials";
import { FaultInjector } from "./faults";
import { KeyStore } from "./state/keys";
import { KmsService } from "./kms/service";
import { DEFAULT_REGION, OssService } from "./oss/service";
import { ServiceServer } from "./server";
import { EmulatorCredential, EmulatorOptions, EncryptionRule, FaultPlan, KmsKey, LoggedRequest } from "./types";

export * from "./types";

/** A running emulator: its endpoints, state accessors and fault controls. */
export interface Emulator {
    /** "http://127.0.0.1:<port>": OSS, path style or virtual-host style (Host: <bucket>.<anything>). */
    endpoint: string;
    /** "http://127.0.0.1:<port>": KMS RPC (see kms/service.ts for how a request picks its region). */
    kmsEndpoint: string;
    /** A generated test key pair allowed everything (not a real secret). */
    defaultCredential: EmulatorCredential;
    /** Adds or replaces a credential. */
    addCredential(credential: EmulatorCredential): void;
    /** Creates or replaces a bucket; region defaults to "cn-hangzhou". */
    seedBucket(name: string, opts?: { region?: string; rule?: EncryptionRule }): void;
    /** The bucket's current rule (ignoring any stale-read lag); undefined when none or no bucket. */
    getRule(bucket: string): EncryptionRule | undefined;
    /** Changes a rule out of band (as the console would); visible at once. Throws if no such bucket. */
    setRule(bucket: string, rule: EncryptionRule | undefined): void;
    deleteBucket(name: string): void;
    /** Adds or replaces a KMS key. */
    seedKey(key: KmsKey): void;
    /** Every request answered (or dropped by a fault), in order. */
    requestLog: LoggedRequest[];
    clearLog(): void;
    /** Replaces the fault plan and restarts its PRNG; setFaults({}) turns all faults off. */
    setFaults(plan: FaultPlan): void;
    /** Closes both servers and every open connection. */
    stop(): Promise<void>;
}

/** Starts the OSS and KMS servers on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
    const buckets = new BucketStore();
    const keys = new KeyStore();
    const credentials = new CredentialStore();
    const faults = new FaultInjector(opts.seed ?? 1);
    const defaultCredential = generateCredential();
    credentials.add(defaultCredential);
    (opts.credentials ?? []).forEach(c => credentials.add(c));

    const requestLog: LoggedRequest[] = [];
    const log = (entry: LoggedRequest) => requestLog.push(entry);
    const oss = new ServiceServer(new OssService(buckets, credentials, faults), faults, log);
    const kms = new ServiceServer(new KmsService(keys, credentials), faults, log);
    const endpoint = await oss.listen(opts.port ?? 0);
    const kmsEndpoint = await kms.listen(opts.kmsPort ?? 0).catch(async error => {
        await oss.stop();
        throw error;
    });

    return {
        endpoint,
        kmsEndpoint,
        defaultCredential: { ...defaultCredential },
        addCredential: c => credentials.add(c),
        seedBucket: (name, seed = {}) => void buckets.create(name, seed.region ?? DEFAULT_REGION, seed.rule),
        getRule: name => copyRule(buckets.get(name)?.rule),
        setRule: (name, rule) => {
            const bucket = buckets.get(name);
            if (!bucket) {
                throw new Error(`no bucket ${name}`);
            }
            buckets.writeRule(bucket, rule, 0, Date.now());
        },
        deleteBucket: name => void buckets.delete(name),
        seedKey: key => keys.seed(key),
        requestLog,
        clearLog: () => void requestLog.splice(0),
        setFaults: plan => faults.set(plan),
        stop: async () => {
            await Promise.all([oss.stop(), kms.stop()]);
        },
    };
}
