// examples/go through the real CLI, the committed Go SDK (sdks/go, through a `replace`) and the
// oss-encryption plugin's release tarball, against the emulator.
import { lifecycleSuite } from "./scenario";
import { hasCommand } from "./support";

lifecycleSuite(
    "plugin: Go (examples/go)",
    ["go"],
    () => ({
        example: "go",
        language: "go",
        printedStart: /^package main$/m,
        // The enum member, as is or converted (pulumi.String(ossencryption.SseAlgorithmKMS)): the input
        // is a string-or-enum union, and codegen has printed either form; both compile.
        importedCode: [
            /"github\.com\/oss-encryption\/pulumi-oss-encryption\/sdks\/go\/ossencryption"/,
            /Bucket:\s+pulumi\.String\("BUCKET"\)/,
            /SseAlgorithm:\s+(pulumi\.String\()?ossencryption\.SseAlgorithmKMS\)?,/,
            /KmsDataEncryption:\s+(pulumi\.String\()?ossencryption\.KmsDataEncryptionSM4\)?,/,
        ],
        program: "main.go",
        pasteAs: "go",
        // No workspace file of the machine's may take part in the program's build.
        env: { GOWORK: "off" },
    }),
    ctx => hasCommand(ctx, "go", ["version"]),
);
