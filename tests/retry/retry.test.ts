// The retry policy on its own: what counts as transient, how long it waits, when it stops.
import * as assert from "assert/strict";
import { backoffDelay, DEFAULT_RETRY_POLICY, isTransient, MIN_ATTEMPT_MS, RetryNotice, RetryOutcome, RetryPolicy, sleep, withRetries } from "../../provider/retry";

/** A coded failure as the OSS client throws it. */
const failure = (code: string, status = 0) => Object.assign(new Error(code), { code, status });

/** A policy that records its waits instead of sleeping. */
function recordingPolicy(overrides: Partial<RetryPolicy> = {}) {
    const waits: number[] = [];
    const notices: RetryNotice[] = [];
    const policy: RetryPolicy = {
        ...DEFAULT_RETRY_POLICY,
        random: () => 0.5,
        sleep: async ms => void waits.push(ms),
        onRetry: n => void notices.push(n),
        ...overrides,
    };
    return { policy, waits, notices };
}

/** An attempt function that fails with `failures` in order, then succeeds with "done". */
function failingThenOk(failures: Error[]) {
    const calls: number[] = [];
    const attempt = async (n: number) => {
        calls.push(n);
        const next = failures[n - 1];
        if (next) {
            throw next;
        }
        return "done";
    };
    return { attempt, calls };
}

