// Official clients that run outside this Node process (Python SDKs, the Go SDK) drive the emulator
// through small driver programs (tests/emulator/python/drive_emulator.py, tests/emulator/go/main.go)
// that read steps as JSON and print each step's outcome. This module holds what their suites share:
// running a driver, the OSS cases, and the checks of each outcome against the emulator's log.
import * as assert from "assert/strict";
import { spawn } from "child_process";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";
import { loggedRequest } from "./support";

/** The region every driven client signs for. */
export const REGION = "cn-hangzhou";

/** What a driver reports for one step. */
export type StepOutcome =
    | { ok: true; result: unknown }
    | { ok: false; code: string; status: number; requestId?: string; ec?: string; message?: string };

/** One step for a driver (see tests/emulator/python/drive_emulator.py for the ops). */
export interface Step {
    name: string;
    op: "put" | "put_raw" | "get" | "delete" | "describe_key";
    credential: "default" | "readOnly" | "unknown" | "wrongSecret" | "noKms";
    bucket?: string;
    rule?: Record<string, string>;
    body?: string;
    keyId?: string;
    skewMinutes?: number;
}

/** A driver program: what to run, with its arguments and working directory. */
export interface Driver {
    command: string;
    args: string[];
    cwd?: string;
}

/**
 * Skips the calling suite with a message when its tool is missing (`problem` set), or fails it
 * under CI=true, where every conformance suite must run.
 */
export function skipOrFailWithout(context: Mocha.Context, what: string, problem: string): never {
    if (process.env.CI === "true") {
        throw new Error(`CI=true: ${what} cannot run: ${problem}`);
    }
    console.log(`    skipped (outside CI): ${what} need ${problem}`);
    context.skip();
}

/** Runs a driver asynchronously (the emulator answers in this very process) and parses its answer. */
export function runDriver(driver: Driver, input: object): Promise<Record<string, StepOutcome>> {
    return new Promise((resolve, reject) => {
        const child = spawn(driver.command, driver.args, { cwd: driver.cwd, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        child.on("error", reject);
        child.on("close", code => {
            if (code !== 0) {
                reject(new Error(`${driver.command} ${driver.args.join(" ")} exited with ${code}: ${stderr.slice(-2000)}`));
                return;
            }
            resolve(JSON.parse(stdout) as Record<string, StepOutcome>);
        });
        child.stdin.end(JSON.stringify(input));
    });
}

export const READ_ONLY: EmulatorCredential = {
    accessKeyId: "LTAIdrivenreadonly000000",
    accessKeySecret: "driven-read-only-not-real",
    allow: ["oss:GetBucketEncryption"],
};
export const NO_KMS: EmulatorCredential = { accessKeyId: "LTAIdrivenossonly0000000", accessKeySecret: "driven-oss-only-not-real", allow: ["oss:*"] };

/** The credentials a driver may use, by name (the emulator's generated test keys and made-up ones). */
export function credentialsFor(emulator: Emulator): Record<Step["credential"], EmulatorCredential> {
    return {
        default: emulator.defaultCredential,
        readOnly: READ_ONLY,
        noKms: NO_KMS,
        unknown: { accessKeyId: "LTAIdrivenunknown0000000", accessKeySecret: "whatever" },
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

/** The scheme the emulator logs for each OSS signature version. */
const SCHEME = { v1: "OSS", v4: "OSS4-HMAC-SHA256" };

/**
 * The OSS suite for one driven client and signature version: a round trip of every rule kind and
 * every error code the provider handles, each outcome checked against the emulator's log.
 * `driver` is called in `before` and may skip or fail the suite (see skipOrFailWithout).
 */
export function describeDrivenOssClient(title: string, client: string, version: "v1" | "v4", driver: (context: Mocha.Context) => Promise<Driver>): void {
    describe(`${title} against the emulator, ${version} signatures`, () => {
        let emulator: Emulator | undefined;
        let outcomes: Record<string, StepOutcome>;
        const bucket = `driven-${client.replace(/[^a-z0-9]/g, "")}-${version}`;
        const bareBucket = `${bucket}-bare`;

        before(async function () {
            const program = await driver(this);
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
            const input = { client, version, endpoint: emulator.endpoint, region: REGION, credentials: credentialsFor(emulator), steps };
            outcomes = await runDriver(program, input);
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
            const entry = loggedRequest(emulator as Emulator, outcome.requestId);
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
