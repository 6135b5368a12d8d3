// firstLineMatching (harness/lines.ts): the line a child prints to say it is ready.
import * as assert from "assert/strict";
import { spawn } from "child_process";
import { firstLineMatching } from "../../harness/lines";

/** A node child running `script`, its stdout piped. */
const node = (script: string) => spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });

describe("firstLineMatching", () => {
    it("resolves with the first line, or the first that matches", async () => {
        const script = `console.log("npm header"); console.log('{"port": 1}'); console.log('{"port": 2}')`;
        assert.equal(await firstLineMatching(node(script)), "npm header");
        assert.equal(await firstLineMatching(node(script), line => line.startsWith("{")), '{"port": 1}');
    });

    it("rejects, naming the process and its exit code, when it exits without the line", async () => {
        const child = node(`console.log("starting"); process.exit(3)`);
        await assert.rejects(firstLineMatching(child, line => line.startsWith("{"), "the emulator"), /^Error: the emulator exited with 3 before/);
    });

    it("rejects when the process cannot start", async () => {
        const child = spawn("/nonexistent/oss-encryption-test-binary", [], { stdio: ["ignore", "pipe", "inherit"] });
        await assert.rejects(firstLineMatching(child, undefined, "the missing binary"), /the missing binary failed: spawn .*ENOENT/);
    });

    it("keeps reading a chatty process's stdout after the line, so it runs to its end", async () => {
        // 8 MB after the first line: far more than a pipe holds, so a paused stdout would block the child.
        const child = node(`console.log("ready"); process.stdout.write("x".repeat(8 << 20)); process.stdout.write("\\n")`);
        assert.equal(await firstLineMatching(child), "ready");
        const code = await new Promise(resolve => child.once("close", resolve));
        assert.equal(code, 0);
    });
});
