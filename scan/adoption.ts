// Bringing scanned buckets under a stack: Pulumi's bulk import file (`pulumi import --file`) for the
// plugin's type, the same buckets as TypeScript declarations for the dynamic provider, and the
// buckets a stack already manages (from `pulumi stack export`), so that they can be left out.
import { BUCKET_ENCRYPTION_TYPES, declarationOf } from "../policy/declarations";
import { ImportFilter } from "./options";
import { ruleText } from "./report";
import { BucketReport } from "./scan";

/** The plugin's type token, as `pulumi import` takes it. */
export const PLUGIN_TYPE = "oss-encryption:index:BucketEncryption";

/** A resource of Pulumi's bulk import file. */
export interface ImportEntry {
    type: string;
    name: string;
    id: string;
}

/**
 * A bucket's resource name: the bucket name itself, which OSS keeps unique and which is a valid
 * Pulumi name (lowercase letters, digits, hyphens), so the same bucket always gets the same name.
 */
export function resourceNameOf(bucket: string): string {
    return bucket;
}

/**
 * The buckets an import can adopt, by the filter: only buckets with a rule (`pulumi import` of a
 * bucket without one fails: there is nothing to adopt; declare a BucketEncryption for it instead).
 */
export function adoptable(reports: BucketReport[], filter: ImportFilter): BucketReport[] {
    const withRule = reports.filter(r => r.rule !== undefined && r.verdict !== "error");
    return filter === "failing" ? withRule.filter(r => r.verdict === "fail") : filter === "passing" ? withRule.filter(r => r.verdict === "pass") : withRule;
}

/** Pulumi's bulk import file (`pulumi import --file FILE`) for `reports`. */
export function importFileOf(reports: BucketReport[]): { resources: ImportEntry[] } {
    return { resources: reports.map(r => ({ type: PLUGIN_TYPE, name: resourceNameOf(r.bucket), id: r.bucket })) };
}

/** A TypeScript identifier for a bucket's declaration. */
function identifierOf(bucket: string): string {
    return bucket.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^(\d)/, "_$1");
}

/**
 * The same buckets as BucketEncryption declarations of the dynamic provider, each with the live rule
 * and the SDK's `import` option, which adopts the rule without writing it (the package turns the
 * option into an adoption; Pulumi cannot route `pulumi import` to a dynamic provider).
 */
export function typescriptOf(reports: BucketReport[]): string {
    const lines = [
        "// Written by `pulumi-oss-encryption scan`: each bucket's live rule, adopted on the next `pulumi up`.",
        'import { BucketEncryption } from "pulumi-oss-encryption";',
        "",
    ];
    for (const r of reports) {
        const rule = r.rule!;
        const args = [
            `bucket: ${JSON.stringify(r.bucket)}`,
            `sseAlgorithm: ${JSON.stringify(rule.sseAlgorithm)}`,
            ...(rule.kmsMasterKeyId ? [`kmsMasterKeyId: ${JSON.stringify(rule.kmsMasterKeyId)}`] : []),
            ...(rule.kmsDataEncryption ? [`kmsDataEncryption: ${JSON.stringify(rule.kmsDataEncryption)}`] : []),
            `region: ${JSON.stringify(r.region)}`,
        ];
        lines.push(
            `// ${ruleText(r)}: ${r.verdict}`,
            `export const ${identifierOf(r.bucket)} = new BucketEncryption(${JSON.stringify(resourceNameOf(r.bucket))}, { ${args.join(", ")} }, { import: ${JSON.stringify(r.bucket)} });`,
        );
    }
    return lines.join("\n") + "\n";
}

/** A resource of `pulumi stack export`. */
interface ExportedResource {
    urn?: string;
    type?: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

/**
 * The buckets whose default encryption a stack export manages: our two type tokens, and
 * @pulumi/alicloud's BucketServerSideEncryption and Bucket with an inline rule (a Bucket's ID is
 * its name when the inputs do not give one).
 */
export function managedBuckets(exported: unknown, file: string): Set<string> {
    const resources = (exported as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
    if (!Array.isArray(resources)) {
        throw new Error(`${file} is not the output of \`pulumi stack export\` (no deployment.resources).`);
    }
    const buckets = new Set<string>();
    for (const resource of resources as ExportedResource[]) {
        if (typeof resource.type !== "string") {
            continue;
        }
        const urn = resource.urn ?? "";
        const props = { ...(resource.outputs ?? {}), ...(resource.inputs ?? {}) };
        const declaration = declarationOf({ type: resource.type, urn, name: urn.split("::").at(-1) ?? "", props });
        if (!declaration) {
            continue;
        }
        const bucket = typeof declaration.bucket === "string" ? declaration.bucket : BUCKET_ENCRYPTION_TYPES.includes(resource.type) ? undefined : resource.id;
        if (bucket) {
            buckets.add(bucket);
        }
    }
    return buckets;
}
