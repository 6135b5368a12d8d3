// The pack's policies applied to buckets' live rules (the scan, scan/): the same definitions and
// the same pack config file as `pulumi preview --policy-pack ... --policy-pack-config`, so a bucket
// passes exactly when a stack declaring its live rule passes the pack. Only the policies that judge
// a rule apply: one-owner-per-bucket and no-unencrypting-delete judge a stack's resources, which a
// live bucket does not have. A bucket without a rule is what every-bucket-encrypted reports.
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import { nearestName } from "../provider/nearestName";
import { EncryptionDeclaration } from "./declarations";
import { checkSettings, PolicySettingsError, ResourcePolicyDefinition } from "./definition";
import { POLICY_NAMES } from "./names";
import { RESOURCE_POLICIES } from "./resourcePolicies";
import { STACK_POLICIES } from "./stackPolicies";

/** A live rule, field names as the provider's inputs spell them; undefined fields are absent. */
export interface LiveRule {
    sseAlgorithm: string;
    kmsMasterKeyId?: string;
    kmsDataEncryption?: string;
}

/** What one policy says of one bucket. */
export interface Finding {
    policy: string;
    /** The policy's level in this configuration: mandatory (and remediate) fail the bucket, advisory does not. */
    level: Exclude<EnforcementLevel, "disabled">;
    message: string;
}

/** The resource policies that judge a rule, in the pack's order. */
const RULE_POLICIES: Array<ResourcePolicyDefinition<object>> = [
    RESOURCE_POLICIES.allowedAlgorithms as ResourcePolicyDefinition<object>,
    RESOURCE_POLICIES.kmsRequired,
    RESOURCE_POLICIES.allowedKmsKeys as ResourcePolicyDefinition<object>,
    RESOURCE_POLICIES.sm4Required,
];
const EVERY_BUCKET_ENCRYPTED = STACK_POLICIES.everyBucketEncrypted;
/** Every policy name a pack config may hold, the policies the scan does not apply included. */
const ALL_POLICY_NAMES: string[] = Object.values(POLICY_NAMES);
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const SOURCE = "the scan's --policy-pack-config file";

/** Each applied policy's level and config, after the pack config file. */
export interface LiveRulePolicies {
    levels: Record<string, EnforcementLevel>;
    configs: Record<string, object>;
}

/** A level from the file, or a PolicySettingsError naming where it is. */
function levelOf(value: unknown, where: string): EnforcementLevel {
    if (typeof value === "string" && (LEVELS as string[]).includes(value)) {
        return value as EnforcementLevel;
    }
    throw new PolicySettingsError(`${where}: enforcementLevel ${JSON.stringify(value)} is not one of ${LEVELS.join(", ")} (${SOURCE}).`);
}

/** Checks the types of `given` against the policy's config schema (arrays of strings or of enumerated strings, booleans). */
function checkTypes(name: string, schema: PolicyConfigSchema | undefined, given: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(given)) {
        const property = schema?.properties?.[key] as { type?: string; items?: { enum?: string[] } } | undefined;
        if (!property) {
            continue;
        }
        const enumeration = property.items?.enum;
        const fits =
            property.type === "boolean"
                ? typeof value === "boolean"
                : Array.isArray(value) && value.every(item => typeof item === "string" && (!enumeration || enumeration.includes(item)));
        if (!fits) {
            const expected = property.type === "boolean" ? "true or false" : `a list of ${enumeration ? enumeration.join(", ") : "strings"}`;
            throw new PolicySettingsError(`${name}: ${key} must be ${expected}; got ${JSON.stringify(value).slice(0, 64)} (${SOURCE}).`);
        }
    }
}

/**
 * Reads a pack config (the parsed `--policy-pack-config` JSON): `all` and each policy's name, as a
 * level or `{ enforcementLevel, ...config }`. Fails closed, naming the entry: an unknown policy name
 * (with the nearest; the engine ignores such an entry when it has a level), a level that is none,
 * a setting a policy does not have, a value of the wrong type.
 */
