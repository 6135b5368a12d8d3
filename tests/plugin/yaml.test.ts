// examples/yaml through the real CLI and the oss-encryption plugin, against the emulator: the
// commands of its README (which adds the plugin to Pulumi.yaml's packages with printf: Pulumi YAML's
// language host v1.25.0 has no Link, so `pulumi package add` and `pulumi install` stop at linking).
import { lifecycleSuite } from "./scenario";

// yaml runs the program, nodejs the plugin.
lifecycleSuite("plugin: Pulumi YAML (examples/yaml)", ["yaml", "nodejs"], () => ({
    example: "yaml",
    language: "yaml",
    importedCode: /type: oss-encryption:BucketEncryption\s+properties:\s+bucket: BUCKET\s+region: cn-hangzhou\s+sseAlgorithm: KMS/,
}));
