// Official clients that run outside this Node process (Python SDKs, the Go SDK) drive the emulator
// through small driver programs (tests/emulator/python/drive_emulator.py, tests/emulator/go/main.go)
// that read steps as JSON and print each step's outcome. This module holds what their suites share:
// running a driver, the OSS cases, and the checks of each outcome against the emulator's log.
import * as assert from "assert/strict";
import { spawn } from "child_process";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";
import { UNDOCUMENTED_EC } from "../../emulator/oss/xml";
import { DEFAULT_ACCOUNT_ID } from "../../emulator/state/keys";
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
    op: "put" | "put_raw" | "get" | "delete" | "describe_key" | "list_buckets" | "list_buckets_page";
    credential: "default" | "readOnly" | "unknown" | "wrongSecret" | "noKms";
    bucket?: string;
    rule?: Record<string, string>;
    body?: string;
    keyId?: string;
    skewMinutes?: number;
    /** ListBuckets' parameters (the driver's SDK default when absent). */
    prefix?: string;
    marker?: string;
    maxKeys?: number;
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

/** The buckets the ListBuckets cases list (with the suite's two): 25, over three regions, seeded out of order. */
export const LISTED_BUCKETS: { name: string; region: string }[] = Array.from({ length: 25 }, (_, i) => (i * 7) % 25).map(n => ({
    name: `listed-${String(n).padStart(2, "0")}`,
    region: ["cn-hangzhou", "cn-shanghai", "cn-beijing"][n % 3],
}));

/** A bucket as a driver reports it (see listed_bucket in drive_emulator.py); the endpoints only where the SDK parses them. */
interface ListedBucket {
    name: string;
    location: string;
    region: string;
    creationDate: string;
    storageClass: string;
    extranetEndpoint?: string;
    intranetEndpoint?: string;
}

/** The ListBuckets steps: SDK paging (10 a page) through all, with a prefix, single pages, and the errors. */
const LIST_STEPS: Step[] = [
    { name: "ListBuckets: all", op: "list_buckets", credential: "default", maxKeys: 10 },
    // Exactly max-keys buckets match: one page, not truncated.
    { name: "ListBuckets: prefix", op: "list_buckets", credential: "default", prefix: "listed-1", maxKeys: 10 },
    { name: "ListBuckets: first page", op: "list_buckets_page", credential: "default", maxKeys: 10 },
    // A marker that names no bucket: the listing starts at the first name after it.
    { name: "ListBuckets: after a marker", op: "list_buckets_page", credential: "default", marker: "listed-2", maxKeys: 10 },
    { name: "ListBuckets: max-keys 1001", op: "list_buckets_page", credential: "default", maxKeys: 1001 },
    { name: "ListBuckets: not allowed", op: "list_buckets_page", credential: "readOnly", maxKeys: 10 },
];

/** The scheme the emulator logs for each OSS signature version. */
const SCHEME = { v1: "OSS", v4: "OSS4-HMAC-SHA256" };

/**
 * The OSS suite for one driven client and signature version: a round trip of every rule kind,
 * every error code the provider handles, and ListBuckets paged with the SDK's own iterator or
 * marker loop over buckets of three regions, each outcome checked against the emulator's log.
 * `driver` is called in `before` and may skip or fail the suite (see skipOrFailWithout).
 */
export function describeDrivenOssClient(title: string, client: string, version: "v1" | "v4", driver: (context: Mocha.Context) => Promise<Driver>): void {
    describe(`${title} against the emulator, ${version} signatures`, () => {
        let emulator: Emulator | undefined;
        let outcomes: Record<string, StepOutcome>;
        const bucket = `driven-${client.replace(/[^a-z0-9]/g, "")}-${version}`;
        const bareBucket = `${bucket}-bare`;

        /** Every bucket of the emulator, in the order ListBuckets gives them. */
        const allNames = [bucket, bareBucket, ...LISTED_BUCKETS.map(b => b.name)].sort();
        let seededAt: [number, number];

        before(async function () {
            const program = await driver(this);
            emulator = await startEmulator({ credentials: [READ_ONLY] });
            const started = Date.now();
            emulator.seedBucket(bucket);
            emulator.seedBucket(bareBucket);
            for (const listedBucket of LISTED_BUCKETS) {
                emulator.seedBucket(listedBucket.name, { region: listedBucket.region });
            }
            seededAt = [Math.floor(started / 1000) * 1000, Date.now()];
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
            steps.push(...LIST_STEPS);
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

        /** A listed bucket's fields against the seeded bucket's (the endpoints where the SDK reports them). */
        function assertListedBucket(listed: ListedBucket): void {
            const region = LISTED_BUCKETS.find(b => b.name === listed.name)?.region ?? REGION;
            assert.equal(listed.location, `oss-${region}`, listed.name);
            assert.equal(listed.region, region, listed.name);
            assert.equal(listed.storageClass, "Standard");
            const created = Date.parse(listed.creationDate);
            assert.ok(created >= seededAt[0] && created <= seededAt[1], `${listed.name}: created ${listed.creationDate}`);
            for (const [field, endpoint] of [["extranetEndpoint", `oss-${region}.aliyuncs.com`], ["intranetEndpoint", `oss-${region}-internal.aliyuncs.com`]] as const) {
                if (listed[field] !== undefined) {
                    assert.equal(listed[field], endpoint);
                }
            }
        }

        function listed(stepName: string): ListedBucket[] {
            const outcome = outcomes[stepName];
            assert.ok(outcome?.ok, `${stepName}: ${JSON.stringify(outcome)}`);
            return (outcome.result as { buckets: ListedBucket[] }).buckets;
        }

        it("ListBuckets pages through every bucket of every region once, in order, 10 a page", () => {
            const buckets = listed("ListBuckets: all");
            assert.deepEqual(buckets.map(b => b.name), allNames);
            buckets.forEach(assertListedBucket);
            // 27 buckets: 3 pages; the prefix: 1; the single pages: 1 each; all signed as the client was set to.
            const answered = (emulator as Emulator).requestLog.filter(r => r.action === "ListBuckets" && r.status === 200);
            assert.equal(answered.length, 6);
            answered.forEach(r => assert.equal(r.signature, SCHEME[version]));
        });

        it("ListBuckets filters by prefix (exactly max-keys matches: one page)", () => {
            assert.deepEqual(listed("ListBuckets: prefix").map(b => b.name), allNames.filter(n => n.startsWith("listed-1")));
        });

        it("ListBuckets reports IsTruncated and NextMarker, and starts after the marker", () => {
            assertSucceeded("ListBuckets: first page", { names: allNames.slice(0, 10), isTruncated: true, nextMarker: allNames[9], owner: DEFAULT_ACCOUNT_ID });
            const rest = allNames.filter(n => n > "listed-2");
            assertSucceeded("ListBuckets: after a marker", { names: rest, isTruncated: false, nextMarker: null, owner: DEFAULT_ACCOUNT_ID });
        });

        it(`ListBuckets refuses max-keys 1001: InvalidArgument (400, EC ${UNDOCUMENTED_EC})`, () =>
            assertFailed("ListBuckets: max-keys 1001", "InvalidArgument", 400, UNDOCUMENTED_EC));

        it("ListBuckets needs oss:ListBuckets: AccessDenied (403)", () => assertFailed("ListBuckets: not allowed", "AccessDenied", 403));
    });
}
