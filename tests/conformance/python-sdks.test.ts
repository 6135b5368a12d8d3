// Alibaba Cloud's official Python SDKs drive the emulator: oss2 (V1 and V4), alibabacloud-oss-v2
// (V4, its default, and V1) and alibabacloud-kms20160120 (ACS3-HMAC-SHA256, its default). Each
// client runs tests/python/drive_emulator.py once with every step; each case then checks the
// client's view (result, or error code, HTTP status and EC) and that the emulator logged that same
// answer for that request id, signed with the scheme the client was set to.
//
// The SDKs come from the venv scripts/ensure-python-venv.sh keeps outside the clone. Without
// python3 (or if the venv cannot be made) the suite is skipped with a message, and fails under CI=true.
import * as assert from "assert/strict";
import { execFile, spawn } from "child_process";
import * as path from "path";
import { Emulator, EmulatorCredential, startEmulator } from "../emulator";
import { loggedRequest } from "./support";

const REPO = path.resolve(__dirname, "../../..");
const DRIVER = path.join(REPO, "tests/python/drive_emulator.py");
const REGION = "cn-hangzhou";

/** What the driver reports for one step. */
type StepOutcome =
    | { ok: true; result: unknown }
    | { ok: false; code: string; status: number; requestId?: string; ec?: string; message?: string };

/** One step for the driver (see drive_emulator.py). */
interface Step {
    name: string;
    op: "put" | "put_raw" | "get" | "delete" | "describe_key";
    credential: "default" | "readOnly" | "unknown" | "wrongSecret" | "noKms";
    bucket?: string;
    rule?: Record<string, string>;
    body?: string;
    keyId?: string;
    skewMinutes?: number;
}

/** The venv's python, made once per run; undefined when it cannot be had (the reason in `venvProblem`). */
let venvPython: Promise<string | undefined> | undefined;
let venvProblem = "";

function ensureVenv(): Promise<string | undefined> {
    venvPython ??= new Promise(resolve => {
        execFile("bash", [path.join(REPO, "scripts/ensure-python-venv.sh")], { cwd: REPO, timeout: 15 * 60 * 1000 }, (error, stdout, stderr) => {
            const venv = stdout.trim().split("\n").at(-1);
            if (error || !venv) {
                venvProblem = `scripts/ensure-python-venv.sh failed: ${(stderr || String(error)).trim().split("\n").slice(-3).join(" | ")}`;
                resolve(undefined);
            } else {
                resolve(path.join(venv, "bin/python"));
            }
        });
    });
    return venvPython;
}

/** Skips the suite without the venv, or fails it under CI=true. */
async function requireVenv(context: Mocha.Context): Promise<string> {
    context.timeout(16 * 60 * 1000);
    const python = await ensureVenv();
    if (python) {
        return python;
    }
    if (process.env.CI === "true") {
        throw new Error(`CI=true: the Python SDK conformance tests cannot run: ${venvProblem}`);
    }
    console.log(`    skipped (outside CI): the Python SDK conformance tests need python3 with venv: ${venvProblem}`);
    context.skip();
}

