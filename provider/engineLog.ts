// Diagnostics from the dynamic-provider process to the Pulumi engine, as real warnings and infos.
// Without this, all the process can do is write to stderr, which the engine shows as anonymous
// "info" lines of stderr: a warning would not be counted as one, nor look like one.
import type * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { grpcRuntime } from "./grpcRuntime";

/** How serious a diagnostic is, as the engine counts and shows it. */
export type Severity = "info" | "warning";

/** Where the provider's diagnostics go. */
export interface DiagnosticSink {
    log(severity: Severity, message: string): void;
}

/**
 * The engine's gRPC address when this process is Pulumi's dynamic-provider plugin, which the engine
 * starts as `node …/cmd/dynamic-provider/index.js [--logtostderr] [-v=N] [--tracing <endpoint>] <engine address>`:
 * the address is the last argument, after any logging and tracing flags. Undefined anywhere else (tests).
 */
export function engineAddressOf(argv: readonly string[] = process.argv): string | undefined {
    const script = argv[1] ?? "";
    const address = argv.length > 2 ? argv[argv.length - 1] : "";
    const isDynamicProvider = /[\\/]cmd[\\/]dynamic-provider([\\/]index(\.js)?)?$/.test(script);
    return isDynamicProvider && /^[\w.-]+:\d+$|^\[[\da-f:]+\]:\d+$/i.test(address) ? address : undefined;
}

/** Writes diagnostics to stderr, prefixed with their severity. */
export const stderrSink: DiagnosticSink = {
    log(severity, message) {
        process.stderr.write(`${severity}: ${message}\n`);
    },
};

/**
 * Sends diagnostics with the engine's Log RPC, without a URN (the dynamic-provider protocol does not
 * tell a provider which resource it is serving), so the CLI shows them under the stack. A message the
 * engine does not take is written to stderr instead, so nothing is lost.
 */
export class EngineSink implements DiagnosticSink {
    private readonly client: engineRpc.EngineClient;
    private readonly proto: typeof engineProto;

    constructor(address: string) {
        // The same @grpc/grpc-js as @pulumi/pulumi's generated client, so its credentials are accepted.
        const { grpc, engineRpc: rpc, engineProto: proto } = grpcRuntime();
        this.proto = proto;
        this.client = new rpc.EngineClient(address, grpc.credentials.createInsecure());
    }

    log(severity: Severity, message: string): void {
        const levels = this.proto.LogSeverity;
        const request = new this.proto.LogRequest()
            .setSeverity(severity === "warning" ? levels.WARNING : levels.INFO)
            .setMessage(message)
            .setUrn("");
        this.client.log(request, err => {
            if (err) {
                stderrSink.log(severity, message);
            }
        });
    }
}

/** The engine when this process is the dynamic-provider plugin, stderr otherwise. */
export function defaultSink(argv: readonly string[] = process.argv): DiagnosticSink {
    const address = engineAddressOf(argv);
    if (!address) {
        return stderrSink;
    }
    try {
        return new EngineSink(address);
    } catch {
        return stderrSink;
    }
}
