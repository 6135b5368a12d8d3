// SM4, the Chinese national standard cipher, two ways: OSS-managed keys, and KMS with SM4 data encryption.
import * as pulumi from "@pulumi/pulumi";
import { BucketEncryption } from "pulumi-oss-encryption";

const config = new pulumi.Config();

const ossManaged = new BucketEncryption("sm4-oss-managed", {
    bucket: config.require("ossManagedBucket"),
    sseAlgorithm: "SM4",
});

const kmsManaged = new BucketEncryption("sm4-kms-managed", {
    bucket: config.require("kmsManagedBucket"),
    sseAlgorithm: "KMS",
    kmsDataEncryption: "SM4",
});

export const ossManagedAlgorithm = ossManaged.sseAlgorithm;
export const kmsManagedDataEncryption = kmsManaged.kmsDataEncryption;
