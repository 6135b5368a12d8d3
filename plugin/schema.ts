// The Pulumi package schema of the `oss-encryption` provider plugin: the BucketEncryption resource
// and the provider's configuration. SDKs in every language are generated from it
// (`pulumi package add` / `pulumi package gen-sdk`), and YAML programs are type-checked against it.
import {
    OUTPUT_REGION_DESCRIPTION,
    PROPERTIES,
    PropertyName,
    PropertySpec,
    REPLACE_ON_CHANGES,
    REQUIRED_INPUTS,
    RESOURCE_DESCRIPTION,
    USER_INPUT_NAMES,
} from "../provider/bucketEncryption";
import { SETTING_NAMES, SETTINGS, SettingSpec } from "../provider/settings";

/** The package name: the first part of every type token, and the namespace of the provider's stack config. */
export const PACKAGE_NAME = "oss-encryption";
/** Where the project lives: the schema's `repository`, and the base of the Go SDK's import path. */
export const REPOSITORY = "https://github.com/oss-encryption/pulumi-oss-encryption";
/** The type token of the one resource. */
export const BUCKET_ENCRYPTION_TOKEN = `${PACKAGE_NAME}:index:BucketEncryption`;

/** A property of the schema (the subset this package uses). */
export interface SchemaProperty {
    type?: "string" | "boolean" | "integer" | "number";
    $ref?: string;
    description: string;
    secret?: boolean;
    replaceOnChanges?: boolean;
}

/** What each configuration key means, from provider/settingNames.ts. Keys are the provider's inputs and the stack config `oss-encryption:<key>`. */
export const CONFIG_PROPERTIES: Record<string, SchemaProperty> = Object.fromEntries(
    SETTING_NAMES.map(name => {
        const spec: SettingSpec = SETTINGS[name];
        return [name, { type: spec.type, ...(spec.secret ? { secret: true } : {}), description: spec.description }];
    }),
);

const typeToken = (typeName: string) => `${PACKAGE_NAME}:index:${typeName}`;
const specOf = (name: PropertyName): PropertySpec => PROPERTIES[name];

/** The resource's input properties, from the property table. */
const RULE_PROPERTIES: Record<string, SchemaProperty> = Object.fromEntries(
    USER_INPUT_NAMES.map(name => {
        const spec = specOf(name);
        const type = spec.enumeration ? { $ref: `#/types/${typeToken(spec.enumeration.typeName)}` } : { type: "string" as const };
        return [name, { ...type, ...(REPLACE_ON_CHANGES.includes(name) ? { replaceOnChanges: true } : {}), description: spec.description }];
    }),
);

/** The enumerations' types, from the property table. */
function enumTypes(): Record<string, unknown> {
    return Object.fromEntries(
        USER_INPUT_NAMES.flatMap(name => {
            const enumeration = specOf(name).enumeration;
            return enumeration
                ? [
                      [
                          typeToken(enumeration.typeName),
                          {
                              type: "string",
                              description: enumeration.description,
                              enum: enumeration.choices.map(({ value, description }) => ({ value, name: value, ...(description ? { description } : {}) })),
                          },
                      ],
                  ]
                : [];
        }),
    );
}

/** The package schema, as GetSchema returns it. */
export function packageSchema(version: string): Record<string, unknown> {
    return {
        name: PACKAGE_NAME,
        displayName: "Alibaba Cloud OSS bucket encryption",
        version,
        description: "Default server-side encryption of Alibaba Cloud OSS buckets: SSE-OSS (AES-256, SM4) and SSE-KMS.",
        keywords: ["pulumi", "alicloud", "oss", "kms", "encryption", "category/cloud", "kind/native"],
        license: "Apache-2.0",
        config: { variables: CONFIG_PROPERTIES },
        provider: {
            description: "The provider of oss-encryption resources: region, endpoints and credentials.",
            inputProperties: CONFIG_PROPERTIES,
        },
        types: enumTypes(),
        resources: {
            [BUCKET_ENCRYPTION_TOKEN]: {
                description: RESOURCE_DESCRIPTION,
                inputProperties: RULE_PROPERTIES,
                requiredInputs: [...REQUIRED_INPUTS],
                properties: {
                    ...RULE_PROPERTIES,
                    region: { type: "string", description: OUTPUT_REGION_DESCRIPTION },
                },
                required: [...REQUIRED_INPUTS, "region"],
            },
        },
        repository: REPOSITORY,
        // Each language's package names, so that no SDK falls back to codegen's defaults (Pulumi's own
        // npm scope and .NET namespace, Java's com.pulumi, Go's example.com). The GitHub organisation is
        // a placeholder until the project has one: REPOSITORY is the one place to change.
        language: {
            nodejs: { packageName: "@oss-encryption/pulumi", packageDescription: "The oss-encryption Pulumi provider: Alibaba Cloud OSS bucket encryption." },
            python: { packageName: "pulumi_oss_encryption" },
            go: { importBasePath: `${REPOSITORY.replace("https://", "")}/sdks/go/ossencryption` },
            java: { basePackage: "io.github.ossencryption" },
            csharp: { rootNamespace: "OssEncryption" },
        },
    };
}
