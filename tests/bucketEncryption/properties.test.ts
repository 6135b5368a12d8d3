// The property table is the one declaration of a BucketEncryption: the SDK's hand-documented Args
// must name exactly its user inputs, and diff must do what the table says a change does.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { diffBucketEncryption, PROPERTIES, PropertyName, PropertySpec, REPLACE_ON_CHANGES, USER_INPUT_NAMES, UserInputName } from "../../provider/bucketEncryption";
import type { BucketEncryptionArgs } from "../../sdk";

/** True only when A and B are the same set of keys. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile (and so `npm test`) when the SDK's Args and the table's user inputs differ.
const argsAreTheTable: SameKeys<keyof BucketEncryptionArgs, UserInputName> = true;

/** The keys of the SDK's BucketEncryptionArgs, read from its source. */
function sdkArgsKeys(): string[] {
    const source = fs.readFileSync(path.resolve(__dirname, "../../../sdk/index.ts"), "utf8");
    const body = /export interface BucketEncryptionArgs \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? "";
    return [...body.matchAll(/^\s+(\w+)\??:/gm)].map(m => m[1]);
}

/** The doc comment of each key of the SDK's BucketEncryptionArgs, read from its source. */
function sdkArgsDocs(): Record<string, string> {
    const source = fs.readFileSync(path.resolve(__dirname, "../../../sdk/index.ts"), "utf8");
    const body = /export interface BucketEncryptionArgs \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? "";
    return Object.fromEntries([...body.matchAll(/\/\*\*([\s\S]*?)\*\/\s+(\w+)\??:/g)].map(m => [m[2], m[1]]));
}

/** The cells of the README's row for an input of the resource table (`| \`name\` | ... |`). */
function readmeRow(name: string): string[] {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    const row = readme.split("\n").find(line => line.startsWith(`| \`${name}\` |`)) ?? "";
    return row.split("|").slice(1, -1).map(cell => cell.trim());
}

describe("the property table", () => {
    it("names exactly the SDK's Args, in the same order", () => {
        assert.equal(argsAreTheTable, true);
        assert.deepEqual(sdkArgsKeys(), [...USER_INPUT_NAMES]);
    });

    for (const name of USER_INPUT_NAMES) {
        const spec: PropertySpec = PROPERTIES[name as PropertyName];
        it(`${name}'s length limit (${spec.maxLength}) is in the README's table, and in the SDK's and the schema's docs unless it is an enumeration`, () => {
            assert.equal(readmeRow(name)[2], String(spec.maxLength), `README.md's row of ${name}: ${readmeRow(name).join(" | ")}`);
            if (!spec.enumeration) {
                const limit = new RegExp(`\\b${spec.maxLength}\\b`);
                assert.match(sdkArgsDocs()[name] ?? "", limit, `sdk/index.ts's doc of ${name}`);
                assert.match(spec.description, limit, `the table's description of ${name}`);
            }
        });
    }

    for (const name of USER_INPUT_NAMES) {
        const spec = PROPERTIES[name as PropertyName];
        it(`diff does what the table says a change of ${name} does (${spec.onChange})`, () => {
            const olds: Record<string, unknown> = { bucket: "acme", sseAlgorithm: "KMS", region: "cn-hangzhou" };
            const choices = "enumeration" in spec ? spec.enumeration.choices.map(c => c.value) : [];
            const value = choices.find(c => c !== olds[name] && c !== "RemoveRule") ?? (name === "region" ? "cn-shanghai" : `other-${name}`);
            const result = diffBucketEncryption(olds, { ...olds, [name]: value }, { region: "cn-hangzhou" });
            assert.equal(result.changes, true);
            assert.deepEqual(result.replaces, REPLACE_ON_CHANGES.includes(name) ? [name] : []);
        });
    }
});
