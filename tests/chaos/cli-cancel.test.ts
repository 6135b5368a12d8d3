// Ctrl-C (SIGINT to the CLI, as the Automation API's abort signal sends it) during a `pulumi up` of
// the dynamic provider whose PutBucketEncryption calls never answer: the engine signals
// cancellation to the provider process, which must end its hanging requests at once instead of
// letting every create and update wait out its deadline. Then `pulumi refresh` and `pulumi up`, as
// the error says, converge on the declared rules.
import * as assert from "assert/strict";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, newStack, TestStack } from "../../harness/stacks";
import { Emulator, startEmulator } from "../../emulator";
import { changesBesidesSame } from "../../harness/changes";
import { assertNoLeaks, mismatches, programOf, ProviderStderrTap, ruleSpecs, RunCapture, seedFor, tearDownAfterSuite } from "./support";

/** The deadline of each operation: long, so that waiting it out cannot pass for stopping. */
const DEADLINE_SECONDS = 300;
/** How soon after SIGINT the CLI must be done: seconds, not the deadline (generous for a busy 2-core machine). */
const STOPPED_WITHIN_MS = 30_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe("real CLI: Ctrl-C during hanging PUTs ends the up within seconds, then refresh and up converge", function () {
    this.timeout(15 * 60_000);
    // The first run declares two buckets; the interrupted one changes both rules and adds two.
    const first = ruleSpecs("cancel", 2);
    const second = ruleSpecs("cancel", 4, 1);
    let emulator: Emulator;
    let test: TestStack;
    let tap: ProviderStderrTap;
    const runs = new RunCapture();
    const interruptedRun = new RunCapture();
    let interruptedError: Error;
    let stoppedAfterMs: number;

    before(beforeAllNeedingPulumiCli);
    before(async function () {
        emulator = await startEmulator({ seed: 20 });
        seedFor(emulator, second);
        tap = new ProviderStderrTap("cancel");
        test = await newStack({
            program: programOf(first),
            config: { ...emulatorConfig(emulator), "oss-encryption:operationTimeoutSeconds": { value: String(DEADLINE_SECONDS) } },
        });
        tap.attachTo(test.dir);
        assert.equal((await test.stack.up(runs.options)).summary.result, "succeeded");
        assert.deepEqual(mismatches(emulator, first), []);

        test.stack.workspace.program = programOf(second);
        emulator.clearLog();
        emulator.setFaults({ only: ["oss:PutBucketEncryption"], rates: { hang: 1 } });
        const interrupt = new AbortController();
        const up = test.stack.up({ ...interruptedRun.options, signal: interrupt.signal }).then(
            () => assert.fail("expected the interrupted up to fail"),
            (err: Error) => err,
        );
        const hanging = () => emulator.requestLog.filter(r => r.action === "PutBucketEncryption" && r.code === "hang").length;
        for (const started = Date.now(); hanging() < second.length; await sleep(50)) {
            assert.ok(Date.now() - started < 120_000, `only ${hanging()} of ${second.length} PUTs reached the emulator`);
        }
        const interruptedAt = Date.now();
        interrupt.abort();
        interruptedError = await up;
        stoppedAfterMs = Date.now() - interruptedAt;
        console.log(`      SIGINT to exit: ${(stoppedAfterMs / 1000).toFixed(1)} s (deadline ${DEADLINE_SECONDS} s)`);
        emulator.setFaults({});
    });

    tearDownAfterSuite(() => ({ emulator, test, tap }));

    it("the up ends within seconds of SIGINT, not at the deadline", () => {
        assert.ok(stoppedAfterMs < STOPPED_WITHIN_MS, `the up ended ${stoppedAfterMs} ms after SIGINT:\n${interruptedError.message}`);
    });

    it("each interrupted operation fails with a cancelled error naming its bucket and what to run next", () => {
        const output = `${interruptedError.message}\n${interruptedRun.stdout}`;
        for (const spec of second) {
            assert.match(output, new RegExp(`PutBucketEncryption on bucket "${spec.bucket}" cancelled`), output);
        }
        assert.match(output, /pulumi refresh.*pulumi up/s, "the error says what to run next");
    });

    it("`pulumi refresh` then `pulumi up` converge: every bucket carries the rule the program declares", async () => {
        const refresh = await test.stack.refresh(runs.options);
        assert.equal(refresh.summary.result, "succeeded");
        const up = await test.stack.up(runs.options);
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(mismatches(emulator, second), []);
        const preview = await test.stack.preview(runs.options);
        assert.deepEqual(changesBesidesSame(preview.changeSummary), []);
    });

    it("the state, every run's output and the provider's stderr hold no secret", () => {
        assertNoLeaks(emulator, test, tap, [runs, interruptedRun]);
    });
});
