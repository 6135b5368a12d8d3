// examples/typescript-plugin through the real CLI, the generated Node.js SDK's npm tarball
// (@oss-encryption/pulumi) and the oss-encryption plugin's release tarball, against the emulator:
// TypeScript on the plugin rather than on the dynamic provider.
import { lifecycleSuite } from "./scenario";

lifecycleSuite("plugin: TypeScript on the plugin (examples/typescript-plugin)", ["nodejs"], () => ({
    example: "typescript-plugin",
    language: "typescript",
    printedStart: /^import \* as pulumi from "@pulumi\/pulumi";$/m,
    importedCode: [/new \w+\.BucketEncryption\("adopted", \{[^}]*bucket: "BUCKET"/, /sseAlgorithm: [^,]*KMS/, /kmsDataEncryption: [^,]*SM4/],
    program: "index.ts",
    pasteAs: "typescript",
    programNeedsNode: true,
}));
