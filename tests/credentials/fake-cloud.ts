// A fake ECS instance metadata service and a fake STS (AssumeRoleWithOIDC) on 127.0.0.1, and a
// redirect of @alicloud/credentials' requests to them.
//
// The library hard-codes the metadata host (100.100.100.200) and https for STS, with no setting to
// change either; its providers send every request through `doRequest` of its providers/http module
// (kept on each provider instance "for mock"), read when a provider is built. The redirect swaps
// that function for one that rewrites the destination to the fake server and then sends the
// request with the library's own code, so headers, methods, bodies and parsing stay the library's.
import * as http from "http";
import { AddressInfo } from "net";
import { EmulatorCredential } from "../../emulator";

/** One request the fake server saw. */
export interface SeenRequest {
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
    query: Record<string, string>;
    form: Record<string, string>;
}

/** The fake metadata service + STS. */
export interface FakeCloud {
    /** "127.0.0.1:<port>" */
    host: string;
    seen: SeenRequest[];
    /** Credentials handed out in turn, by the metadata service and STS alike; the last one repeats. */
    issue: EmulatorCredential[];
    /** Lifetime of handed-out credentials, in ms. */
    lifetimeMs: number;
    /** Role name the metadata service reports. */
    roleName: string;
    stop(): Promise<void>;
}

const IMDS_TOKEN = "fake-imds-session-token";

/** Starts the fake server. */
export async function startFakeCloud(issue: EmulatorCredential[], lifetimeMs = 6 * 3600_000): Promise<FakeCloud> {
    let issued = 0;
    const next = () => {
        const credential = issue[Math.min(issued++, issue.length - 1)];
        return {
            AccessKeyId: credential.accessKeyId,
            AccessKeySecret: credential.accessKeySecret,
            SecurityToken: credential.securityToken,
            Expiration: new Date(Date.now() + fake.lifetimeMs).toISOString(),
        };
    };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://fake");
            const seen: SeenRequest = {
                method: req.method ?? "",
                path: url.pathname,
                headers: req.headers,
                query: Object.fromEntries(url.searchParams),
                form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))),
            };
            fake.seen.push(seen);
            const [status, body] = answer(seen);
            res.writeHead(status, { "content-type": "application/json" }).end(body);
        });
    });
    const rolePath = "/latest/meta-data/ram/security-credentials/";
    const answer = (r: SeenRequest): [number, string] => {
        if (r.method === "PUT" && r.path === "/latest/api/token") {
            return [200, IMDS_TOKEN];
        }
        if (r.method === "GET" && r.path.startsWith(rolePath)) {
            if (r.headers["x-aliyun-ecs-metadata-token"] !== IMDS_TOKEN) {
                return [401, "missing metadata token"];
            }
            const role = r.path.slice(rolePath.length);
            if (role === "") {
                return [200, fake.roleName];
            }
            return role === fake.roleName ? [200, JSON.stringify({ Code: "Success", ...next() })] : [404, "no such role"];
        }
        if (r.method === "POST" && r.query.Action === "AssumeRoleWithOIDC") {
            return [200, JSON.stringify({ RequestId: "FAKE-STS", Credentials: next() })];
        }
        return [404, "{}"];
    };
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    const fake: FakeCloud = {
        host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen: [],
        issue,
        lifetimeMs,
        roleName: "deploy-role",
        stop: () => new Promise(resolve => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
    return fake;
}

/** The library's request object, as far as the redirect touches it. */
interface LibraryRequest {
    protocol: string;
    host: string;
}

/** Sends the library's metadata and STS requests to `fake` until the returned function is called. */
export function redirectLibraryRequests(fake: FakeCloud): () => void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const httpModule = require("@alicloud/credentials/dist/src/providers/http") as { doRequest: (req: LibraryRequest) => Promise<unknown> };
    const original = httpModule.doRequest;
    httpModule.doRequest = req => {
        if (req.host !== "100.100.100.200" && !/^sts(-vpc)?\..*aliyuncs\.com$/.test(req.host)) {
            throw new Error(`unexpected request to ${req.host} in a test`);
        }
        req.protocol = "http";
        req.host = fake.host;
        return original(req);
    };
    return () => {
        httpModule.doRequest = original;
    };
}
