// Stack config and environment to settings (OSS endpoint strings are tests/oss/endpoint.test.ts).
import * as assert from "assert";
import { parseEndpoints, readSettings, SettingsError } from "../../provider/settings";

/** A ConfigSource over a plain object, as the dynamic provider's configure() hands it over. */
const configOf = (values: Record<string, string>) => ({ get: (key: string) => values[key], keys: () => Object.keys(values) });

describe("settings", () => {
    describe("region", () => {
        it("stack config first, then ALIBABA_CLOUD_REGION, then ALICLOUD_REGION", () => {
            const env = { ALIBABA_CLOUD_REGION: "cn-beijing", ALICLOUD_REGION: "cn-shenzhen" };
            assert.strictEqual(readSettings(configOf({ "alicloud:region": "cn-hangzhou" }), env).region, "cn-hangzhou");
            assert.strictEqual(readSettings(configOf({}), env).region, "cn-beijing");
            assert.strictEqual(readSettings(configOf({}), { ALICLOUD_REGION: "cn-shenzhen" }).region, "cn-shenzhen");
            assert.strictEqual(readSettings(configOf({ "alicloud:region": "  " }), { ALICLOUD_REGION: "cn-shenzhen" }).region, "cn-shenzhen");
            assert.strictEqual(readSettings(configOf({}), {}).region, undefined);
        });

        it("must be a region ID, in stack config as in the plugin's configuration", () => {
            assert.throws(() => readSettings(configOf({ "alicloud:region": "42" }), {}), (err: Error) => {
                assert.ok(err instanceof SettingsError);
                assert.strictEqual(err.message, 'alicloud:region must be an Alibaba Cloud region ID such as "cn-hangzhou"; got "42"');
                return true;
            });
            assert.strictEqual(readSettings(configOf({ "alicloud:region": "ap-southeast-1" }), {}).region, "ap-southeast-1");
        });
    });

    describe("alicloud:endpoints", () => {
        it("takes oss and kms from a list of entries, as @pulumi/alicloud does", () => {
            assert.deepStrictEqual(parseEndpoints(JSON.stringify([{ oss: "oss.example" }, { kms: "kms.example", ecs: "ecs.example" }])), {
                oss: "oss.example",
                kms: "kms.example",
            });
            const settings = readSettings(configOf({ "alicloud:endpoints": JSON.stringify([{ oss: "o", kms: "k" }]) }), {});
            assert.strictEqual(settings.ossEndpoint, "o");
            assert.strictEqual(settings.kmsEndpoint, "k");
        });

        it("accepts a single object, and nothing at all", () => {
            assert.deepStrictEqual(parseEndpoints(JSON.stringify({ oss: "oss.example" })), { oss: "oss.example" });
            assert.deepStrictEqual(parseEndpoints(undefined), {});
        });

        it("names the key and the expected shape when it is not JSON or not objects", () => {
            assert.throws(() => parseEndpoints("oss.example"), (err: Error) => err instanceof SettingsError && /alicloud:endpoints must be a list/.test(err.message));
            assert.throws(() => parseEndpoints('["oss.example"]'), /alicloud:endpoints entries must be objects/);
        });
    });

    describe("this package's keys", () => {
        it("defaults: v4 signatures, 300 s deadline, public endpoints, KMS check on", () => {
            const settings = readSettings(configOf({}), {});
            assert.strictEqual(settings.signatureVersion, "v4");
            assert.strictEqual(settings.operationTimeoutMs, 300_000);
            assert.strictEqual(settings.useInternalEndpoint, false);
            assert.strictEqual(settings.kmsKeyCheck, true);
        });

        it("reads each one", () => {
            const settings = readSettings(
                configOf({
                    "oss-encryption:signatureVersion": "V1",
                    "oss-encryption:operationTimeoutSeconds": "12.5",
                    "oss-encryption:useInternalEndpoint": "true",
                    "oss-encryption:kmsKeyCheck": "no",
                }),
                {},
            );
            assert.strictEqual(settings.signatureVersion, "v1");
            assert.strictEqual(settings.operationTimeoutMs, 12_500);
            assert.strictEqual(settings.useInternalEndpoint, true);
            assert.strictEqual(settings.kmsKeyCheck, false);
        });

        for (const [key, value, message] of [
            ["oss-encryption:signatureVersion", "v2", /oss-encryption:signatureVersion must be "v4" or "v1"; got "v2"/],
            ["oss-encryption:operationTimeoutSeconds", "0", /oss-encryption:operationTimeoutSeconds must be a positive number/],
            ["oss-encryption:operationTimeoutSeconds", "soon", /oss-encryption:operationTimeoutSeconds must be a positive number/],
            ["oss-encryption:useInternalEndpoint", "maybe", /oss-encryption:useInternalEndpoint must be true or false; got "maybe"/],
            ["oss-encryption:kmsKeyCheck", "off", /oss-encryption:kmsKeyCheck must be true or false; got "off"/],
        ] as const) {
            it(`refuses ${key}=${value}, naming the key`, () => {
                assert.throws(() => readSettings(configOf({ [key]: value }), {}), (err: Error) => err instanceof SettingsError && message.test(err.message));
            });
        }

        it("refuses a misspelt key of this package, naming it and the nearest valid one", () => {
            assert.throws(
                () => readSettings(configOf({ "oss-encryption:kmsKeyChek": "false" }), {}),
                (err: Error) =>
                    err instanceof SettingsError &&
                    /oss-encryption:kmsKeyChek is not a setting of this provider \(did you mean oss-encryption:kmsKeyCheck\?\)/.test(err.message) &&
                    /oss-encryption:operationTimeoutSeconds/.test(err.message),
            );
        });

        it("accepts the plugin's keys (a stack may use both forms), and does not police alicloud:* (shared with @pulumi/alicloud)", () => {
            const settings = readSettings(configOf({ "oss-encryption:region": "cn-beijing", "alicloud:skipRegionValidation": "true", "alicloud:region": "cn-hangzhou" }), {});
            assert.strictEqual(settings.region, "cn-hangzhou");
        });

        it("a config that cannot list its keys is read as before", () => {
            assert.strictEqual(readSettings({ get: () => undefined }, {}).kmsKeyCheck, true);
        });
    });
});
