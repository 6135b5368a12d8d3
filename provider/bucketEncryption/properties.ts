// What a BucketEncryption is: the one declaration of its properties. The input names, what diff
// does on a change, the schema's resource section, the policy pack's enumerations and the property
// tests' generators are all derived from PROPERTIES. Adding a property touches this table,
// expand/flatten (rule.ts) and the wire XML (../oss/xml.ts), and nothing else.
import { BUCKET_MAX_LENGTH, ENDPOINT_MAX_LENGTH, KMS_KEY_MAX_LENGTH, REGION_MAX_LENGTH } from "../bounds";

/** What changing a property does. */
export type OnChange =
    /** another physical resource: the resource is replaced */
    | "replace"
    /** the rule is put again */
    | "update"
    /** recorded in the state only; nothing is written to OSS */
    | "state";

/** How check normalises a property's text before validating it. */
export type Normalise =
    /** trimmed; empty is absent */
    | "text"
    /** trimmed and upper-cased ("kms" is "KMS") */
    | "upper"
    /** trimmed, then spelt as the choice it matches regardless of case ("keeprule" is "KeepRule") */
    | "choice";

/** One choice of an enumerated property, with what it means. */
export interface Choice {
    value: string;
    description?: string;
}

/** One property of the resource. */
export interface PropertySpec {
    required: boolean;
    onChange: OnChange;
    normalise: Normalise;
    /** The documentation, as the schema (and so every generated SDK) shows it; it states maxLength. */
    description: string;
    /** The longest value check accepts (after trimming), so no value of any size reaches OSS, KMS or a message whole. */
    maxLength: number;
    /** What to say when a required property is missing (after "X is required: "); enumerations list their choices. */
    requiredHint?: string;
    /**
     * For enumerations: the schema type's name and description, the choices, and what to say of a
     * value that is none of them (default: "use one of ...").
     */
    enumeration?: { typeName: string; description: string; choices: readonly Choice[]; invalidHint?: string };
    /** Held by OSS in the bucket's rule (so read takes it from OSS; the rest comes from the state). */
    inRule?: true;
    /** Only allowed when sseAlgorithm is KMS. */
    kmsOnly?: true;
    /** What an absent value means; diff treats the two as the same. */
    default?: string;
    /** Set by the SDK, not by users: not in the schema's inputs nor in the SDK's Args. */
    internal?: true;
}

/** The server-side encryption methods OSS offers, spelled as on the wire. */
export const SSE_ALGORITHMS = ["AES256", "KMS", "SM4"] as const;
/** One of SSE_ALGORITHMS. */
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number];
/** Data encryption algorithms allowed with KMS besides the default AES-256. */
export const KMS_DATA_ENCRYPTIONS = ["SM4"] as const;
/**
 * What removing the resource does to the bucket's rule: delete it (the default, and what every
 * other tool does, leaving the bucket without default encryption), leave it in place, or put
 * SSE-OSS with AES-256 in its place so the bucket is never left unencrypted.
 */
export const ON_DELETE_CHOICES = ["RemoveRule", "KeepRule", "FallbackToAES256"] as const;
/** One of ON_DELETE_CHOICES. */
export type OnDelete = (typeof ON_DELETE_CHOICES)[number];
/** What removing the resource does when it declares no onDelete. */
export const DEFAULT_ON_DELETE: OnDelete = "RemoveRule";

/** The length of the longest of an enumeration's choices: its maxLength. */
const longest = (choices: readonly string[]) => Math.max(...choices.map(choice => choice.length));

const SSE_ALGORITHM_DOCS: Record<SseAlgorithm, string> = {
    AES256: "SSE-OSS: OSS-managed keys, AES-256.",
    KMS: "SSE-KMS: a KMS customer master key (the OSS default CMK or your own).",
    SM4: "SSE-OSS with the SM4 block cipher.",
};

const ON_DELETE_DOCS: Record<OnDelete, string> = {
    RemoveRule: "Delete the rule (DeleteBucketEncryption); on OSS the bucket is then left with no default encryption.",
    KeepRule: "Leave the rule in place; Pulumi stops managing it.",
    FallbackToAES256: "Replace the rule with SSE-OSS (AES-256), so the bucket is never left without default encryption.",
};

