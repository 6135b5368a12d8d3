// The scan command (scan/main.ts) against the emulator, as a platform team runs it over an account:
// buckets in three regions and every state a rule can be in, the verdicts and exit codes, the calls
// it makes (one GetBucketEncryption per bucket, one DescribeKey per key), the outputs, the import
// file and TypeScript declarations, and the stack exports that leave buckets out.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, startEmulator } from "../../emulator";
import { OssClient } from "../../provider/oss/client";
import { POLICY_NAMES } from "../../policy";
import { main, ScanIo } from "../../scan/main";
import { BucketReport } from "../../scan/scan";
import { isolateCredentialEnvironment, IsolatedEnvironment } from "../support/environment";

/** The world: what each bucket holds, and the verdict the scan must give it under PACK_CONFIG. */
const WORLD: Array<{ name: string; region: string; rule?: { SSEAlgorithm: string; KMSMasterKeyID?: string; KMSDataEncryption?: string }; verdict: string; why: RegExp }> = [
    { name: "acme-raw", region: "cn-hangzhou", verdict: "fail", why: /oss-encryption-every-bucket-encrypted \(mandatory\): bucket "acme-raw" has no default encryption/ },
    { name: "acme-aes", region: "cn-shanghai", rule: { SSEAlgorithm: "AES256" }, verdict: "pass", why: /^$/ },
    { name: "acme-sm4", region: "cn-shanghai", rule: { SSEAlgorithm: "SM4" }, verdict: "pass", why: /^$/ },
    { name: "kms-allowed", region: "cn-hangzhou", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-ok" }, verdict: "pass", why: /^$/ },
    { name: "kms-other", region: "cn-beijing", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-other" }, verdict: "fail", why: /oss-encryption-allowed-kms-keys \(mandatory\): the rule of bucket "kms-other" uses CMK "key-other", which is not allowed/ },
    { name: "kms-off-1", region: "cn-hangzhou", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-off" }, verdict: "fail", why: /KMS key key-off is Disabled/ },
    { name: "kms-off-2", region: "cn-hangzhou", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-off", KMSDataEncryption: "SM4" }, verdict: "fail", why: /KMS key key-off is Disabled/ },
    { name: "kms-gone", region: "cn-beijing", rule: { SSEAlgorithm: "KMS", KMSMasterKeyID: "key-gone" }, verdict: "fail", why: /KMS key key-gone is missing/ },
];
const PACK_CONFIG = { [POLICY_NAMES.allowedKmsKeys]: { allowedKeys: ["key-ok", "key-off", "key-gone"] } };

/** What a run of the command printed, and its exit code. */
interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

describe("scan: every bucket of an account, against the emulator", function () {
    this.timeout(60_000);
    let emulator: Emulator;
    let env: IsolatedEnvironment;
    let dir: string;
    let packConfig: string;

    const scan = async (...args: string[]): Promise<Run> => {
        let stdout = "";
        let stderr = "";
        const io: ScanIo = { stdout: text => void (stdout += text), stderr: text => void (stderr += text), progress: false };
        const code = await main(["scan", "--oss-endpoint", emulator.endpoint, "--kms-endpoint", emulator.kmsEndpoint, ...args], io);
        return { code, stdout, stderr };
    };
    const records = (run: Run): BucketReport[] => run.stdout.trim().split("\n").filter(Boolean).map(line => JSON.parse(line) as BucketReport);

    beforeEach(async () => {
        emulator = await startEmulator();
        for (const b of WORLD) {
            emulator.seedBucket(b.name, { region: b.region, rule: b.rule });
        }
        emulator.seedKey({ keyId: "key-ok", region: "cn-hangzhou", keyState: "Enabled" });
        emulator.seedKey({ keyId: "key-off", region: "cn-hangzhou", keyState: "Disabled" });
        emulator.seedKey({ keyId: "key-other", region: "cn-beijing", keyState: "Enabled" });
        env = isolateCredentialEnvironment({
            ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.defaultCredential.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.defaultCredential.accessKeySecret,
        });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "oss-enc-scan-"));
        packConfig = path.join(dir, "policy-config.json");
        fs.writeFileSync(packConfig, JSON.stringify(PACK_CONFIG));
    });
    afterEach(async () => {
        env.restore();
        await emulator.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("judges each bucket as the pack and the key check would, exits 1, and reads each bucket once and each key once", async () => {
        const run = await scan("--policy-pack-config", packConfig, "--format", "json");
        assert.equal(run.code, 1, run.stderr);
        const byBucket = new Map(records(run).map(r => [r.bucket, r]));
        assert.deepEqual([...byBucket.keys()].sort(), WORLD.map(b => b.name).sort());
        for (const b of WORLD) {
            const record = byBucket.get(b.name)!;
            assert.equal(record.region, b.region, b.name);
            assert.equal(record.verdict, b.verdict, `${b.name}: ${JSON.stringify(record)}`);
            const reasons = [...record.findings.filter(f => f.level === "mandatory").map(f => `${f.policy} (${f.level}): ${f.message}`), record.key && record.key.state !== "Enabled" ? `KMS key ${record.key.id} is ${record.key.state}` : ""].join(" ").trim();
            assert.match(reasons, b.why, b.name);
        }
        const calls = (action: string) => emulator.requestLog.filter(r => r.action === action);
        assert.equal(calls("ListBuckets").length, 1);
        assert.deepEqual(calls("GetBucketEncryption").map(r => r.bucket).sort(), WORLD.map(b => b.name).sort());
        assert.deepEqual(calls("DescribeKey").map(r => r.keyId).sort(), ["key-gone", "key-off", "key-ok", "key-other"]);
        assert.equal(emulator.requestLog.filter(r => !["ListBuckets", "GetBucketEncryption", "DescribeKey"].includes(r.action)).length, 0, "nothing but reads");
    });

    it("exit 0 when every bucket passes; --region and --prefix narrow the scan", async () => {
        const shanghai = await scan("--policy-pack-config", packConfig, "--region", "cn-shanghai", "--format", "json");
        assert.equal(shanghai.code, 0, shanghai.stderr);
        assert.deepEqual(records(shanghai).map(r => r.bucket), ["acme-aes", "acme-sm4"]);
        const kms = await scan("--policy-pack-config", packConfig, "--prefix", "kms-", "--region", "cn-hangzhou,cn-beijing", "--format", "json");
        assert.deepEqual(records(kms).map(r => r.bucket), ["kms-allowed", "kms-gone", "kms-off-1", "kms-off-2", "kms-other"]);
    });

    it("without a pack config, the pack's defaults: the empty CMK allow-list fails every customer key", async () => {
        const run = await scan("--format", "json");
        const kmsVerdicts = records(run).filter(r => r.bucket.startsWith("kms-")).map(r => r.verdict);
        assert.deepEqual(kmsVerdicts, ["fail", "fail", "fail", "fail", "fail"]);
        assert.equal(records(run).find(r => r.bucket === "acme-aes")!.verdict, "pass");
    });

    it("a table for people and Markdown for a CI summary, with the counts", async () => {
        const table = await scan("--policy-pack-config", packConfig);
        assert.match(table.stdout, /^BUCKET\s+REGION\s+RULE\s+KEY\s+VERDICT\s+REASON$/m);
        assert.match(table.stdout, /^kms-off-2\s+cn-hangzhou\s+KMS key-off, SM4 data\s+Disabled\s+FAIL\s+KMS key key-off is Disabled/m);
        assert.match(table.stdout, /8 buckets: 3 pass, 5 fail, 0 could not be read/);
        const markdown = await scan("--policy-pack-config", packConfig, "--format", "markdown");
        assert.match(markdown.stdout, /^## OSS bucket encryption scan$/m);
        assert.match(markdown.stdout, /### Not passing\n\n\| bucket \| region \| rule \| key \| verdict \| reason \|\n\|---\|/);
        assert.match(markdown.stdout, /^\| acme-raw \| cn-hangzhou \| none \|  \| fail \| /m);
    });

    it("--import-file writes Pulumi's bulk import file for the chosen buckets; --typescript-file the dynamic provider's declarations", async () => {
        const importFile = path.join(dir, "import.json");
        const typescript = path.join(dir, "adopted.ts");
        const all = await scan("--policy-pack-config", packConfig, "--import-file", importFile, "--typescript-file", typescript);
        assert.match(all.stderr, /wrote .*import\.json: 7 buckets \(with-rule\); adopt them with `pulumi import --file /);
        assert.match(all.stderr, /1 buckets without a rule have nothing to adopt/);
        const file = JSON.parse(fs.readFileSync(importFile, "utf8")) as { resources: Array<{ type: string; name: string; id: string }> };
        assert.deepEqual(file.resources.find(r => r.id === "kms-other"), { type: "oss-encryption:index:BucketEncryption", name: "kms-other", id: "kms-other" });
        assert.equal(file.resources.length, 7);
        const ts = fs.readFileSync(typescript, "utf8");
        assert.match(ts, /export const kms_off_2 = new BucketEncryption\("kms-off-2", \{ bucket: "kms-off-2", sseAlgorithm: "KMS", kmsMasterKeyId: "key-off", kmsDataEncryption: "SM4", region: "cn-hangzhou" \}, \{ import: "kms-off-2" \}\);/);
        await scan("--policy-pack-config", packConfig, "--import-file", importFile, "--import-filter", "failing");
        const failing = JSON.parse(fs.readFileSync(importFile, "utf8")) as { resources: Array<{ id: string }> };
        assert.deepEqual(failing.resources.map(r => r.id), ["kms-gone", "kms-off-1", "kms-off-2", "kms-other"]);
    });

    it("--exclude-stack leaves out the buckets a stack export manages: ours, alicloud's BucketServerSideEncryption and a Bucket's inline rule", async () => {
        const exported = {
            version: 3,
            deployment: {
                resources: [
                    { urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack" },
                    { urn: "urn:pulumi:dev::p::oss-encryption:index:BucketEncryption::a", type: "oss-encryption:index:BucketEncryption", id: "acme-aes", inputs: { bucket: "acme-aes", sseAlgorithm: "AES256" } },
                    { urn: "urn:pulumi:dev::p::alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption::s", type: "alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption", id: "acme-sm4", inputs: { bucket: "acme-sm4", sseAlgorithm: "SM4" } },
                    { urn: "urn:pulumi:dev::p::alicloud:oss/bucket:Bucket::b", type: "alicloud:oss/bucket:Bucket", id: "kms-allowed", inputs: { serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsMasterKeyId: "key-ok" } } },
                    { urn: "urn:pulumi:dev::p::alicloud:oss/bucket:Bucket::plain", type: "alicloud:oss/bucket:Bucket", id: "acme-raw", inputs: { bucket: "acme-raw" } },
                ],
            },
        };
        const exportFile = path.join(dir, "stack.json");
        fs.writeFileSync(exportFile, JSON.stringify(exported));
        const run = await scan("--policy-pack-config", packConfig, "--exclude-stack", exportFile, "--format", "json");
        assert.deepEqual(records(run).map(r => r.bucket), ["acme-raw", "kms-gone", "kms-off-1", "kms-off-2", "kms-other"], "a Bucket without a rule manages no encryption");
        assert.match(run.stderr, /left out: 3 buckets/);
    });

    it("bounds the GetBucketEncryption calls in flight per region by --concurrency", async () => {
        for (let i = 0; i < 24; i++) {
            emulator.seedBucket(`wide-${String(i).padStart(2, "0")}`, { region: "cn-qingdao", rule: { SSEAlgorithm: "AES256" } });
        }
        emulator.setFaults({ latencyMs: 300, only: ["oss:GetBucketEncryption"] });
        emulator.clearLog();
        await scan("--region", "cn-qingdao", "--concurrency", "4", "--format", "json");
        const arrivals = emulator.requestLog.filter(r => r.action === "GetBucketEncryption").map(r => r.at).sort((a, b) => a - b);
        assert.equal(arrivals.length, 24);
        const mostWithin = Math.max(...arrivals.map(t => arrivals.filter(u => u >= t && u < t + 250).length));
        assert.ok(mostWithin <= 4, `${mostWithin} GetBucketEncryption calls arrived within 250 ms (latency 300 ms, concurrency 4)`);
        assert.ok(arrivals.at(-1)! - arrivals[0] >= 5 * 280, "six waves of four");
    });

    it("fails closed on a bad option or pack config, exit 2, naming it and sending nothing", async () => {
        const badOption = await scan("--concurency", "4");
        assert.equal(badOption.code, 2);
        assert.match(badOption.stderr, /unknown option "--concurency" \(did you mean --concurrency\?\)/);
        fs.writeFileSync(packConfig, JSON.stringify({ [POLICY_NAMES.allowedKmsKeys]: { allowedKey: ["key-ok"] } }));
        const badConfig = await scan("--policy-pack-config", packConfig);
        assert.equal(badConfig.code, 2);
        assert.match(badConfig.stderr, /has no setting "allowedKey" \(did you mean "allowedKeys"\?\)/);
        assert.deepEqual(emulator.requestLog, []);
    });

    it("a bucket it may not read is reported with the operation, code and request ID, exit 2; the others are still judged", async () => {
        const limited = { accessKeyId: "LTAIlimitedscan000000001", accessKeySecret: "limited-scan-secret-value-0001", denyBuckets: ["kms-off-*"] };
        emulator.addCredential(limited);
        env.restore();
        env = isolateCredentialEnvironment({ ALIBABA_CLOUD_ACCESS_KEY_ID: limited.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: limited.accessKeySecret });
        const run = await scan("--policy-pack-config", packConfig, "--format", "json");
        assert.equal(run.code, 2, run.stderr);
        const byVerdict = (verdict: string) => records(run).filter(r => r.verdict === verdict).map(r => r.bucket);
        assert.deepEqual(byVerdict("error"), ["kms-off-1", "kms-off-2"]);
        assert.deepEqual(byVerdict("pass").length + byVerdict("fail").length, WORLD.length - 2, "every other bucket judged");
        assert.match(run.stderr, /the scan is incomplete: 2 buckets could not be read:\n  kms-off-1: GetBucketEncryption on bucket "kms-off-1" failed: AccessDenied \(HTTP 403, request ID \S+\)/);
        assert.ok(!run.stdout.includes(limited.accessKeySecret) && !run.stderr.includes(limited.accessKeySecret), "no secret printed");
    });

    it("exit 2 when ListBuckets cannot be read, with the operation and code", async () => {
        emulator.setFaults({ only: ["oss:ListBuckets"], rates: { InternalError: 1 } });
        const run = await scan("--timeout-seconds", "2");
        assert.equal(run.code, 2);
        assert.match(run.stderr, /ListBuckets failed: InternalError \(HTTP 500, request ID \S+\)/);
    });

    it("pages through ListBuckets by marker (the client, 25 buckets, 10 a page)", async () => {
        for (let i = 0; i < 17; i++) {
            emulator.seedBucket(`page-${String(i).padStart(2, "0")}`, { region: i % 2 ? "cn-beijing" : "cn-hangzhou" });
        }
        const client = new OssClient({ region: "cn-hangzhou", endpoint: emulator.endpoint, credentials: async () => emulator.defaultCredential });
        const names: string[] = [];
        let marker: string | undefined;
        let pages = 0;
        do {
            const page = await client.listBuckets({ marker, maxKeys: 10 });
            names.push(...page.buckets.map(b => b.name));
            marker = page.nextMarker;
            pages++;
        } while (marker);
        assert.equal(pages, 3);
        assert.deepEqual(names, [...names].sort());
        assert.equal(new Set(names).size, 25);
    });
});
