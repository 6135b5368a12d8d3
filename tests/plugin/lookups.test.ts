// A bucket that is not there, with the real CLI and the plugin (a Pulumi YAML program) against the
// emulator: preview warns of a missing bucket that a resource declares (and `up` still waits for
// it); `get` and `pulumi import` of a bucket with no rule, or of no bucket, fail naming it; and a
// rule deleted out of band still refreshes as gone.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { installedPlugin, scratchDir } from "../../harness/package";
import { cliEnv, cliWithHosts, Session } from "./support";

describe("plugin: missing buckets and rules with the CLI (Pulumi YAML)", function () {
    this.timeout(15 * 60_000);
    let bin: string;
    let emulator: Emulator;
    let scratch: string;
    let session: Session;
    let project: string;
    const pulumi = (args: string[], options: { expectFailure?: boolean } = {}) => session.run("pulumi", args, options);

    /** Writes the project's Pulumi.yaml with these resources (YAML text, indented by two spaces). */
    const program = (resources: string) =>
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            `name: oss-encryption-lookups\nruntime: yaml\npackages:\n  oss-encryption: ${installedPlugin()}\n${resources ? `resources:\n${resources}` : "resources: {}\n"}`,
        );
    const gets = () => emulator.requestLog.filter(r => r.action === "GetBucketEncryption").length;

    before(function () {
        this.timeout(30 * 60_000);
        bin = cliWithHosts(this, ["yaml", "nodejs"]);
        installedPlugin();
    });
    beforeEach(async () => {
        emulator = await startEmulator();
        scratch = scratchDir("plugin-lookups");
        project = path.join(scratch, "project");
        fs.mkdirSync(project);
        session = new Session(project, cliEnv(bin, scratch));
        program("");
        fs.mkdirSync(path.join(scratch, "state"));
        await pulumi(["login", `file://${path.join(scratch, "state")}`]);
        await pulumi(["stack", "init", "dev"]);
        for (const [key, value] of Object.entries({
            region: "cn-hangzhou",
            accessKey: emulator.defaultCredential.accessKeyId,
            ossEndpoint: emulator.endpoint,
            kmsEndpoint: emulator.kmsEndpoint,
        })) {
            await pulumi(["config", "set", `oss-encryption:${key}`, value]);
        }
        await session.run("pulumi", ["config", "set", "--secret", "oss-encryption:secretKey"], { input: emulator.defaultCredential.accessKeySecret });
    });
    afterEach(async () => {
        await emulator?.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("preview warns, without failing, that a declared bucket does not exist and that up will wait for it; a no-change preview asks nothing", async () => {
        program("  logs:\n    type: oss-encryption:BucketEncryption\n    properties:\n      bucket: plugin-later\n      sseAlgorithm: AES256\n");
        emulator.clearLog();
        const preview = await pulumi(["preview"]);
        assert.match(preview.output, /bucket "plugin-later" does not exist in cn-hangzhou \(GetBucketEncryption answered NoSuchBucket[^)]*\)\. `pulumi up` will wait up to 60 s for it/);
        assert.strictEqual(gets(), 1, "one GetBucketEncryption at preview");
        assert.strictEqual(emulator.getRule("plugin-later"), undefined);

        // The bucket appears (as one the program made moments earlier would): up puts the rule.
        emulator.seedBucket("plugin-later");
        await pulumi(["up", "--yes", "--skip-preview"]);
        assert.deepStrictEqual(emulator.getRule("plugin-later"), { SSEAlgorithm: "AES256" });
        emulator.clearLog();
        await pulumi(["preview", "--expect-no-changes"]);
        assert.deepStrictEqual(emulator.requestLog, [], "a no-change preview makes no call");

        // A rule deleted out of band: refresh records the resource as gone.
        emulator.setRule("plugin-later", undefined);
        const refresh = await pulumi(["refresh", "--yes"]);
        assert.match(refresh.output, /deleted/);
        const { output } = await pulumi(["stack", "export"]);
        assert.doesNotMatch(output, /BucketEncryption::logs/, "the refreshed state no longer holds the resource");
    });

    it("get of a bucket with no rule, or of no bucket, fails naming the bucket and what is missing; so does import", async () => {
        emulator.seedBucket("plugin-no-rule");
        program("  other:\n    type: oss-encryption:BucketEncryption\n    get:\n      id: plugin-no-rule\n");
        const noRule = await pulumi(["preview"], { expectFailure: true });
        assert.match(noRule.output, /Reading the encryption rule of bucket "plugin-no-rule" failed: the bucket has no default encryption rule/);

        program("  other:\n    type: oss-encryption:BucketEncryption\n    get:\n      id: plugin-no-bucket\n");
        const noBucket = await pulumi(["up", "--yes"], { expectFailure: true });
        assert.match(noBucket.output, /Reading the encryption rule of bucket "plugin-no-bucket" failed: no such bucket in cn-hangzhou/);

        program("");
        const imported = await pulumi(["import", "oss-encryption:index:BucketEncryption", "adopted", "plugin-no-rule", "--yes"], { expectFailure: true });
        assert.match(imported.output, /Reading the encryption rule of bucket "plugin-no-rule" failed: the bucket has no default encryption rule/);
        assert.strictEqual(emulator.getRule("plugin-no-rule"), undefined, "nothing was written");
    });
});
