// The real Pulumi CLI deploying many BucketEncryptions while about 30% of OSS calls fail
// transiently: the update succeeds, every live rule is the declared one, a preview and a refresh
// (under the same faults) find nothing to change, and every retry was announced in the CLI output.
import * as assert from "assert/strict";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, newStack, TestStack } from "../../harness/stacks";
import { Emulator, startEmulator } from "../../emulator";
import {
    assertNoLeaks,
    CHAOS_FULL,
    CHAOS_PLAN,
    CHAOS_RESOURCES,
    faultRate,
    tearDownAfterSuite,
    mismatches,
    programOf,
    ProviderStderrTap,
    ruleSpecs,
    RunCapture,
    seedFor,
} from "./support";
import { changesBesidesSame } from "../../harness/changes";

describe(`real CLI: up of ${CHAOS_RESOURCES} resources under ${Math.round(faultRate(CHAOS_PLAN) * 100)}% transient faults`, function () {
    this.timeout(CHAOS_FULL ? 20 * 60_000 : 4 * 60_000);
    const specs = ruleSpecs("chaos", CHAOS_RESOURCES);
    let emulator: Emulator;
    let test: TestStack;
    let tap: ProviderStderrTap;
    const upRun = new RunCapture();
    const laterRuns = new RunCapture();
    let upResult: string;
    let upMs: number;
    let injectedDuringUp: Array<{ action: string; code?: string }>;
    let ossRequestsDuringUp: number;

    before(beforeAllNeedingPulumiCli);
    before(async function () {
        emulator = await startEmulator({ seed: 20240 });
        seedFor(emulator, specs);
        tap = new ProviderStderrTap("chaos");
        test = await newStack({ program: programOf(specs), config: emulatorConfig(emulator) });
        tap.attachTo(test.dir);
        emulator.setFaults({ ...CHAOS_PLAN, seed: 20240 });
        const started = Date.now();
        upResult = (await test.stack.up(upRun.options)).summary.result;
        upMs = Date.now() - started;
        const oss = emulator.requestLog.filter(r => r.service === "oss");
        ossRequestsDuringUp = oss.length;
        injectedDuringUp = oss.filter(r => r.injected);
    });

    tearDownAfterSuite(() => ({ emulator, test, tap }));

    it("the update succeeds", () => {
        assert.equal(upResult, "succeeded");
    });

    it("every bucket carries exactly the rule the program declares", () => {
        assert.deepEqual(mismatches(emulator, specs), []);
    });

    it("faults were injected, and each was retried once, announced in the CLI output", () => {
        const notices = upRun.retryNotices();
        const injectedRate = injectedDuringUp.length / ossRequestsDuringUp;
        const plannedRate = faultRate(CHAOS_PLAN);
        assert.ok(
            Math.abs(injectedRate - plannedRate) <= 0.1,
            `${injectedDuringUp.length} faults in ${ossRequestsDuringUp} OSS requests is not about ${Math.round(plannedRate * 100)}%`,
        );
        assert.equal(notices.length, injectedDuringUp.length, "one retry notice per injected fault");
        const buckets = new Set(specs.map(s => s.bucket));
        for (const notice of notices) {
            assert.ok(buckets.has(notice.bucket), `notice for an unknown bucket: ${JSON.stringify(notice)}`);
            assert.ok(notice.attempt >= 2 && notice.attempt <= notice.maxAttempts);
        }
        for (const message of upRun.diagnostics("info").filter(m => m.includes("retrying (attempt"))) {
            assert.ok(upRun.stdout.includes(message), `not in the CLI output: ${message}`);
        }
        const retriedCodes = new Set(notices.map(n => n.code));
        console.log(
            `      figures: ${CHAOS_RESOURCES} resources, fault rate ${Math.round(faultRate(CHAOS_PLAN) * 100)}% of OSS calls ` +
                `(+${CHAOS_PLAN.staleReadMs} ms stale reads), ${ossRequestsDuringUp} OSS requests, ${injectedDuringUp.length} faults ` +
                `injected, ${notices.length} retries announced (${[...retriedCodes].sort().join(", ")}), up ${(upMs / 1000).toFixed(1)} s, ` +
                `result ${upResult}`,
        );
    });

    it("a preview afterwards shows no changes", async () => {
        const preview = await test.stack.preview(laterRuns.options);
        assert.deepEqual(changesBesidesSame(preview.changeSummary), []);
    });

    it("a refresh under the same faults finds every rule as declared", async () => {
        emulator.clearLog();
        const refresh = await test.stack.refresh(laterRuns.options);
        assert.equal(refresh.summary.result, "succeeded");
        assert.deepEqual(changesBesidesSame(refresh.summary.resourceChanges), []);
        assert.deepEqual(mismatches(emulator, specs), []);
        const injected = emulator.requestLog.filter(r => r.injected).length;
        assert.ok(injected > 0, "the refresh met faults too");
    });

    it("the state, the CLI output and the provider's stderr hold no secret", () => {
        assert.ok(tap.starts() >= 3, "the provider ran through the stderr tap");
        assertNoLeaks(emulator, test, tap, [upRun, laterRuns]);
    });
});
