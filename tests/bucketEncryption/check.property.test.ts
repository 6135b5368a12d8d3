// Property tests of check, the first thing Pulumi calls with a program's inputs: whatever it is
// given, it answers with normalised inputs or with failures naming properties, and never throws.
import * as assert from "assert/strict";
import fc from "fast-check";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { choicesOf, INPUT_NAMES as TABLE_INPUT_NAMES, validateInputs, UNKNOWN } from "../../provider/bucketEncryption";
import { Emulator, startEmulator } from "../../emulator";
import { providerAgainst, QUIET } from "../support/provider";

/** The properties a BucketEncryption takes, the SDK's hidden importId included: the property table's. */
const INPUT_NAMES: string[] = [...TABLE_INPUT_NAMES];
const KNOWN_KEY = "prop-key";

/** Property names: the real ones, Pulumi's __provider, names every object has, and anything else. */
const propertyName = fc.oneof(
    fc.constantFrom(...INPUT_NAMES, "__provider"),
    fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", " bucket", "Bucket"),
    fc.string(),
    fc.string({ unit: "binary" }),
);

/** Strings a user might write, padded and in any case. */
const looseText = (values: string[]) =>
    fc
        .tuple(fc.constantFrom(...values), fc.constantFrom("", " ", "\t", "\n "), fc.constantFrom("", " ", "\n"), fc.boolean())
        .map(([v, before, after, lower]) => `${before}${lower ? v.toLowerCase() : v}${after}`);

/** Values of any type, with strings near the valid ones and Pulumi's unknown sentinel over-represented. */
const propertyValue = fc.oneof(
    fc.anything(),
    fc.string(),
    fc.constant(UNKNOWN),
    fc.constant(""),
    fc.constant(null),
    looseText([...choicesOf("sseAlgorithm"), ...choicesOf("kmsDataEncryption"), ...choicesOf("onDelete"), "aes-256", "SM4 ", "kms"]),
    looseText(["acme-logs", "ACME", "a", "a".repeat(64), "-bad-", "cn-hangzhou", "oss-cn-hangzhou.aliyuncs.com", "http://[::1", "key-1"]),
);

/** Arbitrary property bags: what a buggy or hostile program could pass. */
const randomBags = fc.dictionary(propertyName, propertyValue, { maxKeys: 9 });

/** Inputs that are valid once normalised: the names and enumerations in any case, padded. */
const validInputs = fc
    .record({
        bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/),
        rule: fc.oneof(
            fc.record({ sseAlgorithm: looseText(choicesOf("sseAlgorithm").filter(a => a !== "KMS")) }),
            fc.record(
                { sseAlgorithm: looseText(["KMS"]), kmsMasterKeyId: fc.constant(KNOWN_KEY), kmsDataEncryption: looseText([...choicesOf("kmsDataEncryption")]) },
                { requiredKeys: ["sseAlgorithm"] },
            ),
        ),
        region: fc.option(fc.constantFrom("cn-hangzhou", " cn-hangzhou "), { nil: undefined }),
        onDelete: fc.option(looseText([...choicesOf("onDelete")]), { nil: undefined }),
    })
    .map(({ bucket, rule, region, onDelete }) => ({ bucket: ` ${bucket}\n`, ...rule, ...(region ? { region } : {}), ...(onDelete ? { onDelete } : {}) }));

/**
 * Any inputs: random bags, and valid inputs with random properties added or overriding theirs, so
 * that both answers (failures, or normalised inputs) are common. Built with defineProperty so that
 * a "__proto__" key is an own property, as JSON.parse or a spread would make it.
 */
const anyInputs = fc.oneof(
    randomBags,
    fc.tuple(validInputs, fc.dictionary(propertyName, propertyValue, { maxKeys: 2 })).map(([valid, extra]) => {
        const bag: Record<string, unknown> = { ...valid };
        for (const [name, value] of Object.entries(extra)) {
            Object.defineProperty(bag, name, { value, enumerable: true, writable: true, configurable: true });
        }
        return bag;
    }),
);

/** Asserts the shape every check result must have; returns its failures. */
function assertWellFormed(news: Record<string, unknown>, result: dynamic.CheckResult): dynamic.CheckFailure[] {
    const failures = result.failures ?? [];
    assert.ok(Array.isArray(failures), "failures is a list");
    for (const failure of failures) {
        assert.equal(typeof failure.property, "string");
        assert.ok(
            INPUT_NAMES.includes(failure.property) || Object.keys(news).map(k => k.trim()).includes(failure.property.trim()),
            `failure names a property that is neither an input nor given: ${JSON.stringify(failure)}`,
        );
        assert.equal(typeof failure.reason, "string");
        assert.ok(failure.reason.length > 0);
    }
    return failures;
}

