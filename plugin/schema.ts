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
/** The type token of the one resource. */
export const BUCKET_ENCRYPTION_TOKEN = `${PACKAGE_NAME}:index:BucketEncryption`;

/**
 * Where the project lives. The organisation `oss-encryption` is a placeholder until the repository is
 * published: this is the one place to change it (the schema's repository and plugin download URL,
 * and every SDK's import path and package metadata derive from it; then `npm run schema` and
 * `npm run sdks`).
 */
export const REPOSITORY_OWNER = "oss-encryption";
export const REPOSITORY_NAME = "pulumi-oss-encryption";
export const REPOSITORY_URL = `https://github.com/${REPOSITORY_OWNER}/${REPOSITORY_NAME}`;
/** Where the engine downloads the plugin from when it is not installed: the GitHub releases of the repository. */
export const PLUGIN_DOWNLOAD_URL = `github://api.github.com/${REPOSITORY_OWNER}/${REPOSITORY_NAME}`;

/** The published names of the SDKs generated from the schema (sdks/<language>, `npm run sdks`). */
export const SDK_NAMES = {
    /** npm package. */
    nodejs: "@oss-encryption/pulumi",
    /** Python import name; PyPI normalises it to the project name `pulumi-oss-encryption`. */
    python: "pulumi_oss_encryption",
    /** Go module (sdks/go) and the package inside it. */
    goModule: `github.com/${REPOSITORY_OWNER}/${REPOSITORY_NAME}/sdks/go`,
    goPackage: `github.com/${REPOSITORY_OWNER}/${REPOSITORY_NAME}/sdks/go/ossencryption`,
    /** Java base package: codegen appends the package name, so the classes are in io.github.ossencryption.ossencryption. */
    javaBasePackage: "io.github.ossencryption",
    /** Maven coordinates of the Java SDK (sdks/java/pom.xml). */
    mavenGroupId: `io.github.${REPOSITORY_OWNER}`,
    mavenArtifactId: REPOSITORY_NAME,
    /** The Pulumi Java SDK the Java SDK depends on: the release of pulumi-java (v1.17.0) whose language host generates it. */
    pulumiJavaVersion: "1.17.0",
    /** C# root namespace and NuGet package: OssEncryption.Pulumi, not Pulumi's own namespace. */
    csharpRootNamespace: "OssEncryption",
    csharpNamespace: "Pulumi",
} as const;

/** What the Node.js and Python packages' README says (codegen writes it into each SDK). */
const SDK_README = `Pulumi SDK of the \`${PACKAGE_NAME}\` provider: default server-side encryption of Alibaba Cloud OSS buckets
(SSE-OSS with AES-256 or SM4, SSE-KMS) as a \`BucketEncryption\` resource, with \`get\` and \`pulumi import\`.
The provider plugin is installed from ${REPOSITORY_URL} (see docs/plugin.md there).`;

/** A property of the schema (the subset this package uses). */
export interface SchemaProperty {
    type?: "string" | "boolean" | "integer" | "number";
    $ref?: string;
    oneOf?: Array<{ type: "string" } | { $ref: string }>;
    description: string;
    secret?: boolean;
    replaceOnChanges?: boolean;
}

/**
 * What each configuration key means, from provider/settingNames.ts. Keys are the provider's inputs
 * (`secret` marked: the SDKs' Provider classes wrap them as secrets) and the stack config
 * `oss-encryption:<key>`.
 */
export const CONFIG_PROPERTIES: Record<string, SchemaProperty> = configProperties(true);

/**
 * The stack config variables: the same, without `secret`. No SDK's config getter returns a secret
 * (Node.js, Python, Go and C# read the plain value whatever the flag; Java's codegen warns "secret
 * property secretKey (property of config) does not have an Output type", pulumi/pulumi#9744), and the
 * engine does not read the flag: the plugin's CheckConfig returns secretKey and securityToken as
 * secrets, so the state holds them encrypted either way.
 */
export const CONFIG_VARIABLES: Record<string, SchemaProperty> = configProperties(false);

