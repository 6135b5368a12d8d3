// The property table is the one declaration of a BucketEncryption: the SDK's hand-documented Args
// must name exactly its user inputs, and diff must do what the table says a change does.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { diffBucketEncryption, PROPERTIES, PropertyName, REPLACE_ON_CHANGES, USER_INPUT_NAMES, UserInputName } from "../../provider/bucketEncryption";
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

describe("the property table", () => {
    it("names exactly the SDK's Args, in the same order", () => {
        assert.equal(argsAreTheTable, true);
        assert.deepEqual(sdkArgsKeys(), [...USER_INPUT_NAMES]);
    });

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
