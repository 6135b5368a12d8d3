// A client of the plugin's gRPC service, as the engine calls it: @pulumi/pulumi's generated code,
// with gRPC and protobuf loaded from @pulumi/pulumi's own copies (messages and services must match).
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
export const grpc: typeof grpcTypes = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
export const struct: typeof structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));
export const rpc: typeof providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
export const proto: typeof providerProto = require("@pulumi/pulumi/proto/provider_pb");

/** Calls one unary RPC and resolves with its response. */
export function unary<Req, Res>(client: providerRpc.ResourceProviderClient, method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
        (client as unknown as Record<string, (r: Req, cb: (e: Error | null, r: Res) => void) => void>)[method](request, (err, res) =>
            err ? reject(err) : resolve(res),
        ),
    );
}

/** A client of the plugin listening on `port` of 127.0.0.1. */
export function pluginClient(port: number): providerRpc.ResourceProviderClient {
    return new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** The schema a plugin serves, as the engine asks for it (GetSchema, schema version 0), parsed. */
export async function servedSchema(client: providerRpc.ResourceProviderClient): Promise<Record<string, unknown>> {
    const res = await unary<providerProto.GetSchemaRequest, providerProto.GetSchemaResponse>(client, "getSchema", new proto.GetSchemaRequest());
    return JSON.parse(res.getSchema());
}
