// The `oss-encryption` resource provider plugin: Pulumi's ResourceProvider gRPC service over the
// same neutral core as the dynamic provider (provider/provider.ts: check, diff, CRUD, the KMS key
// check, the credential chain, replacement safety), configured from the plugin's own settings. Written on the gRPC service rather than
// `@pulumi/pulumi/provider`'s main(), whose Configure drops the provider's configuration and whose
// errors carry stack traces.
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { BucketEncryptionInputs, PartialStateError } from "../provider/bucketEncryption";
import { DiagnosticSink, EngineSink, stderrSink } from "../provider/engineLog";
import { grpcRuntime } from "../provider/grpcRuntime";
import { createBucketEncryptionProvider } from "../provider/provider";
import { PLUGIN_CONFIG_FORM } from "../provider/settings";
import { checkProviderConfig, diffProviderConfig, pluginSettings, providerConfigValues } from "./config";
import { BUCKET_ENCRYPTION_TOKEN, packageSchema } from "./schema";

/** The version of the installed package, which is the plugin's and the schema's version. */
export const PLUGIN_VERSION: string = require("../../package.json").version;

/** The modules the server uses, under the names it uses them by. */
function pulumiRuntime() {
    const rt = grpcRuntime();
    return { grpc: rt.grpc, struct: rt.struct, empty: rt.empty, any: rt.any, rpc: rt.providerRpc, proto: rt.providerProto, plugin: rt.pluginProto, status: rt.statusProto };
}

type Runtime = ReturnType<typeof pulumiRuntime>;
type Callback<T> = (error: Partial<grpcTypes.ServiceError> | null, value?: T | null, trailer?: grpcTypes.Metadata) => void;
type Call<T> = { request: T };

/** Properties as plain JSON for protobuf's Struct (which rejects `undefined`). */
function plain(value: unknown): Record<string, unknown> {
    return JSON.parse(JSON.stringify(value ?? {}));
}

/** What a running plugin exposes to its starter: the port it listens on, and how to stop it. */
export interface PluginServer {
    port: number;
    stop(): Promise<void>;
}

/** Options of serve(). */
export interface ServeOptions {
    /** The engine's address, for diagnostics; without one they go to stderr. */
    engineAddress?: string;
    /** Where to listen; default an ephemeral port on 127.0.0.1. */
    address?: string;
}