function configProperties(markSecrets: boolean): Record<string, SchemaProperty> {
    return Object.fromEntries(
        SETTING_NAMES.map(name => {
            const spec: SettingSpec = SETTINGS[name];
            return [name, { type: spec.type, ...(markSecrets && spec.secret ? { secret: true } : {}), description: spec.description }];
        }),
    );
}

const typeToken = (typeName: string) => `${PACKAGE_NAME}:index:${typeName}`;
const specOf = (name: PropertyName): PropertySpec => PROPERTIES[name];

/**
 * The resource's properties, from the property table: as outputs (`input: false`) an enumeration is its
 * enum type; as inputs, a string or the enum (`oneOf`, as pulumi-aws declares its enum inputs). Java's
 * program codegen (pulumi-java v1.17.0, the code `pulumi import` prints) writes an enum-typed value as
 * its string, `.sseAlgorithm("KMS")`, which compiles only when the builder takes a String too; with the
 * union every SDK takes both the enum's members and its plain values.
 */
function ruleProperties(input: boolean): Record<string, SchemaProperty> {
    return Object.fromEntries(
        USER_INPUT_NAMES.map(name => {
            const spec = specOf(name);
            const ref = spec.enumeration ? { $ref: `#/types/${typeToken(spec.enumeration.typeName)}` } : undefined;
            const type = ref ? (input ? { oneOf: [{ type: "string" as const }, ref] } : ref) : { type: "string" as const };
            return [name, { ...type, ...(REPLACE_ON_CHANGES.includes(name) ? { replaceOnChanges: true } : {}), description: spec.description }];
        }),
    );
}

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
        repository: REPOSITORY_URL,
        homepage: REPOSITORY_URL,
        publisher: "oss-encryption",
        pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
        // Codegen writes the schema's version into every SDK's package metadata and pulumi-plugin.json,
        // and a go.mod for the Go SDK (schema `meta.supportPack`).
        meta: { supportPack: true },
        config: { variables: CONFIG_VARIABLES },
        provider: {
            description: "The provider of oss-encryption resources: region, endpoints and credentials.",
            inputProperties: CONFIG_PROPERTIES,
        },
        types: enumTypes(),
        resources: {
            [BUCKET_ENCRYPTION_TOKEN]: {
                description: RESOURCE_DESCRIPTION,
                inputProperties: ruleProperties(true),
                requiredInputs: [...REQUIRED_INPUTS],
                properties: {
                    ...ruleProperties(false),
                    region: { type: "string", description: OUTPUT_REGION_DESCRIPTION },
                },
                required: [...REQUIRED_INPUTS, "region"],
            },
        },
        language: {
            nodejs: {
                packageName: SDK_NAMES.nodejs,
                packageDescription: "Pulumi SDK for default server-side encryption of Alibaba Cloud OSS buckets (SSE-OSS, SSE-KMS, SM4).",
                readme: SDK_README,
                // The TypeScript the package is built with (`npm run build` in sdks/nodejs): ours, not codegen's default 4.x.
                typescriptVersion: "^5.9.0",
                respectSchemaVersion: true,
            },
            python: {
                packageName: SDK_NAMES.python,
                pythonRequires: ">=3.10",
                readme: SDK_README,
                pyproject: { enabled: true },
                respectSchemaVersion: true,
            },
            go: {
                importBasePath: SDK_NAMES.goPackage,
                modulePath: SDK_NAMES.goModule,
                generateResourceContainerTypes: true,
                respectSchemaVersion: true,
            },
            java: {
                basePackage: SDK_NAMES.javaBasePackage,
                // No Gradle files: codegen would name the artifact after the base package; sdks/java/pom.xml
                // (written by scripts/sdks.ts) carries the Maven coordinates.
                buildFiles: "none",
                dependencies: { "com.pulumi:pulumi": SDK_NAMES.pulumiJavaVersion },
            },
            csharp: {
                rootNamespace: SDK_NAMES.csharpRootNamespace,
                namespaces: { [PACKAGE_NAME]: SDK_NAMES.csharpNamespace },
                respectSchemaVersion: true,
            },
        },
    };
}
