// Tests that read credentials (the credential chain, the errors for missing ones, the plugin's
// settings) run with a controlled process environment and home directory, so the developer's or
// CI's own credentials never leak in, and nothing ever calls 100.100.100.200.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Every variable the chain or @alicloud/credentials reads. */
export const CREDENTIAL_ENV_NAMES = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY",
    "ALICLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_PROFILE",
    "ALICLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_ROLE_SESSION_NAME",
    "ALIBABA_CLOUD_STS_REGION",
    "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALIBABA_CLOUD_IMDSV1_DISABLED",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
];

/** A temporary home directory and a clean credential environment; restore() undoes both. */
export interface IsolatedEnvironment {
    home: string;
    /** Writes a file under the home directory (creating folders) and returns its path. */
    writeHomeFile(relative: string, content: string): string;
    restore(): void;
}

/**
 * Clears the credential variables, points HOME at an empty directory and disables the ECS
 * metadata lookup, then applies `overrides` (undefined deletes).
 */
export function isolateCredentialEnvironment(overrides: Record<string, string | undefined> = {}): IsolatedEnvironment {
    const saved: Record<string, string | undefined> = {};
    const names = [...CREDENTIAL_ENV_NAMES, "HOME", ...Object.keys(overrides)];
    for (const name of names) {
        saved[name] = process.env[name];
        delete process.env[name];
    }
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "oss-enc-home-"));
    process.env.HOME = home;
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    for (const [name, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete process.env[name];
        } else {
            process.env[name] = value;
        }
    }
    return {
        home,
        writeHomeFile(relative, content) {
            const file = path.join(home, relative);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, content);
            return file;
        },
        restore() {
            for (const name of names) {
                if (saved[name] === undefined) {
                    delete process.env[name];
                } else {
                    process.env[name] = saved[name];
                }
            }
            fs.rmSync(home, { recursive: true, force: true });
        },
    };
}
