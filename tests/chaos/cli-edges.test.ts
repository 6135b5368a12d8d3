// Two edges with the real CLI: an OSS that never answers ends the update with a clear error within
// the deadline set in stack config; and a bucket created by another resource of the same stack,
// which OSS does not show for a while, is waited for.
import * as assert from "assert/strict";
import * as http from "http";
import { AddressInfo } from "net";
import * as pulumi from "@pulumi/pulumi";
import { BucketEncryption } from "../../sdk";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, newStack, TestStack } from "../../harness/stacks";
import { Emulator, startEmulator } from "../../emulator";
import { assertNoLeaks, keepOnFailure, programOf, ProviderStderrTap, RunCapture } from "./support";

/** Slack for the CLI's own start-up and shut-down on a busy 2-core machine. */
const CLI_SLACK_MS = 30_000;

/**
 * A stand-in for a bucket resource of another provider: its create asks a control server in the
 * test to create the bucket, which the emulator then shows only after a propagation delay. Pulumi
 * serialises this provider by value into the stack (it lives outside node_modules), so it captures
 * nothing but what its inputs carry.
 */
const bucketMaker: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { bucket: string; controlUrl: string }) {
        const httpModule: typeof http = require("http");
        await new Promise<void>((resolve, reject) => {
            const request = httpModule.request(`${inputs.controlUrl}/buckets/${inputs.bucket}`, { method: "POST" }, response => {
                response.resume();
                response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`control server: ${response.statusCode}`))));
            });
            request.on("error", reject);
            request.end();
        });
        return { id: inputs.bucket, outs: inputs };
    },
    async delete() {},
};

class TestBucket extends pulumi.dynamic.Resource {
    declare readonly bucket: pulumi.Output<string>;
    constructor(name: string, args: { bucket: string; controlUrl: string }) {
        super(bucketMaker, name, args, undefined, "reliability", "TestBucket");
    }
}

/** The test's control server: POST /buckets/<name> creates the bucket in the emulator `delayMs` later. */
async function bucketControl(emulator: Emulator, delayMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
    const timers: NodeJS.Timeout[] = [];
    const server = http.createServer((req, res) => {
        const name = /^\/buckets\/([a-z0-9-]+)$/.exec(req.url ?? "")?.[1];
        if (req.method !== "POST" || !name) {
            res.writeHead(404).end();
            return;
        }
        timers.push(setTimeout(() => emulator.seedBucket(name), delayMs));
        res.writeHead(200).end();
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: async () => {
            timers.forEach(clearTimeout);
            await new Promise<void>(resolve => server.close(() => resolve()));
        },
    };
}

describe("real CLI: edges of the deadline and of bucket propagation", function () {
    this.timeout(4 * 60_000);
    let emulator: Emulator;
    const outcome = keepOnFailure();
    const cleanups: Array<() => Promise<void> | void> = [];

    before(beforeAllNeedingPulumiCli);
    before(async function () {
        emulator = await startEmulator({ seed: 9 });
        cleanups.push(() => emulator.stop());
    });
    after(async () => {
        for (const cleanup of cleanups.reverse()) {
            await cleanup();
        }
    });

    /** A stack with the stderr tap, removed after the suite unless a test failed. */
    async function tappedStack(name: string, program: pulumi.automation.PulumiFn, extraConfig: pulumi.automation.ConfigMap = {}) {
        const tap = new ProviderStderrTap(name);
        const test: TestStack = await newStack({ program, config: { ...emulatorConfig(emulator), ...extraConfig } });
        tap.attachTo(test.dir);
        cleanups.push(async () => {
            if (!outcome.keep()) {
                await test.remove();
                tap.remove();
            }
        });
        return { test, tap };
    }

    it("an OSS that never answers fails the update within oss-encryption:operationTimeoutSeconds, clearly, and the next up recovers", async () => {
        const deadlineSeconds = 4;
        emulator.seedBucket("silent-bucket");
        const { test, tap } = await tappedStack("silent", programOf([{ name: "silent", bucket: "silent-bucket", sseAlgorithm: "AES256" }]), {
            "oss-encryption:operationTimeoutSeconds": { value: String(deadlineSeconds) },
        });
        const run = new RunCapture();
        emulator.clearLog();
        emulator.setFaults({ only: ["oss:PutBucketEncryption"], rates: { hang: 1 } });
        const started = Date.now();
        const error: Error = await test.stack.up(run.options).then(
            () => assert.fail("expected the update to fail"),
            (err: Error) => err,
        );
        const elapsedMs = Date.now() - started;
        assert.match(`${error.message}\n${run.stdout}`, /PutBucketEncryption on bucket "silent-bucket" failed: Timeout \(no HTTP status\): no complete answer from [\d.:]+ within \d+ ms \(gave up after \d+ attempts over [\d.]+ s/);
        const puts = emulator.requestLog.filter(r => r.action === "PutBucketEncryption");
        assert.ok(puts.length >= 1);
        assert.ok(puts[puts.length - 1].at - puts[0].at <= deadlineSeconds * 1000, "no attempt started after the deadline");
        assert.ok(elapsedMs < deadlineSeconds * 1000 + CLI_SLACK_MS, `the update took ${elapsedMs} ms`);
        assert.equal(emulator.getRule("silent-bucket"), undefined);

        emulator.setFaults({});
        const again = await test.stack.up(run.options);
        assert.equal(again.summary.result, "succeeded");
        assert.deepEqual(emulator.getRule("silent-bucket"), { SSEAlgorithm: "AES256" });
        assertNoLeaks(emulator, test, tap, [run]);
    });

    it("a bucket created by another resource of the stack, not yet visible to OSS, is waited for", async () => {
        const control = await bucketControl(emulator, 2_500);
        cleanups.push(control.stop);
        const program = async () => {
            const made = new TestBucket("made", { bucket: "fresh-bucket", controlUrl: control.url });
            new BucketEncryption("fresh", { bucket: made.id, sseAlgorithm: "SM4" });
        };
        const { test, tap } = await tappedStack("fresh", program);
        const run = new RunCapture();
        const up = await test.stack.up(run.options);
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(emulator.getRule("fresh-bucket"), { SSEAlgorithm: "SM4" });
        const waits = run.retryNotices().filter(n => n.bucket === "fresh-bucket");
        assert.ok(waits.length > 0, "the provider retried while the bucket propagated");
        assert.ok(waits.every(n => n.code === "NoSuchBucket" && n.operation === "PutBucketEncryption"), JSON.stringify(waits));
        assertNoLeaks(emulator, test, tap, [run]);
    });
});
