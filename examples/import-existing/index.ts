// Adopt a rule set in the console: declare exactly what the bucket has and import it by bucket name.
// Nothing is written; if the declaration differs from the live rule the import fails and shows both.
// Once imported, the `import` option may be removed and the rule changed like any other.
import * as pulumi from "@pulumi/pulumi";
import { BucketEncryption, SseAlgorithm } from "pulumi-oss-encryption";

const config = new pulumi.Config();
const bucket = config.require("bucket");

const encryption = new BucketEncryption(
    "existing-rule",
    {
        bucket,
        sseAlgorithm: config.require("sseAlgorithm") as SseAlgorithm,
        kmsMasterKeyId: config.get("kmsMasterKeyId") || undefined,
    },
    { import: bucket },
);

export const sseAlgorithm = encryption.sseAlgorithm;
