// A `pulumi up` killed with SIGKILL halfway (a CI runner cancelled, an OOM kill), then recovered
// as a user would: `pulumi cancel` (the DIY backend's lock outlives the killed CLI), `pulumi refresh
// --clear-pending-creates`, `pulumi up`. Every bucket must end with the rule the program declares.
import * as assert from "assert/strict";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as automation from "@pulumi/pulumi/automation";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, newStack, TestStack } from "../../harness/stacks";
import { Emulator, startEmulator } from "../../emulator";
import { KillableUpArgs } from "./killable-up";
import {
    assertNoLeaks,
    CHAOS_FULL,
    CHAOS_RESOURCES,
    tearDownAfterSuite,
    mismatches,
    OSS_ACTIONS,
    programOf,
    ProviderStderrTap,
    ruleSpecs,
    RunCapture,
    seedFor,
    selectStack,
} from "./support";
import { changesBesidesSame } from "../../harness/changes";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The deployment as `pulumi stack export` shows it. */
interface Deployment {
    resources: Array<{ urn: string; type: string }>;
    pending_operations?: Array<{ type: string; resource: { urn: string } }>;
}

function deploymentOf(test: TestStack): Deployment {
    return (JSON.parse(test.exportedState()) as { deployment: Deployment }).deployment;
}

/** Lock files of the stack's DIY backend. */
function lockFiles(test: TestStack): string[] {
    const dir = path.join(test.dir, "state", ".pulumi", "locks");
    return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter(f => f.endsWith(".json")) : [];
}

/** Whether any process of the group is alive. */
function groupAlive(pgid: number): boolean {
    try {
        process.kill(-pgid, 0);
        return true;
    } catch {
        return false;
    }
}

describe(`real CLI: an up of ${CHAOS_RESOURCES} resources killed mid-run, then refresh and up`, function () {
    this.timeout(CHAOS_FULL ? 20 * 60_000 : 4 * 60_000);
    // The first run declares half the buckets; the killed run changes every rule and adds the rest.
    const first = ruleSpecs("killed", CHAOS_RESOURCES / 2);
    const second = ruleSpecs("killed", CHAOS_RESOURCES, 1);
    /** PUTs answered before the kill: past the updates, into the creates. */
    const killAfterPuts = Math.ceil(CHAOS_RESOURCES * 0.6);
    let emulator: Emulator;
    let test: TestStack;
    let tap: ProviderStderrTap;
    let killedOutput = "";
    let killedBy: NodeJS.Signals | null = null;
    let atKill: { mismatched: number; pending: string[]; locks: number };
    let orphanGroups: number[] = [];
    const runs = new RunCapture();
    let stack: automation.Stack;

    before(beforeAllNeedingPulumiCli);
    before(async function () {
        emulator = await startEmulator({ seed: 77 });
        seedFor(emulator, second);
        tap = new ProviderStderrTap("kill");
        test = await newStack({ program: programOf(first), config: emulatorConfig(emulator) });
        tap.attachTo(test.dir);
        assert.equal((await test.stack.up(runs.options)).summary.result, "succeeded");
        assert.deepEqual(mismatches(emulator, first), []);

        const providersBefore = tap.starts();
        emulator.clearLog();
        // Slow answers (and some faults) so the kill lands with work done and work in flight.
        emulator.setFaults({ seed: 77, only: OSS_ACTIONS, latencyMs: 250, rates: { InternalError: 0.05, reset: 0.05 } });
        await killMidRun();
        // The provider process runs in a process group of its own (the engine starts plugins so), so
        // killing the CLI leaves it behind: end the ones this test started, by their group id, before
        // looking, as a machine that dies takes both at once.
        const started = tap.read().split("\n").flatMap(line => /^started (\d+)$/.exec(line)?.[1] ?? []).map(Number);
        orphanGroups = started.slice(providersBefore).filter(groupAlive);
        orphanGroups.forEach(pgid => process.kill(-pgid, "SIGKILL"));
        atKill = {
            mismatched: mismatches(emulator, second).length,
            pending: (deploymentOf(test).pending_operations ?? []).map(p => `${p.type} ${p.resource.urn.split("::").pop()}`),
            locks: lockFiles(test).length,
        };
        emulator.setFaults({});
        stack = await selectStack(test.dir, test.stack.name, programOf(second));
    });

    /** Starts `up` of the second program in a process group of its own and SIGKILLs the group halfway. */
    async function killMidRun(): Promise<void> {
        const args: KillableUpArgs = { dir: test.dir, stackName: test.stack.name, specs: second, parallel: 2 };
        const child = childProcess.spawn(process.execPath, [require.resolve("./killable-up"), JSON.stringify(args)], {
            detached: true,
            stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout.on("data", chunk => (killedOutput += chunk));
        child.stderr.on("data", chunk => (killedOutput += chunk));
        const exited = new Promise<void>(resolve => child.on("exit", (_code, signal) => ((killedBy = signal), resolve())));
        const putsDone = () => emulator.requestLog.filter(r => r.action === "PutBucketEncryption" && r.status === 200).length;
        for (const started = Date.now(); putsDone() < killAfterPuts && killedBy === null; ) {
            assert.ok(Date.now() - started < 120_000, "the killable up made no progress");
            await sleep(25);
        }
        process.kill(-child.pid!, "SIGKILL");
        await exited;
    }

    tearDownAfterSuite(() => ({ emulator, test, tap }));

    it("the kill landed mid-run: some rules not yet applied, operations pending, the lock left behind", () => {
        assert.equal(killedBy, "SIGKILL", `the up ended by itself:\n${killedOutput}`);
        assert.ok(atKill.mismatched > 0, "some buckets did not have their new rule yet");
        assert.ok(atKill.pending.length > 0, "the state records operations the killed run had in flight");
        assert.ok(atKill.locks > 0, "the killed CLI left its lock");
        console.log(
            `      at the kill: ${atKill.mismatched} of ${CHAOS_RESOURCES} buckets without their declared rule; pending: ` +
                `${atKill.pending.join(", ") || "none"}; ${atKill.locks} lock file(s); ${orphanGroups.length} orphaned provider process group(s) ended`,
        );
    });

    it("`pulumi cancel` removes the stale lock", async () => {
        await stack.cancel();
        assert.equal(lockFiles(test).length, 0);
    });

    it("`pulumi refresh --clear-pending-creates` settles the state: no pending operation is left", async () => {
        const refresh = await stack.refresh({ clearPendingCreates: true, ...runs.options });
        assert.equal(refresh.summary.result, "succeeded");
        assert.deepEqual(deploymentOf(test).pending_operations ?? [], []);
    });

    it("`pulumi up` converges: every bucket carries the rule the program declares", async () => {
        const up = await stack.up(runs.options);
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(mismatches(emulator, second), []);
        const managed = deploymentOf(test).resources.filter(r => r.type.endsWith(":BucketEncryption"));
        assert.equal(managed.length, CHAOS_RESOURCES);
    });

    it("a preview afterwards shows no changes", async () => {
        const preview = await stack.preview(runs.options);
        assert.deepEqual(changesBesidesSame(preview.changeSummary), []);
    });

    it("no process of the killed run is left", () => {
        const started = tap.read().split("\n").flatMap(line => /^started (\d+)$/.exec(line)?.[1] ?? []).map(Number);
        assert.deepEqual(started.filter(groupAlive), []);
    });

    it("the state, every run's output and the provider's stderr hold no secret", () => {
        const killedRun = new RunCapture();
        killedRun.stdout = killedOutput;
        assertNoLeaks(emulator, test, tap, [runs, killedRun]);
    });
});
