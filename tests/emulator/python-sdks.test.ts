// Alibaba Cloud's official Python SDKs drive the emulator: oss2 (V1 and V4), alibabacloud-oss-v2
// (V4, its default, and V1) and alibabacloud-kms20160120 (ACS3-HMAC-SHA256, its default), through
// tests/emulator/python/drive_emulator.py (see driven-clients.ts for the cases and checks: bucket
// encryption, and ListBuckets paged with oss2's BucketIterator and alibabacloud-oss-v2's paginator).
//
// The SDKs come from the venv scripts/ensure-python-venv.sh keeps outside the clone. Without
// python3 (or if the venv cannot be made) the suites are skipped with a message, and fail under CI=true.
import * as assert from "assert/strict";
import { execFile } from "child_process";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { Driver, NO_KMS, REGION, Step, StepOutcome, credentialsFor, describeDrivenOssClient, runDriver, skipOrFailWithout } from "./driven-clients";
import { loggedRequest } from "./support";

const REPO = path.resolve(__dirname, "../../..");

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

/** The Python driver in the venv; skips the suite without it, or fails it under CI=true. */
async function pythonDriver(context: Mocha.Context): Promise<Driver> {
    context.timeout(16 * 60 * 1000);
    const python = await ensureVenv();
    if (!python) {
        skipOrFailWithout(context, "the Python SDK conformance tests", `python3 with venv: ${venvProblem}`);
    }
    return { command: python, args: [path.join(REPO, "tests/emulator/python/drive_emulator.py")] };
}

describeDrivenOssClient("oss2 (Python)", "oss2", "v1", pythonDriver);
describeDrivenOssClient("oss2 (Python)", "oss2", "v4", pythonDriver);
describeDrivenOssClient("alibabacloud-oss-v2 (Python)", "alibabacloud-oss-v2", "v4", pythonDriver);
describeDrivenOssClient("alibabacloud-oss-v2 (Python)", "alibabacloud-oss-v2", "v1", pythonDriver);

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
        const driver = await pythonDriver(this);
        emulator = await startEmulator({ credentials: [NO_KMS] });
        emulator.seedKey(KEY);
        const steps: Step[] = CASES.map(c => ({ name: c.name, ...c.step }));
        outcomes = await runDriver(driver, { client: "alibabacloud-kms20160120", endpoint: emulator.kmsEndpoint, region: REGION, credentials: credentialsFor(emulator), steps });
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
