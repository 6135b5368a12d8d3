// examples/python through the real CLI, the Python SDK generated from the plugin's schema and the
// oss-encryption plugin, against the emulator.
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { Emulator, startEmulator } from "../emulator";
import { runLifecycle } from "./scenario";
import { cliWithHosts, pythonVenv, scratchDir } from "./support";

describe("plugin: Python (examples/python)", function () {
    this.timeout(15 * 60_000);
    let bin: string;
    let venv: string;
    let emulator: Emulator;
    let scratch: string;

    before(function () {
        this.timeout(30 * 60_000);
        // python runs the program, nodejs runs the plugin.
        bin = cliWithHosts(this, ["python", "nodejs"]);
        venv = pythonVenv(this);
    });
    beforeEach(async () => {
        emulator = await startEmulator();
        scratch = scratchDir("plugin-python");
    });
    afterEach(async () => {
        await emulator?.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("up (with a get), preview, refresh, a bad KMS key at preview, import, destroy; no secret anywhere", async () => {
        const session = await runLifecycle(
            {
                example: "python",
                language: "python",
                importedCode: /BucketEncryption\("adopted",\s+bucket="BUCKET",\s+region="cn-hangzhou",\s+sse_algorithm=[^,]*KMS/,
                readsWithGet: true,
                // The project's own venv (runtime.options.virtualenv: venv), made here on top of the
                // cached one, so that `pulumi install` finds `pulumi` installed instead of downloading it.
                setUp: async (session, project) => {
                    const projectVenv = path.join(project, "venv");
                    execFileSync(path.join(venv, "bin/python"), ["-m", "venv", projectVenv]);
                    const sitePackages = (python: string) =>
                        execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
                    fs.writeFileSync(path.join(sitePackages(path.join(projectVenv, "bin/python")), "cached-venv.pth"), `${sitePackages(path.join(venv, "bin/python"))}\n`);
                    await session.run("pulumi", ["install"]);
                },
            },
            bin,
            scratch,
            emulator,
        );
        console.log(session.table("Python"));
    });
});