/** Runs the driver asynchronously (the emulator answers in this very process) and parses its answer. */
function runDriver(python: string, input: object): Promise<Record<string, StepOutcome>> {
    return new Promise((resolve, reject) => {
        const child = spawn(python, [DRIVER], { stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        child.on("error", reject);
        child.on("close", code => {
            if (code !== 0) {
                reject(new Error(`drive_emulator.py exited with ${code}: ${stderr.slice(-2000)}`));
                return;
            }
            resolve(JSON.parse(stdout) as Record<string, StepOutcome>);
        });
        child.stdin.end(JSON.stringify(input));
    });
}

const READ_ONLY: EmulatorCredential = {
    accessKeyId: "LTAIpythonreadonly000000",
    accessKeySecret: "python-read-only-not-real",
    allow: ["oss:GetBucketEncryption"],
};
const NO_KMS: EmulatorCredential = { accessKeyId: "LTAIpythonossonly0000000", accessKeySecret: "python-oss-only-not-real", allow: ["oss:*"] };

/** The credentials the driver may use, by name. */
function credentialsFor(emulator: Emulator): Record<Step["credential"], EmulatorCredential> {
    return {
        default: emulator.defaultCredential,
        readOnly: READ_ONLY,
        noKms: NO_KMS,
        unknown: { accessKeyId: "LTAIpythonunknown0000000", accessKeySecret: "whatever" },
        wrongSecret: { ...emulator.defaultCredential, accessKeySecret: "wrong-secret" },
    };
}

/** The rule kinds, as put and as every client then reports them (empty KMSMasterKeyID left out). */
const RULE_KINDS: { name: string; rule: Record<string, string> }[] = [
    { name: "AES256", rule: { SSEAlgorithm: "AES256" } },
    { name: "KMS with the default key", rule: { SSEAlgorithm: "KMS" } },
    { name: "KMS with a key id", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "9468da86-3509-4f8d-a61e-6eab1eac0002" } },
    { name: "SM4", rule: { SSEAlgorithm: "SM4" } },
    { name: "KMS with SM4 data encryption", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-1", KMSDataEncryption: "SM4" } },
];

/** The OSS error cases: the step that provokes each, and the answer OSS gives. */
const OSS_ERRORS: { code: string; status: number; ec?: string; step: Omit<Step, "name" | "bucket">; bucket?: "missing" | "bare" }[] = [
    { code: "NoSuchBucket", status: 404, ec: "0015-00000101", step: { op: "get", credential: "default" }, bucket: "missing" },
    { code: "NoSuchServerSideEncryptionRule", status: 404, ec: "0005-00000004", step: { op: "get", credential: "default" }, bucket: "bare" },
    { code: "AccessDenied", status: 403, step: { op: "put", credential: "readOnly", rule: { SSEAlgorithm: "AES256" } } },
    { code: "InvalidAccessKeyId", status: 403, step: { op: "get", credential: "unknown" } },
    { code: "SignatureDoesNotMatch", status: 403, ec: "0002-00000040", step: { op: "get", credential: "wrongSecret" } },
    { code: "InvalidArgument", status: 400, ec: "0005-00000003", step: { op: "put", credential: "default", rule: { SSEAlgorithm: "DES" } } },
    { code: "MalformedXML", status: 400, step: { op: "put_raw", credential: "default", body: "<ServerSideEncryptionRule>" } },
    { code: "RequestTimeTooSkewed", status: 403, ec: "0002-00000504", step: { op: "get", credential: "default", skewMinutes: -20 } },
];

/** The OSS clients and signature versions under test, with the scheme the emulator should log. */
const OSS_CLIENTS: { client: string; version: "v1" | "v4" }[] = [
    { client: "oss2", version: "v1" },
    { client: "oss2", version: "v4" },
    { client: "alibabacloud-oss-v2", version: "v4" },
    { client: "alibabacloud-oss-v2", version: "v1" },
];

const SCHEME = { v1: "OSS", v4: "OSS4-HMAC-SHA256" };

for (const { client, version } of OSS_CLIENTS) {
    describe(`${client} (Python) against the emulator, ${version} signatures`, () => {
        let emulator: Emulator;
        let outcomes: Record<string, StepOutcome>;
        const bucket = `py-${client.replace(/[^a-z0-9]/g, "")}-${version}`;
        const bareBucket = `${bucket}-bare`;

        before(async function () {
            const python = await requireVenv(this);
            emulator = await startEmulator({ credentials: [READ_ONLY] });
            emulator.seedBucket(bucket);
            emulator.seedBucket(bareBucket);
            const steps: Step[] = [];
            for (const { name, rule } of RULE_KINDS) {
                steps.push(
                    { name: `${name}: put`, op: "put", credential: "default", bucket, rule },
                    { name: `${name}: get`, op: "get", credential: "default", bucket },
                    { name: `${name}: delete`, op: "delete", credential: "default", bucket },
                    { name: `${name}: get after delete`, op: "get", credential: "default", bucket },
                );
            }
            for (const e of OSS_ERRORS) {
                const target = e.bucket === "missing" ? `${bucket}-missing` : e.bucket === "bare" ? bareBucket : bucket;
                steps.push({ name: e.code, bucket: target, ...e.step });
            }
            outcomes = await runDriver(python, { client, version, endpoint: emulator.endpoint, region: REGION, credentials: credentialsFor(emulator), steps });
        });
        after(() => emulator?.stop());

        /** Asserts a step failed with the code, status (and EC), as the emulator logged it for that request. */
        function assertFailed(stepName: string, code: string, status: number, ec?: string): void {
            const outcome = outcomes[stepName];
            assert.ok(outcome && !outcome.ok, `${stepName}: expected ${code}, got ${JSON.stringify(outcome)}`);
            assert.equal(outcome.code, code, JSON.stringify(outcome));
            assert.equal(outcome.status, status);
            if (ec) {
                assert.equal(outcome.ec, ec);
            }
            const entry = loggedRequest(emulator, outcome.requestId);
            assert.equal(entry.code, code);
            assert.equal(entry.status, status);
            assert.equal(entry.signature, SCHEME[version]);
        }

        function assertSucceeded(stepName: string, result: unknown): void {
            const outcome = outcomes[stepName];
            assert.ok(outcome?.ok, `${stepName}: ${JSON.stringify(outcome)}`);
            assert.deepEqual(outcome.result, result);
        }

        for (const { name, rule } of RULE_KINDS) {
            it(`puts, gets and deletes ${name}`, () => {
                assertSucceeded(`${name}: put`, 200);
                assertSucceeded(`${name}: get`, rule);
                assertSucceeded(`${name}: delete`, 204);
                assertFailed(`${name}: get after delete`, "NoSuchServerSideEncryptionRule", 404, "0005-00000004");
            });
        }

        for (const { code, status, ec } of OSS_ERRORS) {
            it(`${code} (${status}${ec ? `, EC ${ec}` : ""})`, () => assertFailed(code, code, status, ec));
        }
    });
}

describe("alibabacloud-kms20160120 (Python, ACS3-HMAC-SHA256) against the emulator's KMS", () => {
    const KEY = { keyId: "key-python-0001", region: REGION, keyState: "Enabled" as const, aliases: ["alias/python"] };
    const CASES: { name: string; step: Omit<Step, "name">; code?: string; status?: number }[] = [
        { name: "describes a key by id", step: { op: "describe_key", credential: "default", keyId: KEY.keyId } },
        { name: "describes a key by alias", step: { op: "describe_key", credential: "default", keyId: "alias/python" } },
        { name: "Forbidden.KeyNotFound", step: { op: "describe_key", credential: "default", keyId: "no-such-key" }, code: "Forbidden.KeyNotFound", status: 404 },
        { name: "SignatureDoesNotMatch", step: { op: "describe_key", credential: "wrongSecret", keyId: KEY.keyId }, code: "SignatureDoesNotMatch", status: 400 },
        { name: "InvalidAccessKeyId.NotFound", step: { op: "describe_key", credential: "unknown", keyId: KEY.keyId }, code: "InvalidAccessKeyId.NotFound", status: 404 },
        { name: "Forbidden.RAM", step: { op: "describe_key", credential: "noKms", keyId: KEY.keyId }, code: "Forbidden.RAM", status: 403 },
    ];
    let emulator: Emulator;
    let outcomes: Record<string, StepOutcome>;

    before(async function () {
        const python = await requireVenv(this);
        emulator = await startEmulator({ credentials: [NO_KMS] });
        emulator.seedKey(KEY);
        const steps = CASES.map(c => ({ name: c.name, ...c.step }));
        outcomes = await runDriver(python, { client: "alibabacloud-kms20160120", endpoint: emulator.kmsEndpoint, region: REGION, credentials: credentialsFor(emulator), steps });
    });
    after(() => emulator?.stop());

    for (const c of CASES) {
        it(c.code ? `${c.code} (${c.status})` : c.name, () => {
            const outcome = outcomes[c.name];
            if (!c.code) {
                assert.ok(outcome?.ok, JSON.stringify(outcome));
                const { KeyMetadata, RequestId } = outcome.result as { KeyMetadata: Record<string, string>; RequestId: string };
                assert.equal(KeyMetadata.KeyId, KEY.keyId);
                for (const field of ["KeySpec", "KeyUsage", "ProtectionLevel", "PrimaryKeyVersion", "DeletionProtection", "Origin"]) {
                    assert.ok(KeyMetadata[field], `${field} missing`);
                }
                assert.equal(loggedRequest(emulator, RequestId).signature, "ACS3-HMAC-SHA256");
                return;
            }
            assert.ok(outcome && !outcome.ok, JSON.stringify(outcome));
            assert.equal(outcome.code, c.code);
            assert.equal(outcome.status, c.status);
            const entry = loggedRequest(emulator, outcome.requestId);
            assert.equal(entry.code, c.code);
            assert.equal(entry.status, c.status);
            assert.equal(entry.signature, "ACS3-HMAC-SHA256");
        });
    }
});
