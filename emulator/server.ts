// The request pipeline both emulated services share: read the request, classify it, inject faults
// (before any authentication, as a flaky network or front end would), run the service logic,
// answer and log. Services plug in through ServiceHandler.
import * as http from "http";
import { AddressInfo } from "net";
import { ServiceError } from "./errors";
import { FaultDecision, FaultInjector } from "./faults";
import { LoggedRequest } from "./types";

/** Bodies larger than this are refused without being parsed. */
const MAX_BODY_BYTES = 64 * 1024;

/** A request as the services see it: fully read, header names lower-case. */
export interface IncomingParts {
    method: string;
    /** Path without the query string, still percent-encoded. */
    path: string;
    /** The query string without "?", still percent-encoded ("" when absent). */
    rawQuery: string;
    headers: Record<string, string>;
    body: Buffer;
    receivedAt: number;
}

/** What to send back. */
export interface Reply {
    status: number;
    headers?: Record<string, string>;
    body?: string;
}

/** What classification learns about a request before any checks: enough to log it and match faults. */
export interface RequestSummary {
    action: string;
    bucket?: string;
    keyId?: string;
    accessKeyId?: string;
    /** The signature scheme the request claims (e.g. "OSS4-HMAC-SHA256"), when it carries one. */
    signature?: string;
}

/** The service-specific parts of the pipeline. */
export interface ServiceHandler<S extends RequestSummary> {
    readonly service: LoggedRequest["service"];
    /** Names the operation; must not throw. */
    classify(req: IncomingParts): S;
    /** Runs the operation; throws ServiceError for error answers. */
    handle(req: IncomingParts, summary: S, requestId: string): Reply;
    /** Renders an error in the service's wire format. */
    errorReply(error: ServiceError, requestId: string, req: IncomingParts): Reply;
    newRequestId(): string;
    /** Headers on every answer, successes and errors alike. */
    commonHeaders(requestId: string): Record<string, string>;
}

/** An HTTP server on 127.0.0.1 running one ServiceHandler through the shared pipeline. */
export class ServiceServer<S extends RequestSummary> {
    private readonly server: http.Server;
    private readonly timers = new Set<NodeJS.Timeout>();
    private stopped = false;

    constructor(
        private readonly handler: ServiceHandler<S>,
        private readonly faults: FaultInjector,
        private readonly log: (entry: LoggedRequest) => void,
    ) {
        this.server = http.createServer((req, res) => {
            this.onRequest(req, res).catch(error => {
                // A bug in the emulator: answer 500 rather than leave the client hanging.
                console.error("emulator:", error);
                if (!res.headersSent) {
                    res.writeHead(500).end();
                }
            });
        });
    }

    /** Starts listening; resolves to "http://127.0.0.1:<port>". */
    async listen(port: number): Promise<string> {
        await new Promise<void>((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, "127.0.0.1", () => resolve());
        });
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    /** Stops answering, drops every connection (including hanging ones) and closes the port. */
    async stop(): Promise<void> {
        this.stopped = true;
        this.timers.forEach(clearTimeout);
        this.timers.clear();
        const closed = new Promise<void>(resolve => this.server.close(() => resolve()));
        this.server.closeAllConnections();
        await closed;
    }

    private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const receivedAt = Date.now();
        const { body, tooLarge } = await readBody(req);
        const parts = toParts(req, body, receivedAt);
        const summary = this.handler.classify(parts);
        const requestId = this.handler.newRequestId();
        const entry: LoggedRequest = {
            service: this.handler.service,
            action: summary.action,
            bucket: summary.bucket,
            keyId: summary.keyId,
            accessKeyId: summary.accessKeyId,
            signature: summary.signature,
            status: 0,
            requestId,
            at: receivedAt,
        };

        const decision = this.faults.decide(this.handler.service, summary.action);
        if (decision.kind === "hang") {
            this.log({ ...entry, code: "hang", injected: true });
            return; // never answered; stop() closes the connection
        }
        await this.delay(this.faults.latencyMs(this.handler.service, summary.action));
        if (this.stopped) {
            return;
        }
        if (decision.kind === "reset") {
            this.log({ ...entry, code: "reset", injected: true });
            req.socket.resetAndDestroy();
            return;
        }

        const { reply, code, injected } = this.answer(parts, summary, requestId, decision, tooLarge);
        res.writeHead(reply.status, { ...this.handler.commonHeaders(requestId), ...reply.headers });
        res.end(reply.body ?? "");
        this.log({ ...entry, status: reply.status, code, injected: injected || undefined });
    }

    /** The reply for a request that is going to be answered: injected error, size error or the service's own. */
    private answer(
        parts: IncomingParts,
        summary: S,
        requestId: string,
        decision: FaultDecision,
        tooLarge: boolean,
    ): { reply: Reply; code?: string; injected: boolean } {
        if (decision.kind === "error") {
            const error = new ServiceError(decision.code, decision.status, "Injected fault: please retry.");
            return { reply: this.handler.errorReply(error, requestId, parts), code: error.code, injected: true };
        }
        try {
            if (tooLarge) {
                throw new ServiceError("EntityTooLarge", 400, `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
            }
            return { reply: this.handler.handle(parts, summary, requestId), injected: false };
        } catch (error) {
            if (!(error instanceof ServiceError)) {
                throw error;
            }
            return { reply: this.handler.errorReply(error, requestId, parts), code: error.code, injected: false };
        }
    }

    private delay(ms: number): Promise<void> {
        if (ms <= 0) {
            return Promise.resolve();
        }
        return new Promise(resolve => {
            const timer = setTimeout(() => {
                this.timers.delete(timer);
                resolve();
            }, ms);
            this.timers.add(timer);
        });
    }
}

/** Reads the whole body, keeping at most MAX_BODY_BYTES (the rest is drained and dropped). */
function readBody(req: http.IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES) {
                chunks.push(chunk);
            }
        });
        req.on("end", () => resolve({ body: Buffer.concat(chunks), tooLarge: size > MAX_BODY_BYTES }));
        req.on("error", reject);
    });
}

function toParts(req: http.IncomingMessage, body: Buffer, receivedAt: number): IncomingParts {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) {
            headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
    }
    return {
        method: (req.method ?? "GET").toUpperCase(),
        path: q >= 0 ? url.slice(0, q) : url,
        rawQuery: q >= 0 ? url.slice(q + 1) : "",
        headers,
        body,
        receivedAt,
    };
}
