// SSE-KMS with a given CMK: OSS asks KMS for a data key per object, under your key.
import * as pulumi from "@pulumi/pulumi";
import { BucketEncryption } from "pulumi-oss-encryption";

const config = new pulumi.Config();

const encryption = new BucketEncryption("kms-encryption", {
    bucket: config.require("bucket"),
    sseAlgorithm: "KMS",
    kmsMasterKeyId: config.require("kmsMasterKeyId"),
});

export const kmsMasterKeyId = encryption.kmsMasterKeyId;
