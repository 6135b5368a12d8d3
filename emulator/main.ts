#!/usr/bin/env node
// Runs the emulator standalone, prints one JSON line (endpoints, test credential, what was seeded)
// on stdout and runs until SIGINT or SIGTERM. From the installed package:
// `npx oss-encryption-emulator [options]` (package.json's bin); in a clone, `npm run emulator -- [options]`.
//
//   --port N                    OSS on port N (default: any free port); KMS on N+1 unless --kms-port
//   --kms-port N                KMS port
//   --bucket NAME[:REGION[:ALGORITHM[:KEY]]]
//                               a bucket to seed (repeatable), with a rule when ALGORITHM is given
//                               (AES256, KMS or SM4; KEY the CMK for KMS); region cn-hangzhou by
//                               default; without any --bucket, the demo buckets below
//   --key ID[:STATE[:REGION]]   a KMS key to seed (repeatable); STATE Enabled (default), Disabled,
//                               PendingDeletion or PendingImport; without any, the demo keys below
//   --access-key-id ID --access-key-secret SECRET
//                               a fixed test credential (default: a new one each start), so that
//                               stack config written once keeps working across restarts
import { EmulatorCredential, EncryptionRule, KmsKey, KmsKeyState, startEmulator } from "./index";

/** Buckets seeded when no --bucket is given. */
export const DEMO_BUCKETS: { name: string; region: string; rule?: EncryptionRule }[] = [
    { name: "demo-bucket", region: "cn-hangzhou" },
    { name: "demo-bucket-kms", region: "cn-hangzhou", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "demo-key-enabled" } },
];

/** Keys seeded when no --key is given. */
export const DEMO_KEYS: KmsKey[] = [
    { keyId: "demo-key-enabled", region: "cn-hangzhou", keyState: "Enabled", aliases: ["alias/demo"] },
    { keyId: "demo-key-disabled", region: "cn-hangzhou", keyState: "Disabled" },
    { keyId: "demo-key-sign", region: "cn-hangzhou", keyState: "Enabled", keySpec: "RSA_2048", keyUsage: "SIGN/VERIFY" },
];

const KEY_STATES: KmsKeyState[] = ["Enabled", "Disabled", "PendingDeletion", "PendingImport"];
const ALGORITHMS = ["AES256", "KMS", "SM4"];
const DEFAULT_REGION = "cn-hangzhou";

/** The one JSON line main() prints on stdout once both servers listen. */
export interface EmulatorAnnouncement {
    endpoint: string;
    kmsEndpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
    buckets: string[];
    keys: string[];
}

/** What the command line asks for. */
export interface EmulatorCommand {
    port: number;
    kmsPort: number;
    buckets: { name: string; region: string; rule?: EncryptionRule }[];
    keys: KmsKey[];
    credential?: EmulatorCredential;
}

/** Parses the options above; throws naming the option on bad input. */
export function parseEmulatorArguments(args: string[]): EmulatorCommand {
    const values = (name: string) => args.flatMap((arg, i) => (arg === name ? [args[i + 1] ?? ""] : []));
    const single = (name: string) => values(name).pop();
    const port = (name: string, fallback: number) => {
        const text = single(name);
        const value = text === undefined ? fallback : Number(text);
        if (!Number.isInteger(value) || value < 0 || value > 65535) {
            throw new Error(`${name} needs a port number (0-65535), got "${text}"`);
        }
        return value;
    };
    const known = new Set(["--port", "--kms-port", "--bucket", "--key", "--access-key-id", "--access-key-secret"]);
    args.forEach((arg, i) => {
        if (arg.startsWith("--") && !known.has(arg)) {
            throw new Error(`unknown option ${arg}; options: ${[...known].join(", ")}`);
        }
        if (known.has(arg) && (args[i + 1] === undefined || args[i + 1].startsWith("--"))) {
            throw new Error(`${arg} needs a value`);
        }
    });
    const ossPort = port("--port", 0);
    const buckets = values("--bucket").map(spec => {
        const [name, region = DEFAULT_REGION, algorithm, keyId] = spec.split(":");
        if (algorithm !== undefined && !ALGORITHMS.includes(algorithm)) {
            throw new Error(`--bucket ${spec}: the algorithm must be one of ${ALGORITHMS.join(", ")}`);
        }
        const rule: EncryptionRule | undefined = algorithm ? { SSEAlgorithm: algorithm, ...(keyId ? { KMSMasterKeyID: keyId } : {}) } : undefined;
        return { name, region: region || DEFAULT_REGION, rule };
    });
    const keys = values("--key").map(spec => {
        const [keyId, keyState = "Enabled", region = DEFAULT_REGION] = spec.split(":");
        if (!KEY_STATES.includes(keyState as KmsKeyState)) {
            throw new Error(`--key ${spec}: the state must be one of ${KEY_STATES.join(", ")}`);
        }
        return { keyId, region, keyState: keyState as KmsKeyState };
    });
    const accessKeyId = single("--access-key-id");
    const accessKeySecret = single("--access-key-secret");
    if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
        throw new Error("--access-key-id and --access-key-secret go together");
    }
    return {
        port: ossPort,
        kmsPort: port("--kms-port", ossPort === 0 ? 0 : ossPort + 1),
        buckets: buckets.length ? buckets : DEMO_BUCKETS,
        keys: keys.length ? keys : DEMO_KEYS,
        credential: accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret } : undefined,
    };
}

async function main(): Promise<void> {
    const command = parseEmulatorArguments(process.argv.slice(2));
    const emulator = await startEmulator({
        port: command.port,
        kmsPort: command.kmsPort,
        credentials: command.credential ? [command.credential] : [],
    });
    command.buckets.forEach(b => emulator.seedBucket(b.name, { region: b.region, rule: b.rule }));
    command.keys.forEach(k => emulator.seedKey(k));
    const credential = command.credential ?? emulator.defaultCredential;
    const announcement: EmulatorAnnouncement = {
        endpoint: emulator.endpoint,
        kmsEndpoint: emulator.kmsEndpoint,
        accessKeyId: credential.accessKeyId,
        accessKeySecret: credential.accessKeySecret,
        buckets: command.buckets.map(b => b.name),
        keys: command.keys.map(k => k.keyId),
    };
    process.stdout.write(JSON.stringify(announcement) + "\n");
    const shutdown = () => void emulator.stop().then(() => process.exit(0));
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
}

if (require.main === module) {
    main().catch(error => {
        console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
    });
}
