// pathWithoutNode (harness/release.ts): the PATH the other languages' lifecycles give the CLI once
// the plugin is the self-contained executable.
import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "../../harness/package";
import { pathWithoutNode } from "../../harness/release";

/** Where `command` is found on `searchPath`, or undefined. */
const which = (command: string, searchPath: string) => {
    // --norc: with its stdio on sockets, as Node.js gives it, bash would read ~/.bashrc, which may add to PATH.
    const found = spawnSync("/bin/bash", ["--norc", "-c", `command -v ${command}`], { env: { PATH: searchPath }, encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
};

describe("harness/release", () => {
    let scratch: string;
    beforeEach(() => {
        scratch = scratchDir("release-test");
    });
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("pathWithoutNode: no node, npm or npx, and everything else of the folders that held them", () => {
        // A PATH with node twice (this process's Node.js 24 and a folder like /usr/bin), and a folder without.
        const withNode = path.join(scratch, "usr-bin");
        const other = path.join(scratch, "other");
        for (const [dir, names] of [[withNode, ["node", "npm", "npx", "tar", "mvn"]], [other, ["go"]]] as const) {
            fs.mkdirSync(dir);
            for (const name of names) {
                fs.writeFileSync(path.join(dir, name), "#!/bin/sh\n", { mode: 0o755 });
            }
        }
        const searchPath = [path.dirname(process.execPath), withNode, other, "/bin", "/usr/bin"].join(path.delimiter);
        assert.ok(which("node", searchPath), "node is on the PATH before");

        const stripped = pathWithoutNode(searchPath, scratch);
        for (const command of ["node", "npm", "npx"]) {
            assert.equal(which(command, stripped), undefined, `${command} is not found`);
        }
        assert.equal(which("tar", stripped), path.join(scratch, "path-without-node", "1", "tar"), "a symlink to the folder's other executables");
        assert.equal(fs.realpathSync(which("mvn", stripped) as string), path.join(withNode, "mvn"));
        assert.equal(which("go", stripped), path.join(other, "go"), "a folder without node stays as it is");
        assert.ok(which("bash", stripped), "the system's own tools stay");
    });
});