/** The ResourceProvider service: each RPC unpacks its request, calls the provider and packs the answer. */
function providerService(rt: Runtime, diagnostics: DiagnosticSink) {
    const { proto, struct, empty, grpc } = rt;
    // One provider state per Configure, i.e. per deployment: the engine starts a plugin process per
    // provider and deployment, but a server it attaches to (PULUMI_DEBUG_PROVIDERS) lives across
    // deployments, and the buckets one run declared must not stop the next run's deletes.
    let provider = createBucketEncryptionProvider({ diagnostics });
    const toStruct = (value: unknown) => struct.Struct.fromJavaScript(plain(value) as Record<string, structProto.JavaScriptValue>);
    const fromStruct = (value: structProto.Struct | undefined) => (value?.toJavaScript() ?? {}) as Record<string, unknown>;

    /** An error as the engine shows it: the message alone (every provider error names bucket, operation and code). */
    const failure = (err: unknown): Partial<grpcTypes.ServiceError> => {
        const error = err as Error;
        const metadata = new grpc.Metadata();
        if (err instanceof PartialStateError) {
            // Created, but not as intended: the engine records the resource with these properties.
            const detail = new proto.ErrorResourceInitFailed();
            detail.setId(err.id);
            detail.setProperties(toStruct(err.properties));
            detail.setReasonsList(err.reasons);
            const packed = new rt.any.Any();
            packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
            const status = new rt.status.Status();
            status.setCode(grpc.status.UNKNOWN);
            status.setMessage(error.message);
            status.addDetails(packed);
            metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
        }
        return { code: grpc.status.UNKNOWN, details: error.message ?? String(err), metadata };
    };
    /** Runs an RPC's body and answers with its result or its error. */
    const answer = <Req, Res>(body: (request: Req) => Promise<Res>) => (call: Call<Req>, callback: Callback<Res>) => {
        body(call.request).then(
            result => callback(null, result),
            err => {
                const error = failure(err);
                callback(error, null, error.metadata);
            },
        );
    };
    const unimplemented = (name: string) => (_call: unknown, callback: Callback<never>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by the oss-encryption provider` });
    const requireResourceType = (urn: string) => {
        const type = urn.split("::")[2];
        if (type !== BUCKET_ENCRYPTION_TOKEN) {
            throw new Error(`unknown resource type ${type}: the oss-encryption provider serves ${BUCKET_ENCRYPTION_TOKEN} only`);
        }
    };

    return {
        getPluginInfo: answer(async () => new rt.plugin.PluginInfo().setVersion(PLUGIN_VERSION)),
        getSchema: answer(async (req: providerProto.GetSchemaRequest) => {
            if (req.getVersion() !== 0) {
                throw new Error(`unsupported schema version ${req.getVersion()}`);
            }
            return new proto.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(PLUGIN_VERSION)));
        }),
        configure: answer(async (req: providerProto.ConfigureRequest) => {
            const values = providerConfigValues(req.hasArgs() ? fromStruct(req.getArgs()) : undefined, new Map(req.getVariablesMap().entries() as Iterable<[string, string]>));
            provider = createBucketEncryptionProvider({ diagnostics });
            provider.configure(() => pluginSettings(values), PLUGIN_CONFIG_FORM);
            // Plain values in and out: the engine re-marks as secret whatever it sent as a secret.
            return new proto.ConfigureResponse().setAcceptsecrets(false).setAcceptresources(false).setSupportspreview(true);
        }),
        check: answer(async (req: providerProto.CheckRequest) => {
            requireResourceType(req.getUrn());
            const result = await provider.check(fromStruct(req.getOlds()), fromStruct(req.getNews()));
            return new proto.CheckResponse().setInputs(toStruct(result.inputs)).setFailuresList(
                result.failures.map(f => new proto.CheckFailure().setProperty(f.property).setReason(f.reason)),
            );
        }),
        diff: answer(async (req: providerProto.DiffRequest) => {
            requireResourceType(req.getUrn());
            const result = await provider.diff(fromStruct(req.getOlds()), fromStruct(req.getNews()));
            const changes = proto.DiffResponse.DiffChanges;
            return new proto.DiffResponse()
                .setChanges(result.changes ? changes.DIFF_SOME : changes.DIFF_NONE)
                .setReplacesList(result.replaces)
                .setStablesList(result.stables)
                .setDeletebeforereplace(result.deleteBeforeReplace);
        }),
        create: answer(async (req: providerProto.CreateRequest) => {
            requireResourceType(req.getUrn());
            if (req.getPreview()) {
                // Supporting preview only to warn of a missing bucket: nothing is written, the outputs are the inputs.
                await provider.preview(fromStruct(req.getProperties()) as unknown as BucketEncryptionInputs);
                return new proto.CreateResponse().setProperties(req.getProperties());
            }
            const result = await provider.create(fromStruct(req.getProperties()) as unknown as BucketEncryptionInputs);
            return new proto.CreateResponse().setId(result.id).setProperties(toStruct(result.outs));
        }),
        read: answer(async (req: providerProto.ReadRequest) => {
            requireResourceType(req.getUrn());
            const result = await provider.read(req.getId(), fromStruct(req.getProperties()));
            const response = new proto.ReadResponse().setId(result.id).setProperties(toStruct(result.props));
            return result.inputs === undefined ? response : response.setInputs(toStruct(result.inputs));
        }),
        update: answer(async (req: providerProto.UpdateRequest) => {
            requireResourceType(req.getUrn());
            if (req.getPreview()) {
                await provider.preview(fromStruct(req.getNews()) as unknown as BucketEncryptionInputs);
                return new proto.UpdateResponse().setProperties(req.getNews());
            }
            const result = await provider.update(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()) as unknown as BucketEncryptionInputs);
            return new proto.UpdateResponse().setProperties(toStruct(result.outs));
        }),
        delete: answer(async (req: providerProto.DeleteRequest) => {
            requireResourceType(req.getUrn());
            await provider.delete(req.getId(), fromStruct(req.getProperties()));
            return new empty.Empty();
        }),
        // The engine's cancellation (Ctrl-C): requests in flight and retry waits end now, and each
        // operation answers with its "cancelled" error instead of waiting out its deadline.
        cancel: answer(async () => {
            provider.cancel();
            return new empty.Empty();
        }),
        attach: answer(async () => new empty.Empty()),
        getMapping: answer(async () => new proto.GetMappingResponse().setProvider("").setData("")),
        getMappings: answer(async () => new proto.GetMappingsResponse()),
        handshake: unimplemented("Handshake"),
        parameterize: unimplemented("Parameterize"),
        checkConfig: answer(async (req: providerProto.CheckRequest) => {
            const result = checkProviderConfig(req.getUrn(), fromStruct(req.getNews()));
            return new proto.CheckResponse()
                .setInputs(toStruct(result.inputs))
                .setFailuresList(result.failures.map(f => new proto.CheckFailure().setProperty(f.property).setReason(f.reason)));
        }),
        diffConfig: answer(async (req: providerProto.DiffRequest) => {
            // The engine reads changes, replaces, stables, diffs, the detailed diff and deleteBeforeReplace (provider_plugin.go DiffConfig).
            const olds = req.hasOldInputs() ? fromStruct(req.getOldInputs()) : fromStruct(req.getOlds());
            const changes = diffProviderConfig(olds, fromStruct(req.getNews()));
            const kinds = { add: proto.PropertyDiff.Kind.ADD, update: proto.PropertyDiff.Kind.UPDATE, delete: proto.PropertyDiff.Kind.DELETE };
            const response = new proto.DiffResponse()
                .setChanges(changes.size > 0 ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE)
                .setReplacesList([])
                .setDiffsList([...changes.keys()])
                .setHasdetaileddiff(true)
                .setDeletebeforereplace(false);
            for (const [key, change] of changes) {
                response.getDetaileddiffMap().set(key, new proto.PropertyDiff().setKind(kinds[change]).setInputdiff(true));
            }
            return response;
        }),
        invoke: unimplemented("Invoke"),
        call: unimplemented("Call"),
        construct: unimplemented("Construct"),
        list: (call: grpcTypes.ServerWritableStream<unknown, unknown>) =>
            call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: "List is not implemented by the oss-encryption provider" }),
    };
}

/** Starts the provider's gRPC server; the engine reads the port from the first line of stdout (see main). */
export async function serve(options: ServeOptions = {}): Promise<PluginServer> {
    const rt = pulumiRuntime();
    const diagnostics = options.engineAddress ? new EngineSink(options.engineAddress) : stderrSink;
    const server = new rt.grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(rt.rpc.ResourceProviderService, providerService(rt, diagnostics) as unknown as grpcTypes.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(options.address ?? "127.0.0.1:0", rt.grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return {
        port,
        stop: () => new Promise<void>(resolve => server.tryShutdown(() => resolve())),
    };
}

/**
 * The plugin's entry point, as the engine runs a resource plugin: `[flags] <engine address>`.
 * Prints the port and serves until the engine ends the process.
 */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
    const positional = args.filter(arg => !arg.startsWith("-"));
    const { port } = await serve({ engineAddress: positional[positional.length - 1] });
    process.stdout.write(`${port}\n`);
}
