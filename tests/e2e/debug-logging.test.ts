// With DEBUG=* (the `debug` package's switch, which @alicloud/pop-core's HTTP layer httpx obeys),
// the dynamic provider's process must not print the STS token or the secret: httpx logs request
// bodies, and the KMS request body holds SecurityToken.
import * as assert from "assert";
import { BucketEncryption } from "../../sdk";
import { Emulator } from "../../emulator";
import { KEY_ID, startWithBucketAndKey } from "../support/bucketAndKey";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, newStack, TestStack } from "../../harness/stacks";
import { assertNoSecretsLeft, RunLog } from "../support/inspect";
import { ProviderStderrTap } from "../support/providerStderrTap";

describe("DEBUG=* with STS credentials (real CLI, dynamic provider)", function () {
    this.timeout(180_000);
    let emulator: Emulator;
    let test: TestStack | undefined;

    before(beforeAllNeedingPulumiCli);
    beforeEach(async () => {
        emulator = await startWithBucketAndKey();
    });
    afterEach(async () => {
        await test?.remove();
        await emulator.stop();
    });

    /** A stack over one KMS rule, run with the STS credential `sts` and DEBUG=*. */
    async function stsStack(sts: { accessKeyId: string; accessKeySecret: string; securityToken: string }): Promise<TestStack> {
        emulator.addCredential(sts);
        return newStack({
            program: async () => ({ alg: new BucketEncryption("logs", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: KEY_ID }).sseAlgorithm }),
            config: {
                ...emulatorConfig(emulator),
                "alicloud:accessKey": { value: sts.accessKeyId },
                "alicloud:secretKey": { value: sts.accessKeySecret, secret: true },
                "alicloud:securityToken": { value: sts.securityToken, secret: true },
            },
            extraEnv: { DEBUG: "*" },
        });
    }

    /** The STS credential's secrets as they could appear: raw and URL-encoded. */
    const secretsOf = (sts: { accessKeySecret: string; securityToken: string }) => [sts.accessKeySecret, sts.securityToken, encodeURIComponent(sts.securityToken)];

    it("prints neither the token nor the secret, in the CLI's output or anything left behind", async () => {
        const sts = { accessKeyId: "STS.debug-key-id", accessKeySecret: "debug-sts-secret-value", securityToken: "debug-sts-token-value-CAIS" };
        test = await stsStack(sts);
        const log = new RunLog();
        await test.stack.preview(log.options());
        await test.stack.up(log.options());
        await test.stack.destroy(log.options());
        const kmsCalls = emulator.requestLog.filter(r => r.service === "kms" && r.accessKeyId === sts.accessKeyId && r.status < 300);
        assert.ok(kmsCalls.length > 0, "the KMS key check ran with the STS credential");
        assertNoSecretsLeft(secretsOf(sts), {
            "the CLI output": log.text(),
            "the stack's files": test.leftovers(),
        });
    });

    it("with -v=9 --logflow too: the provider process prints neither (what the engine logs is Pulumi's, see docs)", async () => {
        const sts = { accessKeyId: "STS.verbose-key-id", accessKeySecret: "verbose-sts-secret-value", securityToken: "verbose-sts-token-value-CAIS" };
        test = await stsStack(sts);
        const tap = new ProviderStderrTap("debug-logging");
        try {
            tap.attachTo(test.dir);
            const log = new RunLog();
            const verbose = { ...log.options(), logVerbosity: 9, logFlow: true, logToStdErr: true };
            await test.stack.preview(verbose);
            await test.stack.up(verbose);
            await test.stack.destroy(verbose);
            assert.ok(tap.starts() > 0, "the provider ran through the tap");
            // The CLI logs JSON lines ({"time":..,"level":..,"msg":..}); older CLIs logged glog lines (I1204 ...).
            assert.match(log.text(), /"level":"[A-Z]+","msg":|^I\d{4} /m, "the engine logged at -v=9 to the captured stderr");
            assert.ok(emulator.requestLog.some(r => r.service === "kms" && r.accessKeyId === sts.accessKeyId && r.status < 300), "the KMS key check ran");
            assertNoSecretsLeft(secretsOf(sts), { "the provider process's stderr": tap.read(), "the stack's files": test.leftovers() });
            const engineLeaks = secretsOf(sts).filter(secret => log.text().includes(secret)).length;
            console.log(`      the engine's -v=9 log (${log.text().length} chars) holds ${engineLeaks} of the ${secretsOf(sts).length} secret forms`);
        } finally {
            tap.remove();
        }
    });
});
