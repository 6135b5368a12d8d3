// Servers that are not OSS, or an OSS gone wrong: every answer that is not a well-formed OSS answer
// ends in a clear OssError within the deadline, without crashing or hanging the process.
import * as assert from "assert/strict";
import * as net from "net";
import { MAX_BODY_BYTES, OssClient } from "../../provider/oss/client";
import { OssError } from "../../provider/oss/errors";
import { providerAgainst, QUIET } from "../support/provider";

const BUCKET = "target-bucket";
/** Per-request timeout and overall deadline of the clients under test. */
const REQUEST_TIMEOUT_MS = 500;
const DEADLINE_MS = 3_000;
/** Slack for timing bounds on a busy 2-core machine. */
const SLACK_MS = 5_000;

/** What a hostile server does with a connection once a request's headers have arrived. */
type Behaviour = (socket: net.Socket, request: string) => void;

/** A raw TCP server on 127.0.0.1 that answers every request with `behaviour`, counting requests. */
class HostileServer {
    requests = 0;
    private readonly server: net.Server;
    private readonly sockets = new Set<net.Socket>();

    constructor(behaviour: Behaviour) {
        this.server = net.createServer(socket => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
            socket.on("error", () => undefined);
            let received = "";
            const onData = (chunk: Buffer) => {
                received += chunk.toString("latin1");
                if (received.includes("\r\n\r\n")) {
                    socket.off("data", onData);
                    this.requests++;
                    behaviour(socket, received);
                }
            };
            socket.on("data", onData);
        });
    }

    async listen(): Promise<string> {
        await new Promise<void>(resolve => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        this.sockets.forEach(s => s.destroy());
        await new Promise<void>(resolve => this.server.close(() => resolve()));
    }
}

