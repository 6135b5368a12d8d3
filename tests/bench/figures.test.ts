import * as assert from "assert";
import { CallCounts, OPERATIONS } from "../../bench/deployments";
import { missedUpTargets, timeRows, verdicts } from "../../bench/figures";
import { API, TimedSample } from "../../bench/matrix";
import { BenchResults } from "../../bench/results";
import { inRepetitionOrder } from "../../bench/variants";

const noCalls: CallCounts = { oss: 0, kms: 0, byAction: {}, kmsByKey: {} };
const startup = (firstCheckMs: number, packages: string[]) => ({ launches: [], readyMs: firstCheckMs - 20, firstCheckMs, afterReadyMs: 20, packages });

/**
 * Results at N = 100 and 400 with 30 ms latency and 3 repetitions: the engine floor's `pulumi up`
 * takes 10 ms per resource plus 1 s, ours `oursUp(count, rep)`; every other operation takes 1 s for
 * both; ours makes `ossPerResource` calls per resource in an up.
 */
function results(oursUp: (count: number, rep: number) => number, ossPerResource = 2): BenchResults {
    const samples: TimedSample[] = [];
    for (const count of [100, 400]) {
        for (let rep = 0; rep < 3; rep++) {
            for (const operation of OPERATIONS) {
                const base = { operation, count, latencyMs: 30, rep };
                const floorMs = operation === "up" ? 1000 + 10 * count : 1000;
                const oss = operation === "up" ? ossPerResource * count : operation === "preview" ? 0 : count;
                samples.push({ ...base, subject: "noop", ms: floorMs, oss: 0, kms: 0 });
                samples.push({ ...base, subject: "ours", ms: operation === "up" ? oursUp(count, rep) : 1000, oss, kms: 0 });
                samples.push({ ...base, subject: API, ms: operation === "preview" ? 0 : 100 });
            }
        }
    }
    const sizes = { stateFileBytes: 6000, providerBytes: 2200, resourceEntryBytes: 6000 };
    return {
        environment: {} as BenchResults["environment"],
        matrix: { counts: [100, 400], latenciesMs: [30], repsByCount: { 100: 3, 400: 3 }, parallelism: 8, startupReps: 1 },
        variants: [{ name: "ours", label: "Ours" }, { name: "noop", label: "Engine floor" }],
        samples,
        state: [100, 400].flatMap(count => ["ours", "noop"].map(variant => ({ variant, count, sizes }))),
        startup: { ours: startup(500, ["@grpc/grpc-js", "fast-xml-parser"]), noop: startup(480, ["@grpc/grpc-js"]) },
        scenarios: {
            count: 25,
            update: { ...noCalls, oss: 50 },
            kmsKeys: ["a", "b"],
            kms: { up: { ...noCalls, oss: 50, kms: 2, kmsByKey: { a: 1, b: 1 } }, preview: noCalls, refresh: { ...noCalls, oss: 25 }, destroy: { ...noCalls, oss: 25 } },
        },
        durationMs: 0,
    };
}

const verdictOf = (r: BenchResults, start: string) => verdicts(r, timeRows(r)).find(v => v.target.startsWith(start))!;
const floorUp = (count: number) => 1000 + 10 * count;

describe("bench figures", () => {
    it("pairs repetitions: ours 5 % over the floor meets the up target, 20 % at N = 400 misses it", () => {
        const close = results(count => floorUp(count) * 1.05);
        assert.strictEqual(verdictOf(close, "pulumi up, N = 100").met, true);
        assert.strictEqual(verdictOf(close, "pulumi up, N = 400").figure, "1.050");
        assert.deepStrictEqual(missedUpTargets(timeRows(close)), []);
        const slow = results(count => floorUp(count) * (count === 400 ? 1.2 : 1.05));
        assert.strictEqual(verdictOf(slow, "pulumi up, N = 400").met, false);
        assert.deepStrictEqual(missedUpTargets(timeRows(slow)).map(row => row.count), [400]);
    });

    it("linearity: added time per resource growing tenfold beyond the repetitions' spread is missed; constant is met", () => {
        const constant = results((count, rep) => floorUp(count) + 2 * count + rep * 10);
        assert.strictEqual(verdictOf(constant, "cost linear in N").met, true);
        const quadratic = results((count, rep) => floorUp(count) + (count === 400 ? 20 : 2) * count + rep * 10);
        assert.strictEqual(verdictOf(quadratic, "cost linear in N").met, false);
        // The same growth, but the repetitions at N = 400 differ by more than the excess: noise.
        const noisy = results((count, rep) => floorUp(count) + (count === 400 ? 20 : 2) * count + (count === 400 ? rep * 9000 : 0));
        assert.strictEqual(verdictOf(noisy, "cost linear in N").met, true);
    });

    it("counts calls per resource from the timed runs and the scenarios", () => {
        assert.strictEqual(verdictOf(results(floorUp), "OSS calls per create").met, true);
        assert.strictEqual(verdictOf(results(floorUp, 3), "OSS calls per create").figure, "3.00");
        assert.strictEqual(verdictOf(results(floorUp, 3), "OSS calls per create").met, false);
        assert.strictEqual(verdictOf(results(floorUp), "KMS calls per distinct key").met, true);
        assert.strictEqual(verdictOf(results(floorUp), "KMS client not loaded").met, true);
        assert.match(verdictOf(results(floorUp), "KMS client not loaded").figure, /beside the engine floor's: fast-xml-parser\)/);
        const eager = results(floorUp);
        eager.startup.ours.packages!.push("@alicloud/pop-core");
        assert.strictEqual(verdictOf(eager, "KMS client not loaded").met, false);
    });

    it("rotates the variants' order from one repetition to the next", () => {
        assert.deepStrictEqual([0, 1, 2].map(rep => inRepetitionOrder(["a", "b", "c"], rep)), [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]);
    });
});