/** Asserts that inputs without failures are normalised: trimmed, non-empty strings, enumerations upper-case. */
function assertNormalised(inputs: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(inputs)) {
        if (name === "__provider") {
            continue;
        }
        assert.ok(INPUT_NAMES.includes(name), `accepted an unknown property ${JSON.stringify(name)}`);
        assert.equal(typeof value, "string", `${name} is a string`);
        const text = value as string;
        assert.ok(text === text.trim() && text !== "", `${name} is trimmed and not empty: ${JSON.stringify(text)}`);
    }
    assert.ok([...choicesOf("sseAlgorithm"), UNKNOWN].includes(inputs.sseAlgorithm as string), `sseAlgorithm ${inputs.sseAlgorithm}`);
    assert.ok([undefined, ...choicesOf("kmsDataEncryption"), UNKNOWN].includes(inputs.kmsDataEncryption as string | undefined));
    assert.ok([undefined, ...choicesOf("onDelete"), UNKNOWN].includes(inputs.onDelete as string | undefined), `onDelete ${inputs.onDelete}`);
}

describe("check, property-based", function () {
    this.timeout(120_000);

    describe("validateInputs", () => {
        it("is fed inputs that are often valid and often not (so neither half of a property is vacuous)", () => {
            const samples = fc.sample(anyInputs, { numRuns: 2_000, seed: 42 });
            const accepted = samples.filter(news => (validateInputs(news).failures ?? []).length === 0).length;
            assert.ok(accepted > 200 && accepted < 1_800, `${accepted} of 2000 samples had no failures`);
            assert.ok(samples.some(news => Object.prototype.hasOwnProperty.call(news, "__proto__")), "own __proto__ keys occur");
        });

        it("never throws, and answers failures naming properties or normalised inputs", () => {
            fc.assert(
                fc.property(anyInputs, news => {
                    const result = validateInputs(news);
                    const failures = assertWellFormed(news, result);
                    if (failures.length === 0) {
                        assertNormalised(result.inputs as Record<string, unknown>);
                    }
                }),
                { numRuns: 2_000 },
            );
        });

        it("normalised inputs are a fixed point: checking them again changes nothing", () => {
            fc.assert(
                fc.property(fc.oneof(anyInputs, validInputs), news => {
                    const first = validateInputs(news);
                    if ((first.failures ?? []).length === 0) {
                        const again = validateInputs(first.inputs as Record<string, unknown>);
                        assert.deepEqual(again.failures ?? [], []);
                        assert.deepEqual(again.inputs, first.inputs);
                    }
                }),
                { numRuns: 1_000 },
            );
        });

        it("a value of the wrong type is a failure naming its property", () => {
            const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string()), fc.object());
            fc.assert(
                fc.property(validInputs, fc.constantFrom(...INPUT_NAMES), notAString, (valid, name, value) => {
                    const failures = validateInputs({ ...valid, [name]: value }).failures ?? [];
                    assert.ok(failures.some(f => f.property === name), `no failure for ${name}=${JSON.stringify(value)}`);
                }),
                { numRuns: 500 },
            );
        });
    });

    describe("the provider's check, as Pulumi calls it", () => {
        let emulator: Emulator;
        let provider: dynamic.ResourceProvider;

        before(async () => {
            emulator = await startEmulator();
            emulator.seedKey({ keyId: KNOWN_KEY, region: "cn-hangzhou", keyState: "Enabled" });
            provider = await providerAgainst(emulator, { config: { "oss-encryption:operationTimeoutSeconds": "5" }, diagnostics: QUIET });
        });
        after(() => emulator.stop());

        it("never rejects, for any news and olds", async () => {
            await fc.assert(
                fc.asyncProperty(anyInputs, fc.option(anyInputs, { nil: undefined }), async (news, olds) => {
                    const result = await provider.check!(olds ?? {}, news);
                    const failures = assertWellFormed(news, result);
                    if (failures.length === 0) {
                        assertNormalised(result.inputs as Record<string, unknown>);
                    }
                }),
                { numRuns: 300 },
            );
        });

        it("accepts valid inputs in any case and padding, answering their normal form", async () => {
            await fc.assert(
                fc.asyncProperty(validInputs, async news => {
                    const result = await provider.check!({}, news);
                    assert.deepEqual(result.failures ?? [], []);
                    const inputs = result.inputs as Record<string, string>;
                    assert.equal(inputs.bucket, news.bucket.trim());
                    assert.equal(inputs.sseAlgorithm, news.sseAlgorithm.trim().toUpperCase());
                    assertNormalised(inputs);
                }),
                { numRuns: 200 },
            );
        });
    });
});
