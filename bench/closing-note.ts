// The closing note of BENCHMARKS.md: for each target, where the time goes and what would close a
// gap, written from the run's own figures (calls, their spread, the emulator's CPU, the profile).
import {
    GROWTH_MIN_COUNT,
    loadsKmsClient,
    networkFloorMs,
    overTarget,
    STARTUP_TARGET_MS,
    targetUpRows,
    TimeRow,
    Verdict,
} from "./analysis";
import { ms0, ratio, seconds, table } from "./format";
import { busyMs, categoryMs, ownCategories } from "./profile";
import { BenchResults, ProfileSummary } from "./results";

/** Average calls in flight while ours' calls were spread out: their total duration over their span. */
function averageInFlight(row: TimeRow): number {
    return row.callSpanMs > 0 ? (row.oss * row.latencyMs) / row.callSpanMs : 0;
}

/** Where an operation's added time goes at latency: the API's latency, the pace of the engine, the emulator's CPU. */
function gapExplanation(row: TimeRow, parallelism: number): string {
    const network = networkFloorMs(row, parallelism);
    const [low, high] = row.addedRangeMs;
    const parts = [
        `\`pulumi ${row.operation}\` at N = ${row.count}, ${row.latencyMs} ms: ours / engine floor ${ratio(row.vsEngine)}; ours adds ` +
            `${seconds(row.addedMs)} s (${seconds(low)} to ${seconds(high)} s over ${row.reps} repetitions` +
            `${row.addedMs < 0 ? "; less than nothing: ours was the faster, within the noise" : ""}).`,
    ];
    if (row.oss === 0) {
        parts.push("It makes no calls, so the difference is the machine's noise.");
        return parts.join(" ");
    }
    const average = averageInFlight(row);
    parts.push(
        `Its ${row.oss} OSS calls × ${row.latencyMs} ms need at least ${seconds(network)} s at ${Math.min(parallelism, row.count)} in flight; ` +
            `they were spread over ${seconds(row.callSpanMs)} s, with ${average.toFixed(1)} in flight on average (at most ${row.maxInFlight}).`,
    );
    if (row.addedMs <= 0) {
        parts.push("All of that waiting overlapped the engine's own work.");
    } else if (row.addedMs <= network) {
        parts.push("Ours adds no more than that: the gap is the round trips, and some of the waiting overlaps the engine's own work.");
    } else {
        parts.push(`That is ${((network / row.addedMs) * 100).toFixed(0)} % of what ours adds.`);
    }
    if (average < parallelism / 2) {
        parts.push(
            "The parallelism limit was rarely reached: the engine hands out steps at its own pace (each step's " +
                "bookkeeping, such as the checkpoint write after it, runs in sequence), and each step's round trips add to that pace.",
        );
    }
    if (row.emulatorCpuMs > 0) {
        parts.push(
            `Serving the calls also cost the emulator about ${seconds(row.emulatorCpuMs)} s of CPU (the benchmark process's CPU, ours ` +
                `minus the floor's run), on the same 2 shared CPUs as the engine and the provider; against real OSS that CPU is ` +
                `spent elsewhere, so some of the gap may be the test set-up's.`,
        );
    }
    return parts.join(" ");
}

/** Self ms of a function in a profile, matched by name. */
function functionMs(profile: ProfileSummary, name: string): number {
    return profile.functions.filter(f => f.name === name).reduce((sum, f) => sum + f.ms, 0);
}

