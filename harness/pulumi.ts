// The Pulumi CLI the tests, the benchmark and the main job run (found or built by
// scripts/ensure-pulumi-cli.sh), and the environment of every run: offline, isolated, no real
// cloud credential. Where the repository is, and its scratch space.
import { execFileSync } from "child_process";
import * as path from "path";

/** The repository root (this file is compiled to bin/harness/). */
export const REPO = path.resolve(__dirname, "../..");
/** Scratch space for stacks, inside the repo so the provider process resolves our package and the SDK from its node_modules. */
export const WORK = path.join(REPO, ".work");
/** The passphrase of every test stack's secrets provider; also grepped for in leak checks. */
export const PASSPHRASE = "e2e-test-passphrase";

let cliDir: string | undefined;

/**
 * The directory holding `pulumi` and `pulumi-resource-pulumi-nodejs`, found or built by
 * scripts/ensure-pulumi-cli.sh. Without it the e2e suites skip, except under CI=true where a missing
 * CLI fails the run.
 */
export function ensurePulumiCli(): string | undefined {
    if (cliDir) {
        return cliDir;
    }
    try {
        const out = execFileSync("bash", [path.join(REPO, "scripts/ensure-pulumi-cli.sh")], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            timeout: 30 * 60_000,
        });
        cliDir = out.trim().split("\n").pop();
        return cliDir;
    } catch (err) {
        if (process.env.CI === "true") {
            throw new Error(`CI=true and the Pulumi CLI could not be found or built: ${(err as Error).message}`);
        }
        console.warn(`Pulumi CLI not available, skipping end-to-end tests: ${(err as Error).message}`);
        return undefined;
    }
}

/**
 * Makes `require("pulumi-oss-encryption/...")` resolve to this checkout from anywhere in the repo
 * (the npm scripts that run tests do it too; a test run may follow a plain `npm install --ignore-scripts`).
 */
export function linkPackageIntoWork(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(REPO, "scripts/link-self.js")).linkSelf(REPO);
}

/** Environment of every Pulumi run: offline, isolated, and without any real cloud credential. */
export function pulumiEnv(bin: string, home: string): Record<string, string> {
    const env: Record<string, string> = {
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_HOME: home,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "false",
    };
    for (const name of [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALIBABA_CLOUD_REGION",
        "ALICLOUD_ACCESS_KEY",
        "ALICLOUD_SECRET_KEY",
        "ALICLOUD_SECURITY_TOKEN",
        "ALICLOUD_REGION",
    ]) {
        env[name] = "";
    }
    return env;
}
