// Shared helpers of the CLI chaos suites: the size of the chaos runs, programs of many
// BucketEncryption resources and their expected live rules, capture of everything a Pulumi run
// prints, a tap on the dynamic-provider process's stderr, and leak checks.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as automation from "@pulumi/pulumi/automation";
import { BucketEncryption } from "../../sdk";
import { ensurePulumiCli, PASSPHRASE, pulumiEnv, WORK } from "../../harness/pulumi";
import { TestStack } from "../../harness/stacks";
import { Emulator, EncryptionRule, FaultPlan } from "../../emulator";
import { assertNoSecretsLeft, secretsOf } from "../support/inspect";
import { OSS_ACTIONS, parseRetryNotice, RetryNoticeSeen } from "../support/retryNotice";
import { ProviderStderrTap } from "../support/providerStderrTap";

export { OSS_ACTIONS };

/** True under `npm run test:chaos` (OSS_ENCRYPTION_CHAOS=full): the heavy runs at full size. */
export const CHAOS_FULL = process.env.OSS_ENCRYPTION_CHAOS === "full";

/** Resources in the CLI chaos runs: 50 under `npm run test:chaos`, 10 under `npm test`. */
export const CHAOS_RESOURCES = CHAOS_FULL ? 50 : 10;

/**
 * About 30% transient faults on every OSS call, of every kind the provider must ride out, and reads
 * that lag 500 ms behind writes.
 */
export const CHAOS_PLAN: FaultPlan = {
    only: OSS_ACTIONS,
    staleReadMs: 500,
    rates: { InternalError: 0.07, ServiceUnavailable: 0.06, Throttling: 0.04, "Throttling.User": 0.02, TooManyRequests: 0.06, reset: 0.05 },
};

/** The sum of a plan's fault rates. */
export function faultRate(plan: FaultPlan): number {
    return Object.values(plan.rates ?? {}).reduce((sum, rate) => sum + rate, 0);
}

/** KMS keys the specs use, seeded Enabled in cn-hangzhou. */
export const SPEC_KEYS = ["chaos-key-0", "chaos-key-1"];

/** One BucketEncryption a test program declares. */
export interface RuleSpec {
    /** Pulumi resource name. */
    name: string;
    bucket: string;
    sseAlgorithm: "AES256" | "KMS" | "SM4";
    kmsMasterKeyId?: string;
    kmsDataEncryption?: "SM4";
}

/** The kinds of rule the specs cycle through: every algorithm, the OSS default CMK and a named CMK, SM4 data. */
const RULE_KINDS: Array<Omit<RuleSpec, "name" | "bucket">> = [
    { sseAlgorithm: "AES256" },
    { sseAlgorithm: "SM4" },
    { sseAlgorithm: "KMS" },
    { sseAlgorithm: "KMS", kmsMasterKeyId: SPEC_KEYS[0] },
    { sseAlgorithm: "KMS", kmsMasterKeyId: SPEC_KEYS[1], kmsDataEncryption: "SM4" },
];

/**
 * `count` specs named `<prefix>-<i>` for buckets `<prefix>-bucket-<i>`. `variant` shifts which kind
 * of rule each bucket gets, so variant 1 changes every rule of variant 0.
 */
export function ruleSpecs(prefix: string, count: number, variant = 0): RuleSpec[] {
    return Array.from({ length: count }, (_, i) => ({
        name: `${prefix}-${i}`,
        bucket: `${prefix}-bucket-${i}`,
        ...RULE_KINDS[(i + variant) % RULE_KINDS.length],
    }));
}

/** The rule a spec should leave on its bucket, as the emulator stores it. */
export function wireRule(spec: RuleSpec): EncryptionRule {
    return {
        SSEAlgorithm: spec.sseAlgorithm,
        ...(spec.kmsMasterKeyId ? { KMSMasterKeyID: spec.kmsMasterKeyId } : {}),
        ...(spec.kmsDataEncryption ? { KMSDataEncryption: spec.kmsDataEncryption } : {}),
    };
}

/** An inline Pulumi program declaring one BucketEncryption per spec. */
export function programOf(specs: RuleSpec[]): automation.PulumiFn {
    return async () => {
        for (const { name, ...args } of specs) {
            new BucketEncryption(name, args);
        }
    };
}

/**
 * The stack named `stackName` in `dir` (a TestStack's project dir, whose Pulumi.yaml names the
 * backend), with `program` as its program: how a second process, or a changed program, reaches a stack.
 */
