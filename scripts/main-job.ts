// The main job (`npm start`): runs examples/basic with the real Pulumi CLI through a whole
// lifecycle and says what happened at each step. Without cloud credentials it targets the embedded
// OSS emulator; with ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET, ALIBABA_CLOUD_REGION and
// OSS_ENCRYPTION_BUCKET set it targets that real bucket instead. It exits non-zero when a step
// leaves the bucket with another rule than that step should.
import * as automation from "@pulumi/pulumi/automation";
import { OssClient } from "../provider/oss/client";
import { findBucketEncryption } from "../provider/bucketEncryption";
import { Emulator, startEmulator } from "../emulator";
import { emulatorConfig, exampleProgram, exampleProjectName, newStack } from "../harness/stacks";
import { changesBesidesSame, withoutStackResource } from "../harness/changes";

/** Where the job runs: the emulator, or a real bucket. */
interface Target {
    description: string;
    bucket: string;
    config: automation.ConfigMap;
    env: Record<string, string>;
    client: OssClient;
    emulator?: Emulator;
}

const PROJECT = exampleProjectName("basic");

async function chooseTarget(): Promise<Target> {
    const env = process.env;
    const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? env.ALICLOUD_ACCESS_KEY;
    const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? env.ALICLOUD_SECRET_KEY;
    const region = env.ALIBABA_CLOUD_REGION ?? env.ALICLOUD_REGION;
    const bucket = env.OSS_ENCRYPTION_BUCKET;
    if (accessKeyId && accessKeySecret && region && bucket) {
        const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN ?? env.ALICLOUD_SECURITY_TOKEN;
        return {
            description: `real OSS: bucket ${bucket} in ${region}`,
            bucket,
            config: { "alicloud:region": { value: region }, [`${PROJECT}:bucket`]: { value: bucket } },
            // The stack reads credentials from the environment, as a pipeline would.
            env: {
                ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
                ...(securityToken ? { ALIBABA_CLOUD_SECURITY_TOKEN: securityToken } : {}),
            },
            client: new OssClient({ region, credentials: async () => ({ accessKeyId, accessKeySecret, securityToken }) }),
        };
    }
    const emulator = await startEmulator();
    const demoBucket = "demo-logs";
    emulator.seedBucket(demoBucket);
    const cred = emulator.defaultCredential;
    return {
        description: `the embedded OSS emulator at ${emulator.endpoint} (no cloud credentials found)`,
        bucket: demoBucket,
        config: { ...emulatorConfig(emulator), [`${PROJECT}:bucket`]: { value: demoBucket } },
        env: {},
        client: new OssClient({ region: "cn-hangzhou", endpoint: emulator.endpoint, credentials: async () => cred }),
        emulator,
    };
}

/** One line per step for the closing summary. */
const summary: string[] = [];

async function step<T>(title: string, action: () => Promise<T>, describe: (result: T) => string): Promise<T> {
    process.stdout.write(`\n== ${title}\n`);
    const started = Date.now();
    events = [];
    const result = await action();
    const description = describe(result);
    summary.push(`${title}: ${description} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    process.stdout.write(`   ${description}\n`);
    return result;
}

/** The engine events of the step under way, to leave the stack resource out of its counts. */
let events: automation.EngineEvent[] = [];

/**
 * A step's changes to the program's resources, e.g. "create: 1" for one new BucketEncryption;
 * fails the job when they are not the `expected` ones.
 */
function changes(summaryCounts: Record<string, number> | undefined, expected: string): string {
    const parts = changesBesidesSame(withoutStackResource(summaryCounts, events));
    const text = parts.length ? parts.join(", ") : "no changes";
    if (text !== expected) {
        throw new Error(`the step reports ${text}, expected ${expected}`);
    }
    return text;
}

async function main(): Promise<void> {
    const target = await chooseTarget();
    console.log(`Target: ${target.description}`);
    /** What the bucket reports now; fails the job when it is not the rule this step should have left. */
    const reports = (expected: string) => async () => {
        const rule = await findBucketEncryption(target.client, target.bucket);
        const report = rule ? JSON.stringify(rule) : "no encryption rule";
        if (report !== expected) {
            throw new Error(`the bucket reports ${report}, expected ${expected}`);
        }
        return report;
    };
    const test = await newStack({ name: PROJECT, program: exampleProgram("basic"), config: target.config, extraEnv: target.env });
    const quiet = { onOutput: () => undefined, onEvent: (event: automation.EngineEvent) => void events.push(event) };
    try {
        await step("up (AES256)", () => test.stack.up(quiet), r => `${changes(r.summary.resourceChanges, "create: 1")}; applied ${r.outputs.sseAlgorithm.value} in ${r.outputs.region.value}`);
        await step("bucket reports", reports('{"SSEAlgorithm":"AES256"}'), r => r);
        await step("preview", () => test.stack.preview(quiet), r => changes(r.changeSummary, "no changes"));

        await test.stack.setConfig(`${PROJECT}:sseAlgorithm`, { value: "KMS" });
        await step("up (rule changed to KMS)", () => test.stack.up(quiet), r => `${changes(r.summary.resourceChanges, "update: 1")}; applied ${r.outputs.sseAlgorithm.value}`);
        await step("bucket reports", reports('{"SSEAlgorithm":"KMS"}'), r => r);

        if (target.emulator) {
            target.emulator.setRule(target.bucket, { SSEAlgorithm: "SM4" });
            console.log("\n(changed the rule out of band to SM4, as someone in the console might)");
        }
        // Against a real bucket nobody changes the rule out of band, so refresh finds nothing.
        const drift = target.emulator ? "update: 1" : "no changes";
        await step("refresh", () => test.stack.refresh(quiet), r => `${changes(r.summary.resourceChanges, drift)} in the state`);
        await step("up (puts the declared rule back)", () => test.stack.up(quiet), r => changes(r.summary.resourceChanges, drift));
        await step("bucket reports", reports('{"SSEAlgorithm":"KMS"}'), r => r);

        await step("destroy", () => test.stack.destroy(quiet), r => changes(r.summary.resourceChanges, "delete: 1"));
        await step("bucket reports", reports("no encryption rule"), r => r);
    } finally {
        await test.remove();
        await target.emulator?.stop();
    }
    console.log(`\nSummary (${target.description}):`);
    for (const line of summary) {
        console.log(`  ${line}`);
    }
}

main().catch(err => {
    console.error(`main job failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
});
