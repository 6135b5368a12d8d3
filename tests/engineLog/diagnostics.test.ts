// Where the provider's diagnostics go: the engine's Log RPC in Pulumi's dynamic-provider process
// (as real info/warning diagnostics), stderr anywhere else or when the engine does not take them.
import * as assert from "assert/strict";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { defaultSink, EngineSink, engineAddressOf, stderrSink } from "../../provider/engineLog";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof grpcTypes = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
const rpc: typeof engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const proto: typeof engineProto = require("@pulumi/pulumi/proto/engine_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

/** What a fake engine received through Log. */
interface Received {
    severity: number;
    message: string;
    urn: string;
}

/** A fake Pulumi engine serving only Log, on 127.0.0.1. */
async function fakeEngine(): Promise<{ address: string; received: Received[]; stop: () => Promise<void> }> {
    const received: Received[] = [];
    const server = new grpc.Server();
    server.addService(rpc.EngineService, {
        log: (call: grpcTypes.ServerUnaryCall<engineProto.LogRequest, unknown>, callback: grpcTypes.sendUnaryData<unknown>) => {
            const req = call.request;
            received.push({ severity: req.getSeverity(), message: req.getMessage(), urn: req.getUrn() });
            callback(null, new Empty());
        },
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return { address: `127.0.0.1:${port}`, received, stop: () => new Promise(resolve => server.tryShutdown(() => resolve())) };
}

/** Captures what is written to stderr while `fn` runs; `fn` gets a view of it so far. */
async function capturingStderr(fn: (soFar: () => string) => Promise<void>): Promise<string> {
    const write = process.stderr.write.bind(process.stderr);
    let captured = "";
    process.stderr.write = ((chunk: string | Uint8Array) => {
        captured += chunk.toString();
        return true;
    }) as typeof process.stderr.write;
    try {
        await fn(() => captured);
    } finally {
        process.stderr.write = write;
    }
    return captured;
}

/** Polls until `condition` holds or 5 s pass. */
async function eventually(condition: () => boolean): Promise<void> {
    for (const started = Date.now(); !condition(); ) {
        assert.ok(Date.now() - started < 5_000, "timed out waiting");
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}

describe("provider diagnostics", () => {
    describe("engineAddressOf", () => {
        const script = "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
        it("finds the engine address the engine passes to the dynamic-provider process", () => {
            assert.equal(engineAddressOf(["node", script, "127.0.0.1:34567"]), "127.0.0.1:34567");
            assert.equal(engineAddressOf(["node", "/x/@pulumi/pulumi/cmd/dynamic-provider", "localhost:1"]), "localhost:1");
        });
        it("finds it after the logging and tracing flags a verbose or traced run puts first", () => {
            const argv = ["node", script, "--logtostderr", "-v=9", "--tracing", "127.0.0.1:9411", "127.0.0.1:34567"];
            assert.equal(engineAddressOf(argv), "127.0.0.1:34567");
        });
        it("finds none in any other process, such as a test runner", () => {
            assert.equal(engineAddressOf(["node", "/x/node_modules/.bin/mocha", "127.0.0.1:34567"]), undefined);
            assert.equal(engineAddressOf(["node", script]), undefined);
            assert.equal(engineAddressOf(["node", script, "--inspect"]), undefined);
        });
        it("gives stderr outside the dynamic-provider process", () => {
            assert.equal(defaultSink(["node", "/x/mocha", "127.0.0.1:1"]), stderrSink);
        });
    });

    describe("EngineSink", () => {
        it("sends info and warning diagnostics through the engine's Log RPC", async () => {
            const engine = await fakeEngine();
            try {
                const sink = new EngineSink(engine.address);
                sink.log("info", "PutBucketEncryption on bucket \"b\": InternalError, retrying (attempt 2 of 10) in 150 ms");
                sink.log("warning", "not deleting the rule of bucket \"b\"");
                await eventually(() => engine.received.length === 2);
                const bySeverity = Object.fromEntries(engine.received.map(r => [r.severity, r]));
                assert.match(bySeverity[proto.LogSeverity.INFO].message, /retrying \(attempt 2 of 10\)/);
                assert.match(bySeverity[proto.LogSeverity.WARNING].message, /not deleting/);
                assert.ok(engine.received.every(r => r.urn === ""));
            } finally {
                await engine.stop();
            }
        });

        it("writes to stderr what the engine does not take", async () => {
            const engine = await fakeEngine();
            await engine.stop();
            const written = await capturingStderr(async soFar => {
                new EngineSink(engine.address).log("warning", "engine is gone");
                await eventually(() => soFar().includes("engine is gone"));
            });
            assert.match(written, /^warning: engine is gone$/m);
        });
    });
});
