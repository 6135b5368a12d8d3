// Every command a README shows is run by a test: this lists each README's ```sh commands and
// fails on one that no suite takes up, naming it. Which suite runs what:
// - examples/*/README.md: examples.test.ts runs every line of the block with `pulumi up`, the
//   `npm run emulator` line and the `alicloud:endpoints` lines;
// - README.md: .ci/run runs the front-door `./run.sh` commands; readme-project.test.ts runs the
//   Use section (project, npm/pnpm/yarn installs, stack commands) and the git install;
//   harness.ts's packedTarball runs `npm pack`.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../e2e/harness";
import { shellBlocks } from "./harness";
import { useInstall } from "./readme";

describe("README commands are all run by tests", () => {
    it("examples/*/README.md: every command is in the steps examples.test.ts runs", () => {
        for (const name of fs.readdirSync(path.join(REPO, "examples"))) {
            const readme = path.join(REPO, "examples", name, "README.md");
            if (!fs.existsSync(path.join(REPO, "examples", name, "Pulumi.yaml")) || !/runtime:\s*nodejs/.test(fs.readFileSync(path.join(REPO, "examples", name, "Pulumi.yaml"), "utf8"))) {
                continue;
            }
            const blocks = shellBlocks(readme);
            const runBlock = blocks.find(b => b.includes("pulumi up")) ?? [];
            const untaken = blocks
                .flat()
                .filter(c => !runBlock.includes(c) && !c.startsWith("npm run emulator") && !c.includes("alicloud:endpoints"));
            assert.deepEqual(untaken, [], `examples/${name}/README.md`);
        }
    });

    it("README.md: every command is a front-door command in .ci/run, npm pack, or the Use/Install steps readme-project.test.ts runs", () => {
        const ci = fs.readFileSync(path.join(REPO, ".ci/run"), "utf8");
        const blocks = shellBlocks(path.join(REPO, "README.md"));
        const useProject = blocks.find(b => b[0]?.startsWith("mkdir ")) ?? [];
        const useStack = blocks.find(b => b.includes("pulumi config set kmsKeyId <key-id>")) ?? [];
        const untaken = blocks.flat().filter(c => {
            if (c.startsWith("./run.sh ")) {
                return !ci.split("\n").some(line => line.startsWith(c));
            }
            const installs = (["npm", "pnpm", "yarn"] as const).flatMap(manager => useInstall(manager, blocks));
            const byTests = ["npm pack", "npm install git+<repository-url>", ...installs, ...useProject, ...useStack];
            return !byTests.includes(c);
        });
        assert.deepEqual(untaken, []);
    });
});
