// examples/yaml through the real CLI and the oss-encryption plugin's release tarball, against the
// emulator: YAML needs no SDK, the engine finds the plugin installed by `pulumi plugin install`.
import { lifecycleSuite } from "./scenario";

lifecycleSuite("plugin: Pulumi YAML (examples/yaml)", ["yaml"], () => ({
    example: "yaml",
    language: "yaml",
    printedStart: /^resources:$/m,
    importedCode: [/adopted:\s+type: oss-encryption:BucketEncryption\s+properties:\s+bucket: BUCKET/, /sseAlgorithm: KMS/, /kmsDataEncryption: SM4/],
    program: "Pulumi.yaml",
    pasteAs: "yaml",
}));
