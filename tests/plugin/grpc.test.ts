// The plugin's gRPC service as the engine calls it (GetSchema, Configure, Check, Diff, CRUD), without
// the CLI: a client from @pulumi/pulumi's generated code against serve(), and the emulator.
import * as assert from "assert";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { Emulator, startEmulator } from "../../emulator";
import { BUCKET_ENCRYPTION_TOKEN, PLUGIN_VERSION, PluginServer, serve } from "../../plugin";
import { pluginClient, proto, servedSchema, struct, unary } from "./client";

const URN = `urn:pulumi:dev::proj::${BUCKET_ENCRYPTION_TOKEN}::logs`;
const toStruct = (value: object) => struct.Struct.fromJavaScript(value as Record<string, structProto.JavaScriptValue>);

describe("plugin: the gRPC provider service", function () {
    this.timeout(30_000);
    let emulator: Emulator;
    let plugin: PluginServer;
    let client: providerRpc.ResourceProviderClient;
    const call = <Res>(method: string, request: unknown) => unary<unknown, Res>(client, method, request);

    const configure = (values: Record<string, unknown>) =>
        call("configure", new proto.ConfigureRequest().setArgs(toStruct(values)).setAcceptsecrets(true));
    const check = async (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => {
        const res = await call<providerProto.CheckResponse>("check", new proto.CheckRequest().setUrn(URN).setOlds(toStruct(olds)).setNews(toStruct(news)));
        return { inputs: res.getInputs()?.toJavaScript() ?? {}, failures: res.getFailuresList().map(f => `${f.getProperty()}: ${f.getReason()}`) };
    };

    const configureForEmulator = () =>
        configure({
            region: "cn-hangzhou",
            accessKey: emulator.defaultCredential.accessKeyId,
            // As the engine sends a secret to a provider that accepts them.
            secretKey: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: emulator.defaultCredential.accessKeySecret },
            ossEndpoint: emulator.endpoint,
            kmsEndpoint: emulator.kmsEndpoint,
            kmsKeyCheck: true,
        });

    beforeEach(async () => {
        emulator = await startEmulator();
        plugin = await serve();
        client = pluginClient(plugin.port);
        await configureForEmulator();
    });
    afterEach(async () => {
        client?.close();
        await plugin?.stop();
        await emulator?.stop();
    });

    it("serves a schema with the resource, the algorithm enum and the provider config (secrets marked)", async () => {
        const res = await call<providerProto.GetSchemaResponse>("getSchema", new proto.GetSchemaRequest());
        const schema = JSON.parse(res.getSchema());
        assert.strictEqual(schema.name, "oss-encryption");
        assert.strictEqual(schema.version, PLUGIN_VERSION);
        const resource = schema.resources[BUCKET_ENCRYPTION_TOKEN];
        assert.deepStrictEqual(resource.requiredInputs, ["bucket", "sseAlgorithm"]);
        assert.deepStrictEqual(
            schema.types["oss-encryption:index:SseAlgorithm"].enum.map((e: { value: string }) => e.value),
            ["AES256", "KMS", "SM4"],
        );
        assert.strictEqual(schema.provider.inputProperties.secretKey.secret, true);
        assert.strictEqual(schema.provider.inputProperties.securityToken.secret, true);
        assert.ok(!schema.provider.inputProperties.accessKey.secret);
        // Stack config variables carry no `secret` (plugin/schema.ts CONFIG_VARIABLES): no SDK reads it, Java's codegen warns.
        assert.ok(!schema.config.variables.secretKey.secret);
    });

    it("checks inputs with the dynamic provider's rules, naming the property", async () => {
        const bad = await check({ bucket: "Not_A_Bucket", sseAlgorithm: "DES" });
        assert.strictEqual(bad.failures.length, 2, bad.failures.join("\n"));
        assert.match(bad.failures[0], /^bucket: bucket "Not_A_Bucket" is not a valid OSS bucket name/);
        assert.match(bad.failures[1], /^sseAlgorithm: .*use one of AES256, KMS, SM4/);
        const good = await check({ bucket: "acme-logs", sseAlgorithm: "kms" });
        assert.deepStrictEqual(good, { inputs: { bucket: "acme-logs", sseAlgorithm: "KMS", region: "cn-hangzhou" }, failures: [] });
    });

    it("fails a KMS key that does not exist at check, with the key and KMS's answer", async () => {
        emulator.seedBucket("acme-logs");
        const res = await check({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "no-such-key" });
        assert.strictEqual(res.failures.length, 1, res.failures.join("\n"));
        assert.match(res.failures[0], /^kmsMasterKeyId: .*no-such-key/);
    });

    it("puts a KMS rule with an enabled key of the bucket's region, and fails a disabled one", async () => {
        emulator.seedBucket("acme-logs");
        emulator.seedKey({ keyId: "key-enabled-1", region: "cn-hangzhou", keyState: "Enabled" });
        emulator.seedKey({ keyId: "key-disabled-1", region: "cn-hangzhou", keyState: "Disabled" });
        const good = await check({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-enabled-1", kmsDataEncryption: "SM4" });
        assert.deepStrictEqual(good.failures, []);
        await call("create", new proto.CreateRequest().setUrn(URN).setProperties(toStruct(good.inputs)));
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-enabled-1", KMSDataEncryption: "SM4" });
        const disabled = await check({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-disabled-1" });
        assert.strictEqual(disabled.failures.length, 1);
        assert.match(disabled.failures[0], /^kmsMasterKeyId: .*key-disabled-1.*Disabled/);
    });

    it("creates, reads, diffs, updates and deletes a rule; a missing rule reads as gone", async () => {
        emulator.seedBucket("acme-logs");
        const { inputs } = await check({ bucket: "acme-logs", sseAlgorithm: "AES256" });
        const created = await call<providerProto.CreateResponse>("create", new proto.CreateRequest().setUrn(URN).setProperties(toStruct(inputs)));
        assert.strictEqual(created.getId(), "acme-logs");
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
        const outputs = created.getProperties()?.toJavaScript() ?? {};

        const read = await call<providerProto.ReadResponse>("read", new proto.ReadRequest().setUrn(URN).setId("acme-logs").setProperties(toStruct({})));
        assert.strictEqual(read.getId(), "acme-logs");
        assert.deepStrictEqual(read.getInputs()?.toJavaScript(), { bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-hangzhou" });

        const diffOf = async (news: Record<string, unknown>) =>
            call<providerProto.DiffResponse>("diff", new proto.DiffRequest().setUrn(URN).setId("acme-logs").setOlds(toStruct(outputs)).setNews(toStruct(news)));
        assert.strictEqual((await diffOf(inputs)).getChanges(), proto.DiffResponse.DiffChanges.DIFF_NONE);
        const toSm4 = await diffOf({ ...inputs, sseAlgorithm: "SM4" });
        assert.strictEqual(toSm4.getChanges(), proto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepStrictEqual(toSm4.getReplacesList(), []);
        assert.deepStrictEqual((await diffOf({ ...inputs, bucket: "other-logs" })).getReplacesList(), ["bucket"]);

        await call("update", new proto.UpdateRequest().setUrn(URN).setId("acme-logs").setOlds(toStruct(outputs)).setNews(toStruct({ ...inputs, sseAlgorithm: "SM4" })));
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });

        // Replacement safety: this run's check declared the bucket, so its delete leaves the rule.
        await call("delete", new proto.DeleteRequest().setUrn(URN).setId("acme-logs").setProperties(toStruct(outputs)));
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "SM4" });
        // A new deployment (Configure again, as in a server the engine attaches to) that declares it nowhere deletes it.
        await configureForEmulator();
        await call("delete", new proto.DeleteRequest().setUrn(URN).setId("acme-logs").setProperties(toStruct(outputs)));
        assert.strictEqual(emulator.getRule("acme-logs"), undefined);
        const gone = await call<providerProto.ReadResponse>("read", new proto.ReadRequest().setUrn(URN).setId("acme-logs").setProperties(toStruct(outputs)));
        assert.strictEqual(gone.getId(), "");
    });

    it("takes onDelete as the schema declares it: FallbackToAES256 leaves AES256 when the resource is deleted", async () => {
        const schema = JSON.parse((await call<providerProto.GetSchemaResponse>("getSchema", new proto.GetSchemaRequest())).getSchema());
        // An input takes the enum or a string (plugin/schema.ts ruleProperties); the output is the enum.
        assert.deepStrictEqual(schema.resources[BUCKET_ENCRYPTION_TOKEN].inputProperties.onDelete.oneOf, [
            { type: "string" },
            { $ref: "#/types/oss-encryption:index:OnDelete" },
        ]);
        assert.strictEqual(schema.resources[BUCKET_ENCRYPTION_TOKEN].properties.onDelete.$ref, "#/types/oss-encryption:index:OnDelete");
        assert.deepStrictEqual(
            schema.types["oss-encryption:index:OnDelete"].enum.map((e: { value: string }) => e.value),
            ["RemoveRule", "KeepRule", "FallbackToAES256"],
        );
        emulator.seedBucket("acme-logs");
        const { inputs, failures } = await check({ bucket: "acme-logs", sseAlgorithm: "SM4", onDelete: "FallbackToAES256" });
        assert.deepStrictEqual(failures, []);
        const created = await call<providerProto.CreateResponse>("create", new proto.CreateRequest().setUrn(URN).setProperties(toStruct(inputs)));
        // A new deployment that declares the bucket nowhere, so the delete is not skipped as a replacement.
        await configureForEmulator();
        await call("delete", new proto.DeleteRequest().setUrn(URN).setId("acme-logs").setProperties(created.getProperties()!));
        assert.deepStrictEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "AES256" });
    });

    it("answers a failed operation with the provider's message alone, without the secret", async () => {
        const { inputs } = await check({ bucket: "no-such-bucket", sseAlgorithm: "AES256" });
        // An update: a create would wait out NoSuchBucket for a minute (a new bucket's propagation).
        await assert.rejects(
            call("update", new proto.UpdateRequest().setUrn(URN).setId("no-such-bucket").setOlds(toStruct(inputs)).setNews(toStruct(inputs))),
            (err: Error & { details?: string }) => {
                assert.match(err.details ?? "", /PutBucketEncryption on bucket "no-such-bucket" failed: NoSuchBucket/);
                assert.ok(!(err.details ?? "").includes(emulator.defaultCredential.accessKeySecret));
                assert.ok(!/\n\s+at /.test(err.details ?? ""), "no stack trace");
                return true;
            },
        );
    });

    it("takes region and credentials from the environment when the configuration has none", async () => {
        emulator.seedBucket("env-logs");
        const names = ["ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"];
        const saved = names.map(name => process.env[name]);
        Object.assign(process.env, {
            ALIBABA_CLOUD_REGION: "cn-shanghai",
            ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.defaultCredential.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.defaultCredential.accessKeySecret,
        });
        try {
            await configure({ ossEndpoint: emulator.endpoint });
            const { inputs, failures } = await check({ bucket: "env-logs", sseAlgorithm: "SM4" });
            assert.deepStrictEqual(failures, []);
            assert.strictEqual(inputs.region, "cn-shanghai");
            await call("create", new proto.CreateRequest().setUrn(URN).setProperties(toStruct(inputs)));
            assert.deepStrictEqual(emulator.getRule("env-logs"), { SSEAlgorithm: "SM4" });
        } finally {
            names.forEach((name, i) => (saved[i] === undefined ? delete process.env[name] : (process.env[name] = saved[i])));
        }
    });

    it("rejects a type it does not serve", async () => {
        await assert.rejects(
            call("check", new proto.CheckRequest().setUrn("urn:pulumi:dev::proj::oss-encryption:index:Other::x").setOlds(toStruct({})).setNews(toStruct({}))),
            /unknown resource type oss-encryption:index:Other/,
        );
    });
});
