// Every command a README shows is run by a test: this lists each README's ```sh commands (and the
// commands of README.md's Other commands table) and fails on one that no suite takes up, naming it.
// Which suite runs what:
// - examples/*/README.md of Node.js examples: examples.test.ts runs every line of the block with
//   `pulumi up`, the `npx oss-encryption-emulator` line (in the project, from the installed
//   package) and the `alicloud:endpoints` lines;
// - examples/*/README.md of the plugin's examples (Python, YAML, Go, Java, TypeScript on the
//   plugin): tests/plugin/<language>.test.ts runs every line of the block with `pulumi up`
//   (scenario.ts readmeSteps);
// - README.md: .ci/run runs the front-door `./run.sh` commands; readme-project.test.ts runs the
//   Use section (project, npm/pnpm/yarn installs, stack commands) and the git install;
//   harness.ts's packedTarball runs `npm pack`; tests/scan/adopt.test.ts runs "Find and adopt
//   existing buckets"; the Install section's plugin commands (plugin install, each SDK's install)
//   are lines of the plugin examples' blocks, so their lifecycle suites run them; the install from
//   source, `pulumi package add <plugin-folder>`, is run by tests/plugin/folder.test.ts;
// - README.md's Other commands table: .ci/run runs `./run.sh chaos`, and is itself what CI runs;
//   examples.test.ts runs `./run.sh emulator [options]` and `npm run emulator -- [options]` (in the
//   repository) with options, and `npx oss-encryption-emulator [options]` through the examples'
//   lines; tests/bench/run.test.ts runs `./run.sh bench`.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../../harness/pulumi";
import { readmeSteps } from "../plugin/scenario";
import { isNodeExample, shellBlocks } from "../support/standalone";
import { adoptionSteps, emulatorCommand, otherCommandRows, useInstall } from "./readme";

/** The examples with a README, each with whether its program is Node.js (else it uses the plugin). */
function examplesWithReadme(): Array<{ name: string; readme: string; nodejs: boolean }> {
    return fs
        .readdirSync(path.join(REPO, "examples"))
        .filter(name => fs.existsSync(path.join(REPO, "examples", name, "README.md")))
        .map(name => ({
            name,
            readme: path.join(REPO, "examples", name, "README.md"),
            nodejs: isNodeExample(name),
        }));
}

/** The lines of .ci/run. */
const ciLines = () => fs.readFileSync(path.join(REPO, ".ci/run"), "utf8").split("\n");

describe("README commands are all run by tests", () => {
    it("examples/*/README.md: every command is in the steps examples.test.ts or the plugin suites run", () => {
        const examples = examplesWithReadme();
        assert.ok(examples.some(e => e.nodejs) && examples.some(e => !e.nodejs), "Node.js and plugin examples");
        const pluginSuites = fs
            .readdirSync(path.join(REPO, "tests/plugin"))
            .filter(f => f.endsWith(".test.ts"))
            .map(f => fs.readFileSync(path.join(REPO, "tests/plugin", f), "utf8"));
        for (const { name, readme, nodejs } of examples) {
            const blocks = shellBlocks(readme);
            if (nodejs) {
                const runBlock = blocks.find(b => b.includes("pulumi up")) ?? [];
                const untaken = blocks
                    .flat()
                    .filter(c => !runBlock.includes(c) && !c.startsWith(emulatorCommand()) && !c.includes("alicloud:endpoints"));
                assert.deepEqual(untaken, [], `examples/${name}/README.md`);
            } else {
                assert.ok(
                    pluginSuites.some(suite => suite.includes(`example: "${name}"`)),
                    `examples/${name}/README.md: a tests/plugin/*.test.ts runs the example (example: "${name}")`,
                );
                const steps = readmeSteps(name);
                assert.deepEqual(blocks.flat().filter(c => !steps.includes(c)), [], `examples/${name}/README.md`);
            }
        }
    });

    it("README.md: every command is a front-door command in .ci/run, npm pack, the Use/Install steps readme-project.test.ts runs, the adoption steps tests/scan/adopt.test.ts runs, or a line of a plugin example's README that its lifecycle runs", () => {
        const ci = ciLines();
        const pluginExampleSteps = examplesWithReadme()
            .filter(e => !e.nodejs)
            .flatMap(e => readmeSteps(e.name));
        const folderSuite = fs.readFileSync(path.join(REPO, "tests/plugin/folder.test.ts"), "utf8");
        const blocks = shellBlocks(path.join(REPO, "README.md"));
        const useProject = blocks.find(b => b[0]?.startsWith("mkdir ")) ?? [];
        const useStack = blocks.find(b => b.includes("pulumi config set kmsKeyId <key-id>")) ?? [];
        const untaken = blocks.flat().filter(c => {
            if (c.startsWith("./run.sh ")) {
                return !ci.some(line => line.startsWith(c));
            }
            const installs = (["npm", "pnpm", "yarn"] as const).flatMap(manager => useInstall(manager, blocks));
            const byTests = ["npm pack", "npm install git+<repository-url>", ...installs, ...useProject, ...useStack, ...adoptionSteps(), ...pluginExampleSteps];
            if (c === "pulumi package add <plugin-folder>") {
                return !folderSuite.includes('c.startsWith("pulumi package add ")');
            }
            return !byTests.includes(c);
        });
        assert.deepEqual(untaken, []);
    });

    it("README.md's Other commands table: every command is run by CI or a test, and `bash .ci/run` does what the table says", () => {
        const rows = otherCommandRows();
        const commands = rows.flatMap(r => r.commands);
        assert.ok(commands.length > 0, "the table lists commands");
        const ci = ciLines();
        const examplesEmulator = examplesWithReadme().flatMap(e => shellBlocks(e.readme).flat().filter(c => c.startsWith(`${emulatorCommand()} `)));
        const untaken = commands.filter(c => {
            if (c === "bash .ci/run") {
                return false; // what CI runs; checked against its row below
            }
            if (c === "./run.sh emulator [options]" || c === "npm run emulator -- [options]") {
                return false; // examples.test.ts runs each in the repository with options
            }
            if (c === "./run.sh bench") {
                return !fs.existsSync(path.join(REPO, "tests/bench/run.test.ts"));
            }
            if (c.endsWith(" [options]")) {
                // Run with options by whichever suite runs a README line that starts so.
                return !examplesEmulator.some(line => line.startsWith(c.replace(/\[options\]$/, "")));
            }
            return !(c.startsWith("./run.sh ") && ci.some(line => line.startsWith(c)));
        });
        assert.deepEqual(untaken, []);

        // The row of `bash .ci/run` names the front-door commands .ci/run runs, in order.
        const ciRow = rows.find(r => r.commands.includes("bash .ci/run"));
        assert.ok(ciRow, "the table has `bash .ci/run`");
        const said = [...ciRow.does.matchAll(/`(\.\/run\.sh [a-z]+)`/g)].map(m => m[1]);
        const run = ci.map(line => /^(\.\/run\.sh [a-z]+)/.exec(line)?.[1]).filter(c => c !== undefined);
        assert.deepEqual(said, run, "what the table says `bash .ci/run` runs");
    });
});
