// Retries with capped exponential backoff and jitter, bounded by an overall deadline.
// Only the transient failures named below are retried; everything else fails at once.

/** Error codes (OSS and KMS) that a later attempt can succeed past. */
export const TRANSIENT_CODES = new Set([
    "InternalError",
    "ServiceUnavailable",
    "RequestTimeout",
    // Throttling: KMS's and the generic names, then OSS's own (answered with 503).
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "TooManyRequests",
    "MetaOperationQpsLimitExceeded",
    "TotalQpsLimitExceeded",
    "ActiveRequestLimitExceeded",
    "UploadTrafficRateLimitExceeded",
    "DownloadTrafficRateLimitExceeded",
    // Our own codes for failures without an answer: connection reset or refused, no answer in time.
    "NetworkError",
    "Timeout",
]);

/** A failure that carries an error code and (optionally) an HTTP status. */
export interface CodedError {
    code: string;
    status?: number;
}

/** Whether `err` carries a string `code`. */
export function isCoded(err: unknown): err is CodedError {
    return typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string";
}

/** True for 5xx, 408, 429 and the codes in TRANSIENT_CODES. */
export function isTransient(err: unknown): boolean {
    if (!isCoded(err)) {
        return false;
    }
    const status = err.status ?? 0;
    return TRANSIENT_CODES.has(err.code) || status >= 500 || status === 408 || status === 429;
}

/** What a retry announces (to the Pulumi log) before it waits. */
export interface RetryNotice {
    code: string;
    /** The attempt that just failed (1-based); the next one is attempt + 1. */
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
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    /** The deployment's cancellation: once it aborts, the wait ends at once and no attempt follows. */
    signal?: AbortSignal;
}

/** Defaults: 5 minutes overall, 10 attempts, 200 ms doubling up to 20 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    deadlineMs: 5 * 60_000,
    maxAttempts: 10,
    baseDelayMs: 200,
    maxDelayMs: 20_000,
};

/**
 * No retry (or read-back) is started with less time than this left before the deadline: an
 * attempt that short would most likely end in our own Timeout, and that Timeout would then be
 * reported in place of the failure that used up the time.
 */
export const MIN_ATTEMPT_MS = 200;

/** Promise-based sleep; ends early, without an error, when `signal` aborts (the caller checks it). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener("abort", done, { once: true });
    });
}

/**
 * The delay after failed attempt `attempt` (1-based): "equal jitter" over a capped exponential, i.e.
 * uniform in [cap/2, cap), so retries of many resources spread out but never come back at once.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(cap / 2 + (random() * cap) / 2);
}

/** How a run of attempts ended, for the error that reports it. */
export interface RetryOutcome {
    attempts: number;
    elapsedMs: number;
    /** Why no further attempt was made. */
    stoppedBecause: "not-retryable" | "out-of-attempts" | "deadline";
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, runs out of attempts, or the
 * next wait would leave less than MIN_ATTEMPT_MS before the deadline; then throws the last error,
 * or what `giveUp` makes of it. Once `policy.signal` aborts, it throws the last error (or the
 * signal's reason) as it is, without waiting or trying again: the caller says what was cancelled.
 * Each attempt is told the ms left before the deadline, so it can bound its own wait for an answer.
 */
export async function withRetries<T>(
    policy: RetryPolicy & { giveUp?: (err: unknown, outcome: RetryOutcome) => unknown },
    attempt: (n: number, remainingMs: number) => Promise<T>,
): Promise<T> {
    const started = Date.now();
    const retryable = policy.retryable ?? isTransient;
    const random = policy.random ?? Math.random;
    const wait = policy.sleep ?? sleep;
    for (let n = 1; ; n++) {
        policy.signal?.throwIfAborted();
        try {
            return await attempt(n, Math.max(0, started + policy.deadlineMs - Date.now()));
        } catch (err) {
            if (policy.signal?.aborted) {
                throw err;
            }
            const delayMs = backoffDelay(policy, n, random);
            const elapsedMs = Date.now() - started;
            const stoppedBecause = !retryable(err)
                ? "not-retryable"
                : n >= policy.maxAttempts
                  ? "out-of-attempts"
                  : elapsedMs + delayMs + MIN_ATTEMPT_MS > policy.deadlineMs
                    ? "deadline"
                    : undefined;
            if (stoppedBecause) {
                throw policy.giveUp ? policy.giveUp(err, { attempts: n, elapsedMs, stoppedBecause }) : err;
            }
            policy.onRetry?.({ code: (err as CodedError).code, attempt: n, maxAttempts: policy.maxAttempts, delayMs });
            await wait(delayMs, policy.signal);
        }
    }
}
