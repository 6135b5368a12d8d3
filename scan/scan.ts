// The scan: every bucket of the account (ListBuckets, page by page), each bucket's rule
// (GetBucketEncryption, a bounded number at once per region), each distinct KMS key described once
// (DescribeKey), and a verdict per bucket from the policy pack's own rules (policy/liveRules.ts).
// It reads through the provider's own clients, settings and credential chain (ProviderProcess).
import { flattenRule } from "../provider/bucketEncryption";
import { judgeKey, KeyJudgement } from "../provider/kms/keyCheck";
import { KmsError } from "../provider/kms/errors";
import { OssClient } from "../provider/oss/client";
import { OssError } from "../provider/oss/errors";
import { ListedBucket } from "../provider/oss/xml";
import { ProviderProcess } from "../provider/provider";
import { failsPack, Finding, judgeLiveRule, LiveRule, LiveRulePolicies } from "../policy/liveRules";

/** ListBuckets' largest page. */
export const MAX_PAGE = 1000;
/** ListBuckets goes to this region's endpoint when the settings name none (any region's endpoint lists every bucket). */
export const LISTING_REGION = "cn-hangzhou";

/** The state of the KMS key a bucket's rule uses, as the scan reports it. */
export type KeyState =
    | "Enabled"
    | "Disabled"
    | "PendingDeletion"
    | "PendingImport"
    | "missing"
    | "in another region"
    | "not usable by OSS"
    | "not described (access denied)"
    | "not checked";

/** What the scan found for one bucket. */
export interface BucketReport {
    bucket: string;
    region: string;
    /** The live rule; undefined when the bucket has none (or it could not be read). */
    rule?: LiveRule;
    /** The CMK the rule names, and its state; absent for rules without a customer key. */
    key?: { id: string; state: KeyState; detail?: string };
    findings: Finding[];
    /** pass / fail by the pack and the key; error when the bucket could not be read or its key described. */
    verdict: "pass" | "fail" | "error";
    /** Why the verdict is error: the operation, code and request ID, and what to do. */
    error?: string;
}

export interface ScanRequest {
    regions: string[];
    prefix?: string;
    concurrency: number;
    policies: LiveRulePolicies;
    /** Buckets left out (managed by a stack already). */
    exclude?: ReadonlySet<string>;
    /** Told after each bucket, for a progress line. */
    onProgress?: (done: number, listed: number) => void;
}

export interface ScanResult {
    reports: BucketReport[];
    /** ListBuckets pages read. */
    pages: number;
    /** Buckets listed but left out by --region or --exclude-stack. */
    skipped: number;
}

/**
 * Every bucket of the account after `prefix`, in name order, ListBuckets page by page; each page is
 * handed to `onPage` as soon as it is parsed, before the next one is asked for.
 */
async function listAllBuckets(process: ProviderProcess, prefix: string | undefined, onPage: (buckets: ListedBucket[]) => void): Promise<{ listed: number; pages: number }> {
    const settings = process.settings;
    const client = process.clientFor({ region: settings.region ?? LISTING_REGION, endpoint: settings.ossEndpoint });
    let marker: string | undefined;
    let pages = 0;
    let listed = 0;
    do {
        const page = await client.listBuckets({ prefix, marker, maxKeys: MAX_PAGE });
        pages++;
        listed += page.buckets.length;
        if (page.nextMarker !== undefined && page.nextMarker === marker) {
            throw new Error(`ListBuckets answered the same NextMarker "${marker}" twice; stopping rather than looping.`);
        }
        onPage(page.buckets);
        marker = page.nextMarker;
    } while (marker !== undefined);
    return { listed, pages };
}

/**
 * A sliding window over one region's requests: at most `limit` run at once, and the next queued one
 * starts the moment one ends (no waves). A request asked for `first` goes ahead of those queued.
 */
export class RequestWindow {
    private running = 0;
    private readonly queued: Array<() => void> = [];
    private closed = false;
    private idle?: () => void;

    constructor(private readonly limit: number) {
        if (!(limit >= 1)) {
            throw new Error(`a request window needs a limit of at least 1, not ${limit}`);
        }
    }

    /** Runs `request` when a slot is free; its outcome is the returned promise's. */
    run<T>(request: () => Promise<T>, first = false): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const start = () => {
                this.running++;
                const end = () => {
                    this.running--;
                    const next = this.closed ? undefined : this.queued.shift();
                    if (next) {
                        next();
                    } else if (this.running === 0) {
                        this.idle?.();
                    }
                };
                let outcome: Promise<T>;
                try {
                    outcome = request();
                } catch (err) {
                    outcome = Promise.reject(err);
                }
                outcome.then(
                    value => (end(), resolve(value)),
                    err => (end(), reject(err)),
                );
            };
            if (this.closed) {
                return; // never started, never settled: the scan is over
            }
            if (this.running < this.limit) {
                start();
            } else if (first) {
                this.queued.unshift(start);
            } else {
                this.queued.push(start);
            }
        });
    }

    /** Starts nothing more (queued requests never run) and resolves once the running ones have ended. */
    close(): Promise<void> {
        this.closed = true;
        this.queued.length = 0;
        return this.running === 0 ? Promise.resolve() : new Promise(resolve => (this.idle = resolve));
    }
}

