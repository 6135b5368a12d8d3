// Fault injection: deterministic per seed, applied before authentication, in each service's own
// error format; latency, connection resets, hangs and stale reads.
import * as assert from "assert/strict";
import { Emulator, FaultPlan, startEmulator } from "../../emulator";
import { aliOssClient } from "../../harness/aliOss";
import { assertOssError, encryptionXml, kmsClient, loggedRequest, rawRequest, rejection, signedOssRequest, xmlElement } from "./support";

const BUCKET = "faulty-bucket";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe("fault injection", () => {
    let emulator: Emulator;

    /** GetBucketEncryption over raw HTTP: "ok", the error code, or the connection error. */
    async function getOutcome(timeoutMs = 5000): Promise<string> {
        try {
            const res = await signedOssRequest(emulator, { method: "GET", bucket: BUCKET, query: { encryption: null }, timeoutMs });
            return res.status === 200 ? "ok" : xmlElement(res.body, "Code") ?? `status ${res.status}`;
        } catch (error) {
            return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        }
    }

    async function outcomes(plan: FaultPlan, count: number): Promise<string[]> {
        emulator.setFaults(plan);
        const results: string[] = [];
        for (let i = 0; i < count; i++) {
            results.push(await getOutcome());
        }
        return results;
    }

    function putRule(algorithm: string) {
        return signedOssRequest(emulator, {
            method: "PUT",
            bucket: BUCKET,
            query: { encryption: null },
            headers: { "content-type": "application/xml" },
            body: encryptionXml({ SSEAlgorithm: algorithm }),
        });
    }

    before(async () => {
        emulator = await startEmulator();
        emulator.seedKey({ keyId: "key-1", region: "cn-hangzhou", keyState: "Enabled" });
    });
    after(() => emulator.stop());
    beforeEach(() => {
        emulator.setFaults({});
        emulator.seedBucket(BUCKET, { rule: { SSEAlgorithm: "AES256" } });
        emulator.clearLog();
    });

    it("gives the same faults to the same sequence of requests for the same seed", async () => {
        const plan: FaultPlan = { seed: 7, rates: { InternalError: 0.25, ServiceUnavailable: 0.25 } };
        const first = await outcomes(plan, 30);
        const again = await outcomes(plan, 30);
        assert.deepEqual(again, first);
        for (const outcome of ["ok", "InternalError", "ServiceUnavailable"]) {
            assert.ok(first.includes(outcome), `expected some ${outcome} in ${first.join(",")}`);
        }
        const otherSeed = await outcomes({ ...plan, seed: 8 }, 30);
        assert.notDeepEqual(otherSeed, first);
    });

    it("answers injected errors in OSS's format with their status, logged as injected", async () => {
        const client = aliOssClient(emulator, "v4");
        for (const [code, status] of [["Throttling", 503], ["TooManyRequests", 429], ["InternalError", 500]] as const) {
            emulator.setFaults({ rates: { [code]: 1 } });
            const error = await rejection(client.getBucketEncryption(BUCKET));
            assertOssError(emulator, error, code, status);
            assert.equal(loggedRequest(emulator, error.requestId).injected, true);
        }
    });

    it("injects faults before checking authentication", async () => {
        emulator.setFaults({ rates: { ServiceUnavailable: 1 } });
        const wrongSecret = { ...emulator.defaultCredential, accessKeySecret: "wrong" };
        const error = await rejection(aliOssClient(emulator, "v1", { credential: wrongSecret }).getBucketEncryption(BUCKET));
        assertOssError(emulator, error, "ServiceUnavailable", 503);
    });

    it("applies only to the listed actions", async () => {
        emulator.setFaults({ rates: { InternalError: 1 }, only: ["PutBucketEncryption"] });
        assert.equal(await getOutcome(), "ok");
        assert.equal(xmlElement((await putRule("SM4")).body, "Code"), "InternalError");
        assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: "AES256" });
    });

    it("answers KMS faults in POP's JSON format, leaving OSS alone", async () => {
        emulator.setFaults({ rates: { Throttling: 1 }, only: ["kms:DescribeKey"] });
        const error = await rejection(kmsClient(emulator).request("DescribeKey", { KeyId: "key-1" }));
        assert.equal(error.code, "Throttling");
        const entry = loggedRequest(emulator, error.data?.RequestId);
        assert.deepEqual([entry.service, entry.status, entry.injected], ["kms", 503, true]);
        assert.equal(await getOutcome(), "ok");
    });

    it("resets connections", async () => {
        emulator.setFaults({ rates: { reset: 1 } });
        assert.equal(await getOutcome(), "ECONNRESET");
        assert.deepEqual(
            emulator.requestLog.map(r => [r.action, r.code, r.status, r.injected]),
            [["GetBucketEncryption", "reset", 0, true]],
        );
    });

    it("leaves hanging requests unanswered, and answers again once turned off", async () => {
        emulator.setFaults({ rates: { hang: 1 } });
        assert.equal(await getOutcome(300), "timeout");
        assert.equal(emulator.requestLog[0].code, "hang");
        emulator.setFaults({});
        assert.equal(await getOutcome(), "ok");
    });

    it("adds latency", async () => {
        emulator.setFaults({ latencyMs: 250 });
        const started = Date.now();
        assert.equal(await getOutcome(), "ok");
        assert.ok(Date.now() - started >= 250, `answered after ${Date.now() - started} ms`);
    });

    it("serves stale reads for staleReadMs after a rule is written or deleted", async () => {
        emulator.setFaults({ staleReadMs: 300 });
        assert.equal((await putRule("SM4")).status, 200);
        const stale = await signedOssRequest(emulator, { method: "GET", bucket: BUCKET, query: { encryption: null } });
        assert.equal(xmlElement(stale.body, "SSEAlgorithm"), "AES256");
        assert.deepEqual(emulator.getRule(BUCKET), { SSEAlgorithm: "SM4" }, "the truth changed at once");
        await sleep(350);
        const fresh = await signedOssRequest(emulator, { method: "GET", bucket: BUCKET, query: { encryption: null } });
        assert.equal(xmlElement(fresh.body, "SSEAlgorithm"), "SM4");

        await signedOssRequest(emulator, { method: "DELETE", bucket: BUCKET, query: { encryption: null } });
        assert.equal(await getOutcome(), "ok", "the deleted rule is still visible");
        await sleep(350);
        assert.equal(await getOutcome(), "NoSuchServerSideEncryptionRule");
    });

    it("turns everything off with setFaults({})", async () => {
        emulator.setFaults({ rates: { InternalError: 1 }, latencyMs: 1000 });
        emulator.setFaults({});
        const started = Date.now();
        assert.deepEqual(await outcomes({}, 3), ["ok", "ok", "ok"]);
        assert.ok(Date.now() - started < 1000);
    });

    it("refuses rates that add up to more than 1", () => {
        assert.throws(() => emulator.setFaults({ rates: { InternalError: 0.6, reset: 0.6 } }), /sum to at most 1/);
    });

    it("closes hanging connections on stop", async () => {
        const own = await startEmulator();
        own.setFaults({ rates: { hang: 1 } });
        const pending = rawRequest(own.endpoint, { method: "GET", path: "/", timeoutMs: 10000 }).catch((e: NodeJS.ErrnoException) => e.code);
        await sleep(50);
        await own.stop();
        assert.equal(await pending, "ECONNRESET");
    });
});
