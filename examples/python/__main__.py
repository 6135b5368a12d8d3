"""Default encryption of an OSS bucket, and a read of another bucket's rule, in Python."""
import pulumi
import pulumi_oss_encryption as oss_encryption

config = pulumi.Config()

logs = oss_encryption.BucketEncryption(
    "logs",
    bucket=config.require("bucket"),
    sse_algorithm=config.get("sseAlgorithm") or oss_encryption.SseAlgorithm.AES256,
    # Absent or empty with KMS: the OSS default CMK.
    kms_master_key_id=config.get("kmsMasterKeyId"),
)

pulumi.export("bucket", logs.bucket)
pulumi.export("algorithm", logs.sse_algorithm)
pulumi.export("region", logs.region)

# `get` reads a rule this stack does not manage: its ID is the bucket name.
read_bucket = config.get("readBucket")
if read_bucket:
    other = oss_encryption.BucketEncryption.get("read", read_bucket)
    pulumi.export("readAlgorithm", other.sse_algorithm)

# Code that `pulumi import` prints goes here (see README.md).