/** The key state a judgement stands for. */
function keyStateOf(judgement: KeyJudgement): { state: KeyState; detail?: string } {
    if (judgement.notDescribed) {
        return { state: "not described (access denied)", detail: judgement.notDescribed.message };
    }
    const states: Record<string, KeyState> = {
        KeyNotFound: "missing",
        KeyDisabled: "Disabled",
        KeyPendingDeletion: "PendingDeletion",
        KeyPendingImport: "PendingImport",
        KeyInOtherRegion: "in another region",
        KeyNotUsableForOss: "not usable by OSS",
    };
    const verdict = judgement.verdict;
    return verdict ? { state: states[verdict.code] ?? "not usable by OSS", detail: verdict.message } : { state: "Enabled" };
}

/** How the scan reaches one region: its client, and the window its requests go through. */
interface RegionLane {
    client: () => OssClient;
    window: RequestWindow;
}

/**
 * Reads and judges one bucket; never throws: what fails becomes the bucket's error. The read holds a
 * slot of the region's window only while it is in flight, not while the bucket's key is described.
 */
async function scanBucket(
    lane: RegionLane,
    listed: ListedBucket,
    policies: LiveRulePolicies,
    describe: ((keyId: string, region: string) => Promise<KeyJudgement>) | undefined,
): Promise<BucketReport> {
    const report: BucketReport = { bucket: listed.name, region: listed.region, findings: [], verdict: "pass" };
    try {
        const client = lane.client();
        let wire;
        try {
            wire = await lane.window.run(() => client.getBucketEncryption(listed.name));
        } catch (err) {
            if (!(err instanceof OssError && err.code === "NoSuchServerSideEncryptionRule")) {
                throw err;
            }
        }
        report.rule = wire && flattenRule(wire);
        report.findings = judgeLiveRule(listed.name, report.rule, policies);
        const keyId = report.rule?.sseAlgorithm.toUpperCase() === "KMS" ? report.rule.kmsMasterKeyId : undefined;
        if (keyId !== undefined) {
            report.key = describe ? { id: keyId, ...keyStateOf(await describe(keyId, listed.region)) } : { id: keyId, state: "not checked" };
        }
        const keyUnusable = report.key !== undefined && !["Enabled", "not described (access denied)", "not checked"].includes(report.key.state);
        report.verdict = failsPack(report.findings) || keyUnusable ? "fail" : "pass";
    } catch (err) {
        report.verdict = "error";
        report.error = err instanceof OssError || err instanceof KmsError ? err.message : `${(err as Error).message}`;
    }
    return report;
}

/**
 * Scans the account that `process`'s settings reach. ListBuckets failing fails the scan (thrown); a
 * bucket failing is its report's error. A page's buckets are read while the next page is listed; each
 * region has its own window of `concurrency` requests (GetBucketEncryption and DescribeKey), and a
 * key is described as soon as the first rule naming it is read, ahead of the reads still queued.
 */
export async function scanBuckets(process: ProviderProcess, request: ScanRequest): Promise<ScanResult> {
    const lanes = new Map<string, RegionLane>();
    const laneOf = (region: string): RegionLane => {
        let lane = lanes.get(region);
        if (!lane) {
            let client: OssClient | undefined;
            lane = {
                // Asked for per bucket, so a client that cannot be made is each bucket's error.
                client: () => (client ??= process.clientFor({ region, endpoint: process.settings.ossEndpoint })),
                window: new RequestWindow(request.concurrency),
            };
            lanes.set(region, lane);
        }
        return lane;
    };
    // One DescribeKey per distinct key and region, however many buckets use it.
    const judgements = new Map<string, Promise<KeyJudgement>>();
    const describe = (keyId: string, region: string) => {
        const cacheKey = `${region}|${keyId}`;
        let judgement = judgements.get(cacheKey);
        if (!judgement) {
            judgement = laneOf(region).window.run(() => judgeKey(process.kmsClientFor(region), { keyId, region }, process.settings.form), true);
            judgements.set(cacheKey, judgement);
        }
        return judgement;
    };
    const wanted: ListedBucket[] = [];
    const scanned: Array<Promise<BucketReport>> = [];
    let done = 0;
    const onPage = (buckets: ListedBucket[]) => {
        for (const bucket of buckets) {
            if ((request.regions.length === 0 || request.regions.includes(bucket.region)) && !request.exclude?.has(bucket.name)) {
                wanted.push(bucket);
                const report = scanBucket(laneOf(bucket.region), bucket, request.policies, process.settings.kmsKeyCheck ? describe : undefined);
                scanned.push(
                    report.then(r => {
                        request.onProgress?.(++done, wanted.length);
                        return r;
                    }),
                );
            }
        }
    };
    let listing: { listed: number; pages: number };
    try {
        listing = await listAllBuckets(process, request.prefix, onPage);
    } catch (err) {
        // The scan ends here: nothing queued starts, and what is in flight ends before the error is told.
        await Promise.all([...lanes.values()].map(lane => lane.window.close()));
        throw err;
    }
    const reports = await Promise.all(scanned);
    return { reports, pages: listing.pages, skipped: listing.listed - wanted.length };
}

/** The scan's exit code: 2 when any bucket could not be judged, else 1 when any fails, else 0. */
export function exitCodeOf(reports: BucketReport[]): 0 | 1 | 2 {
    return reports.some(r => r.verdict === "error") ? 2 : reports.some(r => r.verdict === "fail") ? 1 : 0;
}
