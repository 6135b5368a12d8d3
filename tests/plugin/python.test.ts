// examples/python through the real CLI, the Python SDK generated from the plugin's schema and the
// oss-encryption plugin, against the emulator.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { lifecycleSuite } from "./scenario";
import { pythonVenv } from "./support";

let venv: string;

/** A Python's site-packages folder. */
const sitePackages = (python: string) =>
    execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();

// python runs the program, nodejs the plugin.
lifecycleSuite(
    "plugin: Python (examples/python)",
    ["python", "nodejs"],
    () => ({
        example: "python",
        language: "python",
        importedCode: /BucketEncryption\("adopted",\s+bucket="BUCKET",\s+region="cn-hangzhou",\s+sse_algorithm=[^,]*KMS/,
        readsWithGet: true,
        // The project's own venv (runtime.options.virtualenv: venv), made here on top of the cached
        // one (a .pth file), so that the README's `pulumi install` finds `pulumi` installed instead
        // of downloading it.
        prepare: project => {
            const projectVenv = path.join(project, "venv");
            execFileSync(path.join(venv, "bin/python"), ["-m", "venv", projectVenv]);
            fs.writeFileSync(path.join(sitePackages(path.join(projectVenv, "bin/python")), "cached-venv.pth"), `${sitePackages(path.join(venv, "bin/python"))}\n`);
        },
    }),
    ctx => {
        venv = pythonVenv(ctx);
    },
);
