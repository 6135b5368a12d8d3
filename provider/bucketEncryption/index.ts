// The BucketEncryption resource: what it is (properties.ts, the one declaration), its pure rules
// (rule.ts: check, diff, expand/flatten) and its operations over OSS (operations.ts).
export * from "./properties";
export * from "./rule";
export * from "./operations";
