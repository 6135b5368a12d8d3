// examples/python through the real CLI, the Python SDK's wheel and the oss-encryption plugin's
// release tarball, against the emulator.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { lifecycleSuite } from "./scenario";
import { pythonVenv } from "./support";

let venv: string;

/** A Python's site-packages folder. */
const sitePackages = (python: string) =>
    execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();

lifecycleSuite(
    "plugin: Python (examples/python)",
    ["python"],
    () => ({
        example: "python",
        language: "python",
        printedStart: /^import pulumi$/m,
        importedCode: [/BucketEncryption\("adopted",[^)]*bucket="BUCKET"/, /sse_algorithm=[^,]*KMS/, /kms_data_encryption=[^,]*SM4/],
        program: "__main__.py",
        pasteAs: "python",
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
