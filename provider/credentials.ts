// The credential chain: where the provider finds Alibaba Cloud credentials, in the order users of
// @pulumi/alicloud and the Alibaba Cloud SDKs expect:
//   1. stack config (alicloud:accessKey/secretKey/securityToken, then alicloud:profile),
//   2. environment variables,
//   3. the shared files (the Alibaba Cloud CLI's ~/.aliyun/config.json, then ~/.alibabacloud/credentials),
//   4. the OIDC role of ACK's RRSA, 5. the ECS instance's RAM role.
// Static keys (1, 2) are read here. The shared files, OIDC and ECS go through @alicloud/credentials,
// which parses the files, talks to STS and the metadata service, and refreshes STS credentials
// before they expire; it is loaded only when the chain gets that far, so start-up stays fast.
// The first source that yields credentials serves the whole process. A source that is set up but
// unusable (half a key pair, a named profile that does not exist) stops the chain: falling through
// to another identity would hide the mistake.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SigningCredentials } from "./oss/signing";
import { SettingName, SettingsForm, setCommand, STACK_CONFIG_FORM } from "./settingNames";

/** Something that hands out credentials for each request, refreshing them when they expire. */
export interface CredentialIssuer {
    getCredentials(): Promise<SigningCredentials>;
}

/** What looking in one place found: an issuer, nothing (go on), or something unusable (stop). */
export type Finding = { found: CredentialIssuer } | { absent: string } | { broken: string };

/** One place the chain looks. */
export interface CredentialSource {
    /** Where, as CredentialsError lists it. */
    where: string;
    look(): Promise<Finding>;
}

/** The names each field of a static key pair is read from, first set name wins. */
export interface StaticKeyNames {
    accessKeyId: string[];
    accessKeySecret: string[];
    securityToken: string[];
}

/** The keys of a form's configuration that hold a static key pair. */
export function configKeyNames(form: SettingsForm): StaticKeyNames {
    return {
        accessKeyId: [form.keyOf.accessKey],
        accessKeySecret: [form.keyOf.secretKey],
        securityToken: [form.keyOf.securityToken],
    };
}

/** Environment variables: the SDKs' names, then the older ones @pulumi/alicloud also reads. */
export const ENV_KEY_NAMES: StaticKeyNames = {
    accessKeyId: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
    accessKeySecret: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
    securityToken: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
};

/** The environment variables of the OIDC (RRSA) role, all three required. */
export const OIDC_ENV_NAMES = ["ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"];

/** Where the ECS RAM role's credentials come from; fixed in @alicloud/credentials. */
export const ECS_METADATA_HOST = "100.100.100.200";

/** No usable credentials; the message lists every place looked at and what was found there. */
export class CredentialsError extends Error {
    constructor(
        looked: Array<{ where: string; outcome: string }>,
        incomplete?: { where: string; why: string },
        form: SettingsForm = STACK_CONFIG_FORM,
    ) {
        const lines = looked.map(({ where, outcome }, i) => `  ${i + 1}. ${where}: ${outcome}`);
        const head = incomplete
            ? `Unusable Alibaba Cloud credentials in ${incomplete.where}: ${incomplete.why}.`
            : "No Alibaba Cloud credentials found.";
        const advice = incomplete
            ? "Complete or remove that setting; the sources after it were not looked at, so that a mistake does not silently select another identity."
            : `Set them with \`${setCommand(form, "accessKey", "<id>")}\` and \`${setCommand(form, "secretKey", "<secret>")}\`, ` +
              "export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile with `aliyun configure`.";
        super(`${head} Looked in, in this order:\n${lines.join("\n")}\n${advice}`);
        this.name = "CredentialsError";
    }
}

/** The first source that yields credentials serves every later request, through its own refreshes. */
export class CredentialChain {
    private chosen: Promise<{ issuer: CredentialIssuer; where: string }> | undefined;

    constructor(
        private readonly sources: CredentialSource[],
        /** The form whose keys the error's advice names. */
        private readonly form: SettingsForm = STACK_CONFIG_FORM,
    ) {}

    /** Credentials for one request; throws CredentialsError when no source yields any. */
    async get(): Promise<SigningCredentials> {
        // A failed search is not remembered: the next operation looks again.
        this.chosen ??= this.choose().catch(err => {
            this.chosen = undefined;
            throw err;
        });
        const { issuer, where } = await this.chosen;
        try {
            return await issuer.getCredentials();
        } catch (err) {
            throw new Error(`Refreshing the Alibaba Cloud credentials from ${where} failed: ${describeFailure(err)}`);
        }
    }

    private async choose(): Promise<{ issuer: CredentialIssuer; where: string }> {
        const looked: Array<{ where: string; outcome: string }> = [];
        for (const [index, source] of this.sources.entries()) {
            const finding = await source.look();
            if ("found" in finding) {
                return { issuer: finding.found, where: source.where };
            }
            if ("broken" in finding) {
                looked.push({ where: source.where, outcome: finding.broken });
                const rest = this.sources.slice(index + 1).map(s => ({ where: s.where, outcome: "not looked at" }));
                throw new CredentialsError([...looked, ...rest], { where: source.where, why: finding.broken }, this.form);
            }
            looked.push({ where: source.where, outcome: finding.absent });
        }
        throw new CredentialsError(looked, undefined, this.form);
    }
}

