// The entry point of the plugin executable `pulumi-resource-oss-encryption` (scripts/pluginBinary.ts
// bundles it with esbuild into a Node.js single executable application): the same server as the
// plugin folder's index.js, with every module in the bundle. A bundle has one copy of gRPC and
// protobuf, handed to the server here by static requires (which the bundler follows), and the
// credential namespaces of DEBUG are switched off before any module that logs is loaded.
/* eslint-disable @typescript-eslint/no-require-imports */
import { silenceCredentialDebugLogging } from "../provider/debugLogging";

silenceCredentialDebugLogging();

const { useBundledGrpcRuntime } = require("../provider/grpcRuntime") as typeof import("../provider/grpcRuntime");
useBundledGrpcRuntime({
    grpc: require("@grpc/grpc-js"),
    struct: require("google-protobuf/google/protobuf/struct_pb"),
    empty: require("google-protobuf/google/protobuf/empty_pb"),
    any: require("google-protobuf/google/protobuf/any_pb"),
    engineRpc: require("@pulumi/pulumi/proto/engine_grpc_pb"),
    engineProto: require("@pulumi/pulumi/proto/engine_pb"),
    providerRpc: require("@pulumi/pulumi/proto/provider_grpc_pb"),
    providerProto: require("@pulumi/pulumi/proto/provider_pb"),
    pluginProto: require("@pulumi/pulumi/proto/plugin_pb"),
    statusProto: require("@pulumi/pulumi/proto/status_pb"),
});

const { main } = require("./server") as typeof import("./server");
main().catch((err: unknown) => {
    process.stderr.write(`The oss-encryption provider plugin could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
