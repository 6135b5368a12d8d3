// KMS key state. Keys, key ids and aliases are regional, like real KMS: a lookup only ever sees
// the keys of the region the request is addressed to.
import { KmsKey } from "../types";

/** Account id used for keys seeded without one (a made-up 16-digit Alibaba Cloud account). */
export const DEFAULT_ACCOUNT_ID = "1234567890123456";

/** A seeded key with its defaults filled in. */
export interface StoredKey extends Required<Omit<KmsKey, "description">> {
    description: string;
    creationDate: Date;
}

/** `acs:kms:<region>:<account>:key/<keyId>`. */
export function keyArn(key: StoredKey): string {
    return `acs:kms:${key.region}:${key.accountId}:key/${key.keyId}`;
}

/** Aliases are stored with their "alias/" prefix. */
function normalizeAlias(alias: string): string {
    return alias.startsWith("alias/") ? alias : `alias/${alias}`;
}

/** The seeded keys; re-seeding the same id in the same region replaces the key. */
export class KeyStore {
    private readonly keys: StoredKey[] = [];

    /** Stores a key with its defaults filled in. */
    seed(key: KmsKey): void {
        const stored: StoredKey = {
            keyId: key.keyId,
            region: key.region,
            keyState: key.keyState,
            keySpec: key.keySpec ?? "Aliyun_AES_256",
            keyUsage: key.keyUsage ?? "ENCRYPT/DECRYPT",
            aliases: (key.aliases ?? []).map(normalizeAlias),
            accountId: key.accountId ?? DEFAULT_ACCOUNT_ID,
            description: key.description ?? "",
            creationDate: new Date(),
        };
        const existing = this.keys.findIndex(k => k.keyId === key.keyId && k.region === key.region);
        if (existing >= 0) {
            this.keys.splice(existing, 1);
        }
        this.keys.push(stored);
    }

    /**
     * Finds a key of `region` by key id, key ARN, alias name ("alias/x") or alias ARN
     * ("acs:kms:<region>:<account>:alias/x"). An ARN naming another region finds nothing.
     */
    find(reference: string, region: string): StoredKey | undefined {
        const inRegion = this.keys.filter(k => k.region === region);
        const arn = /^acs:kms:([^:]*):([^:]*):(key|alias)\/(.+)$/.exec(reference);
        if (arn) {
            const [, arnRegion, account, kind, name] = arn;
            if (arnRegion !== region) {
                return undefined;
            }
            const candidates = inRegion.filter(k => k.accountId === account);
            return kind === "key"
                ? candidates.find(k => k.keyId === name)
                : candidates.find(k => k.aliases.includes(`alias/${name}`));
        }
        if (reference.startsWith("alias/")) {
            return inRegion.find(k => k.aliases.includes(reference));
        }
        return inRegion.find(k => k.keyId === reference);
    }
}
