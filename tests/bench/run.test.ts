// `npm run bench` at its smallest, written to a temporary directory: whatever the times are, it must
// time every operation of every variant and of the API floor, count the calls, profile on request,
// fill every marker of the template, draw the chart, and show a saved results.json again.
import * as assert from "assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OPERATIONS } from "../../bench/deployments";
import { BenchResults } from "../../bench/results";
import { VARIANTS } from "../../bench/variants";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { REPO } from "../../harness/pulumi";

describe("npm run bench, smallest matrix", function () {
    before(beforeAllNeedingPulumiCli);

    it("measures, fills BENCHMARKS.md and the chart, and re-renders from results.json", function () {
        this.timeout(20 * 60_000);
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-run-"));
        const bench = (...args: string[]) => execFileSync(process.execPath, [path.join(REPO, "bin/bench/run.js"), ...args], { encoding: "utf8" });
        try {
            bench("--n=1", "--reps=1", "--latencies=0", "--startup-reps=1", "--calls-n=2", "--profile=1", `--out=${out}`);
            const r: BenchResults = JSON.parse(fs.readFileSync(path.join(out, "bench/results.json"), "utf8"));
            for (const subject of ["ours", "noop", "api"]) {
                assert.deepEqual(r.samples.filter(s => s.subject === subject).map(s => s.operation), [...OPERATIONS], subject);
            }
            const ours = (operation: string) => r.samples.find(s => s.subject === "ours" && s.operation === operation)!;
            assert.deepEqual(OPERATIONS.map(op => ours(op).oss), [2, 0, 1, 1]);
            assert.ok(OPERATIONS.every(op => ours(op).ms > 0));
            assert.deepEqual(Object.keys(r.profile ?? {}).sort(), ["noop", "ours"]);
            assert.ok(r.startup.ours.packages!.includes("@grpc/grpc-js"), "the provider process's packages are listed");
            // Both plugins (the Node.js folder's launcher and the release executable) are launched and answer a Check.
            assert.deepEqual(Object.keys(r.startup).sort(), ["noop", "ours", "plugin", "pluginBinary"]);
            assert.ok(r.startup.pluginBinary.firstCheckMs > r.startup.pluginBinary.readyMs && r.startup.plugin.firstCheckMs > 0);

            const markdown = fs.readFileSync(path.join(out, "BENCHMARKS.md"), "utf8");
            assert.doesNotMatch(markdown, /<!-- bench:/);
            assert.match(markdown, /\| OSS calls per create <= 2 \| 2\.00 \| met \|/);
            assert.match(markdown, /Ours, `pulumi up` at N = 1, 0 ms; \d+ ms profiled/);
            const chart = fs.readFileSync(path.join(out, "bench/chart.svg"), "utf8");
            // One line per series (every variant and the API floor) in each of the four operations' panels.
            assert.equal(chart.match(/<polyline /g)?.length, (VARIANTS.length + 1) * OPERATIONS.length);

            const again = fs.mkdtempSync(path.join(os.tmpdir(), "bench-from-"));
            bench(`--from=${path.join(out, "bench/results.json")}`, `--out=${again}`);
            assert.equal(fs.readFileSync(path.join(again, "BENCHMARKS.md"), "utf8"), markdown);
            fs.rmSync(again, { recursive: true, force: true });
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });
});
