// The plugin's settings come from its own configuration, and its messages name its own keys
// (oss-encryption:*), never the dynamic provider's alicloud:* that a plugin user cannot set.
import * as assert from "assert/strict";
import { createBucketEncryptionProvider } from "../../provider/provider";
import { PLUGIN_CONFIG_FORM, resolveSettings, STACK_CONFIG_FORM, stackConfigSettings } from "../../provider/settings";
import { pluginSettings } from "../../plugin/config";
import { isolateCredentialEnvironment, IsolatedEnvironment } from "../support/environment";

const quiet = { diagnostics: { log: () => undefined } };

describe("the plugin's settings", () => {
    let env: IsolatedEnvironment;
    beforeEach(() => {
        env = isolateCredentialEnvironment();
        delete process.env.ALIBABA_CLOUD_REGION;
        delete process.env.ALICLOUD_REGION;
    });
    afterEach(() => env.restore());

    it("reads each setting from the configuration under its own name", () => {
        const record = pluginSettings({ region: "cn-shanghai", ossEndpoint: "http://127.0.0.1:1", kmsKeyCheck: false, operationTimeoutSeconds: 7 });
        assert.deepEqual(
            Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)),
            { region: "cn-shanghai", ossEndpoint: "http://127.0.0.1:1", kmsKeyCheck: "false", operationTimeoutSeconds: "7" },
        );
        const settings = resolveSettings(record, PLUGIN_CONFIG_FORM, {});
        assert.equal(settings.region, "cn-shanghai");
        assert.equal(settings.ossEndpoint, "http://127.0.0.1:1");
        assert.equal(settings.kmsKeyCheck, false);
        assert.equal(settings.operationTimeoutMs, 7000);
    });

    it("without a region, the error says to set oss-encryption:region", async () => {
        const core = createBucketEncryptionProvider(quiet);
        core.configure(() => pluginSettings({}), PLUGIN_CONFIG_FORM);
        await assert.rejects(core.create({ bucket: "acme", sseAlgorithm: "AES256" }), (err: Error) => {
            assert.match(err.message, /pulumi config set oss-encryption:region cn-hangzhou/);
            assert.doesNotMatch(err.message, /alicloud:/);
            return true;
        });
    });

    it("without credentials, the error says to set oss-encryption:accessKey and oss-encryption:secretKey", async () => {
        const settings = resolveSettings(pluginSettings({ region: "cn-hangzhou" }), PLUGIN_CONFIG_FORM, process.env);
        await assert.rejects(settings.credentials(), (err: Error) => {
            assert.match(err.message, /provider configuration oss-encryption:accessKey, oss-encryption:secretKey, oss-encryption:securityToken: not set/);
            assert.match(err.message, /pulumi config set oss-encryption:accessKey <id>.*pulumi config set --secret oss-encryption:secretKey <secret>/);
            assert.doesNotMatch(err.message, /alicloud:/);
            return true;
        });
    });

    it("a bad setting is named as the plugin user sets it", () => {
        assert.throws(() => resolveSettings(pluginSettings({ operationTimeoutSeconds: "abc" }), PLUGIN_CONFIG_FORM, {}), /^Error: oss-encryption:operationTimeoutSeconds must be a positive number/);
        assert.throws(() => resolveSettings(pluginSettings({ kmsKeyCheck: "maybe" }), PLUGIN_CONFIG_FORM, {}), /oss-encryption:kmsKeyCheck must be true or false/);
    });

    it("the dynamic provider's messages still name its stack config (alicloud:*)", async () => {
        const core = createBucketEncryptionProvider(quiet);
        core.configure(() => stackConfigSettings({ get: () => undefined }), STACK_CONFIG_FORM);
        await assert.rejects(core.create({ bucket: "acme", sseAlgorithm: "AES256" }), /pulumi config set alicloud:region cn-hangzhou/);
    });
});