/** Ways to close a gap made of calls, ordered by what they save, given what this run measured; "(1) …; (2) …." */
function gapRemedies(row: TimeRow, parallelism: number, r: BenchResults): string {
    const perResource = row.oss / row.count;
    const remedies: string[] = [];
    if (row.operation === "up" && perResource > 1) {
        // If the added time scales with the round trips per step, one call instead of k keeps 1/k of it.
        const estimate = (row.ms.ours - row.addedMs * (1 - 1 / perResource)) / row.ms.noop;
        remedies.push(
            `make a create or update cost one call instead of ${perResource.toFixed(0)}: putAndConfirm (provider/bucketEncryption.ts) ` +
                `reads the rule back right after every successful PutBucketEncryption; trusting the 200 and leaving the check to ` +
                `the next refresh (or reading back only after a retried PUT) halves the round trips each step waits for, which by ` +
                `this run's medians would bring ours / engine floor to about ${ratio(estimate)}`,
        );
    }
    const connectMs = r.profile ? functionMs(r.profile.ours, "internalConnect") : 0;
    remedies.push(
        "reuse connections: the OSS client sends every call with `agent: false`, opening a new TCP connection (TLS against real " +
            "OSS, one or two more round trips) per call" +
            (connectMs > 0 ? `; the profile shows ${connectMs.toFixed(0)} ms of CPU in node's internalConnect alone` : ""),
    );
    const average = averageInFlight(row);
    remedies.push(
        average < parallelism / 2
            ? `raising the engine's parallelism (\`--parallel\`, PULUMI_PARALLEL; ${parallelism} here) would not help much: on ` +
                  `average only ${average.toFixed(1)} calls were in flight`
            : `raise the engine's parallelism (\`pulumi ${row.operation} --parallel 32\` or PULUMI_PARALLEL; ${parallelism} here, 4 per ` +
                  `CPU): on average ${average.toFixed(1)} calls were in flight, and the provider only waits on I/O`,
    );
    return `${remedies.map((text, i) => `(${i + 1}) ${text}`).join("; ")}.`;
}

/** The paragraph on each `pulumi up` target: why it was met, or where the time goes and what would close it. */
function upNotes(r: BenchResults, rows: TimeRow[]): string[] {
    const p = r.matrix.parallelism;
    return targetUpRows(rows).map(row =>
        overTarget(row) ? `- **Missed:** ${gapExplanation(row, p)} What would close it: ${gapRemedies(row, p, r)}` : `- Met: ${gapExplanation(row, p)}`,
    );
}

function profileNote(r: BenchResults): string[] {
    if (!r.profile) {
        return [];
    }
    const { ours, noop } = r.profile;
    const own = ownCategories(r.startup.ours.module.packages).reduce((sum, c) => sum + categoryMs(ours, c), 0);
    return [
        `- Profile (N = ${ours.count}, ${ours.latencyMs} ms): the provider process ran ${seconds(ours.totalMs)} s and was busy ` +
            `${seconds(busyMs(ours))} s (engine floor: ${seconds(busyMs(noop))} s of ${seconds(noop.totalMs)} s); ` +
            `${seconds(own)} s of ours' busy time was our code and its packages (${ownCategories(r.startup.ours.module.packages).join(", ")}), the rest the ` +
            `plugin host and node itself (module loading, gRPC, and HTTP: see the functions above); the remainder is idle.`,
    ];
}

/** What the profile says about start-up: time compiling modules in each provider process. */
function compileNote(r: BenchResults): string {
    if (!r.profile) {
        return "";
    }
    const { ours, noop } = r.profile;
    return (
        ` The profile agrees: node's module compiler (wrapSafe) took ${ms0(functionMs(ours, "wrapSafe"))} ms of ours' provider ` +
        `process and ${ms0(functionMs(noop, "wrapSafe"))} ms of the floor's, the largest single item in both.`
    );
}

