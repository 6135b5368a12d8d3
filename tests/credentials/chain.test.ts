// The credential chain against the emulator: each source that can run here, their order, the
// errors for missing and half-set credentials, and STS refresh (ECS role, OIDC) through fake
// metadata and STS servers on loopback.
import * as assert from "assert/strict";
import * as path from "path";
import { readSettings } from "../../provider/settings";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";
import { IsolatedEnvironment, isolateCredentialEnvironment } from "../support/environment";
import { providerAgainst } from "../support/provider";
import { FakeCloud, redirectLibraryRequests, startFakeCloud } from "./fake-cloud";

/** Test key pairs known to the emulator, one per source, so the log shows which source signed. */
const CONFIG_KEY: EmulatorCredential = { accessKeyId: "LTAIconfigconfigconfig00", accessKeySecret: "config-secret-not-real" };
const ENV_KEY: EmulatorCredential = { accessKeyId: "LTAIenvenvenvenvenvenv00", accessKeySecret: "env-secret-not-real" };
const OLD_ENV_KEY: EmulatorCredential = { accessKeyId: "LTAIoldenvoldenvoldenv00", accessKeySecret: "old-env-secret-not-real" };
const CLI_KEY: EmulatorCredential = { accessKeyId: "LTAIclicliclicliclicli00", accessKeySecret: "cli-secret-not-real" };
const CLI_OTHER_KEY: EmulatorCredential = { accessKeyId: "LTAIcliothercliother0000", accessKeySecret: "cli-other-secret-not-real" };
const INI_KEY: EmulatorCredential = { accessKeyId: "LTAIiniiniiniiniiniini00", accessKeySecret: "ini-secret-not-real" };
const INI_PROD_KEY: EmulatorCredential = { accessKeyId: "LTAIiniprodiniprod000000", accessKeySecret: "ini-prod-secret-not-real" };
const STS_KEY: EmulatorCredential = { accessKeyId: "STS.stsstsstsstssts00001", accessKeySecret: "sts-secret-not-real", securityToken: "sts-token-1-not-real" };
const STS_KEY_2: EmulatorCredential = { accessKeyId: "STS.stsstsstsstssts00002", accessKeySecret: "sts-secret-2-not-real", securityToken: "sts-token-2-not-real" };
const STS_KEY_3: EmulatorCredential = { accessKeyId: "STS.stsstsstsstssts00003", accessKeySecret: "sts-secret-3-not-real", securityToken: "sts-token-3-not-real" };

/** An Alibaba Cloud CLI config with the given profiles and current profile. */
function cliConfig(current: string, profiles: Array<Record<string, string>>): string {
    return JSON.stringify({ current, profiles });
}

/** An AK profile of the CLI config. */
function akProfile(name: string, key: EmulatorCredential): Record<string, string> {
    return { name, mode: "AK", access_key_id: key.accessKeyId, access_key_secret: key.accessKeySecret };
}

/** An INI credentials-file section. */
function iniSection(name: string, key: EmulatorCredential): string {
    return `[${name}]\ntype = access_key\naccess_key_id = ${key.accessKeyId}\naccess_key_secret = ${key.accessKeySecret}\n`;
}

