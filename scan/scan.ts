// The scan: every bucket of the account (ListBuckets, page by page), each bucket's rule
// (GetBucketEncryption, a bounded number at once per region), each distinct KMS key described once
// (DescribeKey), and a verdict per bucket from the policy pack's own rules (policy/liveRules.ts).
// It reads through the provider's own clients, settings and credential chain (ProviderProcess).
import { flattenRule } from "../provider/bucketEncryption";
import { judgeKey, KeyJudgement } from "../provider/kms/keyCheck";
import { KmsError } from "../provider/kms/errors";
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

/** Every bucket of the account after `prefix`, in name order, ListBuckets page by page. */
async function listAllBuckets(process: ProviderProcess, prefix: string | undefined): Promise<{ buckets: ListedBucket[]; pages: number }> {
    const settings = process.settings;
    const client = process.clientFor({ region: settings.region ?? LISTING_REGION, endpoint: settings.ossEndpoint });
    const buckets: ListedBucket[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
        const page = await client.listBuckets({ prefix, marker, maxKeys: MAX_PAGE });
        pages++;
        buckets.push(...page.buckets);
        if (page.nextMarker !== undefined && page.nextMarker === marker) {
            throw new Error(`ListBuckets answered the same NextMarker "${marker}" twice; stopping rather than looping.`);
        }
        marker = page.nextMarker;
    } while (marker !== undefined);
    return { buckets, pages };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            await work(items[next++]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
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

/** Reads and judges one bucket; never throws: what fails becomes the bucket's error. */
async function scanBucket(
    process: ProviderProcess,
    listed: ListedBucket,
    policies: LiveRulePolicies,
    describe: (keyId: string, region: string) => Promise<KeyJudgement>,
): Promise<BucketReport> {
    const report: BucketReport = { bucket: listed.name, region: listed.region, findings: [], verdict: "pass" };
    try {
        const client = process.clientFor({ region: listed.region, endpoint: process.settings.ossEndpoint });
        let wire;
        try {
            wire = await client.getBucketEncryption(listed.name);
        } catch (err) {
            if (!(err instanceof OssError && err.code === "NoSuchServerSideEncryptionRule")) {
                throw err;
            }
        }
        report.rule = wire && flattenRule(wire);
        report.findings = judgeLiveRule(listed.name, report.rule, policies);
        const keyId = report.rule?.sseAlgorithm.toUpperCase() === "KMS" ? report.rule.kmsMasterKeyId : undefined;
        if (keyId !== undefined) {
            report.key = process.settings.kmsKeyCheck ? { id: keyId, ...keyStateOf(await describe(keyId, listed.region)) } : { id: keyId, state: "not checked" };
        }
        const keyUnusable = report.key !== undefined && !["Enabled", "not described (access denied)", "not checked"].includes(report.key.state);
        report.verdict = failsPack(report.findings) || keyUnusable ? "fail" : "pass";
    } catch (err) {
        report.verdict = "error";
        report.error = err instanceof OssError || err instanceof KmsError ? err.message : `${(err as Error).message}`;
    }
    return report;
}

/** Scans the account that `process`'s settings reach. ListBuckets failing fails the scan (thrown); a bucket failing is its report's error. */
export async function scanBuckets(process: ProviderProcess, request: ScanRequest): Promise<ScanResult> {
    const { buckets, pages } = await listAllBuckets(process, request.prefix);
    const wanted = buckets.filter(b => (request.regions.length === 0 || request.regions.includes(b.region)) && !request.exclude?.has(b.name));
    const byRegion = new Map<string, ListedBucket[]>();
    for (const bucket of wanted) {
        const regionBuckets = byRegion.get(bucket.region) ?? [];
        regionBuckets.push(bucket);
        byRegion.set(bucket.region, regionBuckets);
    }
    // One DescribeKey per distinct key and region, however many buckets use it.
    const judgements = new Map<string, Promise<KeyJudgement>>();
    const describe = (keyId: string, region: string) => {
        const cacheKey = `${region}|${keyId}`;
        let judgement = judgements.get(cacheKey);
        if (!judgement) {
            judgement = judgeKey(process.kmsClientFor(region), { keyId, region }, process.settings.form);
            judgements.set(cacheKey, judgement);
        }
        return judgement;
    };
    const reports = new Map<string, BucketReport>();
    await Promise.all(
        [...byRegion.values()].map(regionBuckets =>
            inPool(regionBuckets, request.concurrency, async bucket => {
                reports.set(bucket.name, await scanBucket(process, bucket, request.policies, describe));
                request.onProgress?.(reports.size, wanted.length);
            }),
        ),
    );
    return { reports: wanted.map(b => reports.get(b.name)!), pages, skipped: buckets.length - wanted.length };
}

/** The scan's exit code: 2 when any bucket could not be judged, else 1 when any fails, else 0. */
export function exitCodeOf(reports: BucketReport[]): 0 | 1 | 2 {
    return reports.some(r => r.verdict === "error") ? 2 : reports.some(r => r.verdict === "fail") ? 1 : 0;
}
