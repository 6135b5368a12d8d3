// Where a KMS request goes: the region's public or VPC endpoint, or the `alicloud:endpoints` kms entry.
import { parseEndpoint } from "../endpoint";

/** The public (or, with `internal`, the VPC) KMS endpoint of a region, e.g. `kms.cn-hangzhou.aliyuncs.com`. */
export function kmsRegionHost(region: string, internal = false): string {
    return `kms${internal ? "-vpc" : ""}.${region}.aliyuncs.com`;
}

/**
 * The base URL pop-core is given (`https://host[:port]`): the override when there is one, else the
 * region's endpoint. https unless the endpoint itself says http.
 */
export function kmsEndpointUrl(region: string, endpoint?: string, internal = false): string {
    const { protocol, host } = parseEndpoint(endpoint?.trim() || kmsRegionHost(region, internal));
    return `${protocol}//${host}`;
}
