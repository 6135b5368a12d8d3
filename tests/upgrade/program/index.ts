// The dynamic-provider program of the upgrade test: one BucketEncryption per entry of resources.json
// (written beside it from tests/upgrade/fixtures/declared-<release>.json), exporting each algorithm.
import * as fs from "fs";
import * as path from "path";
import { BucketEncryption, BucketEncryptionArgs } from "pulumi-oss-encryption";

const declared: Record<string, BucketEncryptionArgs> = JSON.parse(fs.readFileSync(path.join(__dirname, "resources.json"), "utf8"));

export const algorithms = Object.fromEntries(Object.entries(declared).map(([name, args]) => [name, new BucketEncryption(name, args).sseAlgorithm]));
