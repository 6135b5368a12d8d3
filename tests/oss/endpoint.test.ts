// OSS endpoint strings to where requests go (provider/oss/endpoint.ts).
import * as assert from "assert";
import { bucketAddress, resolveOssEndpoint } from "../../provider/oss/endpoint";

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
