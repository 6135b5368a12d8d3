// The smallest world a KMS rule needs: one bucket and one enabled key in cn-hangzhou.
import { Emulator, startEmulator } from "../../emulator";

export const BUCKET = "acme-logs";
export const KEY_ID = "9468da86-3509-4f8d-a61e-6eab1eac0001";

/** A fresh emulator holding BUCKET (no rule) and KEY_ID (Enabled), both in cn-hangzhou. */
export async function startWithBucketAndKey(): Promise<Emulator> {
    const emulator = await startEmulator();
    emulator.seedBucket(BUCKET);
    emulator.seedKey({ keyId: KEY_ID, region: "cn-hangzhou", keyState: "Enabled" });
    return emulator;
}