/** Writes a complete HTTP/1.1 answer and closes the connection. */
function answer(status: number, headers: Record<string, string>, body: string | Buffer): Behaviour {
    return socket => {
        const payload = typeof body === "string" ? Buffer.from(body) : body;
        const head = Object.entries({ "Content-Length": String(payload.length), Connection: "close", ...headers })
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join("");
        socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} X\r\n${head}\r\n`), payload]));
    };
}

const XML = { "Content-Type": "application/xml" };
const RULE_XML =
    '<?xml version="1.0" encoding="UTF-8"?><ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>' +
    "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
const LAUGHS =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
    "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>&lol3;</SSEAlgorithm>" +
    "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
const EXTERNAL_ENTITY =
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
    "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>&xxe;</SSEAlgorithm>" +
    "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";

/** A hostile case: what the server does, and what the client must end with. */
interface Case {
    name: string;
    behaviour: Behaviour;
    code: string;
    message: RegExp;
    /** Whether the client should try again (transient) or fail at the first answer. */
    retried: boolean;
}

const CASES: Case[] = [
    {
        name: "malformed XML",
        behaviour: answer(200, XML, "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256"),
        code: "BadResponse",
        message: /unexpected response \(.*\)/,
        retried: false,
    },
    {
        name: "well-formed XML of another shape",
        behaviour: answer(200, XML, "<ListBucketResult><Name>x</Name></ListBucketResult>"),
        code: "BadResponse",
        message: /missing <ServerSideEncryptionRule>/,
        retried: false,
    },
    {
        name: "a DOCTYPE with nested entities (billion laughs)",
        behaviour: answer(200, XML, LAUGHS),
        code: "BadResponse",
        message: /DOCTYPE or ENTITY declaration is refused/,
        retried: false,
    },
    {
        name: "an external entity (XXE)",
        behaviour: answer(200, XML, EXTERNAL_ENTITY),
        code: "BadResponse",
        message: /DOCTYPE or ENTITY declaration is refused/,
        retried: false,
    },
    {
        name: "an error body with a DOCTYPE",
        behaviour: answer(403, XML, EXTERNAL_ENTITY.replace(/ServerSideEncryptionRule/g, "Error")),
        code: "BadResponse",
        message: /HTTP 403 without an OSS error body/,
        retried: false,
    },
    {
        name: "a body over 1 MiB",
        behaviour: answer(200, XML, Buffer.alloc(MAX_BODY_BYTES + 1024, "a")),
        code: "BadResponse",
        message: /larger than 1048576 bytes/,
        retried: false,
    },
    {
        name: "an endless body without a length",
        behaviour: socket => {
            socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\n");
            const chunk = Buffer.alloc(64 * 1024, "b");
            const pump = () => {
                while (!socket.destroyed && socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) {
                    // keep writing until the socket pushes back
                }
                if (!socket.destroyed) {
                    socket.once("drain", pump);
                }
            };
            pump();
        },
        code: "BadResponse",
        message: /larger than 1048576 bytes/,
        retried: false,
    },
    {
        name: "an HTML page with status 200 (a captive portal)",
        behaviour: answer(200, { "Content-Type": "text/html; charset=utf-8" }, `<html><body>Log in to continue</body></html>`),
        code: "BadResponse",
        message: /content type "text\/html; charset=utf-8" where OSS sends XML/,
        retried: false,
    },
    {
        name: "valid rule XML labelled text/html",
        behaviour: answer(200, { "Content-Type": "text/html" }, RULE_XML),
        code: "BadResponse",
        message: /content type "text\/html"/,
        retried: false,
    },
    {
        name: "bytes that are not HTTP",
        behaviour: socket => socket.end("SSH-2.0-OpenSSH_9.6\r\n\r\n"),
        code: "BadResponse",
        message: /not valid HTTP \(HPE_/,
        retried: false,
    },
    {
        name: "an HTML error page with status 502 (a proxy)",
        behaviour: answer(502, { "Content-Type": "text/html" }, "<html>Bad Gateway</html>"),
        code: "InternalError",
        message: /HTTP 502 without an OSS error body.*gave up after \d+ attempts/,
        retried: true,
    },
    {
        name: "a server that accepts and never answers",
        behaviour: () => undefined,
        code: "Timeout",
        message: /no complete answer from 127\.0\.0\.1:\d+ within \d+ ms.*gave up after \d+ attempts/,
        retried: true,
    },
    {
        name: "headers, then silence",
        behaviour: socket => socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 500\r\n\r\n<Server"),
        code: "Timeout",
        message: /no complete answer/,
        retried: true,
    },
    {
        name: "a body trickled a byte at a time (never idle, never done)",
        behaviour: socket => {
            socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n");
            const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write("<")), 50);
        },
        code: "Timeout",
        message: /no complete answer/,
        retried: true,
    },
    {
        name: "a connection closed without an answer",
        behaviour: socket => socket.destroy(),
        code: "NetworkError",
        message: /the connection to 127\.0\.0\.1:\d+ failed/,
        retried: true,
    },
    {
        name: "a server that always says the clock is skewed",
        behaviour: answer(
            403,
            XML,
            `<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message><ServerTime>${new Date(Date.now() + 3_600_000).toISOString()}</ServerTime></Error>`,
        ),
        code: "RequestTimeTooSkewed",
        message: /RequestTimeTooSkewed \(HTTP 403\)/,
        retried: false,
    },
];

describe("hostile and broken servers", function () {
    this.timeout(DEADLINE_MS + 2 * SLACK_MS);
    const unhandled: unknown[] = [];
    const recordUnhandled = (reason: unknown) => void unhandled.push(reason);
    let server: HostileServer | undefined;

    before(() => process.on("unhandledRejection", recordUnhandled));
    after(() => {
        process.off("unhandledRejection", recordUnhandled);
    });
    afterEach(async () => {
        await server?.stop();
        server = undefined;
    });

    /** Starts a hostile server and a client for it with a short request timeout and deadline. */
    async function clientAgainst(behaviour: Behaviour): Promise<OssClient> {
        server = new HostileServer(behaviour);
        const endpoint = await server.listen();
        return new OssClient({
            region: "cn-hangzhou",
            endpoint,
            credentials: async () => ({ accessKeyId: "hostile-test-id", accessKeySecret: "hostile-test-secret" }),
            requestTimeoutMs: REQUEST_TIMEOUT_MS,
            retry: { baseDelayMs: 50, maxDelayMs: 200, deadlineMs: DEADLINE_MS },
        });
    }

    for (const c of CASES) {
        it(`${c.name}: ${c.code}, ${c.retried ? "retried, then given up by the deadline" : "at once"}`, async () => {
            const client = await clientAgainst(c.behaviour);
            const started = Date.now();
            const error = await client.getBucketEncryption(BUCKET).then(
                () => assert.fail("expected a failure"),
                (err: unknown) => err,
            );
            const elapsedMs = Date.now() - started;
            assert.ok(error instanceof OssError, `expected an OssError, got ${error}`);
            assert.equal(error.code, c.code);
            assert.equal(error.operation, "GetBucketEncryption");
            assert.equal(error.bucket, BUCKET);
            assert.match(error.message, /^GetBucketEncryption on bucket "target-bucket" failed: /);
            assert.match(error.message, c.message);
            assert.ok(!error.message.includes("hostile-test-secret"));
            assert.ok(elapsedMs < DEADLINE_MS + SLACK_MS, `ended after ${elapsedMs} ms`);
            const expected = c.code === "RequestTimeTooSkewed" ? 2 : 1; // one re-signed try
            if (c.retried) {
                assert.ok(server!.requests > 1, `retried: ${server!.requests} requests`);
            } else {
                assert.equal(server!.requests, expected);
            }
        });
    }

    it("a PUT answered by a hostile server fails the same way (no answer at all)", async () => {
        const client = await clientAgainst(() => undefined);
        const started = Date.now();
        await assert.rejects(client.putBucketEncryption(BUCKET, { SSEAlgorithm: "AES256" }), (err: OssError) => err.code === "Timeout");
        assert.ok(Date.now() - started < DEADLINE_MS + SLACK_MS);
    });

    describe("through the provider, with the deadline from stack config", () => {
        /** A provider whose stack points OSS at a hostile server (started here), with a 3 s operation deadline. */
        async function providerFacing(behaviour: Behaviour) {
            server = new HostileServer(behaviour);
            const target = { endpoint: await server.listen(), defaultCredential: { accessKeyId: "hostile-test-id", accessKeySecret: "hostile-test-secret" } };
            return providerAgainst(target, { config: { "oss-encryption:operationTimeoutSeconds": String(DEADLINE_MS / 1000) }, diagnostics: QUIET });
        }

        it("read of a rule from a server that never answers fails within the deadline", async () => {
            const provider = await providerFacing(() => undefined);
            const started = Date.now();
            await assert.rejects(provider.read!(BUCKET, { bucket: BUCKET } as never), /GetBucketEncryption on bucket "target-bucket" failed: Timeout/);
            assert.ok(Date.now() - started < DEADLINE_MS + SLACK_MS);
        });

        it("create against a captive portal fails with the server's content type, and never claims success", async () => {
            const provider = await providerFacing(answer(200, { "Content-Type": "text/html" }, "<html>portal</html>"));
            const started = Date.now();
            const error: Error = await provider.create({ bucket: BUCKET, sseAlgorithm: "AES256" }).then(
                () => assert.fail("expected a failure"),
                (err: Error) => err,
            );
            // The PUT "succeeded" (HTTP 200), but the rule could not be read back: the state records
            // what was put and the message says the rule was not seen.
            assert.match(error.message, /PutBucketEncryption on bucket "target-bucket" succeeded, but reading it back failed .*content type "text\/html"/);
            assert.ok(Date.now() - started < DEADLINE_MS + SLACK_MS);
        });
    });

    // Last: mocha runs a suite's own tests before its nested suites.
    describe("afterwards", () => {
        it("left no unhandled rejection behind", () => {
            assert.deepEqual(unhandled, []);
        });
    });
});
