// The official RPC client (@alicloud/pop-core) calls KMS DescribeKey on the emulator: keys are
// found by id, ARN or alias in the addressed region, and failures carry POP's error codes.
import * as assert from "assert/strict";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";
import { SdkError, kmsClient, loggedRequest, rejection } from "./support";

const ACCOUNT = "1111222233334444";
const HANGZHOU_KEY = { keyId: "key-hz-0001", region: "cn-hangzhou", keyState: "Enabled" as const, aliases: ["alias/app"], accountId: ACCOUNT };
const SHANGHAI_KEY = { keyId: "key-sh-0001", region: "cn-shanghai", keyState: "Disabled" as const, keySpec: "Aliyun_SM4", accountId: ACCOUNT };

const STS: EmulatorCredential = {
    accessKeyId: "STS.kmsconformance000000",
    accessKeySecret: "kms-sts-secret-not-real",
    securityToken: "kms-sts-token-for-tests",
};
const NO_KMS: EmulatorCredential = {
    accessKeyId: "LTAIossonlyossonly000000",
    accessKeySecret: "oss-only-secret-not-real",
    allow: ["oss:*"],
};

/** DescribeKey's answer, as far as these tests read it. */
interface DescribeKeyResponse {
    RequestId: string;
    KeyMetadata: { KeyId: string; Arn: string; KeyState: string; KeySpec: string; KeyUsage: string; Creator: string };
}