// ---------------------------------------------------------------------------------------------
// static keys: stack config and environment variables

/** The first non-empty value among names, with the name it came from. */
function firstSet(names: string[], read: (name: string) => string | undefined): { name: string; value: string } | undefined {
    for (const name of names) {
        const value = read(name)?.trim();
        if (value) {
            return { name, value };
        }
    }
    return undefined;
}

/** "A, B, C" for a key-name set, alternatives joined by "or". */
function describeNames(names: StaticKeyNames): string {
    return [names.accessKeyId, names.accessKeySecret, names.securityToken].map(alternatives => alternatives.join(" or ")).join(", ");
}

/** A static AccessKey pair (with an optional STS token) read from config or the environment. */
export function staticKeySource(label: string, names: StaticKeyNames, read: (name: string) => string | undefined): CredentialSource {
    return {
        where: `${label} ${describeNames(names)}`,
        look: async () => {
            const id = firstSet(names.accessKeyId, read);
            const secret = firstSet(names.accessKeySecret, read);
            const token = firstSet(names.securityToken, read);
            if (id && secret) {
                const credentials = { accessKeyId: id.value, accessKeySecret: secret.value, securityToken: token?.value };
                return { found: { getCredentials: async () => credentials } };
            }
            const present = [id, secret, token].filter(field => field !== undefined).map(field => field.name);
            if (present.length === 0) {
                return { absent: "not set" };
            }
            const missing = [id ? undefined : names.accessKeyId, secret ? undefined : names.accessKeySecret]
                .filter(alternatives => alternatives !== undefined)
                .map(alternatives => alternatives.join(" or "));
            return { broken: `${present.join(" and ")} set, but no ${missing.join(" and no ")}` };
        },
    };
}

// ---------------------------------------------------------------------------------------------
// @alicloud/credentials: shared files, OIDC, ECS RAM role

type CredentialsLibrary = typeof import("@alicloud/credentials");

/** A provider of @alicloud/credentials. */
interface LibraryProvider {
    getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken?: string }>;
}

/** Loads @alicloud/credentials on first use (it takes about as long to load as the rest of the provider). */
function library(): CredentialsLibrary {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@alicloud/credentials") as CredentialsLibrary;
}

/** A library provider as an issuer; an empty STS token becomes none. */
function issuerOf(provider: LibraryProvider): CredentialIssuer {
    return {
        getCredentials: async () => {
            const { accessKeyId, accessKeySecret, securityToken } = await provider.getCredentials();
            return { accessKeyId, accessKeySecret, securityToken: securityToken || undefined };
        },
    };
}

/**
 * A library error's message, minus what must not be shown: when the CLI config is not valid
 * JSON, the library quotes the whole file, secrets included.
 */
export function describeFailure(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/^(parse aliyun cli config from '[^']*' failed):.*$/s, "$1: the file is not valid JSON");
}

/**
 * Asks a library provider once. Success: the provider serves from now on. A failure matching
 * `notThere` (the profile is not in this file) lets the chain go on; any other failure stops it,
 * unless `failureIsAbsence` (the metadata service of a machine that is not on ECS).
 */
async function tryProvider(
    build: () => LibraryProvider,
    options: { notThere?: RegExp; failureIsAbsence?: boolean } = {},
): Promise<Finding> {
    try {
        const provider = build();
        await provider.getCredentials();
        return { found: issuerOf(provider) };
    } catch (err) {
        const why = describeFailure(err);
        if (options.notThere?.test(why)) {
            return { absent: "no such profile in this file" };
        }
        return options.failureIsAbsence ? { absent: `no credentials (${why})` } : { broken: why };
    }
}

/** Whether an environment flag is "true", as the library reads its *_DISABLED flags. */
function flagSet(env: NodeJS.ProcessEnv, name: string): boolean {
    return (env[name] ?? "").toLowerCase() === "true";
}

/** `profile "x"`, or what the file itself selects when no profile is named. */
function profileLabel(profile: string | undefined, fallback: string): string {
    return profile ? `profile "${profile}"` : fallback;
}

/** The Alibaba Cloud CLI's config (~/.aliyun/config.json; the library reads it from the home directory). */
export function cliConfigSource(profile: string | undefined, env: NodeJS.ProcessEnv): CredentialSource {
    const file = path.join(os.homedir(), ".aliyun", "config.json");
    return {
        where: `Alibaba Cloud CLI config ${file}, ${profileLabel(profile, "its current profile")}`,
        look: async () => {
            if (flagSet(env, "ALIBABA_CLOUD_CLI_PROFILE_DISABLED")) {
                return { absent: "disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED" };
            }
            if (!fs.existsSync(file)) {
                return { absent: "no such file" };
            }
            return tryProvider(() => library().CLIProfileCredentialsProvider.builder().withProfileName(profile as string).build(), {
                notThere: /unable to get profile with/,
            });
        },
    };
}

