// The golden schema: what a started plugin serves through GetSchema is plugin/schema.json, so every
// schema change shows in review as a change of that file (`npm run schema` rewrites it).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_VERSION, serve } from "../../plugin";
import { REGENERATE, SCHEMA_FILE, schemaText } from "../../scripts/schema";
import { pluginClient, servedSchema } from "./client";

describe("plugin: the golden schema (plugin/schema.json)", () => {
    const file = path.relative(process.cwd(), SCHEMA_FILE);
    const regenerate = `if the change is intended, run \`${REGENERATE}\` and commit ${file}`;

    it("is what GetSchema serves, at the package's version", async () => {
        const golden = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
        const plugin = await serve();
        const client = pluginClient(plugin.port);
        try {
            const served = await servedSchema(client);
            assert.strictEqual(served.version, PLUGIN_VERSION, "the plugin serves its package's version");
            assert.strictEqual(golden.version, PLUGIN_VERSION, `${file} is of version ${golden.version}, the package is ${PLUGIN_VERSION}: ${regenerate}`);
            assert.deepStrictEqual(served, golden, `the schema the plugin serves differs from ${file}: ${regenerate}`);
        } finally {
            client.close();
            await plugin.stop();
        }
    });

    it("names every language's package, none in Pulumi's own namespaces or codegen's placeholders", () => {
        const language = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")).language;
        assert.deepStrictEqual(Object.keys(language).sort(), ["csharp", "go", "java", "nodejs", "python"]);
        assert.ok(!language.nodejs.packageName.startsWith("@pulumi/"), `npm package ${language.nodejs.packageName}`);
        assert.ok(!/^example\.com/.test(language.go.importBasePath), `Go import path ${language.go.importBasePath}`);
        assert.ok(language.go.importBasePath.endsWith("/ossencryption"), "the Go import path ends in the package's directory name");
        assert.notStrictEqual(language.java.basePackage, "com.pulumi");
        assert.notStrictEqual(language.csharp.rootNamespace, "Pulumi");
    });

    it("is written as the script writes it (sorted keys, two-space indent, a trailing newline)", () => {
        const text = fs.readFileSync(SCHEMA_FILE, "utf8");
        assert.ok(text === schemaText(JSON.parse(text)), `${file} is not in the script's format: run \`${REGENERATE}\``);
    });
});