function startupNote(r: BenchResults): string[] {
    if (r.startup.ours.firstCheckMs < STARTUP_TARGET_MS) {
        return [];
    }
    const { ours: o, noop: n, pluginHost: h } = r.startup;
    const notable = ["typescript", "@npmcli/arborist", "@grpc/grpc-js", "google-protobuf"].filter(name => h.packages.includes(name));
    return [
        `- **Missed (absolute start-up):** the dynamic-provider process needs ${ms0(Math.min(o.readyMs, n.readyMs))}–` +
            `${ms0(Math.max(o.readyMs, n.readyMs))} ms to be ready before any resource code runs: the plugin host alone loads ` +
            `${h.files} files from ${h.packages.length} packages (${ms0(h.requireMs)} ms to require; ${notable.join(", ")} among them). ` +
            `The engine floor's first Check comes at ${ms0(n.firstCheckMs)} ms. Ours answers its first Check ${ms0(o.afterReadyMs)} ms ` +
            `after ready (no-op: ${ms0(n.afterReadyMs)} ms); its module takes ${o.module.requireMs.toFixed(0)} ms to require and loads ` +
            `${o.module.packages.join(", ") || "no packages"}, ${loadsKmsClient(o.module.packages) ? "a KMS client among them" : "and no KMS client"}. ` +
            `${STARTUP_TARGET_MS} ms from launch is out of reach for any Node ` +
            `dynamic provider on this machine; closing it would take Pulumi's plugin host loading less, which is Pulumi's code. ` +
            `It is paid once per deployment, and our own part (${ms0(o.afterReadyMs)} ms) is ` +
            (o.afterReadyMs < STARTUP_TARGET_MS ? "under the target." : "over the target too.") +
            compileNote(r),
    ];
}

function otherMissNotes(results: Verdict[]): string[] {
    return results
        .filter(v => v.met === false && !v.explained)
        .map(v => `- **Missed:** ${v.target}: ${v.figure}.`);
}

/** Operations beyond the targets (N >= 25, with calls) where ours is more than 10 % over the floor, as a compact table. */
function otherOperationsNote(r: BenchResults, rows: TimeRow[]): string[] {
    const targets = targetUpRows(rows);
    const others = rows.filter(x => x.oss > 0 && overTarget(x) && x.count >= GROWTH_MIN_COUNT && !targets.includes(x));
    if (others.length === 0) {
        return [];
    }
    const p = r.matrix.parallelism;
    const worst = [...others].sort((a, b) => b.vsEngine - a.vsEngine)[0];
    return [
        "- Outside the targets, these operations are more than 10 % over the floor; the same reading applies " +
            `(network floor = calls × latency / ${p}). With no latency the calls cost only CPU: the emulator's (last column) ` +
            "and the provider's (a new connection per call), on 2 shared CPUs:",
        "",
        table(
            ["Operation", "N", "Latency", "Ours / engine", "Added (s)", "Network floor (s)", "Calls spread over (s)", "Average in flight", "Emulator CPU (s)"],
            others.map(x => [
                `\`pulumi ${x.operation}\``,
                x.count,
                `${x.latencyMs} ms`,
                ratio(x.vsEngine),
                seconds(x.addedMs),
                seconds(networkFloorMs(x, p)),
                seconds(x.callSpanMs),
                x.latencyMs > 0 ? averageInFlight(x).toFixed(1) : "",
                seconds(x.emulatorCpuMs),
            ]),
        ),
        "",
        `  What would close the worst, \`pulumi ${worst.operation}\` at N = ${worst.count} and ${worst.latencyMs} ms: ${gapRemedies(worst, p, r)}`,
    ];
}

/** How far a no-change preview, which makes no calls, strays from the floor: the noise of this machine. */
function noiseNote(rows: TimeRow[]): string[] {
    const previews = rows.filter(x => x.operation === "preview" && x.oss === 0 && Number.isFinite(x.vsEngine));
    if (previews.length === 0) {
        return [];
    }
    const ratios = previews.map(x => x.vsEngine);
    return [
        `- Noise: a no-change preview makes no calls, so ours and the floor do the same work; their ratio still ranges from ` +
            `${ratio(Math.min(...ratios))} to ${ratio(Math.max(...ratios))} across N and latency in this run. Read single ratios ` +
            `within that band as equal.`,
    ];
}

/** The closing note: the time targets, the profile, start-up, other misses, other slow operations, noise. */
export function closingNote(r: BenchResults, rows: TimeRow[], results: Verdict[]): string {
    return [
        ...upNotes(r, rows),
        ...profileNote(r),
        ...startupNote(r),
        ...otherMissNotes(results),
        ...otherOperationsNote(r, rows),
        ...noiseNote(rows),
    ].join("\n");
}
