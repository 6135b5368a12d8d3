// The pulumi-oss-encryption policy pack, ready to run. Its policies and their config are in
// pulumi-oss-encryption/policy (docs/guardrails.md); this file only starts the pack, with each
// policy's default level and config (a pack of one's own passes its own: newOssEncryptionPolicyPack's
// args). Plain JavaScript, so the pack runs without a TypeScript toolchain.
require("pulumi-oss-encryption/policy").newOssEncryptionPolicyPack("oss-encryption");
