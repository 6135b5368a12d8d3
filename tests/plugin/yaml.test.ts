// examples/yaml through the real CLI and the oss-encryption plugin, against the emulator.
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../emulator";
import { runLifecycle } from "./scenario";
import { cliWithHosts, scratchDir } from "./support";

describe("plugin: Pulumi YAML (examples/yaml)", function () {
    this.timeout(15 * 60_000);
    let bin: string;
    let emulator: Emulator;
    let scratch: string;

    before(function () {
        this.timeout(30 * 60_000);
        // yaml runs the program, nodejs runs the plugin.
        bin = cliWithHosts(this, ["yaml", "nodejs"]);
    });
    beforeEach(async () => {
        emulator = await startEmulator();
        scratch = scratchDir("plugin-yaml");
    });
    afterEach(async () => {
        await emulator?.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("up, preview, refresh, a bad KMS key at preview, import, destroy; no secret anywhere", async () => {
        const session = await runLifecycle(
            {
                example: "yaml",
                language: "yaml",
                importedCode: /type: oss-encryption:BucketEncryption\s+properties:\s+bucket: BUCKET\s+region: cn-hangzhou\s+sseAlgorithm: KMS/,
                // Pulumi YAML's language host (1.25) has no Link, so `pulumi package add` and
                // `pulumi install` stop at linking: the README has the entry added to Pulumi.yaml.
                addPackage: async (_session, project, plugin) =>
                    fs.appendFileSync(path.join(project, "Pulumi.yaml"), `packages:\n  oss-encryption: ${plugin}\n`),
            },
            bin,
            scratch,
            emulator,
        );
        console.log(session.table("YAML"));
    });
});
