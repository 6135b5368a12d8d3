// A platform team's policy: every listed bucket gets the same default encryption.
import * as pulumi from "@pulumi/pulumi";
import { BucketEncryption } from "pulumi-oss-encryption";

const config = new pulumi.Config();
const buckets = config.requireObject<string[]>("buckets");
// An empty key (the default) means SSE-OSS.
const kmsMasterKeyId = config.get("kmsMasterKeyId") || undefined;

const rules = buckets.map(
    bucket =>
        new BucketEncryption(`encryption-${bucket}`, {
            bucket,
            sseAlgorithm: kmsMasterKeyId ? "KMS" : "AES256",
            kmsMasterKeyId,
        }),
);

export const encryptedBuckets = rules.map(rule => rule.bucket);
