// Each policy of the pack over resource shapes: ours (both type tokens) and @pulumi/alicloud's
// Bucket (inline serverSideEncryptionRule) and BucketServerSideEncryption, with known values and
// with values unknown at preview, behind @pulumi/policy's own unknown-checking proxy.
import * as assert from "assert/strict";
import type { PolicyPackArgs, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ON_DELETE_CHOICES, SSE_ALGORITHMS, UNKNOWN } from "../../provider/bucketEncryption";
import * as policyModule from "../../policy";
import {
    ALICLOUD_BUCKET,
    ALICLOUD_BUCKET_SSE,
    allowedAlgorithms,
    allowedKmsKeys,
    everyBucketEncrypted,
    keyAllowed,
    kmsRequired,
    newOssEncryptionPolicyPack,
    noUnencryptingDelete,
    oneOwnerPerBucket,
    OssEncryptionPolicyArgs,
    ossEncryptionPolicies,
    ossEncryptionPolicySet,
    POLICY_NAMES,
    PolicyKey,
    sm4Required,
} from "../../policy";

// @pulumi/policy's own proxy (internal, so untyped): reading an unknown value through it throws, as in a real run.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(props: T): T };

const OURS = "pulumi-nodejs:dynamic/oss:BucketEncryption";
const OURS_PLUGIN = "oss-encryption:index:BucketEncryption";
const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

interface Shape {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Resources the `bucket` property depends on (stack policies). */
    bucketFrom?: Shape;
}
const urnOf = (s: Shape) => `urn:pulumi:dev::guard::${s.type}::${s.name}`;
const ours = (name: string, props: Record<string, unknown>, type = OURS): Shape => ({ type, name, props });
const sse = (name: string, props: Record<string, unknown>): Shape => ({ type: ALICLOUD_BUCKET_SSE, name, props });
const bucket = (name: string, props: Record<string, unknown>): Shape => ({ type: ALICLOUD_BUCKET, name, props });

/** Runs a resource policy on a shape (props behind the real unknown-checking proxy); returns the violations. */
async function validate(policy: ResourceValidationPolicy, shape: Shape, config: object = {}): Promise<string[]> {
    const violations: string[] = [];
    const args = {
        type: shape.type,
        name: shape.name,
        urn: urnOf(shape),
        props: unknownCheckingProxy(shape.props),
        opts: {},
        stackTags: new Map(),
        getConfig: () => config,
        notApplicable: (reason?: string) => {
            // A policy that judges nothing says nothing; "not applicable" hid a missing allow-list.
            throw new Error(`${policy.name} called notApplicable(${reason ?? ""})`);
        },
    } as unknown as ResourceValidationArgs;
    for (const v of [policy.validateResource!].flat()) {
        await v(args, message => violations.push(message));
    }
    return violations;
}

/** Runs a stack policy over shapes (outputs behind the proxy); returns [urn, message] pairs. */
async function validateStack(policy: StackValidationPolicy, shapes: Shape[], config: object = {}): Promise<Array<[string | undefined, string]>> {
    const resources = new Map<Shape, PolicyResource>();
    for (const s of shapes) {
        resources.set(s, { type: s.type, name: s.name, urn: urnOf(s), props: unknownCheckingProxy(s.props), dependencies: [], propertyDependencies: {} } as unknown as PolicyResource);
    }
    for (const s of shapes) {
        if (s.bucketFrom) {
            resources.get(s)!.propertyDependencies = { bucket: [resources.get(s.bucketFrom)!] };
        }
    }
    const violations: Array<[string | undefined, string]> = [];
    const args = { resources: [...resources.values()], stackTags: new Map(), getConfig: () => config } as unknown as StackValidationArgs;
    await policy.validateStack(args, (message, urn) => violations.push([urn, message]));
    return violations;
}

