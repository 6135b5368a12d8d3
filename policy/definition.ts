// How a policy of the pack is written down (its definition: name, default level, config defaults,
// what it checks) and made into a @pulumi/policy policy: once as the policy's named export, and once
// for each pack (ossEncryptionPolicySet), with the pack's levels, settings and memory of Bucket inputs.
import type { EnforcementLevel, PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { nearestName } from "../provider/nearestName";
import { ALICLOUD_BUCKET, declarationOf, EncryptionDeclaration, rawProps, ResourceShape } from "./declarations";

/** What every policy takes in the pack's args: its enforcement level (default: the policy's own). */
export interface PolicyArgs {
    enforcementLevel?: EnforcementLevel;
}

/**
 * The inputs each alicloud Bucket was declared with in this run, as one pack's resource policies
 * saw them. Stack policies only see outputs, and a Bucket's outputs hold the live rule that its
 * provider read back (possibly written by another resource): judging ownership by them would accuse
 * a Bucket of owning a rule it never declared. Analyze (per resource) runs before AnalyzeStack in a
 * run. One per pack: another pack's Buckets (another stack, another test) are not this pack's.
 */
export class DeclaredBucketInputs {
    private readonly inputs = new Map<string, Record<string, unknown>>();

    /** Remembers an alicloud Bucket's inputs; other resources are ignored. */
    observe(resource: ResourceShape): void {
        if (resource.type === ALICLOUD_BUCKET) {
            this.inputs.set(resource.urn, { ...rawProps(resource.props) });
        }
    }

    /** The inputs a Bucket was seen with, if it was. */
    of(urn: string): Record<string, unknown> | undefined {
        return this.inputs.get(urn);
    }
}

/** What a definition and its policy share: the name violations show, the description, the default level. */
export interface PolicyHeading {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
}

/** A resource policy over encryption declarations, with config `C`. */
export interface ResourcePolicyDefinition<C extends object> extends PolicyHeading {
    /** What getConfig gives when the pack config says nothing (the engine fills these from the schema too). */
    defaults: C;
    /** The config schema, with `defaults` as its defaults. */
    configSchema?(defaults: C): PolicyConfigSchema;
    /** Runs for each resource that declares a bucket's default encryption. */
    check(declaration: EncryptionDeclaration, config: C, report: (message: string) => void): void;
}

/** The definition of a resource policy that has no config: its heading, and what it reports of a declaration. */
export function withoutConfig(heading: PolicyHeading, check: (declaration: EncryptionDeclaration, report: (message: string) => void) => void): ResourcePolicyDefinition<object> {
    return { ...heading, defaults: {}, check: (declaration, _config, report) => check(declaration, report) };
}

/** A stack policy, judging each alicloud Bucket by the inputs `declared` remembers where it has them. */
export interface StackPolicyDefinition extends PolicyHeading {
    check(args: StackValidationArgs, declared: DeclaredBucketInputs, reportViolation: ReportViolation): void;
}

/** How one pack has a policy: its level and settings from the pack's args, and the pack's memory. */
export interface PolicyMaking<C extends object> {
    enforcementLevel?: EnforcementLevel;
    settings?: Partial<C>;
    declared?: DeclaredBucketInputs;
}

/** Where a policy's settings come from, as messages name it. */
export type SettingsSource = "the pack's args" | "the pack config (--policy-pack-config)" | "the scan's --policy-pack-config file";

/**
 * Thrown for settings a policy does not have. A misspelt setting would otherwise leave the policy
 * at its default without a word (an allow-list allowing everything): a guardrail that looks
 * enforced and is not. Thrown, not reported, so that it fails the run whatever the policy's level.
 * Its stack is its message: @pulumi/policy prints an error's stack, and this one's is no help.
 */
export class PolicySettingsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicySettingsError";
        this.stack = message;
    }
}

/**
 * Throws PolicySettingsError when `given` has settings the policy does not take, naming for each
 * the nearest one it does, and all it takes. `known` are its settings; `enforcementLevel` is taken too
 * (the args and getConfig both give the settings without it, so a misspelt one shows up here).
 */
export function checkSettings(definition: PolicyHeading, known: string[], given: object, source: SettingsSource): void {
    const takes = ["enforcementLevel", ...known];
    const unknown = Object.keys(given).filter(key => !takes.includes(key));
    if (unknown.length === 0) {
        return;
    }
    const named = unknown.map(key => {
        const nearest = nearestName(key, takes);
        return nearest === undefined ? `"${key}"` : `"${key}" (did you mean "${nearest}"?)`;
    });
    throw new PolicySettingsError(
        `${definition.name} has no setting ${named.join(", ")}; it takes ${takes.join(", ")}. ` +
            `Correct it in ${source}: the policy does not read a setting it does not have, and would run with its default instead.`,
    );
}

function headingOf(definition: PolicyHeading, enforcementLevel: EnforcementLevel | undefined): PolicyHeading {
    return { name: definition.name, description: definition.description, enforcementLevel: enforcementLevel ?? definition.enforcementLevel };
}

/**
 * A resource policy from its definition. Its settings become the config's defaults, in the schema
 * (so the engine fills them in, under what `--policy-pack-config` sets) and where getConfig lacks
 * them. With `declared`, it remembers each alicloud Bucket's inputs there for the pack's stack policies.
 */
export function makeResourcePolicy<C extends object>(
    definition: ResourcePolicyDefinition<C>,
    { enforcementLevel, settings = {}, declared }: PolicyMaking<C> = {},
): ResourceValidationPolicy {
    const known = Object.keys(definition.defaults);
    checkSettings(definition, known, settings, "the pack's args");
    const defaults: C = { ...definition.defaults, ...settings };
    return {
        ...headingOf(definition, enforcementLevel),
        ...(definition.configSchema ? { configSchema: definition.configSchema(defaults) } : {}),
        validateResource: (args, reportViolation) => {
            // For every resource, the stack's own included: the run fails even with nothing to judge.
            const given = args.getConfig<Partial<C>>();
            checkSettings(definition, known, given, "the pack config (--policy-pack-config)");
            declared?.observe(args);
            const declaration = declarationOf(args);
            if (declaration) {
                definition.check(declaration, { ...defaults, ...given }, message => reportViolation(message));
            }
        },
    };
}

/**
 * A stack policy from its definition. Without `declared` (the named export on its own) it judges
 * every Bucket by its outputs, as a pack does whose resource policies are all disabled.
 */
export function makeStackPolicy(
    definition: StackPolicyDefinition,
    { enforcementLevel, settings = {}, declared = new DeclaredBucketInputs() }: PolicyMaking<object> = {},
): StackValidationPolicy {
    checkSettings(definition, [], settings, "the pack's args");
    return {
        ...headingOf(definition, enforcementLevel),
        validateStack: (args, reportViolation) => {
            checkSettings(definition, [], args.getConfig(), "the pack config (--policy-pack-config)");
            definition.check(args, declared, reportViolation);
        },
    };
}
