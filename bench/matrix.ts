// The timed matrix: for each N, latency and repetition, every operation runs for each variant back
// to back (the order rotating per repetition, so drift hits all alike), then for the API floor.
import { Emulator } from "../tests/emulator";
import { ApiFloor } from "./api-floor";
import { runCounted } from "./calls";
import { BenchStack, measureState, OPERATIONS, Operation, runOperation, serialisedProvider, StateSizes } from "./deployments";
import { BenchOptions } from "./options";
import { deployedAt, inRepetitionOrder } from "./variants";

/** The subject of the API floor's samples. */
export const API = "api";

/** One timed operation of a variant (by name) or of the API floor, with a variant's emulator calls. */
export interface TimedSample {
    subject: string;
    operation: Operation;
    count: number;
    latencyMs: number;
    rep: number;
    ms: number;
    oss?: number;
    kms?: number;
}

/** State sizes of a variant after its first `up` at a resource count. */
export interface StateSample {
    variant: string;
    count: number;
    sizes: StateSizes;
}

/** One repetition at a count and latency: the four operations of every variant deployed there, and the API floor. */
async function runRepetition(emulator: Emulator, stacks: BenchStack[], api: ApiFloor, base: Omit<TimedSample, "subject" | "operation" | "ms">, state: StateSample[]) {
    const samples: TimedSample[] = [];
    for (const operation of OPERATIONS) {
        for (const stack of inRepetitionOrder(stacks, base.rep)) {
            const { ms, calls } = await runCounted(emulator, stack, operation);
            samples.push({ ...base, subject: stack.variant.name, operation, ms, oss: calls.oss, kms: calls.kms });
            if (operation === "up" && !state.some(s => s.variant === stack.variant.name && s.count === base.count)) {
                state.push({ variant: stack.variant.name, count: base.count, sizes: measureState(stack) });
            }
        }
        samples.push({ ...base, subject: API, operation, ms: await api.time(operation, base.count) });
    }
    return samples;
}

/** Runs the whole matrix; returns every timed sample and the state sizes. */
export async function runMatrix(emulator: Emulator, allStacks: BenchStack[], api: ApiFloor, options: BenchOptions, progress: (line: string) => void) {
    const samples: TimedSample[] = [];
    const state: StateSample[] = [];
    for (const count of options.counts) {
        const stacks = allStacks.filter(s => deployedAt(s.variant, count));
        stacks.forEach(stack => (stack.spec.count = count));
        for (const latencyMs of options.latenciesMs) {
            emulator.setFaults({ latencyMs });
            for (let rep = 0; rep < options.repsFor(count); rep++) {
                const repetition = await runRepetition(emulator, stacks, api, { count, latencyMs, rep }, state);
                samples.push(...repetition);
                const times = repetition.map(s => `${s.operation}/${s.subject} ${(s.ms / 1000).toFixed(2)}s`);
                progress(`N=${count} latency=${latencyMs}ms rep ${rep + 1}: ${times.join("  ")}`);
            }
        }
    }
    emulator.setFaults({});
    return { samples, state };
}

/**
 * An untimed up + destroy of one resource per variant, so the first timed run is not a cold one.
 * Returns each variant's serialised `__provider` as found in state, for the start-up test.
 */
export async function warmUp(stacks: BenchStack[]): Promise<Record<string, string>> {
    const providers: Record<string, string> = {};
    for (const stack of stacks) {
        stack.spec.count = 1;
        await runOperation(stack, "up");
        if (stack.variant.providerModule) {
            providers[stack.variant.name] = serialisedProvider(stack);
        }
        await runOperation(stack, "destroy");
    }
    return providers;
}
