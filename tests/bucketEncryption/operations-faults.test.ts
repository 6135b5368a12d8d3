// The provider's operations under faults: retries are announced, a new bucket is waited for on
// create only, the read-after-write wait and the retries share one deadline, key errors fail at once.
import * as assert from "assert/strict";
import { BucketEncryptionOutputs } from "../../provider/bucketEncryption";
import { Emulator, startEmulator } from "../../emulator";
import { Provider, providerAgainst, RecordingSink } from "../support/provider";
import { OSS_ACTIONS, parseRetryNotice } from "../support/retryNotice";

/** Check with raw inputs, as the engine passes them. */
const checkWith = (provider: Provider, olds: object, news: object) => provider.check!(olds as never, news as never);

const BUCKET = "acme-data";
/** Slack for timing bounds on a busy 2-core machine. */
const SLACK_MS = 5_000;

/** Runs `fn`, expecting a rejection; returns the error and how long it took. */
async function failure(fn: () => Promise<unknown>): Promise<{ error: Error; elapsedMs: number }> {
    const started = Date.now();
    try {
        await fn();
    } catch (error) {
        return { error: error as Error, elapsedMs: Date.now() - started };
    }
    assert.fail("expected a failure");
}

describe("provider operations under faults", () => {
    let emulator: Emulator;
    /** The diagnostics of the providers a test makes. */
    let sink: RecordingSink;

    beforeEach(async () => {
        sink = new RecordingSink();
        emulator = await startEmulator();
        emulator.seedBucket(BUCKET);
        emulator.seedKey({ keyId: "live-key", region: "cn-hangzhou", keyState: "Enabled" });
        emulator.seedKey({ keyId: "off-key", region: "cn-hangzhou", keyState: "Disabled" });
    });
    afterEach(() => emulator.stop());

    const ossRequests = (action?: string) =>
        emulator.requestLog.filter(r => r.service === "oss" && (action === undefined || r.action === action));

    it("announces every retry as an info diagnostic naming operation, bucket, code and attempt n of m", async () => {
        emulator.setFaults({ seed: 21, only: OSS_ACTIONS, rates: { InternalError: 0.2, TooManyRequests: 0.15, reset: 0.15 } });
        const provider = await providerAgainst(emulator, { diagnostics: sink });
        const diagnostics = sink.messages;
        for (const sseAlgorithm of ["AES256", "SM4", "KMS", "AES256"] as const) {
            await provider.create({ bucket: BUCKET, sseAlgorithm });
            assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: sseAlgorithm });
        }
        const injected = ossRequests().filter(r => r.injected);
        const notices = diagnostics.map(d => ({ severity: d.severity, notice: parseRetryNotice(d.message) }));
        assert.ok(injected.length > 0, "faults were injected");
        assert.equal(notices.length, injected.length, "one announced retry per injected fault");
        const expectedCode: Record<string, string> = { InternalError: "InternalError", TooManyRequests: "TooManyRequests", reset: "NetworkError" };
        notices.forEach(({ severity, notice }, i) => {
            assert.equal(severity, "info");
            assert.ok(notice, `not a retry notice: ${diagnostics[i].message}`);
            assert.equal(notice.bucket, BUCKET);
            assert.equal(notice.operation, injected[i].action);
            assert.equal(notice.code, expectedCode[injected[i].code!]);
            assert.ok(notice.attempt >= 2 && notice.attempt <= notice.maxAttempts);
        });
    });

    describe("a bucket that does not exist (yet)", () => {
        it("create waits for a bucket that appears moments later", async () => {
            emulator.deleteBucket(BUCKET);
            const thisEmulator = emulator;
            setTimeout(() => thisEmulator.seedBucket(BUCKET), 1_500);
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            const diagnostics = sink.messages;
            await provider.create({ bucket: BUCKET, sseAlgorithm: "SM4" });
            assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: "SM4" });
            const codes = diagnostics.map(d => parseRetryNotice(d.message)?.code);
            assert.ok(codes.length > 0 && codes.every(c => c === "NoSuchBucket"), codes.join(","));
        });

        it("create gives up at the operation deadline with NoSuchBucket and what it tried", async () => {
            emulator.deleteBucket(BUCKET);
            const provider = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "3" }, diagnostics: sink });
            const { error, elapsedMs } = await failure(() => provider.create({ bucket: BUCKET, sseAlgorithm: "SM4" }));
            assert.match(error.message, /^PutBucketEncryption on bucket "acme-data" failed: NoSuchBucket \(HTTP 404, request ID \S+\): .*gave up after \d+ attempts.*the operation's deadline of 3 s \(oss-encryption:operationTimeoutSeconds\).*Create the bucket first/);
            assert.ok(ossRequests("PutBucketEncryption").length > 1);
            assert.ok(elapsedMs < 3_000 + SLACK_MS, `ended after ${elapsedMs} ms`);
        });

        it("update fails at once: the bucket it updated before is gone", async () => {
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            const created = await provider.create({ bucket: BUCKET, sseAlgorithm: "SM4" });
            emulator.deleteBucket(BUCKET);
            emulator.clearLog();
            const { error } = await failure(() => provider.update!(BUCKET, created.outs!, { bucket: BUCKET, sseAlgorithm: "AES256" }));
            assert.match(error.message, /NoSuchBucket/);
            assert.equal(ossRequests().length, 1);
        });

        it("refresh and delete take a missing bucket as gone, with one request each", async () => {
            emulator.deleteBucket(BUCKET);
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            assert.equal((await provider.read!(BUCKET, { bucket: BUCKET, sseAlgorithm: "SM4", region: "cn-hangzhou" } as BucketEncryptionOutputs)).id, "");
            await provider.delete!(BUCKET, { bucket: BUCKET, region: "cn-hangzhou" } as BucketEncryptionOutputs);
            assert.deepEqual(ossRequests().map(r => `${r.action}:${r.code}`), ["GetBucketEncryption:NoSuchBucket", "DeleteBucketEncryption:NoSuchBucket"]);
        });
    });

    describe("at preview, a bucket that does not exist", () => {
        const preview = { previewRun: "true" };
        const gets = () => ossRequests("GetBucketEncryption").length;

        it("is a warning (not a failure) naming the bucket and saying that up will wait for it; once per bucket", async () => {
            emulator.deleteBucket(BUCKET);
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            const news = { bucket: BUCKET, sseAlgorithm: "AES256", ...preview };
            const result = await checkWith(provider, {}, news);
            assert.deepEqual(result.failures, []);
            assert.deepEqual(result.inputs, { bucket: BUCKET, sseAlgorithm: "AES256", region: "cn-hangzhou" }, "the marker is dropped");
            const warnings = sink.of("warning");
            assert.equal(warnings.length, 1, sink.messages.map(m => m.message).join("\n"));
            assert.match(warnings[0], /^BucketEncryption: bucket "acme-data" does not exist in cn-hangzhou \(GetBucketEncryption answered NoSuchBucket, request ID \S+\)\. `pulumi up` will wait up to 60 s for it/);
            await checkWith(provider, {}, { ...news, sseAlgorithm: "SM4" });
            assert.equal(gets(), 1, "one probe per bucket per run");
            assert.equal(sink.of("warning").length, 1);
        });

        it("asks nothing when there is no change to make, outside a preview, or for a bucket that exists", async () => {
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            const olds = { bucket: BUCKET, sseAlgorithm: "AES256", region: "cn-hangzhou" };
            emulator.deleteBucket(BUCKET);
            await checkWith(provider, olds, { bucket: BUCKET, sseAlgorithm: "AES256", ...preview });
            await checkWith(provider, {}, { bucket: BUCKET, sseAlgorithm: "AES256" });
            const refused = await checkWith(provider, {}, { bucket: BUCKET, sseAlgorithm: "KMS", kmsMasterKeyId: "off-key", ...preview });
            assert.deepEqual(refused.failures?.map(f => f.property), ["kmsMasterKeyId"]);
            assert.equal(gets(), 0, "a no-change preview, a check outside a preview and a failed check make no OSS call");
            emulator.seedBucket("acme-other");
            await checkWith(provider, olds, { bucket: "acme-other", sseAlgorithm: "SM4", ...preview });
            assert.equal(gets(), 1);
            assert.deepEqual(sink.of("warning"), []);
        });
    });

    describe("read-after-write", () => {
        it("waits until the new rule is visible", async () => {
            emulator.setRule(BUCKET, { SSEAlgorithm: "SM4" });
            emulator.setFaults({ staleReadMs: 1_000 });
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            await provider.create({ bucket: BUCKET, sseAlgorithm: "AES256" });
            const gets = ossRequests("GetBucketEncryption");
            assert.ok(gets.length >= 2, `read back ${gets.length} times`);
            assert.ok(gets[gets.length - 1].at - gets[0].at >= 900, "kept reading until the lag was over");
        });

        it("stops at the operation's deadline, recording the rule it put (a partial create) and saying what it saw", async () => {
            emulator.setRule(BUCKET, { SSEAlgorithm: "SM4" });
            emulator.setFaults({ staleReadMs: 60_000 });
            const provider = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "2" }, diagnostics: sink });
            const { error, elapsedMs } = await failure(() => provider.create({ bucket: BUCKET, sseAlgorithm: "AES256" }));
            assert.match(error.message, /PutBucketEncryption on bucket "acme-data" succeeded, but GetBucketEncryption still answers \{"SSEAlgorithm":"SM4"\} instead of \{"SSEAlgorithm":"AES256"\}/);
            // Pulumi's dynamic provider records `properties` of such an error as the resource's state.
            const partial = error as Error & { id?: string; properties?: object };
            assert.equal(partial.id, BUCKET);
            assert.deepEqual(partial.properties, { bucket: BUCKET, sseAlgorithm: "AES256", region: "cn-hangzhou" });
            assert.ok(elapsedMs < 2_000 + SLACK_MS, `ended after ${elapsedMs} ms`);
        });

        it("shares the deadline between the PUT's retries and the reads", async () => {
            emulator.setFaults({ only: ["oss:GetBucketEncryption"], rates: { ServiceUnavailable: 1 } });
            const provider = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "2" }, diagnostics: sink });
            const { error, elapsedMs } = await failure(() => provider.create({ bucket: BUCKET, sseAlgorithm: "AES256" }));
            assert.match(error.message, /succeeded, but reading it back failed \(GetBucketEncryption on bucket "acme-data" failed: ServiceUnavailable/);
            assert.ok(elapsedMs < 2_000 + SLACK_MS, `ended after ${elapsedMs} ms`);
        });
    });

    describe("the limit a failing read-back names", () => {
        /** Moves the clock (Date.now) on by `ms` once the read-back has started failing. */
        function jumpClockAtFirstReadRetry(ms: number): () => void {
            const realNow = Date.now;
            let offset = 0;
            Date.now = () => realNow() + offset;
            const log = sink.log.bind(sink);
            sink.log = (severity, message) => {
                if (offset === 0 && parseRetryNotice(message)?.operation === "GetBucketEncryption") {
                    offset = ms;
                }
                log(severity, message);
            };
            return () => {
                Date.now = realNow;
            };
        }

        it("the read-back window (120 s) when it runs out before the operation's deadline", async () => {
            emulator.setFaults({ only: ["oss:GetBucketEncryption"], rates: { ServiceUnavailable: 1 } });
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            const restore = jumpClockAtFirstReadRetry(119_000);
            const { error } = await failure(() => provider.create({ bucket: BUCKET, sseAlgorithm: "AES256" })).finally(restore);
            assert.match(error.message, /succeeded, but reading it back failed \(GetBucketEncryption on bucket "acme-data" failed: ServiceUnavailable .*the next try would pass the read-back window of 120 s/);
            assert.doesNotMatch(error.message, /operationTimeoutSeconds/);
        });

        it("the operation's deadline, with its whole length and setting, when that runs out first", async () => {
            emulator.setFaults({ only: ["oss:GetBucketEncryption"], rates: { ServiceUnavailable: 1 } });
            const provider = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "60" }, diagnostics: sink });
            const restore = jumpClockAtFirstReadRetry(59_000);
            const { error } = await failure(() => provider.create({ bucket: BUCKET, sseAlgorithm: "AES256" })).finally(restore);
            assert.match(error.message, /the next try would pass the operation's deadline of 60 s \(oss-encryption:operationTimeoutSeconds\)/);
            assert.doesNotMatch(error.message, /read-back window/);
        });
    });

    describe("KMS key errors fail at once, before anything is written", () => {
        for (const [name, keyId, code] of [
            ["a key that does not exist", "no-such-key", /KeyNotFound/],
            ["a disabled key", "off-key", /KeyDisabled|Disabled/],
        ] as const) {
            it(name, async () => {
                emulator.setRule(BUCKET, { SSEAlgorithm: "SM4" });
                const provider = await providerAgainst(emulator, { diagnostics: sink });
                const diagnostics = sink.messages;
                const { error } = await failure(() => provider.create({ bucket: BUCKET, sseAlgorithm: "KMS", kmsMasterKeyId: keyId }));
                assert.match(error.message, code);
                const describes = emulator.requestLog.filter(r => r.service === "kms");
                assert.equal(describes.length, 1, "one DescribeKey, not retried");
                assert.equal(ossRequests("PutBucketEncryption").length, 0);
                assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: "SM4" });
                assert.equal(diagnostics.filter(d => parseRetryNotice(d.message)).length, 0);
            });
        }
    });
});