export function readPackConfig(file: unknown): LiveRulePolicies {
    if (typeof file !== "object" || file === null || Array.isArray(file)) {
        throw new PolicySettingsError(`${SOURCE} must hold a JSON object keyed by policy name.`);
    }
    const entries = file as Record<string, unknown>;
    const levelAndSettings = (name: string, value: unknown): { level?: EnforcementLevel; settings: Record<string, unknown> } => {
        if (typeof value === "string") {
            return { level: levelOf(value, name), settings: {} };
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            throw new PolicySettingsError(`${name}: expected a level or an object with enforcementLevel and settings (${SOURCE}).`);
        }
        const { enforcementLevel, ...settings } = value as Record<string, unknown>;
        return { level: enforcementLevel === undefined ? undefined : levelOf(enforcementLevel, name), settings };
    };
    const all = entries.all === undefined ? undefined : levelAndSettings("all", entries.all).level;
    for (const name of Object.keys(entries)) {
        if (name !== "all" && !ALL_POLICY_NAMES.includes(name)) {
            const nearest = nearestName(name, ALL_POLICY_NAMES);
            throw new PolicySettingsError(
                `${SOURCE} names no policy "${name}"${nearest ? ` (did you mean "${nearest}"?)` : ""}; the pack's policies are ${ALL_POLICY_NAMES.join(", ")}.`,
            );
        }
    }
    const levels: Record<string, EnforcementLevel> = {};
    const configs: Record<string, object> = {};
    // Every policy's entry is checked, as the pack checks it; the ones the scan does not apply are then left out.
    const everyPolicy: Array<ResourcePolicyDefinition<object> | typeof EVERY_BUCKET_ENCRYPTED> = [
        ...(Object.values(RESOURCE_POLICIES) as Array<ResourcePolicyDefinition<object>>),
        ...Object.values(STACK_POLICIES),
    ];
    for (const definition of everyPolicy) {
        const { level, settings } = entries[definition.name] === undefined ? { level: undefined, settings: {} } : levelAndSettings(definition.name, entries[definition.name]);
        const defaults = "defaults" in definition ? definition.defaults : {};
        checkSettings(definition, Object.keys(defaults), settings, SOURCE);
        if ("configSchema" in definition) {
            checkTypes(definition.name, definition.configSchema?.(defaults), settings);
        }
        levels[definition.name] = level ?? all ?? definition.enforcementLevel;
        configs[definition.name] = { ...defaults, ...settings };
    }
    return { levels, configs };
}

/** The policies at their default levels and settings, as a pack without a config file runs them. */
export const DEFAULT_LIVE_RULE_POLICIES: LiveRulePolicies = readPackConfig({});

/** What the pack's policies say of a bucket's live rule (undefined: the bucket has none). */
export function judgeLiveRule(bucket: string, rule: LiveRule | undefined, policies: LiveRulePolicies): Finding[] {
    const findings: Finding[] = [];
    const report = (policy: string) => (message: string) => {
        const level = policies.levels[policy];
        if (level !== "disabled") {
            findings.push({ policy, level, message });
        }
    };
    if (rule === undefined) {
        report(EVERY_BUCKET_ENCRYPTED.name)(`bucket "${bucket}" has no default encryption: objects uploaded without encryption headers are stored unencrypted.`);
        return findings;
    }
    const declaration: EncryptionDeclaration = {
        kind: "LiveRule",
        urn: "",
        name: bucket,
        bucket,
        sseAlgorithm: rule.sseAlgorithm.toUpperCase(),
        kmsMasterKeyId: rule.kmsMasterKeyId || undefined,
        kmsDataEncryption: rule.kmsDataEncryption?.toUpperCase() || undefined,
        onDelete: "RemoveRule",
    };
    for (const definition of RULE_POLICIES) {
        if (policies.levels[definition.name] !== "disabled") {
            definition.check(declaration, policies.configs[definition.name], report(definition.name));
        }
    }
    return findings;
}

/** Whether findings fail a bucket: any at mandatory (or remediate, which the scan cannot do) level. */
export function failsPack(findings: Finding[]): boolean {
    return findings.some(finding => finding.level !== "advisory");
}