describe("retry policy", () => {
    describe("what is transient", () => {
        const transient: Array<[string, number]> = [
            ["InternalError", 500],
            ["ServiceUnavailable", 503],
            ["MetaOperationQpsLimitExceeded", 503],
            ["TotalQpsLimitExceeded", 503],
            ["Throttling.User", 400],
            ["TooManyRequests", 429],
            ["SlowDown", 429],
            ["RequestTimeout", 408],
            ["NetworkError", 0],
            ["Timeout", 0],
            ["SomethingNew", 502],
        ];
        for (const [code, status] of transient) {
            it(`retries ${code} (HTTP ${status})`, () => assert.equal(isTransient(failure(code, status)), true));
        }
        const final: Array<[string, number]> = [
            ["AccessDenied", 403],
            ["InvalidArgument", 400],
            ["SignatureDoesNotMatch", 403],
            ["InvalidAccessKeyId", 403],
            ["NoSuchBucket", 404],
            ["Forbidden.KeyNotFound", 404],
            ["KeyDisabled", 200],
            ["BadResponse", 200],
            ["MalformedXML", 400],
        ];
        for (const [code, status] of final) {
            it(`does not retry ${code} (HTTP ${status})`, () => assert.equal(isTransient(failure(code, status)), false));
        }
        it("does not retry errors without a code", () => assert.equal(isTransient(new Error("boom")), false));
    });

    describe("backoff", () => {
        it("doubles from the base delay up to the cap, with the jitter between half and all of it", () => {
            const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
            const caps = [100, 200, 400, 800, 1000, 1000];
            caps.forEach((cap, i) => {
                assert.equal(backoffDelay(policy, i + 1, () => 0), cap / 2);
                assert.equal(backoffDelay(policy, i + 1, () => 0.999999), Math.floor(cap / 2 + (0.999999 * cap) / 2));
            });
        });
    });

    describe("withRetries", () => {
        it("retries transient failures and announces each retry with the attempt number", async () => {
            const { policy, waits, notices } = recordingPolicy();
            const { attempt, calls } = failingThenOk([failure("ServiceUnavailable", 503), failure("TooManyRequests", 429)]);
            assert.equal(await withRetries(policy, attempt), "done");
            assert.deepEqual(calls, [1, 2, 3]);
            assert.deepEqual(
                notices.map(n => [n.code, n.attempt, n.maxAttempts]),
                [["ServiceUnavailable", 1, 10], ["TooManyRequests", 2, 10]],
            );
            assert.deepEqual(waits, [backoffDelay(policy, 1, () => 0.5), backoffDelay(policy, 2, () => 0.5)]);
        });

        it("fails at once, without a retry, on a non-transient error", async () => {
            const { policy, notices } = recordingPolicy();
            const denied = failure("AccessDenied", 403);
            const { attempt, calls } = failingThenOk([denied]);
            await assert.rejects(withRetries(policy, attempt), err => err === denied);
            assert.deepEqual(calls, [1]);
            assert.equal(notices.length, 0);
        });

        it("stops after maxAttempts and reports why to giveUp", async () => {
            const outcomes: RetryOutcome[] = [];
            const { policy } = recordingPolicy({ maxAttempts: 3 });
            const { attempt, calls } = failingThenOk(Array.from({ length: 5 }, () => failure("InternalError", 500)));
            const replaced = new Error("replaced");
            await assert.rejects(
                withRetries({ ...policy, giveUp: (_err, outcome) => (outcomes.push(outcome), replaced) }, attempt),
                err => err === replaced,
            );
            assert.deepEqual(calls, [1, 2, 3]);
            assert.equal(outcomes[0].attempts, 3);
            assert.equal(outcomes[0].stoppedBecause, "out-of-attempts");
        });

        it("does not start a wait that would end past the deadline", async () => {
            const outcomes: RetryOutcome[] = [];
            // With the jitter at its top the waits are ~500 then ~1000 ms: after the first (slept for real,
            // so the clock moves) the second would end past the 1200 ms deadline.
            const { policy, waits } = recordingPolicy({ deadlineMs: 1200, baseDelayMs: 500, random: () => 0.999999 });
            const clockedPolicy: RetryPolicy = {
                ...policy,
                sleep: async ms => {
                    waits.push(ms);
                    await new Promise(resolve => setTimeout(resolve, ms));
                },
            };
            const { attempt, calls } = failingThenOk(Array.from({ length: 5 }, () => failure("Timeout")));
            await assert.rejects(withRetries({ ...clockedPolicy, giveUp: (err, o) => (outcomes.push(o), err) }, attempt));
            assert.deepEqual(calls, [1, 2]);
            assert.equal(waits.length, 1);
            assert.equal(outcomes[0].stoppedBecause, "deadline");
        });

        it("does not start an attempt too short to be answered, so the failure that used up the time is the one reported", async () => {
            // The first wait (550 ms) fits in the 700 ms deadline, but would leave less than MIN_ATTEMPT_MS for the attempt.
            const outcomes: RetryOutcome[] = [];
            const { policy, waits } = recordingPolicy({ deadlineMs: 550 + MIN_ATTEMPT_MS - 50, baseDelayMs: 1000, random: () => 0.1 });
            const { attempt, calls } = failingThenOk([failure("ServiceUnavailable", 503), failure("Timeout")]);
            await assert.rejects(
                withRetries({ ...policy, giveUp: (err, o) => (outcomes.push(o), err) }, attempt),
                (err: Error & { code?: string }) => err.code === "ServiceUnavailable",
            );
            assert.deepEqual(calls, [1]);
            assert.deepEqual(waits, []);
            assert.equal(outcomes[0].stoppedBecause, "deadline");
        });

        it("tells each attempt the time left before the deadline", async () => {
            const remaining: number[] = [];
            const { policy } = recordingPolicy({ deadlineMs: 10_000 });
            await withRetries(policy, async (n, remainingMs) => {
                remaining.push(remainingMs);
                if (n < 3) {
                    throw failure("InternalError", 500);
                }
            });
            assert.equal(remaining.length, 3);
            assert.ok(remaining.every(ms => ms > 0 && ms <= 10_000), `remaining times ${remaining}`);
            assert.ok(remaining[0] >= remaining[2], "time left only shrinks");
        });

        it("follows a custom retryable", async () => {
            const { policy } = recordingPolicy({ retryable: err => (err as { code?: string }).code === "NoSuchBucket" });
            const { attempt, calls } = failingThenOk([failure("NoSuchBucket", 404), failure("InternalError", 500)]);
            await assert.rejects(withRetries(policy, attempt), (err: Error) => err.message === "InternalError");
            assert.deepEqual(calls, [1, 2]);
        });
    });

    describe("cancellation (the engine's Cancel, Ctrl-C)", () => {
        it("sleep ends as soon as its signal aborts", async () => {
            const cancellation = new AbortController();
            const started = Date.now();
            const slept = sleep(60_000, cancellation.signal);
            setTimeout(() => cancellation.abort(), 20);
            await slept;
            assert.ok(Date.now() - started < 5_000, `slept ${Date.now() - started} ms of 60 s after the abort`);
        });

        it("sleep without a signal, or with one that never aborts, waits its time out", async () => {
            const started = Date.now();
            await sleep(50, new AbortController().signal);
            assert.ok(Date.now() - started >= 45, `slept only ${Date.now() - started} ms of 50`);
        });

        it("a failure once cancelled is thrown as it is: no notice, no wait, no further attempt", async () => {
            const cancellation = new AbortController();
            const { policy, waits, notices } = recordingPolicy({ signal: cancellation.signal });
            const calls: number[] = [];
            const cut = Object.assign(new Error("cancelled"), { code: "Cancelled" });
            const outcome = withRetries(policy, async n => {
                calls.push(n);
                cancellation.abort();
                throw cut;
            });
            await assert.rejects(outcome, (err: Error) => err === cut);
            assert.deepEqual(calls, [1]);
            assert.deepEqual(waits, []);
            assert.deepEqual(notices, []);
        });

        it("a cancellation during the wait before a retry ends the loop without the next attempt", async () => {
            const cancellation = new AbortController();
            const { policy } = recordingPolicy({ signal: cancellation.signal, sleep: async () => cancellation.abort() });
            const calls: number[] = [];
            await assert.rejects(
                withRetries(policy, async n => {
                    calls.push(n);
                    throw failure("InternalError", 500);
                }),
                (err: Error) => err.name === "AbortError",
            );
            assert.deepEqual(calls, [1]);
        });

        it("an already cancelled deployment makes no attempt", async () => {
            const cancellation = new AbortController();
            cancellation.abort();
            const { policy } = recordingPolicy({ signal: cancellation.signal });
            const calls: number[] = [];
            await assert.rejects(withRetries(policy, async n => void calls.push(n)));
            assert.deepEqual(calls, []);
        });
    });
});
