// How the scan schedules its requests (scan/scan.ts): a sliding window per region that never has more
// than `concurrency` requests (GetBucketEncryption and DescribeKey) in flight, reads that start while
// later ListBuckets pages are still being listed, and each key described once, ahead of queued reads.
// Behaviour, not timing: counts of requests in flight and the order the emulator answered them in.
import * as assert from "assert/strict";
import { Emulator, startEmulator } from "../../emulator";
import { KmsClient } from "../../provider/kms/client";
import { OssClient } from "../../provider/oss/client";
import { ProviderProcess } from "../../provider/provider";
import { DEFAULT_LIVE_RULE_POLICIES } from "../../policy/liveRules";
import { SCAN_FORM } from "../../scan/options";
import { MAX_PAGE, RequestWindow, scanBuckets } from "../../scan/scan";
import { REGIONS, seedAccount } from "../../bench/scanAccount";

/** A promise and the functions that settle it. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
}

describe("scan scheduling: the request window", () => {
    it("runs at most `limit` at once and starts the next one as soon as any one ends (no waves)", async () => {
        const window = new RequestWindow(3);
        const gates = Array.from({ length: 8 }, deferred);
        const started: number[] = [];
        const runs = gates.map((gate, i) => window.run(() => (started.push(i), gate.promise)));
        assert.deepEqual(started, [0, 1, 2]);
        gates[1].resolve();
        await runs[1];
        assert.deepEqual(started, [0, 1, 2, 3], "one ended, one started, while the other two still run");
        gates[3].reject(new Error("no"));
        await assert.rejects(runs[3], /no/);
        assert.deepEqual(started, [0, 1, 2, 3, 4], "a failure frees its slot too");
        gates.forEach(gate => gate.resolve());
        await Promise.all(runs.filter((_, i) => i !== 3));
        assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it("starts a request asked for first ahead of those queued", async () => {
        const window = new RequestWindow(1);
        const gate = deferred();
        const order: string[] = [];
        const runs = [
            window.run(() => (order.push("a"), gate.promise)),
            window.run(async () => void order.push("b")),
            window.run(async () => void order.push("c")),
            window.run(async () => void order.push("first"), true),
        ];
        gate.resolve();
        await Promise.all(runs);
        assert.deepEqual(order, ["a", "first", "b", "c"]);
    });

    it("once closed, starts nothing queued and resolves when the running ones have ended", async () => {
        const window = new RequestWindow(1);
        const gate = deferred();
        let queuedRan = false;
        const running = window.run(() => gate.promise);
        void window.run(async () => void (queuedRan = true));
        let closed = false;
        const closing = window.close().then(() => (closed = true));
        await new Promise(resolve => setImmediate(resolve));
        assert.equal(closed, false, "a request is still running");
        gate.resolve();
        await running;
        await closing;
        assert.equal(queuedRan, false);
    });
});

describe("scan scheduling: against the emulator", function () {
    this.timeout(60_000);
    let emulator: Emulator;
    let provider: ProviderProcess;

    beforeEach(async () => {
        emulator = await startEmulator();
        const credential = emulator.defaultCredential;
        provider = new ProviderProcess({ log: () => undefined });
        provider.configure(
            () => ({ ossEndpoint: emulator.endpoint, kmsEndpoint: emulator.kmsEndpoint, accessKey: credential.accessKeyId, secretKey: credential.accessKeySecret }),
            SCAN_FORM,
        );
    });
    afterEach(async () => {
        await emulator.stop();
    });

    it("never has more than `concurrency` reads and describes in flight per region, and fills the window", async () => {
        seedAccount(emulator, 150);
        emulator.setFaults({ latencyMs: 5 });
        const inFlight = new Map<string, number>();
        const peak = new Map<string, number>();
        const counted = async <T>(region: string, call: () => Promise<T>): Promise<T> => {
            inFlight.set(region, (inFlight.get(region) ?? 0) + 1);
            peak.set(region, Math.max(peak.get(region) ?? 0, inFlight.get(region)!));
            try {
                return await call();
            } finally {
                inFlight.set(region, inFlight.get(region)! - 1);
            }
        };
        const regionOf = (client: unknown) => (client as { options: { region: string } }).options.region;
        const get = OssClient.prototype.getBucketEncryption;
        const describe = KmsClient.prototype.describeKey;
        OssClient.prototype.getBucketEncryption = function (this: OssClient, ...args) {
            return counted(regionOf(this), () => get.apply(this, args));
        };
        KmsClient.prototype.describeKey = function (this: KmsClient, ...args) {
            return counted(regionOf(this), () => describe.apply(this, args));
        };
        try {
            const result = await scanBuckets(provider, { regions: [], concurrency: 4, policies: DEFAULT_LIVE_RULE_POLICIES });
            assert.equal(result.reports.length, 150);
        } finally {
            OssClient.prototype.getBucketEncryption = get;
            KmsClient.prototype.describeKey = describe;
        }
        assert.deepEqual([...peak.keys()].sort(), [...REGIONS].sort());
        for (const [region, most] of peak) {
            assert.equal(most, 4, `${region}: at most 4 in flight, and the window is used whole`);
        }
        const log = emulator.requestLog;
        assert.equal(log.filter(r => r.action === "GetBucketEncryption").length, 150);
        assert.equal(log.filter(r => r.action === "DescribeKey").length, REGIONS.length * 5, "each key and region described once");
    });

    it("reads a page's buckets before the next ListBuckets page is answered, with the same reports as the listing order", async () => {
        const buckets = MAX_PAGE + 60;
        seedAccount(emulator, buckets);
        // Only the listing is slow: reads of the first page can be answered while the second page is listed.
        emulator.setFaults({ latencyMs: 300, only: ["ListBuckets"] });
        const result = await scanBuckets(provider, { regions: [], concurrency: 8, policies: DEFAULT_LIVE_RULE_POLICIES });
        assert.equal(result.pages, 2);
        assert.deepEqual(
            result.reports.map(r => r.bucket),
            Array.from({ length: buckets }, (_, i) => `scan-${String(i).padStart(5, "0")}`),
        );
        const log = emulator.requestLog;
        const lastPage = log.map(r => r.action).lastIndexOf("ListBuckets");
        const firstRead = log.findIndex(r => r.action === "GetBucketEncryption");
        assert.ok(firstRead >= 0 && firstRead < lastPage, `a read was answered (#${firstRead}) before the last ListBuckets page (#${lastPage})`);
        assert.equal(log.filter(r => r.action === "GetBucketEncryption").length, buckets);
    });

    it("ends at once when a later ListBuckets page fails: nothing queued is read, and nothing is left in flight", async () => {
        seedAccount(emulator, MAX_PAGE + 10);
        emulator.setFaults({ latencyMs: 100, only: ["ListBuckets"] });
        const listBuckets = OssClient.prototype.listBuckets;
        OssClient.prototype.listBuckets = function (this: OssClient, page, options) {
            if (page?.marker) {
                return listBuckets.call(this, page, options).then(() => Promise.reject(new Error("the second page failed")));
            }
            return listBuckets.call(this, page, options);
        };
        try {
            await assert.rejects(scanBuckets(provider, { regions: [], concurrency: 2, policies: DEFAULT_LIVE_RULE_POLICIES }), /the second page failed/);
        } finally {
            OssClient.prototype.listBuckets = listBuckets;
        }
        const reads = emulator.requestLog.filter(r => r.action === "GetBucketEncryption").length;
        assert.ok(reads > 0 && reads < MAX_PAGE, `some of the first page's buckets were read (${reads}), not all`);
        await new Promise(resolve => setTimeout(resolve, 100));
        assert.equal(emulator.requestLog.filter(r => r.action === "GetBucketEncryption").length, reads, "no read after the scan ended");
    });
});
