// Real Pulumi deployments of N resources of a variant through the e2e harness: one stack per
// variant whose inline program reads a mutable spec. Each operation returns the `pulumi` process's
// own time and the emulator calls it made; the stack's state gives the sizes.
import * as fs from "fs";
import * as path from "path";
import type * as automation from "@pulumi/pulumi/automation";
import { BucketEncryptionArgs, SseAlgorithm } from "../sdk";
import { Emulator, LoggedRequest } from "../emulator";
import { emulatorConfig, newStack, TestStack } from "../harness/stacks";
import { linkNoopProviderIntoWork, Variant } from "./variants";

/** The timed Pulumi operations, in the order a cycle runs them. */
export const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
/** One of OPERATIONS. */
export type Operation = (typeof OPERATIONS)[number];

/** Bucket i of the deployed resources (the emulator must hold it). */
export const benchBucket = (i: number) => `bench-${String(i).padStart(4, "0")}`;

/** A variant's stack and the program's parameters, read each time it runs. */
export interface BenchStack {
    variant: Variant;
    /** `keyFor(i)`: the KMS key of resource i (sseAlgorithm must then be "KMS"). */
    spec: { count: number; algorithm: SseAlgorithm; keyFor?: (i: number) => string };
    test: TestStack;
    emulator: Emulator;
    /** Milliseconds of the last `pulumi <operation>` process. */
    lastCliMs: number;
}

/** The calls of one operation: per service, per action (e.g. PutBucketEncryption), and KMS calls per KeyId. */
export interface CallCounts {
    oss: number;
    kms: number;
    byAction: Record<string, number>;
    kmsByKey: Record<string, number>;
}

/** Counts the calls in the emulator's request log. */
export function countCalls(log: readonly LoggedRequest[]): CallCounts {
    const counts: CallCounts = { oss: 0, kms: 0, byAction: {}, kmsByKey: {} };
    for (const entry of log) {
        counts[entry.service]++;
        counts.byAction[entry.action] = (counts.byAction[entry.action] ?? 0) + 1;
        if (entry.service === "kms") {
            const key = entry.keyId ?? "(none)";
            counts.kmsByKey[key] = (counts.kmsByKey[key] ?? 0) + 1;
        }
    }
    return counts;
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
    const config = variant.config?.(emulator) ?? emulatorConfig(emulator);
    const test = await newStack({ name: projectName(variant), program, config, extraEnv: { ...extraEnv, ...variant.env?.() } });
    linkNoopProviderIntoWork();
    const bench: BenchStack = { variant, spec, test, emulator, lastCliMs: NaN };
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

/**
 * Runs one operation and checks its changes are the cycle's (`up`: create all, or update all; the
 * stack resource is created and deleted with them, hence n + 1). Returns the CLI's ms and the calls.
 */
export async function runOperation(bench: BenchStack, operation: Operation, expect: "create" | "update" = "create") {
    const n = bench.spec.count;
    const expected: Partial<Record<automation.OpType, number>> = {
        up: expect === "create" ? { create: n + 1 } : { update: n },
        preview: { create: 0, update: 0, delete: 0, replace: 0, same: n + 1 },
        refresh: {},
        destroy: { delete: n + 1 },
    }[operation];
    bench.emulator.clearLog();
    bench.lastCliMs = NaN;
    const result = await bench.test.stack[operation]();
    const summary = "changeSummary" in result ? result.changeSummary : result.summary.resourceChanges;
    for (const [kind, count] of Object.entries(expected)) {
        if ((summary?.[kind as automation.OpType] ?? 0) !== count) {
            throw new Error(`${operation}: expected ${count} "${kind}" steps, got ${JSON.stringify(summary)}`);
        }
    }
    return { ms: bench.lastCliMs, calls: countCalls(bench.emulator.requestLog) };
}

/** The checkpoint's text and the variant's resources in it. */
function readState(bench: BenchStack): { text: string; resources: { inputs?: Record<string, unknown> }[] } {
    const file = path.join(bench.test.dir, "state", ".pulumi", "stacks", projectName(bench.variant), `${bench.test.stack.name}.json`);
    const text = fs.readFileSync(file, "utf8");
    const all: { type: string; inputs?: Record<string, unknown> }[] = JSON.parse(text).checkpoint.latest?.resources ?? [];
    return { text, resources: all.filter(r => r.type === bench.variant.type) };
}

/** The state a stack holds now: checkpoint file bytes, one resource's `__provider` bytes, mean bytes of the variant's entries. */
export function measureState(bench: BenchStack) {
    const { text, resources } = readState(bench);
    const provider = resources[0]?.inputs?.__provider;
    return {
        stateFileBytes: Buffer.byteLength(text),
        providerBytes: Buffer.byteLength(typeof provider === "string" ? provider : JSON.stringify(provider ?? "")),
        resourceEntryBytes: resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / Math.max(1, resources.length),
    };
}

/** The serialised `__provider` of the stack's first resource, which start-up sends in its Check. */
export function serialisedProvider(bench: BenchStack): string {
    const provider = readState(bench).resources[0]?.inputs?.__provider;
    if (typeof provider !== "string") {
        throw new Error(`no plain-text __provider in ${bench.variant.name}'s state (is it secret?)`);
    }
    return provider;
}
