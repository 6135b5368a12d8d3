// Replacement safety with the real CLI: a resource renamed without an alias makes Pulumi create the
// new resource and then delete the old one, both for the same bucket. The delete must not strip the
// rule the create has just written, also when the create landed in an earlier run (`up --target`);
// a later run that really drops the resource still deletes it.
import * as assert from "assert/strict";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { emulatorConfig, newStack, TestStack } from "../../harness/stacks";
import { Emulator, startEmulator } from "../../emulator";
import {
    assertNoLeaks,
    CHAOS_PLAN,
    tearDownAfterSuite,
    programOf,
    ProviderStderrTap,
    RuleSpec,
    RunCapture,
    seedFor,
    selectStack,
    wireRule,
} from "./support";
import { changesBesidesSame } from "../../harness/changes";

const LOGS = "replaced-logs";
const OTHER = "replaced-other";
const other: RuleSpec = { name: "other", bucket: OTHER, sseAlgorithm: "SM4" };

describe("real CLI: create-before-delete on the same bucket never strips its rule", function () {
    this.timeout(4 * 60_000);
    let emulator: Emulator;
    let test: TestStack;
    let tap: ProviderStderrTap;
    const runs = new RunCapture();

    /** Runs `up` of `specs` on the test stack, under the chaos faults, capturing its output apart. */
    async function upWith(specs: RuleSpec[], target?: string[]): Promise<{ changes: Record<string, number>; run: RunCapture }> {
        const run = new RunCapture();
        const stack = await selectStack(test.dir, test.stack.name, programOf(specs));
        emulator.setFaults({ ...CHAOS_PLAN, seed: specs.length });
        const result = await stack.up({ ...run.options, ...(target ? { target } : {}) });
        emulator.setFaults({});
        runs.stdout += run.stdout;
        runs.stderr += run.stderr;
        runs.events.push(...run.events);
        assert.equal(result.summary.result, "succeeded");
        return { changes: result.summary.resourceChanges ?? {}, run };
    }

    /** The BucketEncryptions in the state. */
    function managedResources(): Array<{ urn: string; outputs?: { bucket?: string } }> {
        const deployment = JSON.parse(test.exportedState()).deployment as { resources: Array<{ urn: string; type: string; outputs?: { bucket?: string } }> };
        return deployment.resources.filter(r => r.type.endsWith(":BucketEncryption"));
    }

    /** Names of the BucketEncryptions in the state, with their buckets. */
    function managed(): string[] {
        return managedResources()
            .map(r => `${r.urn.split("::").pop()}:${r.outputs?.bucket}`)
            .sort();
    }

    before(beforeAllNeedingPulumiCli);
    before(async function () {
        emulator = await startEmulator({ seed: 3 });
        const logs: RuleSpec = { name: "logs", bucket: LOGS, sseAlgorithm: "AES256" };
        seedFor(emulator, [logs, other]);
        tap = new ProviderStderrTap("replace");
        test = await newStack({ program: programOf([logs, other]), config: emulatorConfig(emulator) });
        tap.attachTo(test.dir);
        assert.equal((await test.stack.up(runs.options)).summary.result, "succeeded");
        assert.deepEqual(emulator.getRule(LOGS), { SSEAlgorithm: "AES256" });
    });

    tearDownAfterSuite(() => ({ emulator, test, tap }));

    it("a rename with a new rule: the new rule stays, the old resource leaves the state, and a warning says why", async () => {
        const renamed: RuleSpec = { name: "audit-logs", bucket: LOGS, sseAlgorithm: "KMS", kmsMasterKeyId: "chaos-key-0" };
        const { changes, run } = await upWith([renamed, other]);
        assert.equal(changes.create, 1);
        assert.equal(changes.delete, 1);
        assert.deepEqual(emulator.getRule(LOGS), wireRule(renamed));
        assert.deepEqual(emulator.getRule(OTHER), wireRule(other));
        assert.deepEqual(managed(), [`audit-logs:${LOGS}`, `other:${OTHER}`]);
        const warnings = run.diagnostics("warning").filter(w => w.includes(`not deleting the rule of bucket "${LOGS}"`));
        assert.equal(warnings.length, 1, `warnings: ${run.diagnostics("warning").join(" | ")}`);
        assert.ok(run.stdout.includes(warnings[0]), "the warning is in the CLI output");
        const deletes = emulator.requestLog.filter(r => r.action === "DeleteBucketEncryption");
        assert.deepEqual(deletes, [], "no DeleteBucketEncryption was sent");
    });

    it("a rename keeping the rule: the rule stays", async () => {
        const renamedAgain: RuleSpec = { name: "audit", bucket: LOGS, sseAlgorithm: "KMS", kmsMasterKeyId: "chaos-key-0" };
        const { changes } = await upWith([renamedAgain, other]);
        assert.equal(changes.create, 1);
        assert.equal(changes.delete, 1);
        assert.deepEqual(emulator.getRule(LOGS), wireRule(renamedAgain));
        assert.deepEqual(managed(), [`audit:${LOGS}`, `other:${OTHER}`]);
    });

    it("a preview afterwards shows no changes", async () => {
        const stack = await selectStack(test.dir, test.stack.name, programOf([{ name: "audit", bucket: LOGS, sseAlgorithm: "KMS", kmsMasterKeyId: "chaos-key-0" }, other]));
        const preview = await stack.preview(runs.options);
        assert.deepEqual(changesBesidesSame(preview.changeSummary), []);
    });

    it("a rename applied over two runs (`up --target` the new resource, then `up`): the rule stays", async () => {
        const split: RuleSpec = { name: "audit-split", bucket: LOGS, sseAlgorithm: "AES256" };
        const urnOf = (name: string) => managedResources()[0].urn.replace(/::[^:]+$/, `::${name}`);
        const first = await upWith([split, other], [urnOf(split.name)]);
        assert.equal(first.changes.create, 1);
        assert.equal(first.changes.delete, undefined, "the old resource is not targeted");
        assert.deepEqual(managed(), [`audit-split:${LOGS}`, `audit:${LOGS}`, `other:${OTHER}`]);
        emulator.clearLog();
        // A new provider process: nothing of the first run is remembered, the program's declaration is what counts.
        const { changes, run } = await upWith([split, other]);
        assert.equal(changes.delete, 1);
        assert.deepEqual(emulator.getRule(LOGS), wireRule(split));
        assert.deepEqual(managed(), [`audit-split:${LOGS}`, `other:${OTHER}`]);
        assert.deepEqual(emulator.requestLog.filter(r => r.action === "DeleteBucketEncryption"), [], "no DeleteBucketEncryption was sent");
        assert.equal(run.diagnostics("warning").filter(w => w.includes(`not deleting the rule of bucket "${LOGS}"`)).length, 1);
    });

    it("a later run that drops the resource (no create for the bucket) does delete its rule", async () => {
        emulator.clearLog();
        const { changes } = await upWith([other]);
        assert.equal(changes.delete, 1);
        assert.equal(emulator.getRule(LOGS), undefined);
        assert.deepEqual(emulator.getRule(OTHER), wireRule(other));
        assert.deepEqual(managed(), [`other:${OTHER}`]);
    });

    it("the state, the CLI output and the provider's stderr hold no secret", () => {
        assertNoLeaks(emulator, test, tap, [runs]);
    });
});
