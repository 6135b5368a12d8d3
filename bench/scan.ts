// The scan at account scale (npm run bench:scan -- [buckets] [latencyMs] [concurrency]): buckets in
// three regions behind the emulator with a fixed latency per call, scanned as `pulumi-oss-encryption
// scan` does, against two baselines measured in the same run: the floor (the round trips the scan
// cannot avoid: the ListBuckets pages, then ceil(buckets of the largest region / concurrency) waves
// of GetBucketEncryption, then one DescribeKey) and a sequential loop of GetBucketEncryption (what a
// script around `ossutil bucket-encryption --method get` does). Prints a table; writes the figures
// to bench/scan-results.json.
import * as fs from "fs";
import * as path from "path";
import { OssClient } from "../provider/oss/client";
import { ProviderProcess } from "../provider/provider";
import { DEFAULT_LIVE_RULE_POLICIES } from "../policy/liveRules";
import { SCAN_FORM } from "../scan/options";
import { MAX_PAGE, scanBuckets } from "../scan/scan";
import { REGIONS } from "./scanAccount";
import { startWorkerEmulator } from "./scanEmulator";

export { REGIONS };

export interface ScanFigures {
    buckets: number;
    regions: number;
    latencyMs: number;
    concurrency: number;
    scanMs: number;
    floorMs: number;
    sequentialMs: number;
    scanOverFloor: number;
    sequentialOverScan: number;
    pages: number;
    getsPerBucket: number;
    describeKeyCalls: number;
    distinctKeys: number;
    peakRssMiB: number;
}

/** One measured run: the scan, its floor, and the sequential loop, on a fresh emulator in its own thread. */
export async function measureScan(buckets: number, latencyMs: number, concurrency: number): Promise<ScanFigures> {
    const emulator = await startWorkerEmulator(buckets, latencyMs);
    try {
        const credential = emulator.credential;
        const provider = new ProviderProcess({ log: () => undefined });
        provider.configure(() => ({ ossEndpoint: emulator.endpoint, kmsEndpoint: emulator.kmsEndpoint, accessKey: credential.accessKeyId, secretKey: credential.accessKeySecret }), SCAN_FORM);

        await emulator.clearLog();
        let peakRss = process.memoryUsage().rss;
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
        const started = performance.now();
        const result = await scanBuckets(provider, { regions: [], concurrency, policies: DEFAULT_LIVE_RULE_POLICIES });
        const scanMs = performance.now() - started;
        clearInterval(sampler);
        const counts = await emulator.actionCounts();
        const gets = counts.GetBucketEncryption ?? 0;
        const describes = counts.DescribeKey ?? 0;

        const perRegion = Math.max(...REGIONS.map(region => result.reports.filter(r => r.region === region).length));
        const roundTrips = result.pages + Math.ceil(perRegion / concurrency) + 1;
        const floorMs = roundTrips * latencyMs;

        // The sequential loop: one GetBucketEncryption after another, on one kept-alive connection.
        const clients = new Map(REGIONS.map(region => [region, new OssClient({ region, endpoint: emulator.endpoint, credentials: async () => credential })]));
        const sequentialStarted = performance.now();
        for (const report of result.reports) {
            await clients.get(report.region)!.getBucketEncryption(report.bucket).catch(() => undefined);
        }
        const sequentialMs = performance.now() - sequentialStarted;
        return {
            buckets,
            regions: REGIONS.length,
            latencyMs,
            concurrency,
            scanMs: Math.round(scanMs),
            floorMs,
            sequentialMs: Math.round(sequentialMs),
            scanOverFloor: Number((scanMs / floorMs).toFixed(3)),
            sequentialOverScan: Number((sequentialMs / scanMs).toFixed(1)),
            pages: result.pages,
            getsPerBucket: Number((gets / buckets).toFixed(3)),
            describeKeyCalls: describes,
            distinctKeys: new Set(result.reports.filter(r => r.key).map(r => `${r.region}|${r.key!.id}`)).size,
            peakRssMiB: Math.round(peakRss / 1024 / 1024),
        };
    } finally {
        await emulator.stop();
    }
}

/** The figures as a Markdown table. */
export function scanTable(f: ScanFigures): string {
    const rows: Array<[string, string]> = [
        ["buckets / regions / latency / concurrency per region", `${f.buckets} / ${f.regions} / ${f.latencyMs} ms / ${f.concurrency}`],
        ["scan", `${f.scanMs} ms`],
        ["floor (pages + waves + 1 round trips)", `${f.floorMs} ms`],
        ["scan / floor", `${f.scanOverFloor}`],
        ["sequential loop of GetBucketEncryption", `${f.sequentialMs} ms`],
        ["sequential / scan", `${f.sequentialOverScan}`],
        [`ListBuckets pages (${MAX_PAGE} a page)`, `${f.pages}`],
        ["GetBucketEncryption per bucket", `${f.getsPerBucket}`],
        ["DescribeKey calls / distinct keys", `${f.describeKeyCalls} / ${f.distinctKeys}`],
        ["peak RSS of the process (emulator thread included)", `${f.peakRssMiB} MiB`],
    ];
    return ["| figure | value |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
}

async function main(): Promise<void> {
    const [buckets = 2000, latencyMs = 30, concurrency = 16] = process.argv.slice(2).map(Number);
    const figures = await measureScan(buckets, latencyMs, concurrency);
    console.log(scanTable(figures));
    fs.writeFileSync(path.join(__dirname, "../../bench/scan-results.json"), JSON.stringify(figures, null, 2) + "\n");
}

if (require.main === module) {
    main().catch(err => {
        console.error(err);
        process.exit(1);
    });
}
