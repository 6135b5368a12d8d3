// KMS DescribeKey through official clients other than pop-core, each with its default signature:
// @alicloud/kms20160120 (the npm package, 1.x: RPC, HMAC-SHA1 over @alicloud/rpc-client) and
// @alicloud/openapi-client (the generic client under today's generated SDKs: ACS3-HMAC-SHA256,
// the action in x-acs-action). Each finds keys and sees every error code with POP's HTTP status.
import * as assert from "assert/strict";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";
import { SdkError, loggedRequest, rejection } from "./support";

/** @alicloud/kms20160120 1.x and its Config (from @alicloud/rpc-client); no type definitions are used. */
const Kms: {
    default: new (config: object) => { describeKey(request: object): Promise<{ keyMetadata: Record<string, string>; requestId: string }> };
    DescribeKeyRequest: new (fields: { keyId: string }) => object;
} = require("@alicloud/kms20160120");
const RpcConfig: new (fields: object) => object = require("@alicloud/rpc-client").Config;

/** @alicloud/openapi-client's generic callApi, as the generated SDKs use it. */
const OpenApi: {
    default: new (config: object) => {
        callApi(params: object, request: object, runtime: object): Promise<{ body: { KeyMetadata: Record<string, string>; RequestId: string } }>;
    };
    Config: new (fields: object) => object;
    Params: new (fields: object) => object;
    OpenApiRequest: new (fields: object) => object;
} = require("@alicloud/openapi-client");
const RuntimeOptions: new (fields: object) => object = require("@alicloud/tea-util").RuntimeOptions;

/** One client under test: how it calls DescribeKey, and the signature the emulator should see. */
interface KmsSdk {
    name: string;
    signature: string;
    /** Documented fields the SDK's response model drops (it predates them). */
    unmodelled: string[];
    describeKey(emulator: Emulator, keyId: string, credential: EmulatorCredential): Promise<{ metadata: Record<string, string>; requestId: string }>;
}

const KMS_SDKS: KmsSdk[] = [
    {
        name: "@alicloud/kms20160120",
        signature: "HMAC-SHA1",
        unmodelled: ["DeletionProtection"],
        async describeKey(emulator, keyId, credential) {
            const client = new Kms.default(new RpcConfig(configFields(emulator, credential)));
            const answer = await client.describeKey(new Kms.DescribeKeyRequest({ keyId }));
            return { metadata: capitalized(answer.keyMetadata), requestId: answer.requestId };
        },
    },
    {
        name: "@alicloud/openapi-client",
        signature: "ACS3-HMAC-SHA256",
        unmodelled: [],
        async describeKey(emulator, keyId, credential) {
            const client = new OpenApi.default(new OpenApi.Config(configFields(emulator, credential)));
            // What @alicloud/kms20160120 2.x (the generated SDK) passes for DescribeKey.
            const params = new OpenApi.Params({
                action: "DescribeKey",
                version: "2016-01-20",
                protocol: "HTTP",
                pathname: "/",
                method: "POST",
                authType: "AK",
                style: "RPC",
                reqBodyType: "formData",
                bodyType: "json",
            });
            const answer = await client.callApi(params, new OpenApi.OpenApiRequest({ query: { KeyId: keyId } }), new RuntimeOptions({}));
            return { metadata: answer.body.KeyMetadata, requestId: answer.body.RequestId };
        },
    },
];

/** The client settings both SDKs' Config take: the credential, and the emulator's KMS over plain HTTP. */
function configFields(emulator: Emulator, credential: EmulatorCredential): object {
    return {
        accessKeyId: credential.accessKeyId,
        accessKeySecret: credential.accessKeySecret,
        securityToken: credential.securityToken,
        endpoint: new URL(emulator.kmsEndpoint).host,
        protocol: "http",
        regionId: "cn-hangzhou",
    };
}

/** rpc-client returns camelCase field names; the wire has KMS's PascalCase. */
function capitalized(fields: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), v]));
}

