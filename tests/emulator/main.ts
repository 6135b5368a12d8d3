// Runs the emulator standalone:  node bin/tests/emulator/main.js [--port N] [--kms-port N]
// Seeds demo buckets and keys, prints one JSON line (endpoints, test credential, what was seeded)
// on stdout and runs until SIGINT or SIGTERM.
import { EncryptionRule, KmsKey, startEmulator } from "./index";

/** Buckets seeded for manual experiments. */
export const DEMO_BUCKETS: { name: string; region: string; rule?: EncryptionRule }[] = [
    { name: "demo-bucket", region: "cn-hangzhou" },
    { name: "demo-bucket-kms", region: "cn-hangzhou", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "demo-key-enabled" } },
];

/** Keys seeded for manual experiments. */
export const DEMO_KEYS: KmsKey[] = [
    { keyId: "demo-key-enabled", region: "cn-hangzhou", keyState: "Enabled", aliases: ["alias/demo"] },
    { keyId: "demo-key-disabled", region: "cn-hangzhou", keyState: "Disabled" },
    { keyId: "demo-key-sign", region: "cn-hangzhou", keyState: "Enabled", keySpec: "RSA_2048", keyUsage: "SIGN/VERIFY" },
];

/** The value following `--name` on the command line, as a port number (0 when absent). */
function portArgument(args: string[], name: string): number {
    const i = args.indexOf(name);
    const port = i >= 0 ? Number(args[i + 1]) : 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`${name} needs a port number`);
    }
    return port;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const emulator = await startEmulator({ port: portArgument(args, "--port"), kmsPort: portArgument(args, "--kms-port") });
    DEMO_BUCKETS.forEach(b => emulator.seedBucket(b.name, { region: b.region, rule: b.rule }));
    DEMO_KEYS.forEach(k => emulator.seedKey(k));
    process.stdout.write(
        JSON.stringify({
            endpoint: emulator.endpoint,
            kmsEndpoint: emulator.kmsEndpoint,
            accessKeyId: emulator.defaultCredential.accessKeyId,
            accessKeySecret: emulator.defaultCredential.accessKeySecret,
            buckets: DEMO_BUCKETS.map(b => b.name),
            keys: DEMO_KEYS.map(k => k.keyId),
        }) + "\n",
    );
    const shutdown = () => void emulator.stop().then(() => process.exit(0));
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
}

if (require.main === module) {
    main().catch(error => {
        console.error(error);
        process.exit(1);
    });
}
