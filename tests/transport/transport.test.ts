// Transport: plain-http endpoints off this machine are refused (or allowed with a warning), every
// OSS body carries a signed Content-MD5 so a proxy cannot rewrite it, and certificate failures end
// at once with what to do, on the OSS and on the KMS side.
import * as assert from "assert/strict";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { Emulator } from "../../emulator";
import { KEY_ID, startWithBucketAndKey } from "../support/bucketAndKey";
import { KmsClient } from "../../provider/kms/client";
import { KmsError } from "../../provider/kms/errors";
import { OssClient } from "../../provider/oss/client";
import { OssError } from "../../provider/oss/errors";
import { providerAgainst, RecordingSink } from "../support/provider";

/** Slack for timing bounds on a busy 2-core machine: bounds say "ended at once", not "ended fast". */
const SLACK_MS = 5_000;
/** TEST-NET-1 (RFC 5737): an address that is not this machine and answers nobody. */
const REMOTE_HOST = "192.0.2.1";
async function failureOf(promise: Promise<unknown>): Promise<{ error: Error; elapsedMs: number }> {
    const started = Date.now();
    try {
        await promise;
    } catch (error) {
        return { error: error as Error, elapsedMs: Date.now() - started };
    }
    assert.fail("expected a failure");
}

function listen(server: http.Server): Promise<number> {
    return new Promise(resolve => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function close(server: http.Server | undefined): Promise<void> {
    return new Promise(resolve => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve()));
}

describe("transport: plain http, body integrity, certificates", function () {
    this.timeout(60_000);
    let emulator: Emulator;

    beforeEach(async () => {
        emulator = await startWithBucketAndKey();
    });
    afterEach(() => emulator.stop());

    describe("http:// endpoints", () => {
        const remote = `http://${REMOTE_HOST}:8080`;

        it("refuses an OSS endpoint off this machine, naming the setting, why and what to do", async () => {
            const sink = new RecordingSink();
            const provider = await providerAgainst(
                { ...emulator, endpoint: remote },
                { diagnostics: sink, config: { "oss-encryption:operationTimeoutSeconds": "3" } },
            );
            const { error, elapsedMs } = await failureOf(provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" }));
            assert.match(error.message, new RegExp(`OSS endpoint "http://${REMOTE_HOST}:8080" \\(alicloud:endpoints\\)`));
            assert.match(error.message, /STS token .* in clear/);
            assert.match(error.message, /use https:\/\/192\.0\.2\.1:8080/i);
            assert.match(error.message, /pulumi config set oss-encryption:allowInsecureHttp true/);
            assert.ok(elapsedMs < SLACK_MS, `refused at once, not after ${elapsedMs} ms of trying`);
        });

        it("refuses a resource's own http endpoint, naming the property", async () => {
            const provider = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "3" } });
            const { error } = await failureOf(provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256", endpoint: `http://${REMOTE_HOST}` }));
            assert.match(error.message, /OSS endpoint "http:\/\/192\.0\.2\.1" \(the resource's endpoint property\)/);
        });

        it("refuses a KMS endpoint off this machine before sending the key check", async () => {
            const provider = await providerAgainst({ ...emulator, kmsEndpoint: remote }, { config: { "oss-encryption:operationTimeoutSeconds": "3" } });
            const { error, elapsedMs } = await failureOf(provider.create({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: KEY_ID }));
            assert.match(error.message, /KMS endpoint "http:\/\/192\.0\.2\.1:8080" \(alicloud:endpoints\)/);
            assert.match(error.message, /oss-encryption:allowInsecureHttp/);
            assert.ok(elapsedMs < SLACK_MS, `refused at once, not after ${elapsedMs} ms`);
            assert.equal(emulator.getRule("acme-logs"), undefined);
        });

        it("with oss-encryption:allowInsecureHttp, sends and warns once per run", async () => {
            const sink = new RecordingSink();
            const provider = await providerAgainst(
                { ...emulator, endpoint: remote },
                { diagnostics: sink, config: { "oss-encryption:allowInsecureHttp": "true", "oss-encryption:operationTimeoutSeconds": "2" } },
            );
            for (let n = 0; n < 2; n++) {
                const { error } = await failureOf(provider.create({ bucket: "acme-logs", sseAlgorithm: "AES256" }));
                assert.match(error.message, /Timeout|NetworkError/, "the request was sent (and found nobody)");
            }
            const warnings = sink.of("warning").filter(m => m.includes("allowInsecureHttp"));
            assert.equal(warnings.length, 1, sink.of("warning").join("\n"));
            assert.match(warnings[0], /OSS endpoint "http:\/\/192\.0\.2\.1:8080" \(alicloud:endpoints\) is plain http/);
        });

        it("uses loopback http (the emulator) without a word", async () => {
            const sink = new RecordingSink();
            const provider = await providerAgainst(emulator, { diagnostics: sink });
            await provider.create({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: KEY_ID });
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY_ID });
            assert.deepEqual(sink.of("warning"), []);
        });
    });

    describe("a proxy that rewrites the body of PutBucketEncryption", () => {
        let proxy: http.Server | undefined;
        afterEach(() => close(proxy));

        /** Forwards to the emulator, turning a KMS rule into AES256 (and, if asked, fixing Content-MD5 to match). */
        async function tamperingProxy(fixDigest: boolean): Promise<string> {
            const target = new URL(emulator.endpoint);
            proxy = http.createServer((req, res) => {
                const chunks: Buffer[] = [];
                req.on("data", chunk => chunks.push(chunk));
                req.on("end", () => {
                    const body = Buffer.from(
                        Buffer.concat(chunks)
                            .toString("utf8")
                            .replace(/<SSEAlgorithm>KMS<\/SSEAlgorithm>/, "<SSEAlgorithm>AES256</SSEAlgorithm>")
                            .replace(/<KMSMasterKeyID>[^<]*<\/KMSMasterKeyID>/, ""),
                    );
                    const headers: http.OutgoingHttpHeaders = { ...req.headers, "content-length": String(body.length) };
                    if (fixDigest && headers["content-md5"]) {
                        headers["content-md5"] = crypto.createHash("md5").update(body).digest("base64");
                    }
                    const upstream = http.request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers }, answer => {
                        res.writeHead(answer.statusCode ?? 502, answer.headers);
                        answer.pipe(res);
                    });
                    upstream.end(body);
                });
            });
            return `http://127.0.0.1:${await listen(proxy)}`;
        }

        for (const signatureVersion of ["v4", "v1"] as const) {
            it(`${signatureVersion}: is refused (InvalidDigest), and the bucket keeps no rule`, async () => {
                const client = new OssClient({ region: "cn-hangzhou", endpoint: await tamperingProxy(false), credentials: async () => emulator.defaultCredential, signatureVersion });
                const { error } = await failureOf(client.putBucketEncryption("acme-logs", { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY_ID }));
                assert.ok(error instanceof OssError, String(error));
                assert.equal(error.code, "InvalidDigest");
                assert.equal(emulator.getRule("acme-logs"), undefined);
            });

            it(`${signatureVersion}: also rewriting Content-MD5 breaks the signature (SignatureDoesNotMatch)`, async () => {
                const client = new OssClient({ region: "cn-hangzhou", endpoint: await tamperingProxy(true), credentials: async () => emulator.defaultCredential, signatureVersion });
                const { error } = await failureOf(client.putBucketEncryption("acme-logs", { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY_ID }));
                assert.ok(error instanceof OssError, String(error));
                assert.equal(error.code, "SignatureDoesNotMatch");
                assert.equal(emulator.getRule("acme-logs"), undefined);
            });
        }
    });

    describe("an https endpoint with a self-signed certificate", () => {
        let server: https.Server | undefined;
        let endpoint: string;
        let handshakes = 0;

        before(function () {
            this.timeout(30_000);
        });
        beforeEach(async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "self-signed-"));
            const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
            execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
            handshakes = 0;
            server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => res.end("{}"));
            server.on("connection", () => handshakes++);
            fs.rmSync(dir, { recursive: true, force: true });
            endpoint = `https://127.0.0.1:${await listen(server)}`;
        });
        afterEach(() => close(server));

        it("OSS: fails at once, without retrying, with the endpoint, the TLS error and what to do", async () => {
            const client = new OssClient({ region: "cn-hangzhou", endpoint, credentials: async () => emulator.defaultCredential, retry: { deadlineMs: 20_000 } });
            const { error, elapsedMs } = await failureOf(client.getBucketEncryption("acme-logs"));
            assert.ok(error instanceof OssError, String(error));
            assert.equal(error.code, "TlsError");
            assert.match(error.message, /127\.0\.0\.1:\d+/);
            assert.match(error.message, /DEPTH_ZERO_SELF_SIGNED_CERT/);
            assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
            assert.match(error.message, /--use-system-ca/);
            assert.doesNotMatch(error.message, /gave up after/);
            assert.equal(handshakes, 1, "one connection, no retry");
            assert.ok(elapsedMs < SLACK_MS, `${elapsedMs} ms`);
        });

        it("KMS: a wrapped error with the key, the region, the TLS error and what to do, without retrying", async () => {
            const client = new KmsClient({ region: "cn-hangzhou", endpoint, credentials: async () => emulator.defaultCredential, retry: { deadlineMs: 20_000 } });
            const { error, elapsedMs } = await failureOf(client.describeKey(KEY_ID));
            assert.ok(error instanceof KmsError, `a KmsError, not ${error}`);
            assert.equal(error.code, "TlsError");
            assert.match(error.message, new RegExp(`KMS key "${KEY_ID}" in region cn-hangzhou: TlsError`));
            assert.match(error.message, /DEPTH_ZERO_SELF_SIGNED_CERT/);
            assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
            assert.equal(handshakes, 1, "one connection, no retry");
            assert.ok(elapsedMs < SLACK_MS, `${elapsedMs} ms`);
        });
    });
});
