// The account the scan benchmark and the scheduling tests read: buckets over three regions in the
// states a scan tells apart, and five keys per region (one Disabled).
import { Emulator } from "../emulator";

export const REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing"];
const KEYS = ["key-a", "key-b", "key-c", "key-d", "key-e"];

/** Seeds `count` buckets over the regions: no rule, AES256, SM4, and KMS with one of five keys per region. */
export function seedAccount(emulator: Emulator, count: number): void {
    for (const region of REGIONS) {
        for (const keyId of KEYS) {
            emulator.seedKey({ keyId, region, keyState: keyId === "key-e" ? "Disabled" : "Enabled" });
        }
    }
    for (let i = 0; i < count; i++) {
        const region = REGIONS[i % REGIONS.length];
        const kind = Math.floor(i / REGIONS.length) % 4;
        const rule = [undefined, { SSEAlgorithm: "AES256" }, { SSEAlgorithm: "SM4" }, { SSEAlgorithm: "KMS", KMSMasterKeyID: KEYS[i % KEYS.length] }][kind];
        emulator.seedBucket(`scan-${String(i).padStart(5, "0")}`, { region, rule });
    }
}
