// The plugin's CheckConfig and DiffConfig as the engine calls them for the provider resource
// (pulumi:providers:oss-encryption): the configuration checked up front, secrets returned as
// secrets, and no replacement of the provider for a change its resources take in place.
import * as assert from "assert/strict";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { PluginServer, serve } from "../../plugin";
import { SETTING_NAMES } from "../../provider/settings";
import { pluginClient, proto, struct, unary } from "./client";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine's default provider (stack config) and an explicit `Provider` resource. */
const DEFAULT_URN = "urn:pulumi:dev::proj::pulumi:providers:oss-encryption::default_0_1_0";
const EXPLICIT_URN = "urn:pulumi:dev::proj::pulumi:providers:oss-encryption::eu";
const toStruct = (value: object) => struct.Struct.fromJavaScript(value as Record<string, structProto.JavaScriptValue>);

describe("plugin: CheckConfig and DiffConfig of the provider's configuration", function () {
    let plugin: PluginServer;
    let client: providerRpc.ResourceProviderClient;

    before(async () => {
        plugin = await serve();
        client = pluginClient(plugin.port);
    });
    after(async () => {
        client?.close();
        await plugin?.stop();
    });

    const checkConfig = async (news: Record<string, unknown>, urn = DEFAULT_URN) => {
        const res = await unary<unknown, providerProto.CheckResponse>(client, "checkConfig", new proto.CheckRequest().setUrn(urn).setOlds(toStruct({})).setNews(toStruct(news)));
        return {
            inputs: res.getInputs()?.toJavaScript() ?? {},
            failures: res.getFailuresList().map(f => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    };
    const reasons = (result: { failures: Array<{ reason: string }> }) => result.failures.map(f => f.reason);
    const diffConfig = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
        unary<unknown, providerProto.DiffResponse>(
            client,
            "diffConfig",
            new proto.DiffRequest().setUrn(DEFAULT_URN).setOldInputs(toStruct(olds)).setOlds(toStruct(olds)).setNews(toStruct(news)),
        );

    it("fails an unknown stack config key, naming it as oss-encryption:<key> with the nearest setting", async () => {
        const result = await checkConfig({ region: "cn-hangzhou", ossEndpont: "http://127.0.0.1:1", kmsKeyChek: "false", version: "0.1.0" });
        assert.equal(result.failures.length, 2, reasons(result).join("\n"));
        // (A Struct's keys come in no particular order.)
        const [typoOfKmsKeyCheck, typoOfOssEndpoint] = reasons(result).sort();
        assert.match(typoOfOssEndpoint, /^oss-encryption:ossEndpont is not a setting of the oss-encryption provider: did you mean oss-encryption:ossEndpoint\?/);
        assert.match(typoOfKmsKeyCheck, /^oss-encryption:kmsKeyChek .*did you mean oss-encryption:kmsKeyCheck\?/);
        // The engine prints a failure's property with its value: the reason names the key instead, so no value is ever printed.
        assert.deepEqual(result.failures.map(f => f.property), ["", ""]);
        const far = await checkConfig({ colour: "blue" });
        assert.match(reasons(far)[0], /^oss-encryption:colour is not a setting .*: the settings are region, accessKey, /);
    });

    it("names an explicit Provider's property as the program spells it", async () => {
        const result = await checkConfig({ ossEndpont: "http://127.0.0.1:1" }, EXPLICIT_URN);
        assert.match(reasons(result)[0], /^ossEndpont is not a property of the oss-encryption provider: did you mean ossEndpoint\?/);
        assert.doesNotMatch(reasons(result)[0], /oss-encryption:ossEndpo/);
    });

    it("accepts what the engine adds to a provider's inputs (version, and the plugin keys of older states)", async () => {
        const result = await checkConfig({ version: "0.1.0", pluginDownloadURL: "https://example.com", region: "cn-hangzhou" });
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.inputs, { version: "0.1.0", pluginDownloadURL: "https://example.com", region: "cn-hangzhou" });
    });

    it("checks types and enumerations up front, every bad setting at once", async () => {
        const result = await checkConfig({
            operationTimeoutSeconds: "abc",
            kmsKeyCheck: "maybe",
            signatureVersion: "v2",
            region: 42,
            useInternalEndpoint: 3,
        });
        assert.deepEqual(reasons(result), [
            "oss-encryption:region must be a string; got a number",
            'oss-encryption:kmsKeyCheck must be true or false; got "maybe"',
            'oss-encryption:operationTimeoutSeconds must be a whole number; got "abc"',
            'oss-encryption:signatureVersion must be "v4" or "v1"; got "v2"',
            "oss-encryption:useInternalEndpoint must be true or false; got a number",
        ]);
        assert.match(reasons(await checkConfig({ operationTimeoutSeconds: "1.5" }))[0], /oss-encryption:operationTimeoutSeconds must be a whole number/);
        assert.match(reasons(await checkConfig({ operationTimeoutSeconds: 0 }))[0], /oss-encryption:operationTimeoutSeconds must be a positive number/);
        // Stack config reaches the provider as text: "42" is a string, but not a region ID.
        assert.match(reasons(await checkConfig({ region: "42" }))[0], /^oss-encryption:region must be an Alibaba Cloud region ID such as "cn-hangzhou"; got "42"/);
        assert.match(reasons(await checkConfig({ region: 42 }, EXPLICIT_URN))[0], /^region must be a string; got a number/);
        const good = await checkConfig({ operationTimeoutSeconds: "30", kmsKeyCheck: "false", signatureVersion: "v1", region: "cn-shanghai", useInternalEndpoint: true });
        assert.deepEqual(good.failures, []);
        assert.deepEqual((await checkConfig({ operationTimeoutSeconds: 30, kmsKeyCheck: false }, EXPLICIT_URN)).failures, []);
    });

    it("returns the credential secrets as secrets, whether or not they came as one", async () => {
        const result = await checkConfig({ accessKey: "LTAI-id", secretKey: "plain-secret", securityToken: { [SIG]: SECRET, value: "sts-token" }, region: "cn-hangzhou" });
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.inputs, {
            accessKey: "LTAI-id",
            secretKey: { [SIG]: SECRET, value: "plain-secret" },
            securityToken: { [SIG]: SECRET, value: "sts-token" },
            region: "cn-hangzhou",
        });
    });

    it("never quotes a secret setting's value", async () => {
        const result = await checkConfig({ secretKey: 12345678, securityToken: ["sts-token"] });
        assert.deepEqual(reasons(result), ["oss-encryption:secretKey must be a string; got a number", "oss-encryption:securityToken must be a string; got a list"]);
    });

    it("leaves values that are not known yet (preview of a computed input) to Configure", async () => {
        const result = await checkConfig({ region: UNKNOWN, operationTimeoutSeconds: UNKNOWN, secretKey: UNKNOWN }, EXPLICIT_URN);
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.inputs, { region: UNKNOWN, operationTimeoutSeconds: UNKNOWN, secretKey: UNKNOWN });
    });

    it("DiffConfig: a change of any setting is an update of the provider, never a replacement", async () => {
        const olds = { region: "cn-hangzhou", ossEndpoint: "http://a", kmsEndpoint: "http://b", accessKey: "id-1", secretKey: "s-1", version: "0.1.0" };
        const same = await diffConfig(olds, { ...olds, secretKey: { [SIG]: SECRET, value: "s-1" } });
        assert.equal(same.getChanges(), proto.DiffResponse.DiffChanges.DIFF_NONE);
        const everything = Object.fromEntries(SETTING_NAMES.map(name => [name, `${name}-changed`]));
        const changed = await diffConfig(olds, { ...everything, version: "0.2.0" });
        assert.equal(changed.getChanges(), proto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(changed.getReplacesList(), []);
        assert.equal(changed.getDeletebeforereplace(), false);
        assert.deepEqual([...changed.getDiffsList()].sort(), [...SETTING_NAMES, "version"].sort());
        const kinds = changed.getDetaileddiffMap();
        assert.equal(changed.getHasdetaileddiff(), true);
        assert.equal(kinds.get("region")?.getKind(), proto.PropertyDiff.Kind.UPDATE);
        assert.equal(kinds.get("profile")?.getKind(), proto.PropertyDiff.Kind.ADD);
        const removed = await diffConfig(olds, { region: UNKNOWN });
        assert.deepEqual(removed.getReplacesList(), []);
        assert.equal(removed.getDetaileddiffMap().get("accessKey")?.getKind(), proto.PropertyDiff.Kind.DELETE);
    });
});