describe("credential chain", () => {
    let emulator: Emulator;
    let env: IsolatedEnvironment;

    beforeEach(async () => {
        emulator = await startEmulator({ credentials: [CONFIG_KEY, ENV_KEY, OLD_ENV_KEY, CLI_KEY, CLI_OTHER_KEY, INI_KEY, INI_PROD_KEY, STS_KEY, STS_KEY_2, STS_KEY_3] });
        emulator.seedBucket("acme-logs");
        env = isolateCredentialEnvironment();
    });
    afterEach(async () => {
        env.restore();
        await emulator.stop();
    });

    /** Creates an AES256 rule and returns the AccessKey ID that signed the PUT. */
    async function signerOfCreate(config: Record<string, string> = {}): Promise<string | undefined> {
        await (await providerAgainst(emulator, { config, credential: "none" })).create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
        return emulator.requestLog.filter(r => r.action === "PutBucketEncryption").at(-1)?.accessKeyId;
    }

    /** The error a create fails with. */
    async function createError(config: Record<string, string> = {}): Promise<Error> {
        const p = await providerAgainst(emulator, { config, credential: "none" });
        try {
            await p.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
        } catch (err) {
            return err as Error;
        }
        return assert.fail("expected the create to fail");
    }

    const configKeys = (key: EmulatorCredential) => ({
        "alicloud:accessKey": key.accessKeyId,
        "alicloud:secretKey": key.accessKeySecret,
        ...(key.securityToken ? { "alicloud:securityToken": key.securityToken } : {}),
    });
    const setEnvKeys = (key: EmulatorCredential) => {
        process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = key.accessKeyId;
        process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = key.accessKeySecret;
        if (key.securityToken) {
            process.env.ALIBABA_CLOUD_SECURITY_TOKEN = key.securityToken;
        }
    };

    describe("sources and their order", () => {
        it("stack config first, over the environment and the shared files", async () => {
            setEnvKeys(ENV_KEY);
            env.writeHomeFile(".aliyun/config.json", cliConfig("default", [akProfile("default", CLI_KEY)]));
            assert.equal(await signerOfCreate(configKeys(CONFIG_KEY)), CONFIG_KEY.accessKeyId);
        });

        it("stack config with an STS token sends the token", async () => {
            assert.equal(await signerOfCreate(configKeys(STS_KEY)), STS_KEY.accessKeyId);
        });

        it("then the environment, over the shared files; ALIBABA_CLOUD_* before ALICLOUD_*", async () => {
            env.writeHomeFile(".aliyun/config.json", cliConfig("default", [akProfile("default", CLI_KEY)]));
            process.env.ALICLOUD_ACCESS_KEY = OLD_ENV_KEY.accessKeyId;
            process.env.ALICLOUD_SECRET_KEY = OLD_ENV_KEY.accessKeySecret;
            assert.equal(await signerOfCreate(), OLD_ENV_KEY.accessKeyId);
            setEnvKeys(ENV_KEY);
            assert.equal(await signerOfCreate(), ENV_KEY.accessKeyId);
        });

        it("the environment's STS token is sent", async () => {
            setEnvKeys(STS_KEY);
            assert.equal(await signerOfCreate(), STS_KEY.accessKeyId);
        });

        it("then the CLI config's current profile, in AK and StsToken modes", async () => {
            const sts = { name: "ci", mode: "StsToken", access_key_id: STS_KEY.accessKeyId, access_key_secret: STS_KEY.accessKeySecret, sts_token: STS_KEY.securityToken! };
            env.writeHomeFile(".aliyun/config.json", cliConfig("default", [akProfile("default", CLI_KEY), sts]));
            assert.equal(await signerOfCreate(), CLI_KEY.accessKeyId);
            env.writeHomeFile(".aliyun/config.json", cliConfig("ci", [akProfile("default", CLI_KEY), sts]));
            assert.equal(await signerOfCreate(), STS_KEY.accessKeyId);
        });

        it("ALIBABA_CLOUD_PROFILE or ALICLOUD_PROFILE selects another profile", async () => {
            env.writeHomeFile(".aliyun/config.json", cliConfig("default", [akProfile("default", CLI_KEY), akProfile("other", CLI_OTHER_KEY)]));
            process.env.ALICLOUD_PROFILE = "other";
            assert.equal(await signerOfCreate(), CLI_OTHER_KEY.accessKeyId);
            process.env.ALIBABA_CLOUD_PROFILE = "default";
            assert.equal(await signerOfCreate(), CLI_KEY.accessKeyId);
        });

        it("then the credentials file, found in the home directory or at ALIBABA_CLOUD_CREDENTIALS_FILE", async () => {
            env.writeHomeFile(".alibabacloud/credentials", iniSection("default", INI_KEY));
            assert.equal(await signerOfCreate(), INI_KEY.accessKeyId);
            process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = env.writeHomeFile("elsewhere/creds.ini", iniSection("default", INI_PROD_KEY));
            assert.equal(await signerOfCreate(), INI_PROD_KEY.accessKeyId);
        });

        it("the CLI config comes before the credentials file; a profile only in the second is found there", async () => {
            env.writeHomeFile(".aliyun/config.json", cliConfig("default", [akProfile("default", CLI_KEY)]));
            env.writeHomeFile(".alibabacloud/credentials", iniSection("default", INI_KEY) + iniSection("prod", INI_PROD_KEY));
            assert.equal(await signerOfCreate(), CLI_KEY.accessKeyId);
            process.env.ALIBABA_CLOUD_PROFILE = "prod";
            assert.equal(await signerOfCreate(), INI_PROD_KEY.accessKeyId);
        });

        it("alicloud:profile in stack config picks a shared-file profile ahead of the environment", async () => {
            setEnvKeys(ENV_KEY);
            env.writeHomeFile(".alibabacloud/credentials", iniSection("default", INI_KEY) + iniSection("prod", INI_PROD_KEY));
            assert.equal(await signerOfCreate({ "alicloud:profile": "prod" }), INI_PROD_KEY.accessKeyId);
        });
    });

    describe("one clear error when credentials are missing or half set", () => {
        it("alicloud:profile naming a profile in neither file stops the chain", async () => {
            setEnvKeys(ENV_KEY);
            env.writeHomeFile(".aliyun/config.json", cliConfig("default", [akProfile("default", CLI_KEY)]));
            const err = await createError({ "alicloud:profile": "staging" });
            const cli = path.join(env.home, ".aliyun/config.json");
            const ini = path.join(env.home, ".alibabacloud/credentials");
            assert.equal(
                err.message.split("\n")[0],
                `Unusable Alibaba Cloud credentials in stack config alicloud:profile "staging": no such profile ` +
                    `(Alibaba Cloud CLI config ${cli}: no such profile in this file; credentials file ${ini}: no such file). Looked in, in this order:`,
            );
            assert.match(err.message, /\n {2}3\. environment variables .*: not looked at\n/);
            assert.deepEqual(emulator.requestLog, []);
        });

        it("half a key pair in stack config stops the chain instead of using the environment", async () => {
            setEnvKeys(ENV_KEY);
            const err = await createError({ "alicloud:accessKey": CONFIG_KEY.accessKeyId });
            assert.equal(
                err.message.split("\n").slice(0, 3).join("\n"),
                "Unusable Alibaba Cloud credentials in stack config alicloud:accessKey, alicloud:secretKey, alicloud:securityToken: " +
                    "alicloud:accessKey set, but no alicloud:secretKey. Looked in, in this order:\n" +
                    "  1. stack config alicloud:accessKey, alicloud:secretKey, alicloud:securityToken: alicloud:accessKey set, but no alicloud:secretKey\n" +
                    "  2. environment variables ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET or " +
                    "ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_SECURITY_TOKEN or ALICLOUD_SECURITY_TOKEN: not looked at",
            );
            assert.match(err.message, /Complete or remove that setting/);
            assert.deepEqual(emulator.requestLog, []);
        });

        it("a token without a key pair in the environment is half set", async () => {
            process.env.ALICLOUD_SECURITY_TOKEN = "orphan-token-value";
            const err = await createError();
            assert.match(err.message, /^Unusable Alibaba Cloud credentials in environment variables .*: ALICLOUD_SECURITY_TOKEN set, but no ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY and no ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY\./);
            assert.ok(!err.message.includes("orphan-token-value"));
        });

        it("half the OIDC variables stop the chain before the ECS role", async () => {
            process.env.ALIBABA_CLOUD_ROLE_ARN = "acs:ram::1234567890123456:role/deploy";
            const err = await createError();
            assert.match(err.message, /^Unusable Alibaba Cloud credentials in OIDC role \(RRSA\) from .*: ALIBABA_CLOUD_ROLE_ARN set, but no ALIBABA_CLOUD_OIDC_PROVIDER_ARN and no ALIBABA_CLOUD_OIDC_TOKEN_FILE\./);
            assert.match(err.message, /\n {2}6\. ECS RAM role from the instance metadata service \(100\.100\.100\.200\): not looked at\n/);
        });

        it("a CLI config that is not JSON is reported without its content", async () => {
            env.writeHomeFile(".aliyun/config.json", `{"profiles": [{"name": "default", "access_key_secret": "secret-in-broken-file"`);
            const err = await createError();
            assert.match(err.message, /Alibaba Cloud CLI config .*config\.json, its current profile: parse aliyun cli config from '.*' failed: the file is not valid JSON/);
            assert.ok(!err.message.includes("secret-in-broken-file"), err.message);
        });

        it("a failed search is not remembered: credentials set later are found", async () => {
            const p = await providerAgainst(emulator, { credential: "none" });
            await assert.rejects(p.create({ bucket: "acme-logs", sseAlgorithm: "AES256" }), /No Alibaba Cloud credentials found/);
            setEnvKeys(ENV_KEY);
            await p.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            assert.equal(emulator.requestLog.at(-1)?.accessKeyId, ENV_KEY.accessKeyId);
        });
    });

    describe("roles through fake metadata and STS servers on loopback", () => {
        let fake: FakeCloud;
        let unredirect: () => void;

        beforeEach(async () => {
            fake = await startFakeCloud([STS_KEY, STS_KEY_2, STS_KEY_3]);
            unredirect = redirectLibraryRequests(fake);
        });
        afterEach(async () => {
            unredirect();
            await fake.stop();
        });

        const credentialFetches = () => fake.seen.filter(r => r.path === `/latest/meta-data/ram/security-credentials/${fake.roleName}` || r.query.Action === "AssumeRoleWithOIDC").length;

        it("ECS RAM role: IMDSv2 token, role name, then STS credentials that sign requests", async () => {
            delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED;
            assert.equal(await signerOfCreate(), STS_KEY.accessKeyId);
            const steps = fake.seen.map(r => `${r.method} ${r.path}`);
            assert.deepEqual(steps.slice(0, 4), [
                "PUT /latest/api/token",
                "GET /latest/meta-data/ram/security-credentials/",
                "PUT /latest/api/token",
                `GET /latest/meta-data/ram/security-credentials/${fake.roleName}`,
            ]);
            assert.equal(fake.seen[0].headers["x-aliyun-ecs-metadata-token-ttl-seconds"], "21600");
        });

        it("ECS RAM role named by ALIBABA_CLOUD_ECS_METADATA skips the role lookup", async () => {
            delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED;
            process.env.ALIBABA_CLOUD_ECS_METADATA = fake.roleName;
            assert.equal(await signerOfCreate(), STS_KEY.accessKeyId);
            assert.ok(!fake.seen.some(r => r.path === "/latest/meta-data/ram/security-credentials/"));
        });

        it("long-lived role credentials are fetched once per process", async () => {
            delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED;
            const settings = readSettings({ get: () => undefined });
            const first = await settings.credentials();
            const second = await settings.credentials();
            assert.equal(first.accessKeyId, STS_KEY.accessKeyId);
            assert.equal(second.accessKeyId, STS_KEY.accessKeyId);
            assert.equal(credentialFetches(), 1);
        });

        it("role credentials close to expiry are refreshed, and the next request signs with the new ones", async () => {
            delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED;
            fake.lifetimeMs = 20 * 60_000; // inside the library's refresh window (expiry within the hour)
            const p = await providerAgainst(emulator, { credential: "none" });
            await p.create({ bucket: "acme-logs", sseAlgorithm: "AES256" });
            await p.update!("acme-logs", { bucket: "acme-logs", sseAlgorithm: "AES256", region: "cn-hangzhou" }, { bucket: "acme-logs", sseAlgorithm: "SM4" });
            const signers = emulator.requestLog.filter(r => r.action === "PutBucketEncryption").map(r => r.accessKeyId);
            // The chain's first look got STS_KEY; each later request found it expiring and fetched the next.
            assert.deepEqual(signers, [STS_KEY_2.accessKeyId, STS_KEY_3.accessKeyId]);
            assert.ok(credentialFetches() >= 3);
        });

        it("OIDC role (RRSA): the token file is exchanged at STS, and the answer signs requests", async () => {
            const tokenFile = env.writeHomeFile("oidc/token", "oidc-token-from-file");
            process.env.ALIBABA_CLOUD_ROLE_ARN = "acs:ram::1234567890123456:role/deploy";
            process.env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN = "acs:ram::1234567890123456:oidc-provider/ack-rrsa";
            process.env.ALIBABA_CLOUD_OIDC_TOKEN_FILE = tokenFile;
            delete process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED; // OIDC must win over the ECS role
            assert.equal(await signerOfCreate(), STS_KEY.accessKeyId);
            const exchange = fake.seen.find(r => r.query.Action === "AssumeRoleWithOIDC");
            assert.ok(exchange, "STS was asked");
            assert.equal(exchange.form.OIDCToken, "oidc-token-from-file");
            assert.equal(exchange.form.RoleArn, process.env.ALIBABA_CLOUD_ROLE_ARN);
            assert.equal(exchange.form.OIDCProviderArn, process.env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN);
            assert.ok(!fake.seen.some(r => r.path.startsWith("/latest/")), "the metadata service was not asked");
        });

        it("OIDC role with a missing token file stops with the library's reason", async () => {
            process.env.ALIBABA_CLOUD_ROLE_ARN = "acs:ram::1234567890123456:role/deploy";
            process.env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN = "acs:ram::1234567890123456:oidc-provider/ack-rrsa";
            process.env.ALIBABA_CLOUD_OIDC_TOKEN_FILE = path.join(env.home, "no-such-token");
            const err = await createError();
            assert.match(err.message, /^Unusable Alibaba Cloud credentials in OIDC role \(RRSA\) .*ENOENT/);
        });
    });

    it("static keys never load @alicloud/credentials; a shared file does", async () => {
        // A fresh Node process, so the module cache tells what was loaded.
        const script = (withFile: boolean) => `
            const { readSettings } = require(${JSON.stringify(path.resolve(__dirname, "../../provider/settings.js"))});
            const env = { ...process.env };
            ${withFile ? "" : `env.ALIBABA_CLOUD_ACCESS_KEY_ID = "id"; env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "secret";`}
            readSettings({ get: () => undefined }, env).credentials().then(
                () => console.log(Object.keys(require.cache).some(f => f.includes("@alicloud/credentials"))),
                e => { console.error(e.message); process.exit(1); });`;
        env.writeHomeFile(".alibabacloud/credentials", iniSection("default", INI_KEY));
        const { execFileSync } = await import("child_process");
        const run = (withFile: boolean) => execFileSync(process.execPath, ["-e", script(withFile)], { env: process.env, encoding: "utf8" }).trim();
        assert.equal(run(false), "false");
        assert.equal(run(true), "true");
    });
});
