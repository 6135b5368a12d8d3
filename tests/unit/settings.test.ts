// Stack config and environment to settings, and OSS endpoint strings to where requests go.
import * as assert from "assert";
import { bucketAddress, resolveOssEndpoint } from "../../provider/oss/endpoint";
import { parseEndpoints, readSettings, SettingsError } from "../../provider/settings";

/** A ConfigSource over a plain object, as the dynamic provider's configure() hands it over. */
const configOf = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

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
    });
});

describe("OSS endpoints", () => {
    it("the region's public endpoint by default, https, virtual-hosted style", () => {
        const endpoint = resolveOssEndpoint("cn-hangzhou");
        assert.deepStrictEqual(endpoint, { protocol: "https:", host: "oss-cn-hangzhou.aliyuncs.com", pathStyle: false });
        assert.deepStrictEqual(bucketAddress(endpoint, "acme-logs"), { host: "acme-logs.oss-cn-hangzhou.aliyuncs.com", path: "/" });
    });

    it("the region's VPC endpoint with the internal switch", () => {
        assert.strictEqual(resolveOssEndpoint("cn-shanghai", undefined, true).host, "oss-cn-shanghai-internal.aliyuncs.com");
    });

    it("a given endpoint wins over the region's and the internal switch", () => {
        assert.deepStrictEqual(resolveOssEndpoint("cn-hangzhou", "oss-accelerate.aliyuncs.com", true), {
            protocol: "https:",
            host: "oss-accelerate.aliyuncs.com",
            pathStyle: false,
        });
    });

    it("https unless the endpoint says http", () => {
        assert.strictEqual(resolveOssEndpoint("cn-hangzhou", "https://oss-cn-hangzhou.aliyuncs.com").protocol, "https:");
        assert.strictEqual(resolveOssEndpoint("cn-hangzhou", "http://oss-cn-hangzhou.aliyuncs.com").protocol, "http:");
        assert.strictEqual(resolveOssEndpoint("cn-hangzhou", "oss-cn-hangzhou.aliyuncs.com:8443").host, "oss-cn-hangzhou.aliyuncs.com:8443");
    });

    it("path style for IP addresses and localhost, with the port kept", () => {
        for (const [given, host] of [
            ["http://127.0.0.1:9000", "127.0.0.1:9000"],
            ["localhost:9000", "localhost:9000"],
            ["http://[::1]:9000", "[::1]:9000"],
        ]) {
            const endpoint = resolveOssEndpoint("cn-hangzhou", given);
            assert.strictEqual(endpoint.pathStyle, true, given);
            assert.deepStrictEqual(bucketAddress(endpoint, "acme-logs"), { host, path: "/acme-logs/" }, given);
        }
    });

    it("refuses schemes other than http and https", () => {
        assert.throws(() => resolveOssEndpoint("cn-hangzhou", "ftp://oss.example"), /endpoint "ftp:\/\/oss.example" must be http or https/);
    });

    it("refuses a path, query or user it would otherwise drop; a bare trailing slash is fine", () => {
        for (const given of ["https://oss.example/some/path", "https://oss.example/?x=1", "https://me:pw@oss.example"]) {
            assert.throws(() => resolveOssEndpoint("cn-hangzhou", given), /must be a scheme, host and port only/, given);
        }
        assert.strictEqual(resolveOssEndpoint("cn-hangzhou", "https://oss.example/").host, "oss.example");
    });
});
