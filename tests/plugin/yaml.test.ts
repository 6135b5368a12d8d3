// examples/yaml through the real CLI and the oss-encryption plugin, against the emulator.
import * as fs from "fs";
import * as path from "path";
import { lifecycleSuite } from "./scenario";

// yaml runs the program, nodejs the plugin.
lifecycleSuite("plugin: Pulumi YAML (examples/yaml)", ["yaml", "nodejs"], () => ({
    example: "yaml",
    language: "yaml",
    importedCode: /type: oss-encryption:BucketEncryption\s+properties:\s+bucket: BUCKET\s+region: cn-hangzhou\s+sseAlgorithm: KMS/,
    // Pulumi YAML's language host (v1.25.0) has no Link, so `pulumi package add` and `pulumi install`
    // stop at linking: the README has the entry added to Pulumi.yaml.
    addPackage: async (_session, project, plugin) => fs.appendFileSync(path.join(project, "Pulumi.yaml"), `packages:\n  oss-encryption: ${plugin}\n`),
}));
