// A provider process started with DEBUG=* (or DEBUG=httpx:*) prints neither the STS token nor the
// AccessKey secret: @alicloud/pop-core's httpx logs each request body, and KMS's holds SecurityToken.
import * as assert from "assert/strict";
import { spawn } from "child_process";
import * as path from "path";
import { Emulator } from "../../emulator";
import { KEY_ID, startWithBucketAndKey } from "../support/bucketAndKey";

describe("a provider process with DEBUG set", function () {
    this.timeout(60_000);
    let emulator: Emulator;

    beforeEach(async () => {
        emulator = await startWithBucketAndKey();
    });
    afterEach(() => emulator.stop());

    for (const debug of ["*", "httpx:*", "httpx:body,roa"]) {
        it(`DEBUG=${debug}: the key check and the write succeed, and no credential is printed`, async () => {
            const credential = { accessKeyId: "STS.child-key-id", accessKeySecret: "child-sts-secret-value", securityToken: "child-sts-token-value-CAIS" };
            emulator.addCredential(credential);
            // Async: the emulator answers from this process's event loop.
            const child = await new Promise<{ status: number | null; output: string }>(resolve => {
                const spawned = spawn(
                    process.execPath,
                    [path.join(__dirname, "debug-child.js"), JSON.stringify({ endpoint: emulator.endpoint, kmsEndpoint: emulator.kmsEndpoint, credential, keyId: KEY_ID })],
                    { env: { ...process.env, DEBUG: debug, DEBUG_COLORS: "no" } },
                );
                let output = "";
                spawned.stdout.on("data", (chunk: Buffer) => (output += chunk));
                spawned.stderr.on("data", (chunk: Buffer) => (output += chunk));
                spawned.on("close", (status: number | null) => resolve({ status, output }));
            });
            assert.equal(child.status, 0, child.output);
            assert.deepEqual(emulator.getRule("acme-logs"), { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY_ID });
            assert.ok(emulator.requestLog.some(r => r.service === "kms" && r.accessKeyId === credential.accessKeyId && r.status < 300), "KMS was called");
            for (const secret of [credential.securityToken, credential.accessKeySecret]) {
                assert.ok(!child.output.includes(secret), `the process printed a credential:\n${child.output.slice(0, 2000)}`);
            }
        });
    }
});