describe("policy pack: resource policies", () => {
    describe(allowedAlgorithms.name, () => {
        const config = { allowedAlgorithms: ["KMS", "SM4"] };
        const violating: Array<[string, Shape, RegExp]> = [
            ["ours", ours("logs", { bucket: "acme-logs", sseAlgorithm: "aes256" }), /^BucketEncryption "logs" \(bucket "acme-logs"\) sets SSEAlgorithm AES256; allowed: KMS, SM4\.$/],
            ["ours, plugin type token", ours("logs", { bucket: "acme-logs", sseAlgorithm: "AES256" }, OURS_PLUGIN), /^BucketEncryption "logs" \(bucket "acme-logs"\) sets SSEAlgorithm AES256/],
            ["BucketServerSideEncryption", sse("sse", { bucket: "acme-logs", sseAlgorithm: "AES256" }), /^BucketServerSideEncryption "sse" \(bucket "acme-logs"\) sets SSEAlgorithm AES256/],
            ["Bucket inline rule", bucket("b", { bucket: "acme-logs", serverSideEncryptionRule: { sseAlgorithm: "AES256" } }), /^Bucket "b" \(inline serverSideEncryptionRule, bucket "acme-logs"\) sets SSEAlgorithm AES256/],
        ];
        for (const [what, shape, expected] of violating) {
            it(`flags ${what}`, async () => {
                const violations = await validate(allowedAlgorithms, shape, config);
                assert.equal(violations.length, 1);
                assert.match(violations[0], expected);
            });
        }
        it("passes allowed algorithms, other resources, a Bucket without a rule, and unknowns", async () => {
            for (const shape of [
                ours("logs", { bucket: "acme-logs", sseAlgorithm: "kms" }),
                sse("sse", { bucket: "acme-logs", sseAlgorithm: "SM4" }),
                bucket("b", { bucket: "acme-logs" }),
                { type: "alicloud:oss/bucketAcl:BucketAcl", name: "acl", props: { bucket: "acme-logs", acl: "private" } },
                ours("logs", { bucket: UNKNOWN, sseAlgorithm: UNKNOWN }),
                bucket("b", { bucket: UNKNOWN, serverSideEncryptionRule: UNKNOWN_OBJECT }),
                bucket("b", { serverSideEncryptionRule: { sseAlgorithm: UNKNOWN } }),
            ]) {
                assert.deepEqual(await validate(allowedAlgorithms, shape, config), [], JSON.stringify(shape));
            }
        });
        it("allows all three by default", async () => {
            assert.deepEqual(await validate(allowedAlgorithms, ours("l", { bucket: "acme-logs", sseAlgorithm: "AES256" })), []);
        });
    });

    describe(kmsRequired.name, () => {
        it("flags AES256 and SM4, ours and alicloud's", async () => {
            assert.match((await validate(kmsRequired, ours("l", { bucket: "acme-logs", sseAlgorithm: "SM4" })))[0], /BucketEncryption "l" \(bucket "acme-logs"\) sets SSEAlgorithm SM4; KMS is required\./);
            assert.equal((await validate(kmsRequired, bucket("b", { bucket: "x-b", serverSideEncryptionRule: { sseAlgorithm: "AES256" } }))).length, 1);
            assert.equal((await validate(kmsRequired, sse("s", { bucket: "x-b", sseAlgorithm: "AES256" }))).length, 1);
        });
        it("passes KMS (any case) and unknown algorithms", async () => {
            assert.deepEqual(await validate(kmsRequired, ours("l", { bucket: "acme-logs", sseAlgorithm: "kms" })), []);
            assert.deepEqual(await validate(kmsRequired, sse("s", { bucket: UNKNOWN, sseAlgorithm: UNKNOWN })), []);
        });
    });

    describe(allowedKmsKeys.name, () => {
        const config = { allowedKeys: ["key-ours", "acs:kms:cn-hangzhou:1111:alias/platform"] };
        const kms = (key: string | undefined) => ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", ...(key === undefined ? {} : { kmsMasterKeyId: key }) });
        it("flags a CMK not on the list, and the default CMK unless allowed", async () => {
            assert.match((await validate(allowedKmsKeys, kms("key-other"), config))[0], /^BucketEncryption "l" \(bucket "acme-logs"\) uses CMK "key-other", which is not allowed; use one of: key-ours, acs:kms:cn-hangzhou:1111:alias\/platform/);
            assert.match((await validate(allowedKmsKeys, kms(undefined), config))[0], /uses the OSS default CMK/);
            assert.match((await validate(allowedKmsKeys, kms(""), config))[0], /uses the OSS default CMK/);
            assert.deepEqual(await validate(allowedKmsKeys, kms(undefined), { ...config, allowDefaultKey: true }), []);
            assert.equal((await validate(allowedKmsKeys, sse("s", { bucket: "b-1", sseAlgorithm: "KMS", kmsMasterKeyId: "key-other" }), config)).length, 1);
            assert.equal((await validate(allowedKmsKeys, bucket("b", { bucket: "b-1", serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsMasterKeyId: "alias/other" } }), config)).length, 1);
        });
        it("passes listed keys in any form: ID, ARN of the ID, alias, alias ARN", async () => {
            for (const key of ["key-ours", " KEY-OURS ", "acs:kms:cn-hangzhou:1111:key/key-ours", "alias/platform", "acs:kms:cn-hangzhou:1111:alias/platform"]) {
                assert.deepEqual(await validate(allowedKmsKeys, kms(key), config), [], key);
            }
        });
        it("passes other algorithms and unknown keys", async () => {
            assert.deepEqual(await validate(allowedKmsKeys, ours("l", { bucket: "acme-logs", sseAlgorithm: "AES256" }), config), []);
            assert.deepEqual(await validate(allowedKmsKeys, kms(UNKNOWN), config), []);
        });
        it("without a list, allows no CMK: each KMS rule is a violation saying allowedKeys is not configured (not 'not applicable')", async () => {
            assert.match(
                (await validate(allowedKmsKeys, kms("key-other")))[0],
                /^BucketEncryption "l" \(bucket "acme-logs"\) uses CMK "key-other", but oss-encryption-allowed-kms-keys has no allowedKeys configured, so no CMK is allowed: set allowedKeys \(the CMKs stacks may use\) in --policy-pack-config or the pack's args, or disable the policy\.$/,
            );
            assert.match((await validate(allowedKmsKeys, kms(undefined)))[0], /uses the OSS default CMK, which is not allowed \(allowDefaultKey is false\), and oss-encryption-allowed-kms-keys has no allowedKeys configured: set allowedKeys .* or allowDefaultKey: true /);
            assert.deepEqual(await validate(allowedKmsKeys, kms(undefined), { allowDefaultKey: true }), []);
            // Nothing to judge: other algorithms, and keys not known yet.
            assert.deepEqual(await validate(allowedKmsKeys, ours("l", { bucket: "acme-logs", sseAlgorithm: "SM4" })), []);
            assert.deepEqual(await validate(allowedKmsKeys, kms(UNKNOWN)), []);
        });
        it("keyAllowed compares regions and accounts only where both name one, and never an alias with a key ID", () => {
            assert.equal(keyAllowed("acs:kms:cn-shanghai:1111:alias/platform", ["acs:kms:cn-hangzhou:1111:alias/platform"]), false);
            assert.equal(keyAllowed("acs:kms:cn-hangzhou:2222:key/k1", ["acs:kms:cn-hangzhou:1111:key/k1"]), false);
            assert.equal(keyAllowed("acs:kms:cn-hangzhou:2222:key/k1", ["k1"]), true);
            assert.equal(keyAllowed("alias/k1", ["k1"]), false);
            assert.equal(keyAllowed("alias/Platform", ["alias/platform"]), false);
        });
    });

    describe(sm4Required.name, () => {
        it("flags AES-256 data encryption: AES256, or KMS without SM4", async () => {
            for (const shape of [
                ours("l", { bucket: "acme-logs", sseAlgorithm: "AES256" }),
                ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "k" }),
                sse("s", { bucket: "b-1", sseAlgorithm: "KMS" }),
                bucket("b", { bucket: "b-1", serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsDataEncryption: "" } }),
            ]) {
                const violations = await validate(sm4Required, shape);
                assert.equal(violations.length, 1, JSON.stringify(shape));
                assert.match(violations[0], /encrypts objects with AES-256 .*SM4 is required/);
            }
        });
        it("passes SM4 both ways, and unknowns", async () => {
            for (const shape of [
                ours("l", { bucket: "acme-logs", sseAlgorithm: "sm4" }),
                ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsDataEncryption: "sm4" }),
                bucket("b", { bucket: "b-1", serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsDataEncryption: "SM4" } }),
                ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsDataEncryption: UNKNOWN }),
            ]) {
                assert.deepEqual(await validate(sm4Required, shape), [], JSON.stringify(shape));
            }
        });
    });

    describe(noUnencryptingDelete.name, () => {
        it("flags onDelete RemoveRule (and absent), and BucketServerSideEncryption", async () => {
            assert.match((await validate(noUnencryptingDelete, ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS" })))[0], /^BucketEncryption "l" \(bucket "acme-logs"\) has onDelete "RemoveRule": removing it deletes the rule .*Set onDelete to "KeepRule" or "FallbackToAES256"\./);
            assert.equal((await validate(noUnencryptingDelete, ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", onDelete: "removerule" }))).length, 1);
            assert.match((await validate(noUnencryptingDelete, sse("s", { bucket: "b-1", sseAlgorithm: "KMS" })))[0], /removing it calls DeleteBucketEncryption/);
        });
        it("passes KeepRule, FallbackToAES256, unknown onDelete, and Buckets", async () => {
            for (const shape of [
                ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", onDelete: "KeepRule" }),
                ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", onDelete: "FallbackToAES256" }, OURS_PLUGIN),
                ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", onDelete: UNKNOWN }),
                bucket("b", { bucket: "b-1", serverSideEncryptionRule: { sseAlgorithm: "KMS" } }),
            ]) {
                assert.deepEqual(await validate(noUnencryptingDelete, shape), [], JSON.stringify(shape));
            }
        });
        it("follows allowedOnDelete", async () => {
            assert.equal((await validate(noUnencryptingDelete, ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", onDelete: "KeepRule" }), { allowedOnDelete: ["FallbackToAES256"] })).length, 1);
        });
    });
});

describe("policy pack: stack policies", () => {
    describe(oneOwnerPerBucket.name, () => {
        const cases: Array<[string, Shape[]]> = [
            ["two BucketEncryptions", [ours("a", { bucket: "acme-logs", sseAlgorithm: "AES256" }), ours("b", { bucket: "acme-logs", sseAlgorithm: "KMS" }, OURS_PLUGIN)]],
            ["ours beside a BucketServerSideEncryption", [ours("a", { bucket: "acme-logs", sseAlgorithm: "AES256" }), sse("b", { bucket: "acme-logs", sseAlgorithm: "AES256" })]],
            ["ours beside a Bucket's inline rule", [bucket("a", { bucket: "acme-logs", serverSideEncryptionRule: { sseAlgorithm: "KMS" } }), ours("b", { bucket: "acme-logs", sseAlgorithm: "AES256" })]],
            ["a BucketServerSideEncryption beside a Bucket's inline rule", [bucket("a", { bucket: "acme-logs", serverSideEncryptionRule: { sseAlgorithm: "KMS" } }), sse("b", { bucket: "acme-logs", sseAlgorithm: "AES256" })]],
        ];
        for (const [what, shapes] of cases) {
            it(`flags ${what}, naming both URNs`, async () => {
                const violations = await validateStack(oneOwnerPerBucket, shapes);
                assert.equal(violations.length, 1);
                const [urn, message] = violations[0];
                assert.ok(urn === urnOf(shapes[0]) || urn === urnOf(shapes[1]), `reported on ${urn}`);
                assert.ok(message.includes(urnOf(shapes[0])) && message.includes(urnOf(shapes[1])), message);
                assert.match(message, /both set the default encryption of one bucket/);
            });
        }

        it("flags an encryption resource whose bucket comes from the Bucket that has an inline rule, at preview (names unknown)", async () => {
            const b = bucket("b", { bucket: UNKNOWN, serverSideEncryptionRule: { sseAlgorithm: "KMS" } });
            const violations = await validateStack(oneOwnerPerBucket, [b, { ...ours("e", { bucket: UNKNOWN, sseAlgorithm: "AES256" }), bucketFrom: b }]);
            assert.equal(violations.length, 1);
        });

        it("passes one owner per bucket, and unknown buckets it cannot resolve", async () => {
            const b = bucket("b", { bucket: "acme-logs" });
            assert.deepEqual(
                await validateStack(oneOwnerPerBucket, [
                    b,
                    ours("a", { bucket: "acme-logs", sseAlgorithm: "AES256" }),
                    ours("c", { bucket: "acme-data", sseAlgorithm: "AES256" }),
                    ours("u1", { bucket: UNKNOWN, sseAlgorithm: "AES256" }),
                    sse("u2", { bucket: UNKNOWN, sseAlgorithm: "AES256" }),
                    bucket("u3", { serverSideEncryptionRule: { sseAlgorithm: "AES256" } }),
                    bucket("u4", { serverSideEncryptionRule: { sseAlgorithm: "AES256" } }),
                ]),
                [],
            );
        });

        it("judges a Bucket by the inputs it was declared with, not by the live rule its outputs read back", async () => {
            // The resource policies see the Bucket's inputs (no inline rule) first, as in a real run.
            const pack = ossEncryptionPolicySet();
            const declared = bucket("b", { bucket: "acme-owned" });
            assert.deepEqual(await validate(pack.allowedAlgorithms, declared), []);
            const outputs = bucket("b", { bucket: "acme-owned", serverSideEncryptionRule: { sseAlgorithm: "KMS" } });
            assert.deepEqual(await validateStack(pack.oneOwnerPerBucket, [outputs, ours("e", { bucket: "acme-owned", sseAlgorithm: "KMS" })]), []);
        });

        it("on its own (the named export, outside a pack), judges a Bucket by its outputs", async () => {
            assert.deepEqual(await validate(allowedAlgorithms, bucket("b", { bucket: "acme-owned" })), []);
            const outputs = bucket("b", { bucket: "acme-owned", serverSideEncryptionRule: { sseAlgorithm: "KMS" } });
            assert.equal((await validateStack(oneOwnerPerBucket, [outputs, ours("e", { bucket: "acme-owned", sseAlgorithm: "KMS" })])).length, 1);
        });
    });

    describe(everyBucketEncrypted.name, () => {
        it("flags a Bucket without an inline rule or an encryption resource for its bucket", async () => {
            const violations = await validateStack(everyBucketEncrypted, [
                bucket("plain", { bucket: "acme-plain" }),
                bucket("inline", { bucket: "acme-inline", serverSideEncryptionRule: { sseAlgorithm: "AES256" } }),
                bucket("ours", { bucket: "acme-ours" }),
                ours("e", { bucket: "acme-ours", sseAlgorithm: "AES256" }),
                bucket("theirs", { bucket: "acme-theirs" }),
                sse("s", { bucket: "acme-theirs", sseAlgorithm: "AES256" }),
            ]);
            assert.equal(violations.length, 1);
            assert.equal(violations[0][0], urnOf(bucket("plain", {})));
            assert.match(violations[0][1], /^Bucket "plain" \(bucket "acme-plain"\) gets no default encryption from this stack: give it a serverSideEncryptionRule, or declare a BucketEncryption for it/);
        });

        it("at preview, follows the bucket property's dependency on the Bucket", async () => {
            const b = bucket("b", { bucket: UNKNOWN });
            const covered = { ...ours("e", { bucket: UNKNOWN, sseAlgorithm: "AES256" }), bucketFrom: b };
            assert.deepEqual(await validateStack(everyBucketEncrypted, [b, covered]), []);
            const other = bucket("other", { bucket: UNKNOWN });
            assert.equal((await validateStack(everyBucketEncrypted, [b, other, covered])).length, 1);
        });

        it("says nothing while a declaration's bucket cannot be told (no false alarm)", async () => {
            assert.deepEqual(await validateStack(everyBucketEncrypted, [bucket("b", { bucket: "acme-b" }), ours("e", { bucket: UNKNOWN, sseAlgorithm: "AES256" })]), []);
        });
    });
});

describe("policy pack: no state shared between packs", () => {
    it("a pack's stack policies judge Buckets by what its own resource policies saw, not another pack's", async () => {
        const [seen, fresh] = [ossEncryptionPolicySet(), ossEncryptionPolicySet()];
        const plain = [bucket("b", { bucket: "acme-plain" })];
        const before = await validateStack(fresh.everyBucketEncrypted, plain);
        assert.equal(before.length, 1, "a Bucket without a rule is reported on a fresh pack");
        // Another pack (of another project's stack, say) sees a Bucket of the same URN and name, declared with an inline rule.
        await validate(seen.allowedAlgorithms, bucket("b", { bucket: "acme-plain", serverSideEncryptionRule: { sseAlgorithm: "KMS" } }));
        assert.deepEqual(await validateStack(fresh.everyBucketEncrypted, plain), before);
    });
});

describe("policy pack: the policies and their args", () => {
    /** What the engine reads of a policy (all but its functions). */
    const described = (p: ResourceValidationPolicy | StackValidationPolicy) => ({
        name: p.name,
        description: p.description,
        enforcementLevel: p.enforcementLevel,
        configSchema: p.configSchema,
    });
    const levels = (args: OssEncryptionPolicyArgs) => Object.fromEntries(Object.entries(ossEncryptionPolicySet(args)).map(([key, p]) => [key, p.enforcementLevel]));
    const DEFAULT_LEVELS = {
        allowedAlgorithms: "mandatory",
        kmsRequired: "advisory",
        allowedKmsKeys: "mandatory",
        sm4Required: "advisory",
        noUnencryptingDelete: "advisory",
        oneOwnerPerBucket: "mandatory",
        everyBucketEncrypted: "mandatory",
    };

    it("each policy is a named export under its key in POLICY_NAMES, and a pack has them all under the same keys, in the same order", () => {
        const set = ossEncryptionPolicySet();
        assert.deepEqual(Object.keys(set), Object.keys(DEFAULT_LEVELS));
        assert.deepEqual(ossEncryptionPolicies().map(p => p.name), Object.keys(DEFAULT_LEVELS).map(key => POLICY_NAMES[key as PolicyKey]));
        for (const key of Object.keys(POLICY_NAMES) as PolicyKey[]) {
            const exported = (policyModule as unknown as Record<string, ResourceValidationPolicy | StackValidationPolicy>)[key];
            assert.equal(exported.name, POLICY_NAMES[key], key);
            assert.deepEqual(described(set[key]), described(exported), key);
        }
    });

    it("without args, each policy has its default level, and its config schema's defaults and enums come from the resource's lists", () => {
        assert.deepEqual(levels({}), DEFAULT_LEVELS);
        const schema = (p: ResourceValidationPolicy) => p.configSchema!.properties as Record<string, { default: unknown; items?: { enum?: unknown } }>;
        assert.deepEqual(schema(allowedAlgorithms).allowedAlgorithms, { type: "array", items: { type: "string", enum: [...SSE_ALGORITHMS] }, default: [...SSE_ALGORITHMS] });
        assert.deepEqual(schema(noUnencryptingDelete).allowedOnDelete, { type: "array", items: { type: "string", enum: [...ON_DELETE_CHOICES] }, default: ["KeepRule", "FallbackToAES256"] });
        assert.deepEqual(schema(allowedKmsKeys), { allowedKeys: { type: "array", items: { type: "string" }, default: [] }, allowDefaultKey: { type: "boolean", default: false } });
        assert.equal(kmsRequired.configSchema, undefined);
    });

    it("a level per policy, as a level or { enforcementLevel }; `all` for every policy not given one", () => {
        assert.deepEqual(levels({ kmsRequired: "mandatory", sm4Required: { enforcementLevel: "disabled" } }), { ...DEFAULT_LEVELS, kmsRequired: "mandatory", sm4Required: "disabled" });
        assert.deepEqual(levels({ all: "disabled", oneOwnerPerBucket: "advisory", allowedKmsKeys: { allowedKeys: ["k"] } }), {
            ...Object.fromEntries(Object.keys(DEFAULT_LEVELS).map(key => [key, "disabled"])),
            oneOwnerPerBucket: "advisory",
        });
    });

    it("a policy's config in the args is its default (in the schema, and where getConfig lacks it); the pack config still sets it on top", async () => {
        const set = ossEncryptionPolicySet({ allowedAlgorithms: { allowedAlgorithms: ["KMS"] }, allowedKmsKeys: { enforcementLevel: "advisory", allowedKeys: ["key-ours"] } });
        assert.deepEqual((set.allowedAlgorithms.configSchema!.properties!.allowedAlgorithms as { default: unknown }).default, ["KMS"]);
        assert.equal(set.allowedAlgorithms.enforcementLevel, "mandatory");
        const aes = ours("l", { bucket: "acme-logs", sseAlgorithm: "AES256" });
        assert.match((await validate(set.allowedAlgorithms, aes))[0], /sets SSEAlgorithm AES256; allowed: KMS\.$/);
        assert.deepEqual(await validate(set.allowedAlgorithms, aes, { allowedAlgorithms: ["AES256", "KMS"] }), []);
        const other = ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-other" });
        assert.match((await validate(set.allowedKmsKeys, other))[0], /uses CMK "key-other", which is not allowed; use one of: key-ours /);
        assert.match((await validate(allowedKmsKeys, other))[0], /has no allowedKeys configured/, "the named export keeps its own defaults");
    });

    it("newOssEncryptionPolicyPack starts a PolicyPack of one pack's policies with its args; 0.1.0's enforcementLevel is `all`", () => {
        // PolicyPack serves the pack (once a process): a stand-in records what it is given instead.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const policyJs = require("@pulumi/policy/policy") as { PolicyPack: unknown };
        const real = policyJs.PolicyPack;
        const started: Array<{ name: string; args: PolicyPackArgs }> = [];
        policyJs.PolicyPack = class {
            constructor(name: string, args: PolicyPackArgs) {
                started.push({ name, args });
            }
        };
        try {
            newOssEncryptionPolicyPack();
            newOssEncryptionPolicyPack("platform", { enforcementLevel: "disabled", kmsRequired: "mandatory" });
            newOssEncryptionPolicyPack("platform", { enforcementLevel: "disabled", all: "advisory" });
        } finally {
            policyJs.PolicyPack = real;
        }
        const levelsOf = ({ args }: { args: PolicyPackArgs }) => args.policies.map(p => p.enforcementLevel);
        assert.deepEqual(started.map(s => s.name), ["oss-encryption", "platform", "platform"]);
        assert.deepEqual(started[0].args.policies.map(described), ossEncryptionPolicies().map(described));
        assert.deepEqual(levelsOf(started[1]), Object.keys(DEFAULT_LEVELS).map(key => (key === "kmsRequired" ? "mandatory" : "disabled")));
        assert.deepEqual(levelsOf(started[2]), Object.keys(DEFAULT_LEVELS).map(() => "advisory"));
        assert.match(started[0].args.description!, /pulumi-oss-encryption/);
    });

    it("a key or a setting the policies do not have is an error, naming what there is", () => {
        assert.throws(() => ossEncryptionPolicySet({ kmsRequried: "mandatory" } as OssEncryptionPolicyArgs), /no "kmsRequried"; the args take: all, allowedAlgorithms, /);
        assert.throws(() => ossEncryptionPolicySet({ [POLICY_NAMES.kmsRequired]: "mandatory" } as OssEncryptionPolicyArgs), /no "oss-encryption-kms-required"/);
        assert.throws(() => ossEncryptionPolicySet({ allowedAlgorithms: { allowed: ["KMS"] } } as OssEncryptionPolicyArgs), /^PolicySettingsError: oss-encryption-allowed-algorithms has no setting "allowed"; it takes enforcementLevel, allowedAlgorithms\. Correct it in the pack's args: /);
        assert.throws(() => ossEncryptionPolicySet({ allowedKmsKeys: { allowedKey: ["k"] } } as OssEncryptionPolicyArgs), /has no setting "allowedKey" \(did you mean "allowedKeys"\?\); it takes enforcementLevel, allowedKeys, allowDefaultKey\./);
        assert.throws(() => ossEncryptionPolicySet({ oneOwnerPerBucket: { enforcementLevel: "advisory", strict: true } } as OssEncryptionPolicyArgs), /oss-encryption-one-owner-per-bucket has no setting "strict"; it takes enforcementLevel\./);
    });

    describe("a setting the pack config (getConfig) gives that the policy does not have fails the run, whatever the policy's level", () => {
        const kms = ours("l", { bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: "key-ours" });
        const cases: Array<[ResourceValidationPolicy, object, RegExp]> = [
            [allowedAlgorithms, { allowedAlgorithm: ["KMS"] }, /^oss-encryption-allowed-algorithms has no setting "allowedAlgorithm" \(did you mean "allowedAlgorithms"\?\); it takes enforcementLevel, allowedAlgorithms\. Correct it in the pack config \(--policy-pack-config\): the policy does not read a setting it does not have, and would run with its default instead\.$/],
            [allowedKmsKeys, { allowedKey: ["key-ours"], allowDefaultKeys: true }, /^oss-encryption-allowed-kms-keys has no setting "allowedKey" \(did you mean "allowedKeys"\?\), "allowDefaultKeys" \(did you mean "allowDefaultKey"\?\); it takes enforcementLevel, allowedKeys, allowDefaultKey\./],
            [noUnencryptingDelete, { allowedOnDelte: ["KeepRule"] }, /has no setting "allowedOnDelte" \(did you mean "allowedOnDelete"\?\)/],
            [kmsRequired, { enforcementLevl: "mandatory" }, /^oss-encryption-kms-required has no setting "enforcementLevl" \(did you mean "enforcementLevel"\?\); it takes enforcementLevel\./],
            [sm4Required, { strict: true }, /^oss-encryption-sm4-required has no setting "strict"; it takes enforcementLevel\./],
        ];
        for (const [policy, config, expected] of cases) {
            it(`${policy.name}: ${Object.keys(config).join(", ")}`, async () => {
                for (const shape of [kms, { type: "pulumi:pulumi:Stack", name: "guard-dev", props: {} }]) {
                    await assert.rejects(validate(policy, shape, config), (err: Error) => {
                        assert.equal(err.name, "PolicySettingsError");
                        assert.match(err.message, expected);
                        // @pulumi/policy prints the stack: it is the message alone, no trace of the pack's code.
                        assert.equal(err.stack, err.message);
                        return true;
                    });
                }
            });
        }
        it("the stack policies too", async () => {
            for (const policy of [oneOwnerPerBucket, everyBucketEncrypted]) {
                await assert.rejects(validateStack(policy, [], { enforcementLvel: "disabled" }), new RegExp(`^PolicySettingsError: ${policy.name} has no setting "enforcementLvel" \\(did you mean "enforcementLevel"\\?\\)`));
            }
        });
        it("the settings a policy has pass", async () => {
            assert.deepEqual(await validate(allowedKmsKeys, kms, { allowedKeys: ["key-ours"], allowDefaultKey: false }), []);
            assert.deepEqual(await validateStack(oneOwnerPerBucket, [], {}), []);
        });
    });
});
