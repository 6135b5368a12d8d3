// Default encryption for one bucket: SSE-OSS with AES-256 unless `sseAlgorithm` says otherwise.
import * as pulumi from "@pulumi/pulumi";
import { BucketEncryption, SseAlgorithm } from "pulumi-oss-encryption";

const config = new pulumi.Config();

const encryption = new BucketEncryption("default-encryption", {
    bucket: config.require("bucket"),
    sseAlgorithm: (config.get("sseAlgorithm") ?? "AES256") as SseAlgorithm,
});

export const bucket = encryption.bucket;
export const sseAlgorithm = encryption.sseAlgorithm;
export const region = encryption.region;
