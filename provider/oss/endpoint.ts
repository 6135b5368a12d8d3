// Where an OSS request goes: region endpoints (virtual-hosted style) or a given endpoint, which is
// addressed path style when it is an IP address or localhost (no DNS for <bucket>.<ip>).
import { isIP } from "net";

/** A resolved OSS endpoint. */
export interface OssEndpoint {
    protocol: "http:" | "https:";
    /** host[:port] without the bucket. */
    host: string;
    /** Path style puts the bucket in the path; virtual-hosted style in the host name. */
    pathStyle: boolean;
}

/** The public (or, with `internal`, the VPC) endpoint of a region, e.g. `oss-cn-hangzhou.aliyuncs.com`. */
export function regionEndpointHost(region: string, internal = false): string {
    return `oss-${region}${internal ? "-internal" : ""}.aliyuncs.com`;
}

/**
 * Resolves an endpoint string (`host`, `host:port`, `http://host:port`, `https://host`) or, when it
 * is absent, the region's endpoint. https unless the endpoint itself says http.
 */
export function resolveOssEndpoint(region: string, endpoint?: string, internal = false): OssEndpoint {
    const text = endpoint?.trim() || regionEndpointHost(region, internal);
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new Error(`endpoint "${text}" must be http or https`);
    }
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    const pathStyle = isIP(hostname) !== 0 || hostname === "localhost";
    return { protocol: url.protocol, host: url.host, pathStyle };
}

/** The URL host and path for a bucket-level request. */
export function bucketAddress(endpoint: OssEndpoint, bucket: string): { host: string; path: string } {
    return endpoint.pathStyle
        ? { host: endpoint.host, path: `/${bucket}/` }
        : { host: `${bucket}.${endpoint.host}`, path: "/" };
}
