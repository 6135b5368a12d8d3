// Ctrl-C during a `pulumi up` whose PutBucketEncryption never answers, with the real CLI and the
// plugin (examples/yaml, the cheapest program): the engine calls the plugin's Cancel, which must
// end the hanging request at once instead of letting the create wait out its deadline; then
// `pulumi refresh` and `pulumi up`, as the error says, converge on the declared rule.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { scratchDir } from "../../harness/package";
import { releaseArtifacts } from "../../harness/release";
import { fillPlaceholders } from "../support/standalone";
import { readmeSteps } from "./scenario";
import { cliEnv, cliWithHosts, copyExample, Session } from "./support";

/** The deadline of each operation: long, so that waiting it out cannot pass for stopping. */
const DEADLINE_SECONDS = 300;
/** How soon after SIGINT the CLI must be done: seconds, not the deadline (generous for a busy 2-core machine). */
const STOPPED_WITHIN_MS = 30_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe("plugin: Ctrl-C during a hanging PutBucketEncryption (examples/yaml)", function () {
    this.timeout(15 * 60_000);
    let emulator: Emulator;
    let scratch: string;
    let session: Session;
    const bucket = "plugin-cancel-logs";

    before(async function () {
        this.timeout(30 * 60_000);
        const bin = cliWithHosts(this, ["yaml"]);
        emulator = await startEmulator();
        emulator.seedBucket(bucket);
        scratch = scratchDir("plugin-cancel");
        const project = copyExample("yaml", scratch);
        const release = await releaseArtifacts();
        session = new Session(project, cliEnv(bin, scratch));
        const values = {
            "~/.pulumi-state": path.join(scratch, "state"),
            "<version>": release.version,
            "<plugin-tarball>": release.pluginTarball,
            "<access-key-id>": emulator.defaultCredential.accessKeyId,
            "<bucket>": bucket,
        };
        // The README's set-up, up to its first `pulumi up`.
        const steps = readmeSteps("yaml");
        for (const step of steps.slice(0, steps.findIndex(s => s.startsWith("pulumi up")))) {
            const input = step.startsWith("pulumi config set --secret ") ? emulator.defaultCredential.accessKeySecret : undefined;
            await session.shell(fillPlaceholders(step, values), { input });
        }
        await session.run("pulumi", ["config", "set", "oss-encryption:ossEndpoint", emulator.endpoint]);
        await session.run("pulumi", ["config", "set", "oss-encryption:kmsEndpoint", emulator.kmsEndpoint]);
        await session.run("pulumi", ["config", "set", "oss-encryption:operationTimeoutSeconds", String(DEADLINE_SECONDS)]);
    });
    after(async () => {
        console.log(session?.table("yaml"));
        await emulator?.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("SIGINT ends the up within seconds with a cancelled error naming the bucket, and refresh + up converge", async () => {
        emulator.setFaults({ only: ["oss:PutBucketEncryption"], rates: { hang: 1 } });
        const interrupt = new AbortController();
        const up = session.run("pulumi", ["up", "--yes"], { expectFailure: true, interrupt: interrupt.signal, timeoutMs: 10 * 60_000 });
        const hanging = () => emulator.requestLog.some(r => r.action === "PutBucketEncryption" && r.code === "hang");
        for (const started = Date.now(); !hanging(); await sleep(50)) {
            assert.ok(Date.now() - started < 120_000, "no PutBucketEncryption reached the emulator");
        }
        const interruptedAt = Date.now();
        interrupt.abort();
        const interrupted = await up;
        const stoppedAfterMs = Date.now() - interruptedAt;
        console.log(`      SIGINT to exit: ${(stoppedAfterMs / 1000).toFixed(1)} s (deadline ${DEADLINE_SECONDS} s)`);
        assert.ok(stoppedAfterMs < STOPPED_WITHIN_MS, `the up ended ${stoppedAfterMs} ms after SIGINT:\n${interrupted.output}`);
        assert.match(interrupted.output, new RegExp(`PutBucketEncryption on bucket "${bucket}" cancelled`), interrupted.output);
        assert.match(interrupted.output, /pulumi refresh.*pulumi up/s, "the error says what to run next");

        emulator.setFaults({});
        await session.run("pulumi", ["refresh", "--yes"]);
        await session.run("pulumi", ["up", "--yes"]);
        assert.deepEqual(emulator.getRule(bucket), { SSEAlgorithm: "AES256" }, "live == declared");
        await session.run("pulumi", ["preview", "--expect-no-changes"]);
    });
});
