// What the upgrade test and the script that records its fixtures share: the two forms of a user's
// stack (a TypeScript program on the dynamic provider, a YAML program on the plugin), each a project
// outside the repo with the package installed as a user installs it (the packed tarball; the plugin
// folder made from it), configured for the emulator; and the fixtures' placeholders.
//
// A release's fixtures, in tests/upgrade/fixtures/:
//   declared-<release>.json  what both programs declared: resource name -> BucketEncryption args
//   dynamic-<release>.json   `pulumi stack export` of the dynamic-provider stack (with __provider)
//   plugin-<release>.json    `pulumi stack export` of the plugin stack
// Run-specific values in the exports are placeholders (placeholderValues), the salt of the secrets
// provider's state too, and the one secret (the AccessKey secret) is a plaintext secret placeholder.
import * as fs from "fs";
import * as path from "path";
import { Emulator, EncryptionRule } from "../../emulator";
import { installedPlugin, packedTarball } from "../../harness/package";
import { REPO } from "../../harness/pulumi";
import { StateResource } from "../support/inspect";
import { fillPlaceholders, StandaloneProject } from "../support/standalone";

/** The folder of the committed fixtures. */
export const FIXTURES = path.join(REPO, "tests/upgrade/fixtures");

/** The two forms a user's stack can take. */
export const FORMS = ["dynamic", "plugin"] as const;
export type Form = (typeof FORMS)[number];

/**
 * The stack of every recorded stack, and the YAML program's project (the TypeScript program's is in
 * tests/upgrade/program/Pulumi.yaml). URNs carry both, so the stacks imported into are named the same.
 */
export const STACK = "dev";
const YAML_PROJECT = "oss-encryption-upgrade-yaml";

/** What a program declares: resource name -> the BucketEncryption's arguments (plain values). */
export type Declared = Record<string, Record<string, string>>;

/** The region every recorded stack is configured with. */
export const REGION = "cn-hangzhou";

/** The type tokens of BucketEncryption in each form's state. */
const RESOURCE_TYPES: Record<Form, string> = {
    dynamic: "pulumi-nodejs:dynamic/oss:BucketEncryption",
    plugin: "oss-encryption:index:BucketEncryption",
};

export const declaredFile = (release: string) => path.join(FIXTURES, `declared-${release}.json`);
export const fixtureFile = (form: Form, release: string) => path.join(FIXTURES, `${form}-${release}.json`);

/** The releases with recorded fixtures, oldest first. */
export function recordedReleases(): string[] {
    const releases = fs.existsSync(FIXTURES)
        ? fs.readdirSync(FIXTURES).flatMap(f => /^declared-(\d+\.\d+\.\d+)\.json$/.exec(f)?.[1] ?? [])
        : [];
    const parts = (v: string) => v.split(".").map(Number);
    return releases.sort((a, b) => parts(a).reduce((d, n, i) => d || n - parts(b)[i], 0));
}

/** The placeholder of the secrets provider's state: the salt of the stack's passphrase. */
export const SALT = "<secrets-provider-salt>";

/**
 * The run-specific values the fixtures hold as placeholders, in this run: the emulator's endpoints
 * and credential, and the salt of `project`'s stack (import takes the secrets provider's state from
 * the deployment, so the fixture's must be the new stack's own).
 */
export function placeholderValues(emulator: Emulator, project: StandaloneProject): Record<string, string> {
    const stackConfig = fs.readFileSync(path.join(project.dir, `Pulumi.${STACK}.yaml`), "utf8");
    const salt = /^encryptionsalt:\s*(\S+)/m.exec(stackConfig)?.[1];
    if (!salt) {
        throw new Error(`Pulumi.${STACK}.yaml has no encryptionsalt:\n${stackConfig}`);
    }
    return { ...emulatorValues(emulator), [SALT]: salt };
}

/** The emulator's endpoints and credential, by placeholder. */
function emulatorValues(emulator: Emulator): Record<string, string> {
    return {
        "<oss-endpoint>": emulator.endpoint,
        "<kms-endpoint>": emulator.kmsEndpoint,
        "<access-key-id>": emulator.defaultCredential.accessKeyId,
        "<access-key-secret>": emulator.defaultCredential.accessKeySecret,
    };
}

