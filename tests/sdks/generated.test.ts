// The committed SDKs (sdks/<language>) are what `npm run sdks` generates from the schema at the
// package's version: regenerated into a temporary folder, every file must be the same, and none
// missing or extra. A schema change, a version bump or a codegen upgrade shows in review as a change
// of the generated files.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "../../harness/package";
import { generateSdks, listFiles, REGENERATE_SDKS, SDK_LANGUAGES, SDKS_DIR } from "../../scripts/sdks";
import { ensurePulumiCli } from "../../harness/pulumi";
import { missing } from "../plugin/support";

/** The files that differ between two folders: changed, missing from `actual`, or extra in it. */
export function differingFiles(expected: string, actual: string): string[] {
    const want = new Set(listFiles(expected));
    const have = new Set(listFiles(actual));
    const differing: string[] = [];
    for (const file of [...new Set([...want, ...have])].sort()) {
        if (!have.has(file)) {
            differing.push(`${file} (not committed)`);
        } else if (!want.has(file)) {
            differing.push(`${file} (committed, no longer generated)`);
        } else if (!fs.readFileSync(path.join(expected, file)).equals(fs.readFileSync(path.join(actual, file)))) {
            differing.push(file);
        }
    }
    return differing;
}

describe("sdks: the committed SDKs are the generated ones", function () {
    this.timeout(10 * 60_000);
    let generated: string;
    const scratch: string[] = [];
    after(() => scratch.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

    before(function () {
        if (!ensurePulumiCli()) {
            missing(this, "the Pulumi CLI could not be found or built (scripts/ensure-pulumi-cli.sh)");
        }
        generated = scratchDir("sdks-generated");
        scratch.push(generated);
        generateSdks(generated);
    });

    for (const language of SDK_LANGUAGES) {
        it(`sdks/${language}`, () => {
            const differing = differingFiles(path.join(generated, language), path.join(SDKS_DIR, language));
            assert.deepStrictEqual(
                differing,
                [],
                `sdks/${language} differs from what the schema generates (${differing.join(", ")}): if the change is intended, run \`${REGENERATE_SDKS}\` and commit sdks/`,
            );
        });
    }

    it("a difference is reported by file: changed, not committed, no longer generated", () => {
        const copy = scratchDir("sdks-copy");
        scratch.push(copy);
        fs.cpSync(path.join(generated, "go"), copy, { recursive: true });
        fs.appendFileSync(path.join(copy, "go.mod"), "// edited\n");
        fs.rmSync(path.join(copy, "go.sum"));
        fs.writeFileSync(path.join(copy, "stale.go"), "package stale\n");
        assert.deepStrictEqual(differingFiles(path.join(generated, "go"), copy), [
            "go.mod",
            "go.sum (not committed)",
            "stale.go (committed, no longer generated)",
        ]);
    });

    it("generation is deterministic (a second run writes the same files)", function () {
        const again = scratchDir("sdks-generated-again");
        scratch.push(again);
        generateSdks(again);
        assert.deepStrictEqual(differingFiles(generated, again), []);
    });
});
