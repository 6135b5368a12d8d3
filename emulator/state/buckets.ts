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

/** One page of ListBuckets: the buckets it holds and whether more follow. */
export interface BucketPage {
    buckets: Bucket[];
    truncated: boolean;
}

/** All buckets by name (bucket names are global in OSS, so regions do not partition this map). */
export class BucketStore {
    private readonly byName = new Map<string, Bucket>();

    /**
     * Creates (or replaces) a bucket, dated now to the whole second: OSS reports creation times
     * as `...T08:48:18.000Z`, and oss2 parses no other form.
     */
    create(name: string, region: string, rule?: EncryptionRule): Bucket {
        const creationDate = new Date(Math.floor(Date.now() / 1000) * 1000);
        const bucket: Bucket = { name, region, creationDate, rule: copyRule(rule), writes: [] };
        this.byName.set(name, bucket);
        return bucket;
    }

    /** The bucket of that name, if it exists. */
    get(name: string): Bucket | undefined {
        return this.byName.get(name);
    }

    /**
     * Buckets of every region whose name starts with `prefix` and sorts after `marker`, in
     * lexicographic order, at most `maxKeys` of them (bucket names are ASCII, so code-unit order
     * is OSS's byte order).
     */
    page(prefix: string, marker: string, maxKeys: number): BucketPage {
        const matching = [...this.byName.values()]
            .filter(b => b.name.startsWith(prefix) && b.name > marker)
            .sort((a, b) => (a.name < b.name ? -1 : 1));
        return { buckets: matching.slice(0, maxKeys), truncated: matching.length > maxKeys };
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