/** The BucketEncryption resources of an exported stack. */
export function bucketEncryptions(form: Form, exported: { deployment: { resources?: StateResource[] } }): StateResource[] {
    return (exported.deployment.resources ?? []).filter(r => r.type === RESOURCE_TYPES[form]);
}

/** A resource's rule as its outputs record it, with OSS's element names. */
export function recordedRule(outputs: Record<string, unknown>): EncryptionRule {
    const rule: EncryptionRule = { SSEAlgorithm: String(outputs.sseAlgorithm) };
    if (outputs.kmsMasterKeyId) {
        rule.KMSMasterKeyID = String(outputs.kmsMasterKeyId);
    }
    if (outputs.kmsDataEncryption) {
        rule.KMSDataEncryption = String(outputs.kmsDataEncryption);
    }
    return rule;
}

/** Seeds each bucket (in its region, with `rule` when given) and an enabled KMS key for each key named. */
export function seed(emulator: Emulator, buckets: Array<{ bucket: string; region: string; rule?: EncryptionRule; keyId?: string }>): void {
    for (const { bucket, region, rule, keyId } of buckets) {
        emulator.seedBucket(bucket, { region, rule });
        if (keyId) {
            emulator.seedKey({ keyId, region, keyState: "Enabled" });
        }
    }
}

/** The stack config of each form, pointing the provider at the emulator (values as placeholders). */
function configCommands(form: Form): string[] {
    const set = (key: string, value: string) => `pulumi config set ${key} '${value}'`;
    if (form === "dynamic") {
        return [
            set("alicloud:region", REGION),
            set("alicloud:accessKey", "<access-key-id>"),
            `pulumi config set --secret alicloud:secretKey '<access-key-secret>'`,
            set("alicloud:endpoints", JSON.stringify([{ oss: "<oss-endpoint>", kms: "<kms-endpoint>" }])),
        ];
    }
    return [
        set("oss-encryption:region", REGION),
        set("oss-encryption:accessKey", "<access-key-id>"),
        `pulumi config set --secret oss-encryption:secretKey '<access-key-secret>'`,
        set("oss-encryption:ossEndpoint", "<oss-endpoint>"),
        set("oss-encryption:kmsEndpoint", "<kms-endpoint>"),
    ];
}

/** The YAML program declaring `declared` with the plugin in `pluginFolder` (JSON values are YAML). */
function yamlProgram(declared: Declared, pluginFolder: string): string {
    const resources = Object.entries(declared).flatMap(([name, args]) => [
        `  ${name}:`,
        "    type: oss-encryption:BucketEncryption",
        "    properties:",
        ...Object.entries(args).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`),
    ]);
    const outputs = Object.keys(declared).map(name => `  ${name}: \${${name}.sseAlgorithm}`);
    return [
        `name: ${YAML_PROJECT}`,
        "runtime: yaml",
        "packages:",
        `  oss-encryption: ${JSON.stringify(pluginFolder)}`,
        "resources:",
        ...resources,
        "outputs:",
        ...outputs,
        "",
    ].join("\n");
}

/**
 * A project of `form` declaring `declared`, with this checkout's build installed as a user installs
 * it, and a stack `dev` on its own file backend configured for `emulator`. The dynamic form is
 * tests/upgrade/program (a TypeScript program reading the declarations from resources.json).
 */
export async function upgradeProject(form: Form, declared: Declared, emulator: Emulator): Promise<StandaloneProject> {
    const project = StandaloneProject.create(form === "dynamic" ? path.join(REPO, "tests/upgrade/program") : undefined);
    try {
        if (form === "dynamic") {
            fs.writeFileSync(path.join(project.dir, "resources.json"), `${JSON.stringify(declared, null, 2)}\n`);
            await project.run(`npm install --no-audit --no-fund --loglevel=error '${packedTarball()}'`, { timeoutMs: 600_000 });
        } else {
            fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), yamlProgram(declared, installedPlugin()));
        }
        await project.run(`pulumi stack init ${STACK}`);
        for (const command of configCommands(form)) {
            await project.run(fillPlaceholders(command, emulatorValues(emulator)));
        }
        return project;
    } catch (err) {
        project.remove();
        throw err;
    }
}
