// Default encryption of an OSS bucket, in TypeScript, with the provider plugin and its generated SDK.
import * as pulumi from "@pulumi/pulumi";
import * as ossEncryption from "@oss-encryption/pulumi";

const config = new pulumi.Config();

const logs = new ossEncryption.BucketEncryption("logs", {
    bucket: config.require("bucket"),
    sseAlgorithm: config.get("sseAlgorithm") ?? ossEncryption.SseAlgorithm.AES256,
    // Absent with KMS: the OSS default CMK.
    kmsMasterKeyId: config.get("kmsMasterKeyId"),
});

export const bucket = logs.bucket;
export const algorithm = logs.sseAlgorithm;
export const region = logs.region;

// Code that `pulumi import` prints goes here (see README.md).
