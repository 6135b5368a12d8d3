// Real Pulumi deployments of N BucketEncryption (ours) or N NoopEncryption (the engine's floor)
// through the e2e harness: one stack per variant whose inline program reads a mutable spec, and the
// four timed operations with the CLI's own run time.
import * as fs from "fs";
import * as path from "path";
import type * as automation from "@pulumi/pulumi/automation";
import { BucketEncryption, BucketEncryptionArgs, SseAlgorithm } from "../sdk";
import { Emulator } from "../tests/emulator";
import { emulatorConfig, newStack, TestStack } from "../tests/e2e/harness";
import { linkNoopProviderIntoWork, NoopEncryption, NOOP_TYPE } from "./noop-resource";

/** What is deployed: ours, or the no-op dynamic resource with the same inputs. */
export type Variant = "ours" | "noop";

/** The timed Pulumi operations, in the order a cycle runs them. */
export const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
/** One of OPERATIONS. */
export type Operation = (typeof OPERATIONS)[number];

/** Type token of our resource in state. */
export const OURS_TYPE = "pulumi-nodejs:dynamic/oss:BucketEncryption";

/** The program's parameters, read each time the program runs. */
export interface ProgramSpec {
    count: number;
    algorithm: SseAlgorithm;
    /** KMS key of resource i (sseAlgorithm must then be "KMS"); absent: no key. */
    keyFor?: (i: number) => string | undefined;
}

/** Bucket i of the deployed resources (seed them with seedBuckets). */
export function benchBucket(i: number): string {
    return `bench-${String(i).padStart(4, "0")}`;
}

/** Creates buckets benchBucket(0 .. count-1) in the emulator. */
export function seedBuckets(emulator: Emulator, count: number, name = benchBucket): void {
    for (let i = 0; i < count; i++) {
        emulator.seedBucket(name(i));
    }
}

/** A variant's stack, its program spec and the CLI time of its last operation. */
export interface BenchStack {
    variant: Variant;
    spec: ProgramSpec;
    test: TestStack;
    /** Milliseconds the last `pulumi <operation>` process ran; see timeCliRuns. */
    lastCliMs: number;
}

/** The resources a variant's program declares for a spec. */
function declareResources(variant: Variant, spec: ProgramSpec): void {
    for (let i = 0; i < spec.count; i++) {
        const args: BucketEncryptionArgs = { bucket: benchBucket(i), sseAlgorithm: spec.algorithm };
        const key = spec.keyFor?.(i);
        if (key !== undefined) {
            args.kmsMasterKeyId = key;
        }
        if (variant === "ours") {
            new BucketEncryption(`enc-${i}`, args);
        } else {
            new NoopEncryption(`enc-${i}`, args);
        }
    }
}

/** A fresh stack for a variant on its own file backend, configured for the emulator. */
export async function createBenchStack(
    variant: Variant,
    emulator: Emulator,
    extraEnv?: Record<string, string>,
): Promise<BenchStack> {
    const spec: ProgramSpec = { count: 0, algorithm: "AES256" };
    const test = await newStack({
        name: `oss-encryption-bench-${variant}`,
        program: async () => declareResources(variant, spec),
        config: emulatorConfig(emulator),
        extraEnv,
    });
    linkNoopProviderIntoWork();
    const bench: BenchStack = { variant, spec, test, lastCliMs: NaN };
    timeCliRuns(bench);
    return bench;
}

/** The Automation API's internal runner of CLI commands (PulumiCommand#run). */
interface CliRunner {
    run(args: string[], ...rest: unknown[]): Promise<unknown>;
}

/**
 * Records how long each `pulumi` process of the stack runs. The Automation API's up() also runs
 * `pulumi stack output` and `pulumi stack history` after the update; timing the CLI process alone
 * keeps those out of the figures, so operations are measured as a user typing them would see.
 */
function timeCliRuns(bench: BenchStack): void {
    const runner = bench.test.stack.workspace.pulumiCommand as unknown as CliRunner;
    const run = runner.run;
    if (typeof run !== "function") {
        throw new Error("@pulumi/pulumi's PulumiCommand has no run method any more: update bench/deployments.ts");
    }
    runner.run = async (args, ...rest) => {
        const started = performance.now();
        try {
            return await run.call(runner, args, ...rest);
        } finally {
            if ((OPERATIONS as readonly string[]).includes(args[0])) {
                bench.lastCliMs = performance.now() - started;
            }
        }
    };
}

