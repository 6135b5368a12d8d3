// Retries with capped exponential backoff and full jitter, bounded by an overall deadline.
// Only the transient failures named below are retried; everything else fails at once.

/** Error codes (OSS and KMS) that a later attempt can succeed past. */
export const TRANSIENT_CODES = new Set([
    "InternalError",
    "ServiceUnavailable",
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "TooManyRequests",
    "RequestTimeout",
    // Our own codes for failures without an answer.
    "NetworkError",
    "Timeout",
]);

/** A failure that carries an error code and (optionally) an HTTP status. */
export interface CodedError {
    code: string;
    status?: number;
}

function isCoded(err: unknown): err is CodedError {
    return typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string";
}

/** True for 5xx, 429 and the codes in TRANSIENT_CODES. */
export function isTransient(err: unknown): boolean {
    if (!isCoded(err)) {
        return false;
    }
    const status = err.status ?? 0;
    return TRANSIENT_CODES.has(err.code) || status >= 500 || status === 429;
}

/** What a retry announces (to the Pulumi log) before it waits. */
export interface RetryNotice {
    code: string;
    attempt: number;
    maxAttempts: number;
    delayMs: number;
}

/** How hard to try. */
export interface RetryPolicy {
    /** Give up once this many ms have passed since the first attempt. */
    deadlineMs: number;
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    /** Decides which failures to retry; defaults to isTransient. */
    retryable?: (err: unknown) => boolean;
    onRetry?: (notice: RetryNotice) => void;
    /** Source of jitter in [0, 1); injectable for tests. */
    random?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

/** Defaults: 5 minutes overall, 10 attempts, 200 ms doubling up to 20 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    deadlineMs: 5 * 60_000,
    maxAttempts: 10,
    baseDelayMs: 200,
    maxDelayMs: 20_000,
};

/** Promise-based sleep. */
export function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

/** The delay before attempt `attempt + 1`: full jitter over a capped exponential. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(cap / 2 + (random() * cap) / 2);
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, runs out of attempts, or the
 * next wait would pass the deadline; then the last error is thrown as it is.
 */
export async function withRetries<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>): Promise<T> {
    const started = Date.now();
    const retryable = policy.retryable ?? isTransient;
    const random = policy.random ?? Math.random;
    const wait = policy.sleep ?? sleep;
    for (let n = 1; ; n++) {
        try {
            return await attempt(n);
        } catch (err) {
            const delayMs = backoffDelay(policy, n, random);
            const outOfTime = Date.now() - started + delayMs > policy.deadlineMs;
            if (!retryable(err) || n >= policy.maxAttempts || outOfTime) {
                throw err;
            }
            policy.onRetry?.({ code: (err as CodedError).code, attempt: n, maxAttempts: policy.maxAttempts, delayMs });
            await wait(delayMs);
        }
    }
}
