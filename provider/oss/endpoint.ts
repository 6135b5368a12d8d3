// Where an OSS request goes: region endpoints (virtual-hosted style) or a given endpoint, which is
// addressed path style when it is an IP address or localhost (no DNS for <bucket>.<ip>).
import { isIP } from "net";
import { parseEndpoint } from "../endpoint";

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
    const { protocol, host, hostname } = parseEndpoint(endpoint?.trim() || regionEndpointHost(region, internal));
    const pathStyle = isIP(hostname) !== 0 || hostname === "localhost";
    return { protocol, host, pathStyle };
}

/** The URL host and path for a bucket-level request. */
export function bucketAddress(endpoint: OssEndpoint, bucket: string): { host: string; path: string } {
    return endpoint.pathStyle
        ? { host: endpoint.host, path: `/${bucket}/` }
        : { host: `${bucket}.${endpoint.host}`, path: "/" };
}