export async function selectStack(dir: string, stackName: string, program: automation.PulumiFn): Promise<automation.Stack> {
    const bin = ensurePulumiCli();
    if (!bin) {
        throw new Error("no Pulumi CLI");
    }
    const home = path.join(WORK, "pulumi-home");
    const workspace = await automation.LocalWorkspace.create({
        pulumiCommand: await automation.PulumiCommand.get({ root: path.dirname(bin) }),
        workDir: dir,
        pulumiHome: home,
        program,
        envVars: pulumiEnv(bin, home),
    });
    return automation.Stack.select(stackName, workspace);
}

/** Seeds the specs' buckets (without a rule) and the KMS keys they use. */
export function seedFor(emulator: Emulator, specs: RuleSpec[]): void {
    for (const keyId of SPEC_KEYS) {
        emulator.seedKey({ keyId, region: "cn-hangzhou", keyState: "Enabled" });
    }
    for (const spec of specs) {
        emulator.seedBucket(spec.bucket);
    }
}

/** One line per bucket whose live rule is not its spec's rule; empty when all match. */
export function mismatches(emulator: Emulator, specs: RuleSpec[]): string[] {
    return specs
        .filter(spec => !rulesEqual(emulator.getRule(spec.bucket), wireRule(spec)))
        .map(spec => `${spec.bucket}: live ${JSON.stringify(emulator.getRule(spec.bucket))}, declared ${JSON.stringify(wireRule(spec))}`);
}

function rulesEqual(a: EncryptionRule | undefined, b: EncryptionRule): boolean {
    return a !== undefined && JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
}

/** Everything one or more Pulumi commands printed (stdout, stderr) and reported (engine events). */
export class RunCapture {
    stdout = "";
    stderr = "";
    readonly events: automation.EngineEvent[] = [];

    /** Options for up/preview/refresh/destroy that feed this capture. */
    get options(): { onOutput: (s: string) => void; onError: (s: string) => void; onEvent: (e: automation.EngineEvent) => void } {
        return {
            onOutput: s => void (this.stdout += s),
            onError: s => void (this.stderr += s),
            onEvent: e => void this.events.push(e),
        };
    }

    /** Messages of the diagnostic events of a severity ("info", "warning", "info#err", ...). */
    diagnostics(severity: string): string[] {
        return this.events
            .map(e => e.diagnosticEvent)
            .filter(d => d !== undefined && d.severity === severity)
            .map(d => d!.message.trim());
    }

    /** Retry notices the provider sent to the engine. */
    retryNotices(): RetryNoticeSeen[] {
        return this.diagnostics("info").flatMap(m => parseRetryNotice(m) ?? []);
    }

    /** All of it as one text, for leak checks. */
    text(): string {
        return `${this.stdout}\n${this.stderr}\n${JSON.stringify(this.events)}`;
    }
}

export { ProviderStderrTap };


/**
 * Asserts that no secret is in the state as `pulumi stack export` shows it, in anything the CLI
 * printed or reported, in any file of the stack's directory (state, backups, history, config) or
 * in what the provider processes wrote to stderr.
 */
export function assertNoLeaks(emulator: Emulator, test: TestStack, tap: ProviderStderrTap, captures: RunCapture[]): void {
    assertNoSecretsLeft(secretsOf(emulator), {
        "the exported state": test.exportedState(),
        "the CLI output and engine events": captures.map(c => c.text()).join("\n"),
        "the stack's files": test.leftovers(),
        "the provider's stderr": tap.read(),
    });
}

/**
 * Registers an afterEach that notes a failed test; `keep()` then says whether to keep a suite's
 * stack directories for inspection instead of removing them.
 */
export function keepOnFailure(): { keep: () => boolean } {
    let failed = false;
    afterEach(function () {
        failed ||= this.currentTest?.state === "failed";
    });
    return { keep: () => failed };
}

/**
 * After the suite: stops the emulator, and removes the stack and the stderr tap unless a test failed
 * (then they stay, for a look). `parts` is read at teardown, when the suite has set them.
 */
export function tearDownAfterSuite(parts: () => { emulator?: Emulator; test?: TestStack; tap?: ProviderStderrTap }): void {
    const outcome = keepOnFailure();
    after(async () => {
        const { emulator, test, tap } = parts();
        await emulator?.stop();
        if (!outcome.keep()) {
            await test?.remove();
            tap?.remove();
        }
    });
}

