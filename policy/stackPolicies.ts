// The pack's stack policies: what only the whole stack tells (two owners of one bucket's rule, a
// Bucket that gets its rule from nowhere). They judge each alicloud Bucket by the inputs the same
// pack's resource policies saw (DeclaredBucketInputs), else by its outputs. Each policy is a named
// export; STACK_POLICIES holds their definitions, for the pack to make its own (policy/index.ts).
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ALICLOUD_BUCKET, alicloudBucketName, declarationOf, describeDeclaration, EncryptionDeclaration, Field, Unknown } from "./declarations";
import { DeclaredBucketInputs, makeStackPolicy, PolicyArgs, StackPolicyDefinition } from "./definition";
import { POLICY_NAMES } from "./names";

/** oss-encryption-one-owner-per-bucket in the pack's args (no config). */
export type OneOwnerPerBucketArgs = PolicyArgs;
/** oss-encryption-every-bucket-encrypted in the pack's args (no config). */
export type EveryBucketEncryptedArgs = PolicyArgs;

/** One resource's declaration and the bucket it is for, as a key (undefined: cannot tell yet). */
interface Placed {
    declaration: EncryptionDeclaration;
    bucketKey: string | undefined;
}

/** What the stack policies read of one stack: its resources, with each Bucket's declared inputs where seen. */
class StackView {
    constructor(
        private readonly args: StackValidationArgs,
        private readonly declared: DeclaredBucketInputs,
    ) {}

    /** The stack's alicloud Buckets. */
    buckets(): PolicyResource[] {
        return this.args.resources.filter(r => r.type === ALICLOUD_BUCKET);
    }

    /** An alicloud Bucket's name, from its outputs or else its declared inputs. */
    bucketNameOf(bucket: PolicyResource): Field {
        const name = alicloudBucketName(bucket.props);
        return name === Unknown ? alicloudBucketName(this.declared.of(bucket.urn) ?? {}) : name;
    }

    /** Every declaration of the stack with the bucket it is for. */
    declarations(): Placed[] {
        return this.args.resources.flatMap(resource => {
            const declaration = this.declarationOf(resource);
            return declaration ? [{ declaration, bucketKey: this.bucketKeyOf(declaration, resource) }] : [];
        });
    }

    /** A resource's declaration, judged by a Bucket's declared inputs where seen (see DeclaredBucketInputs). */
    private declarationOf(resource: PolicyResource): EncryptionDeclaration | undefined {
        const inputs = resource.type === ALICLOUD_BUCKET ? this.declared.of(resource.urn) : undefined;
        return declarationOf(inputs ? { ...resource, props: inputs } : resource);
    }

    /**
     * Which bucket a declaration is for, as a key: `name:<bucket>` when the name is known; for a name
     * not known yet, the alicloud Bucket it comes from (`urn:<urn>`): the Bucket itself, or the one
     * Bucket the `bucket` property depends on. Undefined when that cannot be told (no false alarms).
     */
    private bucketKeyOf(declaration: EncryptionDeclaration, resource: PolicyResource): string | undefined {
        if (typeof declaration.bucket === "string") {
            return `name:${declaration.bucket}`;
        }
        if (declaration.kind === "Bucket") {
            return `urn:${resource.urn}`;
        }
        const sources = (resource.propertyDependencies?.bucket ?? []).filter(r => r.type === ALICLOUD_BUCKET);
        if (declaration.bucket !== Unknown || sources.length !== 1) {
            return undefined;
        }
        const name = this.bucketNameOf(sources[0]);
        return typeof name === "string" ? `name:${name}` : `urn:${sources[0].urn}`;
    }
}

function oneOwnerPerBucketCheck(args: StackValidationArgs, declared: DeclaredBucketInputs, reportViolation: ReportViolation): void {
    const byBucket = new Map<string, EncryptionDeclaration[]>();
    // By URN, so the same stack gives the same report whatever order the engine lists resources in.
    const declarations = new StackView(args, declared).declarations().sort((a, b) => a.declaration.urn.localeCompare(b.declaration.urn));
    for (const { declaration, bucketKey } of declarations) {
        if (bucketKey !== undefined) {
            byBucket.set(bucketKey, [...(byBucket.get(bucketKey) ?? []), declaration]);
        }
    }
    for (const owners of byBucket.values()) {
        const [first, ...others] = owners;
        for (const other of others) {
            reportViolation(
                `${describeDeclaration(other)} and ${describeDeclaration(first)} both set the default encryption of one bucket: ` +
                    `${other.urn} and ${first.urn}. Each apply of one overwrites the other's rule, and removing one deletes the rule ` +
                    `the other declares. Declare the rule in one place only.`,
                other.urn,
            );
        }
    }
}

function everyBucketEncryptedCheck(args: StackValidationArgs, declared: DeclaredBucketInputs, reportViolation: ReportViolation): void {
    const stack = new StackView(args, declared);
    const declarations = stack.declarations();
    if (declarations.some(d => d.bucketKey === undefined)) {
        // A declaration whose bucket is not known yet may be the one a Bucket needs.
        return;
    }
    const covered = new Set(declarations.map(d => d.bucketKey));
    for (const bucket of stack.buckets()) {
        const name = stack.bucketNameOf(bucket);
        if (!covered.has(`urn:${bucket.urn}`) && !(typeof name === "string" && covered.has(`name:${name}`))) {
            reportViolation(
                `Bucket "${bucket.name}" (${typeof name === "string" ? `bucket "${name}"` : "bucket not known yet"}) gets no default ` +
                    `encryption from this stack: give it a serverSideEncryptionRule, or declare a BucketEncryption for it (${bucket.urn}).`,
                bucket.urn,
            );
        }
    }
}

const oneOwnerPerBucketDefinition: StackPolicyDefinition = {
    name: POLICY_NAMES.oneOwnerPerBucket,
    description:
        "One resource per bucket sets its default encryption (not two BucketEncryptions, nor one beside a BucketServerSideEncryption or a Bucket's inline rule).",
    enforcementLevel: "mandatory",
    check: oneOwnerPerBucketCheck,
};

const everyBucketEncryptedDefinition: StackPolicyDefinition = {
    name: POLICY_NAMES.everyBucketEncrypted,
    description: "Every alicloud OSS Bucket of the stack gets its default encryption from its inline rule or an encryption resource.",
    enforcementLevel: "mandatory",
    check: everyBucketEncryptedCheck,
};

/** The stack policies' definitions, by their keys in the pack's args, in the pack's order. */
export const STACK_POLICIES = {
    oneOwnerPerBucket: oneOwnerPerBucketDefinition,
    everyBucketEncrypted: everyBucketEncryptedDefinition,
};

/**
 * oss-encryption-one-owner-per-bucket: one resource per bucket sets its rule; the violation names
 * both URNs. Mandatory. On its own (outside a pack made by ossEncryptionPolicies) it judges Buckets
 * by their outputs; in a pack, by the inputs the pack's resource policies saw.
 */
export const oneOwnerPerBucket: StackValidationPolicy = makeStackPolicy(oneOwnerPerBucketDefinition);
/**
 * oss-encryption-every-bucket-encrypted: every alicloud Bucket gets its rule from the stack.
 * Mandatory. Judges Buckets as oneOwnerPerBucket does.
 */
export const everyBucketEncrypted: StackValidationPolicy = makeStackPolicy(everyBucketEncryptedDefinition);
