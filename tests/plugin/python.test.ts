// examples/python through the real CLI, the Python SDK's wheel and the oss-encryption plugin's
// release tarball, against the emulator.
import { lifecycleSuite } from "./scenario";
import { projectVenv, pythonVenv } from "./support";

let venv: string;

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
        prepare: project => projectVenv(project, venv),
    }),
    ctx => {
        venv = pythonVenv(ctx);
    },
);
