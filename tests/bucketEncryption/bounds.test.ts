// Every input and endpoint setting has a length limit, checked up front; messages quote at most a
// short prefix of any value, so a value of megabytes cannot reach OSS or KMS, nor fill the output.
import * as assert from "assert/strict";
import { PROPERTIES, PropertyName, USER_INPUT_NAMES, validateInputs } from "../../provider/bucketEncryption";
import { QUOTED_PREFIX_LENGTH } from "../../provider/bounds";
import { resolveSettings, SettingsError, STACK_CONFIG_FORM, stackConfigSettings } from "../../provider/settings";
import { Emulator, startEmulator } from "../../emulator";
import { Provider, providerAgainst, QUIET } from "../support/provider";

/** Check with raw inputs, as the engine passes them. */
const checkWith = (provider: Provider, olds: object, news: object) => provider.check!(olds as never, news as never);

const MIB = 1024 * 1024;
/** Longer than this and a message is echoing a value. */
const SHORT_MESSAGE = 600;

describe("input bounds", () => {
    const valid = { bucket: "acme-logs", sseAlgorithm: "KMS" };

    for (const name of USER_INPUT_NAMES) {
        const maxLength = (PROPERTIES[name as PropertyName] as { maxLength: number }).maxLength;
        it(`${name}: a 5 MiB value fails check with a short message naming the limit (${maxLength})`, () => {
            const { failures } = validateInputs({ ...valid, [name]: "a".repeat(5 * MIB) });
            assert.equal(failures.length, 1, JSON.stringify(failures.map(f => f.reason.slice(0, 200))));
            assert.equal(failures[0].property, name);
            assert.match(failures[0].reason, new RegExp(`^${name} "[aA]{${QUOTED_PREFIX_LENGTH}}"\\.\\.\\. \\(${5 * MIB} characters\\) is too long: at most ${maxLength} characters\\.$`));
        });
        it(`${name}: a value of exactly ${maxLength} characters is not refused for its length`, () => {
            const { failures } = validateInputs({ ...valid, [name]: "a".repeat(maxLength) });
            assert.ok(failures.every(f => !/too long/.test(f.reason)), failures.map(f => f.reason).join("\n"));
        });
    }

    it("an unknown property with a 5 MiB name is named by a prefix", () => {
        const { failures } = validateInputs({ ...valid, ["x".repeat(5 * MIB)]: "v" });
        assert.equal(failures.length, 1);
        assert.ok(failures[0].property.length < 200 && failures[0].reason.length < SHORT_MESSAGE, failures[0].reason.slice(0, 300));
    });

    it("a 5 MiB endpoint in the settings fails with a short message naming the setting", () => {
        const huge = `oss-${"a".repeat(5 * MIB)}.example`;
        for (const [record, key] of [
            [stackConfigSettings({ get: k => (k === "alicloud:endpoints" ? JSON.stringify([{ oss: huge }]) : undefined) }), "alicloud:endpoints"],
            [stackConfigSettings({ get: k => (k === "alicloud:endpoints" ? JSON.stringify([{ kms: huge }]) : undefined) }), "alicloud:endpoints"],
            [stackConfigSettings({ get: k => (k === "alicloud:region" ? huge : undefined) }), "alicloud:region"],
        ] as const) {
            assert.throws(
                () => resolveSettings(record, STACK_CONFIG_FORM, {}),
                (err: Error) => err instanceof SettingsError && err.message.startsWith(`${key} "`) && /too long: at most \d+ characters/.test(err.message) && err.message.length < SHORT_MESSAGE,
            );
        }
        assert.throws(
            () => resolveSettings(stackConfigSettings({ get: k => (k === "alicloud:endpoints" ? `[${"{".repeat(MIB)}` : undefined) }), STACK_CONFIG_FORM, {}),
            (err: Error) => err instanceof SettingsError && err.message.length < SHORT_MESSAGE,
        );
    });

    describe("against the emulator", () => {
        let emulator: Emulator;
        beforeEach(async () => {
            emulator = await startEmulator();
            emulator.seedBucket("acme-logs");
        });
        afterEach(() => emulator.stop());

        it("a 2 MiB kmsMasterKeyId fails check without a call to KMS or OSS", async () => {
            const provider = await providerAgainst(emulator, { diagnostics: QUIET });
            const result = await checkWith(provider, {}, { ...valid, kmsMasterKeyId: "k".repeat(2 * MIB) });
            assert.equal(result.failures?.length, 1);
            assert.ok(result.failures![0].reason.length < SHORT_MESSAGE);
            assert.deepEqual(emulator.requestLog, []);
        });

        it("a 5 MiB endpoint fails check", async () => {
            const provider = await providerAgainst(emulator, { diagnostics: QUIET });
            const result = await checkWith(provider, {}, { ...valid, sseAlgorithm: "AES256", endpoint: `https://${"e".repeat(5 * MIB)}.example` });
            assert.deepEqual(result.failures?.map(f => f.property), ["endpoint"]);
            assert.ok(result.failures![0].reason.length < SHORT_MESSAGE);
        });
    });
});