/** The SDKs' credentials file (~/.alibabacloud/credentials, or ALIBABA_CLOUD_CREDENTIALS_FILE). */
export function credentialsFileSource(profile: string | undefined, env: NodeJS.ProcessEnv): CredentialSource {
    const file = env.ALIBABA_CLOUD_CREDENTIALS_FILE || path.join(os.homedir(), ".alibabacloud", "credentials");
    const name = profile ?? "default";
    return {
        where: `credentials file ${file}, profile "${name}"`,
        look: async () => {
            if (!fs.existsSync(file)) {
                return { absent: "no such file" };
            }
            return tryProvider(() => library().ProfileCredentialsProvider.builder().withProfileName(name).build(), {
                notThere: /Can not find credential type for/,
            });
        },
    };
}

/** A profile named in the configuration (alicloud:profile): it must be in one of the shared files. */
export function namedProfileSource(profile: string, env: NodeJS.ProcessEnv, form: SettingsForm = STACK_CONFIG_FORM): CredentialSource {
    const files = [cliConfigSource(profile, env), credentialsFileSource(profile, env)];
    return {
        where: `${form.label} ${form.keyOf.profile} "${profile}"`,
        look: async () => {
            const outcomes: string[] = [];
            for (const file of files) {
                const finding = await file.look();
                if (!("absent" in finding)) {
                    return finding;
                }
                outcomes.push(`${file.where.replace(/, profile .*$/, "")}: ${finding.absent}`);
            }
            return { broken: `no such profile (${outcomes.join("; ")})` };
        },
    };
}

/** The OIDC role of ACK's RRSA: a role ARN, an OIDC provider ARN and a token file, exchanged at STS. */
export function oidcRoleSource(env: NodeJS.ProcessEnv): CredentialSource {
    return {
        where: `OIDC role (RRSA) from ${OIDC_ENV_NAMES.join(", ")}`,
        look: async () => {
            const set = OIDC_ENV_NAMES.filter(name => env[name]);
            if (set.length === 0) {
                return { absent: "not set" };
            }
            if (set.length < OIDC_ENV_NAMES.length) {
                const unset = OIDC_ENV_NAMES.filter(name => !env[name]);
                return { broken: `${set.join(" and ")} set, but no ${unset.join(" and no ")}` };
            }
            const [roleArn, providerArn, tokenFile] = OIDC_ENV_NAMES.map(name => env[name] as string);
            return tryProvider(() =>
                library()
                    .OIDCRoleArnCredentialsProvider.builder()
                    .withRoleArn(roleArn)
                    .withOIDCProviderArn(providerArn)
                    .withOIDCTokenFilePath(tokenFile)
                    .build(),
            );
        },
    };
}

/** The RAM role of the ECS instance this runs on, from the instance metadata service. */
export function ecsRoleSource(env: NodeJS.ProcessEnv): CredentialSource {
    const roleName = env.ALIBABA_CLOUD_ECS_METADATA || undefined;
    return {
        where: `ECS RAM role ${roleName ? `"${roleName}" ` : ""}from the instance metadata service (${ECS_METADATA_HOST})`,
        look: async () => {
            if (flagSet(env, "ALIBABA_CLOUD_ECS_METADATA_DISABLED")) {
                return { absent: "disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED" };
            }
            return tryProvider(
                () => library().ECSRAMRoleCredentialsProvider.builder().withRoleName(roleName as string).build(),
                // Off ECS there is simply no metadata service; a named role that fails is a mistake.
                { failureIsAbsence: roleName === undefined },
            );
        },
    };
}

/**
 * The chain in its documented order, for a form's configuration (the settings record's key fields)
 * and the process environment.
 */
export function defaultCredentialChain(
    config: Partial<Record<SettingName, string>>,
    form: SettingsForm,
    env: NodeJS.ProcessEnv,
): CredentialChain {
    const configuredProfile = config.profile?.trim() || undefined;
    const envProfile = env.ALIBABA_CLOUD_PROFILE || env.ALICLOUD_PROFILE || undefined;
    const byKey = new Map<string, string | undefined>(
        (["accessKey", "secretKey", "securityToken"] as const).map(name => [form.keyOf[name], config[name]]),
    );
    return new CredentialChain(
        [
            staticKeySource(form.label, configKeyNames(form), key => byKey.get(key)),
            ...(configuredProfile ? [namedProfileSource(configuredProfile, env, form)] : []),
            staticKeySource("environment variables", ENV_KEY_NAMES, name => env[name]),
            cliConfigSource(envProfile, env),
            credentialsFileSource(envProfile, env),
            // OIDC before ECS: on an ACK node with RRSA the pod's role is the intended one, not the node's.
            oidcRoleSource(env),
            ecsRoleSource(env),
        ],
        form,
    );
}
