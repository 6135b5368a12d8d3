// The golden schema: plugin/schema.json holds the package schema the plugin serves (GetSchema), so a
// review shows every schema change and tests/plugin/schema.test.ts fails when the served schema and
// the file part. `npm run schema` rewrites the file from the built code.
import * as fs from "fs";
import * as path from "path";
import { packageSchema, PLUGIN_VERSION } from "../plugin";

/** The committed golden schema (this file is compiled to bin/scripts/). */
export const SCHEMA_FILE = path.resolve(__dirname, "../../plugin/schema.json");

/** The command that rewrites SCHEMA_FILE, for failure messages. */
export const REGENERATE = "npm run schema";

/** A JSON value with every object's keys sorted (arrays keep their order). */
function sortedKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortedKeys);
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return Object.fromEntries(entries.map(([key, v]) => [key, sortedKeys(v)]));
    }
    return value;
}

/** The file's text for a schema: sorted keys, two-space indent, a trailing newline. */
export function schemaText(schema: unknown): string {
    return `${JSON.stringify(sortedKeys(schema), null, 2)}\n`;
}

/** Writes the schema the plugin serves at this package's version to SCHEMA_FILE. */
export function writeSchema(): string {
    fs.writeFileSync(SCHEMA_FILE, schemaText(packageSchema(PLUGIN_VERSION)));
    return SCHEMA_FILE;
}

if (require.main === module) {
    console.log(`wrote ${path.relative(process.cwd(), writeSchema())} (version ${PLUGIN_VERSION})`);
}
