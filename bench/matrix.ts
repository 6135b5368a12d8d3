// The timed matrix: for each N, latency and repetition, every operation runs for ours, then the
// engine floor (order alternating per repetition), then the API floor, back to back so each ratio
// compares runs made under the same load.
import { Emulator } from "../tests/emulator";
import { ApiFloor } from "./api-floor";
import { BenchStack, measureState, OPERATIONS, runOperation, serialisedProvider, Variant } from "./deployments";
import { BenchOptions } from "./options";
import { callSpanMs, countCalls, maxInFlight } from "./request-log";
import { StateSample, TimedSample } from "./results";

/** What the matrix runs on. */
export interface MatrixContext {
    emulator: Emulator;
    stacks: Record<Variant, BenchStack>;
    api: ApiFloor;
    options: BenchOptions;
    progress: (line: string) => void;
}

/** The variants in the order repetition `rep` runs them (alternating, so drift hits both alike). */
function variantOrder(rep: number): Variant[] {
    return rep % 2 === 0 ? ["ours", "noop"] : ["noop", "ours"];
}

/** CPU ms this process used since `since` (a process.cpuUsage() reading). */
function cpuMsSince(since: NodeJS.CpuUsage): number {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
}

/** One timed Pulumi operation of a variant, with the emulator calls it made. */
async function timeDeployment(
    ctx: MatrixContext,
    variant: Variant,
    sample: Omit<TimedSample, "subject" | "ms" | "hostCpuMs">,
): Promise<TimedSample> {
    ctx.emulator.clearLog();
    const cpuBefore = process.cpuUsage();
    const ms = await runOperation(ctx.stacks[variant], sample.operation);
    const hostCpuMs = cpuMsSince(cpuBefore);
    if (variant === "noop") {
        return { ...sample, subject: variant, ms, hostCpuMs };
    }
    const log = ctx.emulator.requestLog;
    return {
        ...sample,
        subject: variant,
        ms,
        hostCpuMs,
        calls: countCalls(log),
        maxInFlight: maxInFlight(log, sample.latencyMs),
        callSpanMs: callSpanMs(log, sample.latencyMs),
    };
}

/** One repetition at a count and latency: the four operations for both variants and the API floor. */
async function runRepetition(ctx: MatrixContext, count: number, latencyMs: number, rep: number, state: StateSample[]): Promise<TimedSample[]> {
    const samples: TimedSample[] = [];
    for (const operation of OPERATIONS) {
        const base = { operation, count, latencyMs, rep };
        for (const variant of variantOrder(rep)) {
            samples.push(await timeDeployment(ctx, variant, base));
            if (operation === "up" && !state.some(s => s.variant === variant && s.count === count)) {
                state.push({ variant, count, sizes: measureState(ctx.stacks[variant]) });
            }
        }
        const cpuBefore = process.cpuUsage();
        const ms = await ctx.api.time(operation, count);
        samples.push({ ...base, subject: "api", ms, hostCpuMs: cpuMsSince(cpuBefore) });
    }
    return samples;
}

/** A one-line summary of a repetition's times, for progress output. */
function describeRepetition(samples: TimedSample[]): string {
    return samples
        .filter(s => s.subject !== "api")
        .map(s => `${s.operation}/${s.subject} ${(s.ms / 1000).toFixed(2)}s`)
        .join("  ");
}

/** Runs the whole matrix; returns every timed sample and the state sizes after each first `up`. */
export async function runMatrix(ctx: MatrixContext): Promise<{ samples: TimedSample[]; state: StateSample[] }> {
    const samples: TimedSample[] = [];
    const state: StateSample[] = [];
    for (const count of ctx.options.counts) {
        Object.values(ctx.stacks).forEach(stack => (stack.spec.count = count));
        for (const latencyMs of ctx.options.latenciesMs) {
            ctx.emulator.setFaults({ latencyMs });
            for (let rep = 0; rep < ctx.options.repsFor(count); rep++) {
                const repetition = await runRepetition(ctx, count, latencyMs, rep, state);
                samples.push(...repetition);
                ctx.progress(`N=${count} latency=${latencyMs}ms rep ${rep + 1}: ${describeRepetition(repetition)}`);
            }
        }
    }
    ctx.emulator.setFaults({});
    return { samples, state };
}

/**
 * An untimed up + destroy of one resource per variant, so the first timed run is not a cold one.
 * Returns each variant's serialised `__provider`, as found in state, for the start-up test.
 */
export async function warmUp(stacks: Record<Variant, BenchStack>): Promise<Record<Variant, string>> {
    const providers = {} as Record<Variant, string>;
    for (const stack of Object.values(stacks)) {
        stack.spec.count = 1;
        await runOperation(stack, "up");
        providers[stack.variant] = serialisedProvider(stack);
        await runOperation(stack, "destroy");
    }
    return providers;
}
