// gRPC and protobuf as @pulumi/pulumi's generated code loads them: messages, services and
// credentials must come from the same copies as the generated stubs, or the server and clients do not
// recognise them. Installed from npm, they are found beside @pulumi/pulumi; in the plugin executable
// (plugin/binary.ts, one bundle with one copy of each) its entry point hands them over instead.
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as anyProto from "google-protobuf/google/protobuf/any_pb";
import type * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import type * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type * as statusProto from "@pulumi/pulumi/proto/status_pb";

export interface GrpcRuntime {
    grpc: typeof grpcTypes;
    struct: typeof structProto;
    empty: typeof emptyProto;
    any: typeof anyProto;
    engineRpc: typeof engineRpc;
    engineProto: typeof engineProto;
    providerRpc: typeof providerRpc;
    providerProto: typeof providerProto;
    pluginProto: typeof pluginProto;
    statusProto: typeof statusProto;
}

let bundled: GrpcRuntime | undefined;

/** For a bundle: the modules its entry point loaded (static requires the bundler could follow). */
export function useBundledGrpcRuntime(runtime: GrpcRuntime): void {
    bundled = runtime;
}

/** The modules, from the bundle when there is one, else resolved beside the installed @pulumi/pulumi. */
export function grpcRuntime(): GrpcRuntime {
    if (bundled) {
        return bundled;
    }
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
    return {
        grpc: fromPulumi("@grpc/grpc-js"),
        struct: fromPulumi("google-protobuf/google/protobuf/struct_pb"),
        empty: fromPulumi("google-protobuf/google/protobuf/empty_pb"),
        any: fromPulumi("google-protobuf/google/protobuf/any_pb"),
        engineRpc: require("@pulumi/pulumi/proto/engine_grpc_pb"),
        engineProto: require("@pulumi/pulumi/proto/engine_pb"),
        providerRpc: require("@pulumi/pulumi/proto/provider_grpc_pb"),
        providerProto: require("@pulumi/pulumi/proto/provider_pb"),
        pluginProto: require("@pulumi/pulumi/proto/plugin_pb"),
        statusProto: require("@pulumi/pulumi/proto/status_pb"),
    };
}
