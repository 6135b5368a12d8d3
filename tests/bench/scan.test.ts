// The scan benchmark (bench/scan.ts) at a small size: it runs, and its call counts are the scan's
// promises (one GetBucketEncryption per bucket, one DescribeKey per distinct key, one page per
// thousand buckets). Its times are figures for the benchmark's table, not asserted here.
import * as assert from "assert/strict";
import { measureScan, REGIONS, scanTable } from "../../bench/scan";

describe("bench: the scan at a small size", function () {
    this.timeout(120_000);
    it("measures the scan, its floor and the sequential loop, with one read per bucket and one describe per key", async () => {
        const figures = await measureScan(90, 2, 8);
        assert.equal(figures.getsPerBucket, 1);
        assert.equal(figures.pages, 1);
        assert.equal(figures.describeKeyCalls, figures.distinctKeys);
        assert.equal(figures.distinctKeys, REGIONS.length * 5);
        assert.ok(figures.floorMs > 0 && figures.scanMs > 0 && figures.sequentialMs > 0);
        assert.match(scanTable(figures), /\| scan \/ floor \| [\d.]+ \|/);
    });
});
