// The project the README's "Use" section writes, built exactly from its commands and its index.ts,
// with the package from the packed tarball: installed by npm, pnpm and yarn; on the lowest
// @pulumi/pulumi the package supports and on the newest; and installed from a git URL as the
// "Install" section shows.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { PASSPHRASE, REPO } from "../../harness/pulumi";
import { assertNoSecretsLeft, providerSizes } from "../support/inspect";
import { fencedBlockAfter, fillPlaceholders, PackageManager, recordResults, shellBlocks, StandaloneProject } from "../support/standalone";
import { packedTarball } from "../../harness/package";
import { README, useSectionCommands } from "./readme";
import { lowestOfRange } from "../../sdk/pulumiVersion";

const KEY = "5d3c9a7e-0000-4a1b-8c2d-3e4f5a6b7c8d";
const BUCKET = "readme-logs";

/** The lowest @pulumi/pulumi in the package's peer range, as the SDK's version check reads it. */
function lowestSupportedSdk(): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    return lowestOfRange(manifest.peerDependencies["@pulumi/pulumi"]);
}

describe("the README's Use project, standalone", function () {
    this.timeout(15 * 60_000);
    let emulator: Emulator;

    before(beforeAllNeedingPulumiCli);
    beforeEach(async () => {
        emulator = await startEmulator();
        emulator.seedBucket(BUCKET);
        emulator.seedKey({ keyId: KEY, region: "cn-hangzhou", keyState: "Enabled" });
    });
    afterEach(async () => emulator.stop());

    /**
     * Writes the project with the Use section's commands, installs the package with `install`, and
     * runs the stack commands, then preview, refresh and destroy, checking the live rule each time.
     * Returns the @pulumi/pulumi version the project ended up with.
     */
    async function runUseProject(name: string, manager: PackageManager, adjustInstall: (command: string) => string): Promise<string> {
        const { create, install, stack } = useSectionCommands(manager);
        const project = StandaloneProject.create(undefined);
        const values = {
            "<path-to-tarball>": packedTarball(),
            "<access-key-id>": emulator.defaultCredential.accessKeyId,
            "<access-key-secret>": emulator.defaultCredential.accessKeySecret,
            "<bucket>": BUCKET,
            "<key-id>": KEY,
        };
        const expected = { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY, KMSDataEncryption: "SM4" };
        try {
            for (const command of create) {
                await project.run(command);
            }
            for (const command of install) {
                await project.run(adjustInstall(fillPlaceholders(command, values)));
            }
            fs.writeFileSync(path.join(project.dir, "index.ts"), fencedBlockAfter(README, "`index.ts`:", "ts"));
            const endpoints = JSON.stringify([{ oss: emulator.endpoint, kms: emulator.kmsEndpoint }]);
            for (const command of stack) {
                if (command === "pulumi up") {
                    await project.run(`pulumi config set alicloud:endpoints '${endpoints}'`);
                }
                await project.run(fillPlaceholders(command, values));
            }
            assert.deepEqual(emulator.getRule(BUCKET), expected, "after up");
            const sizes = providerSizes(JSON.parse((await project.run("pulumi stack export")).stdout));
            assert.equal(sizes.length, 1);
            assert.ok(sizes[0][1] < 4096, `__provider is ${sizes[0][1]} bytes`);
            await project.run("pulumi preview --expect-no-changes");
            await project.run("pulumi refresh");
            assert.deepEqual(emulator.getRule(BUCKET), expected, "after refresh");
            await project.run("pulumi destroy");
            assert.equal(emulator.getRule(BUCKET), undefined, "after destroy");
            assertNoSecretsLeft([emulator.defaultCredential.accessKeySecret, PASSPHRASE], {
                "the CLI output": project.output(),
                "the stack's files": project.leftovers(),
            });
            const sdk = await project.run(`node -p "require('@pulumi/pulumi/package.json').version"`);
            return sdk.stdout.trim();
        } finally {
            recordResults(name, project);
            project.remove();
        }
    }

    it("npm, with the newest @pulumi/pulumi", async () => {
        const version = await runUseProject("use/npm/newest", "npm", c => c);
        console.log(`      @pulumi/pulumi ${version}`);
    });

    it("npm, with the lowest @pulumi/pulumi of the peer range", async () => {
        const lowest = lowestSupportedSdk();
        const version = await runUseProject("use/npm/lowest", "npm", c => c.replace(" @pulumi/pulumi ", ` @pulumi/pulumi@${lowest} `));
        assert.equal(version, lowest);
    });

    it("npm, below the peer range (installed with --legacy-peer-deps): the preview fails at once, saying what to upgrade", async () => {
        const { create, install } = useSectionCommands("npm");
        const project = StandaloneProject.create(undefined);
        try {
            for (const command of create) {
                await project.run(command);
            }
            // npm itself refuses the install without --legacy-peer-deps (ERESOLVE); pnpm and yarn only warn.
            const tooOld = fillPlaceholders(install[0], { "<path-to-tarball>": packedTarball() }).replace(" @pulumi/pulumi ", " @pulumi/pulumi@3.138.0 ");
            assert.notEqual((await project.run(tooOld, { allowFailure: true })).code, 0, "npm refuses a peer below the range");
            await project.run(`${tooOld} --legacy-peer-deps`);
            fs.writeFileSync(path.join(project.dir, "index.ts"), fencedBlockAfter(README, "`index.ts`:", "ts"));
            await project.run("pulumi login --local && pulumi stack init dev && pulumi config set bucket b && pulumi config set kmsKeyId k");
            const preview = await project.run("pulumi preview", { allowFailure: true });
            assert.notEqual(preview.code, 0);
            assert.match(preview.stdout + preview.stderr, /needs @pulumi\/pulumi 3\.139\.0 or newer .* this project has 3\.138\.0\. Upgrade it: npm install @pulumi\/pulumi@latest/);
        } finally {
            recordResults("use/npm/too-old", project);
            project.remove();
        }
    });

    it("pnpm", async () => {
        await runUseProject("use/pnpm", "pnpm", c => c);
    });

    it("yarn 1", async () => {
        await runUseProject("use/yarn", "yarn", c => c);
    });

    it("npm, from a git URL as the Install section shows", async () => {
        const gitInstall = shellBlocks(README).flat().find(c => c.startsWith("npm install git+"));
        assert.ok(gitInstall, "README.md shows an install from git");
        // The Use section's install without the tarball, after the install from git.
        const fromGit = fillPlaceholders(gitInstall, { "<repository-url>": `file://${REPO}` });
        await runUseProject("use/npm/git", "npm", c => `${fromGit} && ${c.replace(`${packedTarball()} `, "")}`);
    });
});
