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

/** Whether a host name is this machine: 127.0.0.0/8, ::1 or localhost (the emulator and tests run there). */
export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.toLowerCase();
    return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Where an endpoint came from and what may allow plain http to it, in the key names of the form in use. */
export interface EndpointOrigin {
    service: "OSS" | "KMS";
    /** The setting or property that gave the endpoint, e.g. `alicloud:endpoints`. */
    source: string;
    /** The setting that allows plain http, e.g. `oss-encryption:allowInsecureHttp`. */
    allowSetting: string;
    /** The command that sets it. */
    allowCommand: string;
    allowed: boolean;
}

/** A plain-http endpoint on another machine that the settings do not allow. */
export class InsecureEndpointError extends Error {}

/**
 * Refuses a plain-http endpoint off this machine unless `origin.allowed`: the STS token (a header
 * for OSS, a body field for KMS) would cross the network in clear, and no signature covers what a
 * proxy could change in the answers. Returns the warning to give when it is allowed, else undefined.
 */
export function checkEndpointTransport(endpoint: string, origin: EndpointOrigin): string | undefined {
    const { protocol, host, hostname } = parseEndpoint(endpoint);
    if (protocol !== "http:" || isLoopbackHost(hostname)) {
        return undefined;
    }
    const named = `${origin.service} endpoint "http://${host}" (${origin.source})`;
    if (origin.allowed) {
        return (
            `${named} is plain http, allowed by ${origin.allowSetting}: credentials and request bodies cross the ` +
            `network in clear, and answers can be changed on the way. Use https://${host} where it is available.`
        );
    }
    throw new InsecureEndpointError(
        `${named} is plain http to another machine: the STS token and the request body would cross the network in clear, ` +
            `and a proxy on the way could change the request or the answer unnoticed. Use https://${host}, or, only on a ` +
            `network you trust, allow it with \`${origin.allowCommand}\`.`,
    );
}
