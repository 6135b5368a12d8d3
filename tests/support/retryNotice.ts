// The provider's retries as the tests see them: the OSS actions a fault plan targets so that KMS
// key checks stay quiet, and the retry notice the provider announces for each retried call.

/** The OSS operations the provider calls; fault plans target these so KMS key checks stay quiet. */
export const OSS_ACTIONS = ["oss:PutBucketEncryption", "oss:GetBucketEncryption", "oss:DeleteBucketEncryption"];

/** A retry as the provider announces it in the Pulumi output. */
export interface RetryNoticeSeen {
    operation: string;
    bucket: string;
    code: string;
    attempt: number;
    maxAttempts: number;
}

/** The text of a retry notice (see the OSS client's onRetry in provider/provider.ts). */
export const RETRY_NOTICE = /^(\w+) on bucket "([^"]+)": (\S+), retrying \(attempt (\d+) of (\d+)\) in \d+ ms$/;

/** Parses a retry notice; undefined for any other message. */
export function parseRetryNotice(message: string): RetryNoticeSeen | undefined {
    const m = RETRY_NOTICE.exec(message.trim());
    return m ? { operation: m[1], bucket: m[2], code: m[3], attempt: Number(m[4]), maxAttempts: Number(m[5]) } : undefined;
}
