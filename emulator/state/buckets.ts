// Bucket state: region, creation time and the encryption rule, with an optional read lag after
// writes to model OSS's eventual consistency.
import { EncryptionRule } from "../types";

/** A rule change made through the API, remembered while reads may still lag behind it. */
interface RuleWrite {
    at: number;
    before: EncryptionRule | undefined;
}

/** One bucket. `rule` is the truth; reads may see an older rule while `writes` are recent. */
export interface Bucket {
    name: string;
    region: string;
    creationDate: Date;
    rule?: EncryptionRule;
    writes: RuleWrite[];
}

/** All buckets by name (bucket names are global in OSS, so regions do not partition this map). */
export class BucketStore {
    private readonly byName = new Map<string, Bucket>();

    /** Creates (or replaces) a bucket. */
    create(name: string, region: string, rule?: EncryptionRule): Bucket {
        const bucket: Bucket = { name, region, creationDate: new Date(), rule: copyRule(rule), writes: [] };
        this.byName.set(name, bucket);
        return bucket;
    }

    /** The bucket of that name, if it exists. */
    get(name: string): Bucket | undefined {
        return this.byName.get(name);
    }

    /** Removes the bucket; false when there was none. */
    delete(name: string): boolean {
        return this.byName.delete(name);
    }

    /**
     * Changes a bucket's rule. With `lagMs > 0` the change is remembered so that reads within
     * `lagMs` still see the previous rule; with 0 it is visible at once (and clears any lag).
     */
    writeRule(bucket: Bucket, rule: EncryptionRule | undefined, lagMs: number, now: number): void {
        if (lagMs > 0) {
            bucket.writes = bucket.writes.filter(w => w.at > now - lagMs);
            bucket.writes.push({ at: now, before: bucket.rule });
        } else {
            bucket.writes = [];
        }
        bucket.rule = copyRule(rule);
    }

    /** The rule a read at `now` sees: the state before the oldest write younger than `lagMs`. */
    visibleRule(bucket: Bucket, lagMs: number, now: number): EncryptionRule | undefined {
        const pending = lagMs > 0 ? bucket.writes.find(w => w.at > now - lagMs) : undefined;
        return copyRule(pending ? pending.before : bucket.rule);
    }
}

/** Copies a rule so callers never share mutable state with the store. */
export function copyRule(rule: EncryptionRule | undefined): EncryptionRule | undefined {
    return rule ? { ...rule } : undefined;
}