/** The properties of a BucketEncryption, in the order they are documented. */
export const PROPERTIES = {
    bucket: {
        required: true,
        onChange: "replace",
        normalise: "text",
        maxLength: BUCKET_MAX_LENGTH,
        requiredHint: "the name of the OSS bucket whose default encryption this resource manages.",
        description:
            `Name of the existing OSS bucket: 3-${BUCKET_MAX_LENGTH} lowercase letters, digits and hyphens, not starting or ending with a hyphen. ` +
            "Changing it replaces the resource.",
    },
    sseAlgorithm: {
        required: true,
        onChange: "update",
        inRule: true,
        normalise: "upper",
        maxLength: longest(SSE_ALGORITHMS),
        description: "The server-side encryption method: `AES256` (SSE-OSS), `KMS` (SSE-KMS) or `SM4` (SSE-OSS with SM4).",
        enumeration: {
            typeName: "SseAlgorithm",
            description: "Server-side encryption methods of OSS.",
            choices: SSE_ALGORITHMS.map(value => ({ value, description: SSE_ALGORITHM_DOCS[value] })),
        },
    },
    kmsMasterKeyId: {
        required: false,
        onChange: "update",
        inRule: true,
        normalise: "text",
        kmsOnly: true,
        maxLength: KMS_KEY_MAX_LENGTH,
        description:
            `KMS only: the CMK (key ID, ARN or \`alias/...\`), at most ${KMS_KEY_MAX_LENGTH} characters. Empty or absent: the OSS default CMK.`,
    },
    kmsDataEncryption: {
        required: false,
        onChange: "update",
        inRule: true,
        normalise: "upper",
        kmsOnly: true,
        maxLength: longest(KMS_DATA_ENCRYPTIONS),
        description: "KMS only: `SM4` to encrypt objects with SM4; absent means AES-256.",
        enumeration: {
            typeName: "KmsDataEncryption",
            description: "Data encryption algorithms allowed with SSE-KMS besides the default AES-256.",
            choices: KMS_DATA_ENCRYPTIONS.map(value => ({ value })),
            invalidHint: `use ${KMS_DATA_ENCRYPTIONS.map(c => `"${c}"`).join(" or ")}, or leave it out for AES-256.`,
        },
    },
    region: {
        required: false,
        onChange: "update",
        normalise: "text",
        maxLength: REGION_MAX_LENGTH,
        description: `Region of the bucket, overriding the provider's \`region\`; at most ${REGION_MAX_LENGTH} characters.`,
    },
    endpoint: {
        required: false,
        onChange: "update",
        normalise: "text",
        maxLength: ENDPOINT_MAX_LENGTH,
        description:
            `OSS endpoint (host or URL, at most ${ENDPOINT_MAX_LENGTH} characters), overriding the region's and the provider's \`ossEndpoint\`.`,
    },
    onDelete: {
        required: false,
        onChange: "state",
        normalise: "choice",
        maxLength: longest(ON_DELETE_CHOICES),
        default: DEFAULT_ON_DELETE,
        description:
            "What removing the resource (or `pulumi destroy`) does to the rule. Default `RemoveRule`. " +
            "Changing it alone writes nothing to OSS.",
        enumeration: {
            typeName: "OnDelete",
            description: "What removing a BucketEncryption does to the bucket's rule.",
            choices: ON_DELETE_CHOICES.map(value => ({ value, description: ON_DELETE_DOCS[value] })),
            invalidHint:
                'use "RemoveRule" (removing the resource deletes the rule; the default), "KeepRule" (the rule stays) or ' +
                '"FallbackToAES256" (the rule becomes SSE-OSS with AES-256).',
        },
    },
    importId: {
        required: false,
        onChange: "state",
        normalise: "text",
        maxLength: BUCKET_MAX_LENGTH,
        internal: true,
        description:
            "Set by the SDK from the `import` resource option: adopt the bucket's existing rule instead of writing one " +
            "(Pulumi cannot route `import` to a dynamic provider; pulumi/pulumi#16175).",
    },
} as const satisfies Record<string, PropertySpec>;

