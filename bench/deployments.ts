// Real Pulumi deployments of N resources of a variant through the e2e harness: one stack per
// variant whose inline program reads a mutable spec, the four timed operations with the CLI's own
// run time, and the state they leave.
import * as fs from "fs";
import * as path from "path";
import type * as automation from "@pulumi/pulumi/automation";
import { BucketEncryptionArgs, SseAlgorithm } from "../sdk";
import { Emulator } from "../tests/emulator";
import { emulatorConfig, newStack, TestStack } from "../tests/e2e/harness";
import { linkNoopProviderIntoWork } from "./noop-resource";
import { Variant } from "./variants";

/** The timed Pulumi operations, in the order a cycle runs them. */
export const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
/** One of OPERATIONS. */
export type Operation = (typeof OPERATIONS)[number];

/** Bucket i of the deployed resources (seed them with seedBuckets). */
export const benchBucket = (i: number) => `bench-${String(i).padStart(4, "0")}`;

/** Creates buckets name(0 .. count-1) in the emulator. */
export function seedBuckets(emulator: Emulator, count: number, name = benchBucket): void {
    for (let i = 0; i < count; i++) {
        emulator.seedBucket(name(i));
    }
}

/** A variant's stack, the program's parameters (read each time it runs) and its last CLI run time. */
export interface BenchStack {
    variant: Variant;
    /** `keyFor(i)`: the KMS key of resource i (sseAlgorithm must then be "KMS"). */
    spec: { count: number; algorithm: SseAlgorithm; keyFor?: (i: number) => string };
    test: TestStack;
    lastCliMs: number;
}

const projectName = (variant: Variant) => `oss-encryption-bench-${variant.name}`;

/** A fresh stack for a variant on its own file backend, configured for the emulator. */
export async function createBenchStack(variant: Variant, emulator: Emulator, extraEnv?: Record<string, string>): Promise<BenchStack> {
    const spec: BenchStack["spec"] = { count: 0, algorithm: "AES256" };
    const program = async () => {
        for (let i = 0; i < spec.count; i++) {
            const args: BucketEncryptionArgs = { bucket: benchBucket(i), sseAlgorithm: spec.algorithm };
            variant.declare(`enc-${i}`, spec.keyFor ? { ...args, kmsMasterKeyId: spec.keyFor(i) } : args);
        }
    };
    const test = await newStack({
        name: projectName(variant),
        program,
        config: variant.config?.(emulator) ?? emulatorConfig(emulator),
        extraEnv: { ...extraEnv, ...variant.env?.() },
    });
    linkNoopProviderIntoWork();
    const bench: BenchStack = { variant, spec, test, lastCliMs: NaN };
    // Time the `pulumi <operation>` process alone: the Automation API's up() also runs `pulumi stack
    // output` and `stack history` afterwards, which a user typing the command does not wait for.
    const runner = test.stack.workspace.pulumiCommand as unknown as { run(args: string[], ...rest: unknown[]): Promise<unknown> };
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
    return bench;
}

/** Throws when an operation's change summary is not what the cycle expects. */
function expectChanges(operation: string, summary: automation.OpMap | undefined, expected: Partial<Record<automation.OpType, number>>) {
    for (const [kind, count] of Object.entries(expected)) {
        const actual = summary?.[kind as automation.OpType] ?? 0;
        if (actual !== count) {
            throw new Error(`${operation}: expected ${count} "${kind}" steps, got ${actual} (${JSON.stringify(summary)})`);
        }
    }
}

/** Runs one operation, checks it did what the cycle expects (`up`: create all, or update all); returns the CLI's ms. */
export async function runOperation(bench: BenchStack, operation: Operation, expect: "create" | "update" = "create"): Promise<number> {
    const { stack } = bench.test;
    const n = bench.spec.count;
    bench.lastCliMs = NaN;
    // The stack resource is created and deleted with the resources, hence n + 1.
    if (operation === "up") {
        expectChanges("up", (await stack.up()).summary.resourceChanges, expect === "create" ? { create: n + 1 } : { update: n });
    } else if (operation === "preview") {
        expectChanges("preview", (await stack.preview()).changeSummary, { create: 0, update: 0, delete: 0, replace: 0, same: n + 1 });
    } else if (operation === "refresh") {
        await stack.refresh();
    } else {
        expectChanges("destroy", (await stack.destroy()).summary.resourceChanges, { delete: n + 1 });
    }
    return bench.lastCliMs;
}

/** The checkpoint's text and the variant's resources in it. */
function readState(bench: BenchStack): { text: string; resources: { inputs?: Record<string, unknown> }[] } {
    const { dir, stack } = bench.test;
    const file = path.join(dir, "state", ".pulumi", "stacks", projectName(bench.variant), `${stack.name}.json`);
    const text = fs.readFileSync(file, "utf8");
    const all: { type: string; inputs?: Record<string, unknown> }[] = JSON.parse(text).checkpoint.latest?.resources ?? [];
    return { text, resources: all.filter(r => r.type === bench.variant.type) };
}

/** The state a stack holds now: checkpoint file bytes, one resource's `__provider` bytes, mean bytes of the variant's resources' entries. */
export function measureState(bench: BenchStack) {
    const { text, resources } = readState(bench);
    const provider = resources[0]?.inputs?.__provider;
    return {
        stateFileBytes: Buffer.byteLength(text),
        providerBytes: Buffer.byteLength(typeof provider === "string" ? provider : JSON.stringify(provider ?? "")),
        resourceEntryBytes: resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / Math.max(1, resources.length),
    };
}

/** The serialised `__provider` of the stack's first resource (for the start-up test). */
export function serialisedProvider(bench: BenchStack): string {
    const provider = readState(bench).resources[0]?.inputs?.__provider;
    if (typeof provider !== "string") {
        throw new Error(`no plain-text __provider in ${bench.variant.name}'s state (is it secret?)`);
    }
    return provider;
}

/** Sizes from a stack's checkpoint on the file backend. */
export type StateSizes = ReturnType<typeof measureState>;
