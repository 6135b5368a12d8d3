// Seeded, deterministic fault injection: the same plan and seed give the same faults for the same
// sequence of requests, so reliability tests can be replayed exactly.
import { FaultPlan } from "./types";

/** HTTP status of each injectable error code; codes not listed here answer 500. */
export const FAULT_STATUS: Readonly<Record<string, number>> = {
    InternalError: 500,
    InternalFailure: 500,
    ServiceUnavailable: 503,
    ServiceUnavailableTemporary: 503,
    Throttling: 503,
    "Throttling.User": 400,
    TooManyRequests: 429,
};

/** What the injector decided for one request. */
export type FaultDecision =
    | { kind: "none" }
    | { kind: "error"; code: string; status: number }
    | { kind: "reset" }
    | { kind: "hang" };

/** mulberry32: a tiny 32-bit PRNG; returns a function yielding floats in [0, 1). */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Holds the current FaultPlan and draws decisions from its PRNG. */
export class FaultInjector {
    private plan: FaultPlan = {};
    private random: () => number;
    /** Codes of `plan.rates`, sorted so the outcome does not depend on object key order. */
    private codes: string[] = [];

    constructor(private readonly defaultSeed: number) {
        this.random = mulberry32(defaultSeed);
    }

    /** Replaces the plan and restarts the PRNG from the plan's seed (or the default seed). */
    set(plan: FaultPlan): void {
        const rates = plan.rates ?? {};
        const total = Object.values(rates).reduce((sum, r) => sum + r, 0);
        if (Object.values(rates).some(r => !(r >= 0)) || total > 1 + 1e-9) {
            throw new Error(`fault rates must be non-negative and sum to at most 1 (got ${total})`);
        }
        this.plan = { ...plan, rates: { ...rates } };
        this.codes = Object.keys(rates).sort();
        this.random = mulberry32(plan.seed ?? this.defaultSeed);
    }

    /** Whether the plan covers this action ("only" accepts "Action" or "service:Action"). */
    appliesTo(service: string, action: string): boolean {
        const only = this.plan.only;
        return !only || only.includes(action) || only.includes(`${service}:${action}`);
    }

    /** Delay to add before answering. */
    latencyMs(service: string, action: string): number {
        return this.appliesTo(service, action) ? this.plan.latencyMs ?? 0 : 0;
    }

    /** How long a read (GetBucketEncryption, GetBucketInfo) of an encryption rule lags behind writes. */
    staleReadMs(service: string, action: string): number {
        return this.appliesTo(service, action) ? this.staleReadWindowMs() : 0;
    }

    /** The plan's read lag regardless of `only`: how long writes must be remembered. */
    staleReadWindowMs(): number {
        return this.plan.staleReadMs ?? 0;
    }

    /** Decides one request's fate; consumes exactly one random draw per covered request when rates are set. */
    decide(service: string, action: string): FaultDecision {
        if (this.codes.length === 0 || !this.appliesTo(service, action)) {
            return { kind: "none" };
        }
        const draw = this.random();
        let threshold = 0;
        for (const code of this.codes) {
            threshold += this.plan.rates![code];
            if (draw < threshold) {
                return code === "reset" || code === "hang"
                    ? { kind: code }
                    : { kind: "error", code, status: FAULT_STATUS[code] ?? 500 };
            }
        }
        return { kind: "none" };
    }
}