/**
 * The input the dynamic SDK adds in a preview (`pulumi.runtime.isDryRun()`), which the engine does
 * not tell a provider: check acts on it and drops it, so it is in no state or diff.
 */
export const PREVIEW_MARKER = "previewRun";

/** The name of a property. */
export type PropertyName = keyof typeof PROPERTIES;
/** The name of a property users declare (not internal). */
export type UserInputName = { [K in PropertyName]: (typeof PROPERTIES)[K] extends { internal: true } ? never : K }[PropertyName];

const entries = Object.entries(PROPERTIES) as Array<[PropertyName, PropertySpec]>;
const namesWhere = (keep: (spec: PropertySpec) => boolean) => entries.filter(([, spec]) => keep(spec)).map(([name]) => name);

/** Every input a BucketEncryption takes, the SDK's internal ones included. */
export const INPUT_NAMES: readonly PropertyName[] = namesWhere(() => true);
/** The inputs users declare (the schema's inputs, the SDK's Args). */
export const USER_INPUT_NAMES = namesWhere(spec => !spec.internal) as readonly UserInputName[];
/** The inputs a program must give. */
export const REQUIRED_INPUTS: readonly PropertyName[] = namesWhere(spec => spec.required);
/** The inputs whose change replaces the resource. */
export const REPLACE_ON_CHANGES: readonly PropertyName[] = namesWhere(spec => spec.onChange === "replace");
/** The user inputs whose change is an update (of the rule, or of the state alone). */
export const UPDATE_ON_CHANGES: readonly PropertyName[] = namesWhere(spec => spec.onChange !== "replace" && !spec.internal);

/** The inputs whose change puts the rule again (an update of anything else writes nothing). */
export const RULE_WRITING_INPUTS: readonly PropertyName[] = namesWhere(spec => spec.onChange === "update");
/** The user inputs that live in the state only (changing one alone writes nothing to OSS). */
export const STATE_ONLY_INPUTS: readonly PropertyName[] = namesWhere(spec => spec.onChange === "state" && !spec.internal);
/**
 * What read keeps from the state: the user inputs OSS does not hold, other than the bucket (the
 * ID) and the region (where the rule was read).
 */
export const KEPT_FROM_STATE: readonly PropertyName[] = namesWhere(spec => !spec.inRule && !spec.internal && spec.onChange !== "replace").filter(
    name => name !== "region",
);

/** The inputs only allowed with SSE-KMS. */
export const KMS_ONLY_INPUTS: readonly PropertyName[] = namesWhere(spec => spec.kmsOnly === true);

/** The choices of an enumerated property. */
export function choicesOf(name: PropertyName): readonly string[] {
    const spec: PropertySpec = PROPERTIES[name];
    return spec.enumeration?.choices.map(choice => choice.value) ?? [];
}

/** The documentation of the resource itself, as the schema shows it. */
export const RESOURCE_DESCRIPTION = [
    "The default server-side encryption rule of an OSS bucket (PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption).",
    "Its ID is the bucket name. A KMS key is described before use, so a missing, disabled or unusable key fails the preview.",
    "",
    "## Import",
    "",
    "An existing rule is adopted without writing anything:",
    "",
    "```sh",
    "$ pulumi import oss-encryption:index:BucketEncryption logs acme-logs",
    "```",
].join("\n");

type Spec<K extends PropertyName> = (typeof PROPERTIES)[K];
/**
 * The resource's inputs after check: normalised, optional fields absent rather than empty. Derived
 * from PROPERTIES (text unless an enumeration's type is named here).
 */
export type BucketEncryptionInputs = { [K in PropertyName as Spec<K>["required"] extends true ? K : never]: string } & {
    [K in PropertyName as Spec<K>["required"] extends true ? never : K]?: string;
} & { sseAlgorithm: SseAlgorithm; onDelete?: OnDelete };

/** The resource's outputs: every input plus the region the rule was applied in. */
export interface BucketEncryptionOutputs extends BucketEncryptionInputs {
    region: string;
}

/** The output that is not an input of the same meaning: the region the rule was applied in. */
export const OUTPUT_REGION_DESCRIPTION = "The region the rule was applied in.";
