// Default server-side encryption of Alibaba Cloud OSS buckets: SSE-OSS (AES-256, SM4) and SSE-KMS.
package ossencryption