describe("pop-core RPCClient against the emulator's KMS", () => {
    let emulator: Emulator;
    const describeKey = (params: Record<string, string>, credential?: EmulatorCredential, options?: object) =>
        kmsClient(emulator, credential).request<DescribeKeyResponse>("DescribeKey", params, options);

    /** Asserts a pop-core error's code, and that the emulator logged that code with the HTTP status. */
    function assertKmsError(error: SdkError, code: string, status: number): void {
        assert.equal(error.code, code, error.message);
        const entry = loggedRequest(emulator, error.data?.RequestId);
        assert.equal(entry.code, code);
        assert.equal(entry.status, status);
    }

    before(async () => {
        emulator = await startEmulator({ credentials: [STS, NO_KMS] });
        emulator.seedKey(HANGZHOU_KEY);
        emulator.seedKey(SHANGHAI_KEY);
    });
    after(() => emulator.stop());

    describe("finds a key", () => {
        for (const [how, reference] of [
            ["by key id", HANGZHOU_KEY.keyId],
            ["by ARN", `acs:kms:cn-hangzhou:${ACCOUNT}:key/${HANGZHOU_KEY.keyId}`],
            ["by alias", "alias/app"],
            ["by alias ARN", `acs:kms:cn-hangzhou:${ACCOUNT}:alias/app`],
        ]) {
            it(how, async () => {
                const { KeyMetadata: key, RequestId } = await describeKey({ KeyId: reference });
                assert.equal(key.KeyId, HANGZHOU_KEY.keyId);
                assert.equal(key.Arn, `acs:kms:cn-hangzhou:${ACCOUNT}:key/${HANGZHOU_KEY.keyId}`);
                assert.equal(key.KeyState, "Enabled");
                assert.equal(key.KeySpec, "Aliyun_AES_256");
                assert.equal(key.KeyUsage, "ENCRYPT/DECRYPT");
                assert.equal(loggedRequest(emulator, RequestId).action, "DescribeKey");
            });
        }

        it("in the region named by RegionId, with that region in its ARN", async () => {
            const { KeyMetadata: key } = await describeKey({ KeyId: SHANGHAI_KEY.keyId, RegionId: "cn-shanghai" });
            assert.equal(key.Arn, `acs:kms:cn-shanghai:${ACCOUNT}:key/${SHANGHAI_KEY.keyId}`);
            assert.equal(key.KeyState, "Disabled");
            assert.equal(key.KeySpec, "Aliyun_SM4");
        });

        it("in the region named by the Host header, over POST", async () => {
            const options = { method: "POST", headers: { host: "kms.cn-shanghai.aliyuncs.com" } };
            const { KeyMetadata: key } = await describeKey({ KeyId: SHANGHAI_KEY.keyId }, undefined, options);
            assert.equal(key.KeyId, SHANGHAI_KEY.keyId);
        });

        it("with an STS credential and its token", async () => {
            const { KeyMetadata: key } = await describeKey({ KeyId: "alias/app" }, STS);
            assert.equal(key.KeyId, HANGZHOU_KEY.keyId);
        });
    });

    describe("errors", () => {
        it("Forbidden.KeyNotFound for an unknown key, alias or ARN", async () => {
            for (const reference of ["no-such-key", "alias/none", `acs:kms:cn-hangzhou:${ACCOUNT}:key/no-such-key`]) {
                assertKmsError(await rejection(describeKey({ KeyId: reference })), "Forbidden.KeyNotFound", 404);
            }
        });

        it("Forbidden.KeyNotFound for a key of another region than the one addressed", async () => {
            assertKmsError(await rejection(describeKey({ KeyId: SHANGHAI_KEY.keyId })), "Forbidden.KeyNotFound", 404);
            const arn = `acs:kms:cn-shanghai:${ACCOUNT}:key/${SHANGHAI_KEY.keyId}`;
            assertKmsError(await rejection(describeKey({ KeyId: arn })), "Forbidden.KeyNotFound", 404);
        });

        it("SignatureDoesNotMatch for a wrong secret, echoing the server's string to sign", async () => {
            const wrong = { ...emulator.defaultCredential, accessKeySecret: "wrong-secret" };
            const error = await rejection(describeKey({ KeyId: HANGZHOU_KEY.keyId }, wrong));
            assertKmsError(error, "SignatureDoesNotMatch", 400);
            assert.match(error.data?.Message ?? "", /server string to sign is:GET&%2F&AccessKeyId%3D/);
        });

        it("InvalidAccessKeyId.NotFound for an unknown AccessKey", async () => {
            const stranger = { accessKeyId: "LTAIunknownunknown", accessKeySecret: "x" };
            assertKmsError(await rejection(describeKey({ KeyId: HANGZHOU_KEY.keyId }, stranger)), "InvalidAccessKeyId.NotFound", 404);
        });

        it("rejects an STS credential without its token or with another one", async () => {
            const noToken = { ...STS, securityToken: undefined };
            assertKmsError(await rejection(describeKey({ KeyId: "alias/app" }, noToken)), "InvalidAccessKeyId.NotFound", 404);
            const otherToken = { ...STS, securityToken: "stale" };
            const error = await rejection(describeKey({ KeyId: "alias/app" }, otherToken));
            assertKmsError(error, "InvalidSecurityToken.MismatchWithAccessKey", 400);
        });

        it("Forbidden.RAM when the credential may not call kms:DescribeKey", async () => {
            assertKmsError(await rejection(describeKey({ KeyId: HANGZHOU_KEY.keyId }, NO_KMS)), "Forbidden.RAM", 403);
        });

        it("InvalidTimeStamp.Expired for a Timestamp more than 15 minutes old", async () => {
            // pop-core lets explicit parameters override its defaults, Timestamp included.
            const error = await rejection(describeKey({ KeyId: HANGZHOU_KEY.keyId, Timestamp: "2020-01-01T00:00:00Z" }));
            assertKmsError(error, "InvalidTimeStamp.Expired", 400);
        });

        it("SignatureNonceUsed for a replayed nonce", async () => {
            const params = { KeyId: HANGZHOU_KEY.keyId, SignatureNonce: "fixed-nonce-for-replay-test" };
            await describeKey(params);
            assertKmsError(await rejection(describeKey(params)), "SignatureNonceUsed", 400);
        });

        it("MissingKeyId without a KeyId, InvalidAction.NotFound for an unknown action", async () => {
            assertKmsError(await rejection(describeKey({})), "MissingKeyId", 400);
            const unknown = await rejection(kmsClient(emulator).request("NoSuchAction", {}));
            assertKmsError(unknown, "InvalidAction.NotFound", 404);
        });
    });
});
