// The OSS client against the emulator's seeded faults: what it retries, what it does not, and that
// every call ends by its deadline.
import * as assert from "assert/strict";
import { OssClient, OssClientOptions } from "../../provider/oss/client";
import { OssError } from "../../provider/oss/errors";
import { RetryNotice } from "../../provider/retry";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";

const BUCKET = "faulty-bucket";
/** Slack for timing bounds on a busy 2-core machine: bounds say "ended", not "ended fast". */
const SLACK_MS = 5_000;

type Notice = RetryNotice & { operation: string; bucket: string };

/** A client for the emulator with short backoff, recording its retry notices. */
function clientFor(emulator: Emulator, overrides: Partial<OssClientOptions> & { credential?: EmulatorCredential } = {}) {
    const notices: Notice[] = [];
    const { credential = emulator.defaultCredential, ...options } = overrides;
    const client = new OssClient({
        region: "cn-hangzhou",
        endpoint: emulator.endpoint,
        credentials: async () => credential,
        retry: { baseDelayMs: 10, maxDelayMs: 100, deadlineMs: 20_000 },
        onRetry: n => void notices.push(n),
        ...options,
    });
    return { client, notices };
}

/** Runs `promise`, expecting an OssError; returns it with how long it took. */
async function ossFailure(promise: Promise<unknown>): Promise<{ error: OssError; elapsedMs: number }> {
    const started = Date.now();
    try {
        await promise;
    } catch (error) {
        assert.ok(error instanceof OssError, `expected an OssError, got ${error}`);
        return { error, elapsedMs: Date.now() - started };
    }
    assert.fail("expected a failure");
}