const ACCOUNT = "5555666677778888";
const KEY = { keyId: "key-sdk-0001", region: "cn-hangzhou", keyState: "Enabled" as const, aliases: ["alias/sdk"], accountId: ACCOUNT };
const STS: EmulatorCredential = { accessKeyId: "STS.kmssdks00000000000", accessKeySecret: "kms-sdks-sts-not-real", securityToken: "kms-sdks-token" };
const NO_KMS: EmulatorCredential = { accessKeyId: "LTAIkmssdksossonly0000", accessKeySecret: "oss-only-not-real", allow: ["oss:*"] };

/** Fields DescribeKey's reference documents for an enabled, non-rotating, software-protected key. */
const DOCUMENTED_FIELDS = [
    "Arn", "AutomaticRotation", "CreationDate", "Creator", "DeletionProtection", "Description", "KeyId", "KeySpec",
    "KeyState", "KeyUsage", "LastRotationDate", "Origin", "PrimaryKeyVersion", "ProtectionLevel",
];

for (const sdk of KMS_SDKS) {
    describe(`${sdk.name} (${sdk.signature}) against the emulator's KMS`, () => {
        let emulator: Emulator;

        /** Asserts the SDK's error carries the code, and the emulator answered it with that status. */
        function assertKmsError(error: SdkError, code: string, status: number): void {
            assert.equal(error.data?.Code, code, error.message);
            const entry = loggedRequest(emulator, error.data?.RequestId);
            assert.equal(entry.code, code);
            assert.equal(entry.status, status);
            assert.equal(entry.signature, sdk.signature);
        }
        const describeKey = (keyId: string, credential: EmulatorCredential = emulator.defaultCredential) =>
            sdk.describeKey(emulator, keyId, credential);

        before(async () => {
            emulator = await startEmulator({ credentials: [STS, NO_KMS] });
            emulator.seedKey(KEY);
        });
        after(() => emulator.stop());

        it("describes a key by id and by alias, with the documented fields, signed as the SDK signs by default", async () => {
            for (const reference of [KEY.keyId, "alias/sdk"]) {
                const { metadata, requestId } = await describeKey(reference);
                assert.equal(metadata.KeyId, KEY.keyId);
                assert.equal(metadata.Arn, `acs:kms:cn-hangzhou:${ACCOUNT}:key/${KEY.keyId}`);
                assert.deepEqual(DOCUMENTED_FIELDS.filter(f => metadata[f] === undefined), sdk.unmodelled);
                assert.equal(metadata.DeleteDate, undefined, "DeleteDate is only for keys pending deletion");
                const entry = loggedRequest(emulator, requestId);
                assert.equal(entry.action, "DescribeKey");
                assert.equal(entry.signature, sdk.signature);
            }
        });

        it("accepts an STS credential with its token", async () => {
            assert.equal((await describeKey(KEY.keyId, STS)).metadata.KeyId, KEY.keyId);
        });

        it("Forbidden.KeyNotFound (404) for an unknown key", async () => {
            assertKmsError(await rejection(describeKey("no-such-key")), "Forbidden.KeyNotFound", 404);
        });

        it("SignatureDoesNotMatch (400) for a wrong secret", async () => {
            const wrong = { ...emulator.defaultCredential, accessKeySecret: "wrong-secret" };
            assertKmsError(await rejection(describeKey(KEY.keyId, wrong)), "SignatureDoesNotMatch", 400);
        });

        it("InvalidAccessKeyId.NotFound (404) for an unknown AccessKey", async () => {
            const stranger = { accessKeyId: "LTAIunknownkmssdk", accessKeySecret: "x" };
            assertKmsError(await rejection(describeKey(KEY.keyId, stranger)), "InvalidAccessKeyId.NotFound", 404);
        });

        it("InvalidSecurityToken.MismatchWithAccessKey (400) for another STS token", async () => {
            const error = await rejection(describeKey(KEY.keyId, { ...STS, securityToken: "stale" }));
            assertKmsError(error, "InvalidSecurityToken.MismatchWithAccessKey", 400);
        });

        it("Forbidden.RAM (403) when the credential may not call kms:DescribeKey", async () => {
            assertKmsError(await rejection(describeKey(KEY.keyId, NO_KMS)), "Forbidden.RAM", 403);
        });
    });
}
