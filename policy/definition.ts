// How a policy of the pack is written down (its definition: name, default level, config defaults,
// what it checks) and made into a @pulumi/policy policy: once as the policy's named export, and once
// for each pack (ossEncryptionPolicySet), with the pack's levels, settings and memory of Bucket inputs.
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
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
    check(declaration: EncryptionDeclaration, config: C, args: ResourceValidationArgs, report: (message: string) => void): void;
}

/** The definition of a resource policy that has no config: its heading, and what it reports of a declaration. */
export function withoutConfig(heading: PolicyHeading, check: (declaration: EncryptionDeclaration, report: (message: string) => void) => void): ResourcePolicyDefinition<object> {
    return { ...heading, defaults: {}, check: (declaration, _config, _args, report) => check(declaration, report) };
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

/** Throws for a setting the policy does not have (a typo would otherwise be ignored without a word). */
function checkSettings(definition: PolicyHeading, known: string[], settings: object): void {
    const unknown = Object.keys(settings).filter(key => !known.includes(key));
    if (unknown.length > 0) {
        throw new Error(
            `${definition.name} has no setting ${unknown.map(k => `"${k}"`).join(", ")}; ` +
                (known.length > 0 ? `its settings: ${known.join(", ")}.` : "it takes only enforcementLevel."),
        );
    }
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
    checkSettings(definition, Object.keys(definition.defaults), settings);
    const defaults: C = { ...definition.defaults, ...settings };
    return {
        ...headingOf(definition, enforcementLevel),
        ...(definition.configSchema ? { configSchema: definition.configSchema(defaults) } : {}),
        validateResource: (args, reportViolation) => {
            declared?.observe(args);
            const declaration = declarationOf(args);
            if (declaration) {
                const config: C = { ...defaults, ...args.getConfig<Partial<C>>() };
                definition.check(declaration, config, args, message => reportViolation(message));
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
    checkSettings(definition, [], settings);
    return {
        ...headingOf(definition, enforcementLevel),
        validateStack: (args, reportViolation) => definition.check(args, declared, reportViolation),
    };
}