describe("OSS client under injected faults", () => {
    let emulator: Emulator;

    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedBucket(BUCKET, { rule: { SSEAlgorithm: "AES256" } });
    });
    afterEach(() => emulator.stop());

    /** Requests the emulator saw for the bucket, as "Action:code-or-status". */
    const seen = () => emulator.requestLog.filter(r => r.bucket === BUCKET).map(r => `${r.action}:${r.code ?? r.status}`);

    const transientFaults: Array<[string, Record<string, number>, string]> = [
        ["connection resets", { reset: 0.5 }, "NetworkError"],
        ["HTTP 500 InternalError", { InternalError: 0.5 }, "InternalError"],
        ["HTTP 503 ServiceUnavailable", { ServiceUnavailable: 0.5 }, "ServiceUnavailable"],
        ["HTTP 503 Throttling", { Throttling: 0.5 }, "Throttling"],
        ["HTTP 429 TooManyRequests", { TooManyRequests: 0.5 }, "TooManyRequests"],
        ["HTTP 400 Throttling.User", { "Throttling.User": 0.5 }, "Throttling.User"],
    ];
    for (const [name, rates, code] of transientFaults) {
        it(`retries ${name} until the request goes through, announcing each retry`, async () => {
            emulator.setFaults({ seed: 3, rates });
            const { client, notices } = clientFor(emulator);
            for (let i = 0; i < 8; i++) {
                await client.putBucketEncryption(BUCKET, { SSEAlgorithm: i % 2 ? "SM4" : "AES256" });
                assert.deepEqual(await client.getBucketEncryption(BUCKET), { SSEAlgorithm: i % 2 ? "SM4" : "AES256" });
            }
            const injected = emulator.requestLog.filter(r => r.injected).length;
            assert.ok(injected > 0, "the plan injected faults");
            assert.equal(notices.length, injected, "one retry per injected fault");
            for (const notice of notices) {
                assert.equal(notice.code, code);
                assert.equal(notice.bucket, BUCKET);
                assert.match(notice.operation, /^(Put|Get)BucketEncryption$/);
                assert.ok(notice.attempt >= 1 && notice.attempt < notice.maxAttempts);
            }
        });
    }

    it("times out a request that gets no answer and retries it", async () => {
        emulator.setFaults({ seed: 5, rates: { hang: 0.5 } });
        const { client, notices } = clientFor(emulator, { requestTimeoutMs: 300 });
        for (let i = 0; i < 4; i++) {
            await client.getBucketEncryption(BUCKET);
        }
        const hangs = emulator.requestLog.filter(r => r.code === "hang").length;
        assert.ok(hangs > 0, "the plan left requests hanging");
        assert.deepEqual(notices.map(n => n.code), Array(hangs).fill("Timeout"));
    });

    it("ends a call that never gets an answer by its deadline, saying how hard it tried", async () => {
        emulator.setFaults({ rates: { hang: 1 } });
        const { client } = clientFor(emulator, { requestTimeoutMs: 500, retry: { baseDelayMs: 10, maxDelayMs: 100, deadlineMs: 2_000 } });
        const { error, elapsedMs } = await ossFailure(client.getBucketEncryption(BUCKET));
        assert.equal(error.code, "Timeout");
        assert.match(error.message, /GetBucketEncryption on bucket "faulty-bucket" failed: Timeout .*gave up after \d+ attempts/);
        assert.ok(elapsedMs < 2_000 + SLACK_MS, `ended after ${elapsedMs} ms`);
    });

    it("ends a call that keeps failing by the deadline the caller gives", async () => {
        emulator.setFaults({ rates: { ServiceUnavailable: 1 } });
        const { client } = clientFor(emulator, { retry: { baseDelayMs: 200, maxDelayMs: 400, deadlineMs: 60_000 } });
        const { error, elapsedMs } = await ossFailure(client.getBucketEncryption(BUCKET, { deadlineAt: Date.now() + 1_500 }));
        assert.equal(error.code, "ServiceUnavailable");
        assert.match(error.message, /gave up after \d+ attempts over [\d.]+ s; the next try would pass the operation's deadline of 1\.5 s/);
        assert.ok(elapsedMs < 1_500 + SLACK_MS, `ended after ${elapsedMs} ms`);
    });

    describe("fails at once on errors a retry cannot fix", () => {
        it("AccessDenied", async () => {
            const reader: EmulatorCredential = { accessKeyId: "reader-id", accessKeySecret: "reader-secret-value", allow: ["oss:GetBucketEncryption"] };
            emulator.addCredential(reader);
            const { client, notices } = clientFor(emulator, { credential: reader });
            const { error } = await ossFailure(client.putBucketEncryption(BUCKET, { SSEAlgorithm: "SM4" }));
            assert.equal(error.code, "AccessDenied");
            assert.deepEqual(seen(), ["PutBucketEncryption:AccessDenied"]);
            assert.equal(notices.length, 0);
        });

        it("SignatureDoesNotMatch", async () => {
            const wrong = { ...emulator.defaultCredential, accessKeySecret: "not-the-secret-value" };
            const { client } = clientFor(emulator, { credential: wrong });
            const { error } = await ossFailure(client.getBucketEncryption(BUCKET));
            assert.equal(error.code, "SignatureDoesNotMatch");
            assert.deepEqual(seen(), ["GetBucketEncryption:SignatureDoesNotMatch"]);
        });

        it("InvalidArgument", async () => {
            const { client } = clientFor(emulator);
            const { error } = await ossFailure(client.putBucketEncryption(BUCKET, { SSEAlgorithm: "AES256", KMSMasterKeyID: "key-1" }));
            assert.equal(error.code, "InvalidArgument");
            assert.deepEqual(seen(), ["PutBucketEncryption:InvalidArgument"]);
            assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: "AES256" });
        });

        it("NoSuchBucket, unless the caller asks to wait for a new bucket", async () => {
            emulator.deleteBucket(BUCKET);
            const { client } = clientFor(emulator);
            const { error } = await ossFailure(client.putBucketEncryption(BUCKET, { SSEAlgorithm: "SM4" }));
            assert.equal(error.code, "NoSuchBucket");
            assert.deepEqual(seen(), ["PutBucketEncryption:NoSuchBucket"]);
        });
    });

    describe("a bucket created moments ago elsewhere", () => {
        it("is waited for when the caller gives a propagation window", async () => {
            emulator.deleteBucket(BUCKET);
            const thisEmulator = emulator; // not the variable: a later test has its own emulator
            setTimeout(() => thisEmulator.seedBucket(BUCKET), 700);
            const { client, notices } = clientFor(emulator, { retry: { baseDelayMs: 100, maxDelayMs: 400, deadlineMs: 20_000 } });
            await client.putBucketEncryption(BUCKET, { SSEAlgorithm: "SM4" }, { retryNoSuchBucketForMs: 10_000 });
            assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: "SM4" });
            assert.ok(notices.length > 0 && notices.every(n => n.code === "NoSuchBucket"), JSON.stringify(notices));
        });

        it("is not waited for past the window", async () => {
            emulator.deleteBucket(BUCKET);
            // Backoff slow enough that the 1 s window, not the 10 attempts, ends the wait.
            const { client } = clientFor(emulator, { retry: { baseDelayMs: 100, maxDelayMs: 400, deadlineMs: 20_000 } });
            const { error, elapsedMs } = await ossFailure(
                client.putBucketEncryption(BUCKET, { SSEAlgorithm: "SM4" }, { retryNoSuchBucketForMs: 1_000 }),
            );
            assert.equal(error.code, "NoSuchBucket");
            assert.match(error.message, /gave up after \d+ attempts over [\d.]+ s; a bucket created moments ago would have appeared within 1\.0 s/);
            assert.ok(seen().length > 1, "it retried within the window");
            assert.ok(elapsedMs < 1_000 + SLACK_MS, `ended after ${elapsedMs} ms`);
        });
    });

    describe("a clock off by more than 15 minutes", () => {
        for (const offsetMinutes of [-20, 30]) {
            it(`(${offsetMinutes} min) is corrected from the server's time with one re-signed retry`, async () => {
                const { client, notices } = clientFor(emulator, { clock: () => Date.now() + offsetMinutes * 60_000 });
                await client.putBucketEncryption(BUCKET, { SSEAlgorithm: "SM4" });
                assert.deepEqual(seen(), ["PutBucketEncryption:RequestTimeTooSkewed", "PutBucketEncryption:200"]);
                // The correction is kept for later calls.
                assert.deepEqual(await client.getBucketEncryption(BUCKET), { SSEAlgorithm: "SM4" });
                assert.equal(seen().length, 3);
                assert.equal(notices.length, 0, "a re-sign is not a transient retry");
            });
        }
    });
});