/** Throws when an operation's change summary is not what the benchmark expects. */
function expectChanges(operation: string, summary: automation.OpMap | undefined, expected: Partial<Record<string, number>>) {
    for (const [kind, count] of Object.entries(expected)) {
        const actual = summary?.[kind as automation.OpType] ?? 0;
        if (actual !== count) {
            throw new Error(`${operation}: expected ${count} "${kind}" steps, got ${actual} (${JSON.stringify(summary)})`);
        }
    }
}

/**
 * Runs one operation and checks it did what the cycle expects; returns the CLI's run time in ms.
 * `up` expects every resource to be created or updated according to `expect` ("create" by default).
 */
export async function runOperation(bench: BenchStack, operation: Operation, expect: "create" | "update" = "create"): Promise<number> {
    const { stack } = bench.test;
    const n = bench.spec.count;
    bench.lastCliMs = NaN;
    switch (operation) {
        case "up": {
            const result = await stack.up();
            // The stack resource itself is created with the resources (a destroy removes it too).
            expectChanges("up", result.summary.resourceChanges, expect === "create" ? { create: n + 1 } : { update: n });
            break;
        }
        case "preview": {
            const result = await stack.preview();
            expectChanges("preview", result.changeSummary, { create: 0, update: 0, delete: 0, replace: 0, same: n + 1 });
            break;
        }
        case "refresh":
            await stack.refresh();
            break;
        case "destroy": {
            const result = await stack.destroy();
            expectChanges("destroy", result.summary.resourceChanges, { delete: n + 1 });
            break;
        }
    }
    return bench.lastCliMs;
}

/** Sizes from a stack's current checkpoint on the file backend. */
export interface StateSizes {
    /** Bytes of the checkpoint file. */
    stateFileBytes: number;
    /** Resources of the variant's type in it. */
    resources: number;
    /** Bytes of one resource's serialised `__provider` input (UTF-8). */
    providerBytes: number;
    /** Mean bytes of one resource's entry in the checkpoint (JSON). */
    resourceEntryBytes: number;
}

/** The checkpoint file of a stack on its file backend (state/.pulumi/stacks/<project>/<stack>.json). */
function checkpointPath(bench: BenchStack): string {
    const stacksDir = path.join(bench.test.dir, "state", ".pulumi", "stacks");
    for (const project of fs.readdirSync(stacksDir)) {
        const file = path.join(stacksDir, project, `${bench.test.stack.name}.json`);
        if (fs.existsSync(file)) {
            return file;
        }
    }
    throw new Error(`no checkpoint for stack ${bench.test.stack.name} under ${stacksDir}`);
}

/** A resource entry of a checkpoint, as far as the benchmark reads it. */
interface StateResource {
    type: string;
    inputs?: Record<string, unknown>;
}

/** The checkpoint's text and its resources of the stack's variant. */
function readState(bench: BenchStack): { text: string; resources: StateResource[] } {
    const text = fs.readFileSync(checkpointPath(bench), "utf8");
    const type = bench.variant === "ours" ? OURS_TYPE : NOOP_TYPE;
    const all: StateResource[] = JSON.parse(text).checkpoint.latest?.resources ?? [];
    return { text, resources: all.filter(r => r.type === type) };
}

/** Measures the state a stack holds now. */
export function measureState(bench: BenchStack): StateSizes {
    const { text, resources } = readState(bench);
    const provider = resources[0]?.inputs?.__provider;
    return {
        stateFileBytes: Buffer.byteLength(text),
        resources: resources.length,
        providerBytes: Buffer.byteLength(typeof provider === "string" ? provider : JSON.stringify(provider ?? "")),
        resourceEntryBytes:
            resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / Math.max(1, resources.length),
    };
}

/** The serialised `__provider` of the stack's first resource (for the start-up test). */
export function serialisedProvider(bench: BenchStack): string {
    const provider = readState(bench).resources[0]?.inputs?.__provider;
    if (typeof provider !== "string") {
        throw new Error(`no plain-text __provider in ${bench.variant}'s state (is it secret?)`);
    }
    return provider;
}
