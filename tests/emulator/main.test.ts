// The standalone emulator (emulator/main.ts): prints its endpoints and test credential as one
// JSON line, serves the demo buckets and keys, and exits cleanly on SIGTERM.
import * as assert from "assert/strict";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { Emulator } from "../../emulator";
import { EmulatorAnnouncement as Announcement } from "../../emulator/main";
import { firstLineMatching } from "../../harness/lines";
import { aliOssClient } from "../../harness/aliOss";
import { kmsClient } from "./support";

/** Just enough of an Emulator for the SDK client helpers. */
function asEmulator(announced: Announcement): Emulator {
    const defaultCredential = { accessKeyId: announced.accessKeyId, accessKeySecret: announced.accessKeySecret };
    return { endpoint: announced.endpoint, kmsEndpoint: announced.kmsEndpoint, defaultCredential } as Emulator;
}

describe("standalone emulator (main.js)", () => {
    let child: ChildProcess;
    let announced: Announcement;

    before(async () => {
        child = spawn(process.execPath, [path.join(__dirname, "../../emulator/main.js"), "--port", "0"], {
            stdio: ["ignore", "pipe", "inherit"],
        });
        announced = JSON.parse(await firstLineMatching(child, undefined, "the emulator")) as Announcement;
    });
    after(() => {
        if (child.exitCode === null) {
            child.kill("SIGKILL");
        }
    });

    it("announces endpoints on 127.0.0.1 and a credential", () => {
        assert.match(announced.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.match(announced.kmsEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.notEqual(announced.endpoint, announced.kmsEndpoint);
        assert.match(announced.accessKeyId, /^LTAI/);
    });

    it("serves the demo bucket's rule and the demo key", async () => {
        const emulator = asEmulator(announced);
        const rule = await aliOssClient(emulator, "v4").getBucketEncryption("demo-bucket-kms");
        assert.equal(rule.encryption.KMSMasterKeyID, "demo-key-enabled");
        const key = await kmsClient(emulator).request<{ KeyMetadata: { KeyId: string } }>("DescribeKey", { KeyId: "alias/demo" });
        assert.equal(key.KeyMetadata.KeyId, "demo-key-enabled");
    });

    it("exits with status 0 on SIGTERM", async () => {
        const exited = new Promise<number | null>(resolve => child.once("exit", resolve));
        child.kill("SIGTERM");
        assert.equal(await exited, 0);
    });
});
