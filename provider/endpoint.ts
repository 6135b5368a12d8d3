// Endpoint strings as users write them in `alicloud:endpoints` or a resource's `endpoint`:
// `host`, `host:port` or a URL. Shared by the OSS and KMS clients.

/** A parsed endpoint: scheme and `host[:port]`. */
export interface ParsedEndpoint {
    protocol: "http:" | "https:";
    /** host[:port], as in a URL. */
    host: string;
    /** The host name alone, without brackets around IPv6 addresses. */
    hostname: string;
}

/** Parses an endpoint; https unless the endpoint itself says http. Throws for other schemes. */
export function parseEndpoint(text: string): ParsedEndpoint {
    const trimmed = text.trim();
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new Error(`endpoint "${trimmed}" must be http or https`);
    }
    // Requests address the bucket themselves; anything else in the URL would be silently dropped.
    if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
        throw new Error(`endpoint "${trimmed}" must be a scheme, host and port only, without a path, query or user`);
    }
    return { protocol: url.protocol, host: url.host, hostname: url.hostname.replace(/^\[|\]$/g, "") };
}
