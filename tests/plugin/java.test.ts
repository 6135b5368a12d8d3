// examples/java through the real CLI, the Java SDK's jar and pom (installed into ~/.m2 with
// `mvn install:install-file`) and the oss-encryption plugin's release tarball, against the emulator.
import { lifecycleSuite } from "./scenario";
import { hasCommand } from "./support";

lifecycleSuite(
    "plugin: Java (examples/java)",
    ["java"],
    () => ({
        example: "java",
        language: "java",
        printedStart: /^package generated_program;$/m,
        importedCode: [
            /import io\.github\.ossencryption\.ossencryption\.BucketEncryption;/,
            /\.bucket\("BUCKET"\)/,
            // pulumi-java prints an enum as its string; the builder takes it (a string-or-enum input).
            /\.sseAlgorithm\("KMS"\)/,
            /\.kmsDataEncryption\("SM4"\)/,
        ],
        program: "src/main/java/myproject/App.java",
        pasteAs: "java",
    }),
    ctx => hasCommand(ctx, "mvn", ["--version"]),
);
