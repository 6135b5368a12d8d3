// BENCHMARKS.md and the stdout summary, rendered from one run's results.
import {
    addedCostGrowth,
    LINEAR_GROWTH_LIMIT,
    networkFloorMs,
    stateSpread,
    TimeRow,
    Verdict,
} from "./analysis";
import { OPERATIONS } from "./deployments";
import { CallCounts } from "./request-log";
import { BenchResults, ProfileSummary } from "./results";
import { ModuleLoad } from "./startup";

/** Seconds with two decimals. */
const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "n/a");
/** A ratio with two decimals, "n/a" when undefined (a floor of zero). */
const ratio = (r: number) => (Number.isFinite(r) ? r.toFixed(2) : "n/a");
/** Milliseconds without decimals. */
const ms0 = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : "n/a");
/** "met", "**missed**" or "not measured". */
const mark = (met: boolean | undefined) => (met === undefined ? "not measured" : met ? "met" : "**missed**");

/** A Markdown table. */
function table(header: string[], rows: (string | number)[][]): string {
    const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function machineSection(r: BenchResults): string {
    const e = r.environment;
    return table(
        ["", ""],
        [
            ["Date", e.date],
            ["CPU", `${e.cpu}, ${e.cpus} CPUs available`],
            ["Memory", `${e.memoryGiB} GiB`],
            ["OS", e.os],
            ["Node.js", e.node],
            ["Pulumi CLI", e.pulumiCli],
            ["@pulumi/pulumi", e.pulumiSdk],
            ["ali-oss", e.aliOss],
            ["TypeScript", e.typescript],
            ["pulumi-oss-encryption", `${e.packageVersion} at ${e.commit}`],
            ["Load average (1 min), start / end", `${e.loadAtStart.toFixed(2)} / ${e.loadAtEnd?.toFixed(2) ?? "?"} (the machine is shared)`],
            ["Run time", `${(r.durationMs / 60000).toFixed(1)} min`],
        ],
    );
}

function matrixSection(r: BenchResults): string {
    const m = r.matrix;
    return [
        `- N = ${m.counts.join(", ")}; emulator latency ${m.latenciesMs.join(" and ")} ms per call.`,
        `- Repetitions: ${m.repsRule} (${Object.entries(m.repsByCount).map(([n, k]) => `N=${n}: ${k}`).join(", ")}). ` +
            `Each repetition runs up, preview, refresh and destroy for ours and the engine floor back to back ` +
            `(which goes first alternates), then the API floor; ratios are medians of these paired ratios.`,
        `- Parallelism: Pulumi's default, ${m.parallelism} (4 × CPUs, or PULUMI_PARALLEL); the API floor uses the same concurrency.`,
        `- Start-up: ${m.startupReps} launches per variant, alternating. Call scenarios: N = ${r.scenarios.count}, no latency.`,
    ].join("\n");
}

function timeTable(rows: TimeRow[]): string {
    return table(
        ["Operation", "N", "Latency", "Reps", "Ours (s)", "Engine floor (s)", "API floor (s)", "Ours / engine", "Ours / API", "Added (ms/resource)", "Max in flight"],
        rows.map(r => [
            `\`pulumi ${r.operation}\``,
            r.count,
            `${r.latencyMs} ms`,
            r.reps,
            seconds(r.ms.ours),
            seconds(r.ms.noop),
            r.operation === "preview" ? "0 (no calls)" : seconds(r.ms.api),
            ratio(r.vsEngine),
            ratio(r.vsApi),
            (r.addedMs / r.count).toFixed(1),
            r.latencyMs > 0 ? r.maxInFlight : "",
        ]),
    );
}

/** "Put 25, Get 25" for a call count's actions. */
function actions(c: CallCounts): string {
    const parts = Object.entries(c.byAction).map(([action, n]) => `${action} ${n}`);
    return parts.length > 0 ? parts.join(", ") : "none";
}

function callsSection(r: BenchResults, rows: TimeRow[]): string {
    const counts = r.matrix.counts;
    const per = (op: (typeof OPERATIONS)[number], n: number) => {
        const matching = rows.filter(x => x.operation === op && x.count === n);
        return Math.max(...matching.map(x => x.oss / n)).toFixed(2);
    };
    const preview = (n: number) => {
        const matching = rows.filter(x => x.operation === "preview" && x.count === n);
        return `${Math.max(...matching.map(x => x.oss))} / ${Math.max(...matching.map(x => x.kms))}`;
    };
    const kmsInUp = (n: number) => Math.max(...rows.filter(x => x.operation === "up" && x.count === n).map(x => x.kms));
    const timed = table(
        ["N", "OSS per create", "OSS per refresh", "OSS per delete", "No-change preview: OSS / KMS calls", "KMS calls in up"],
        counts.map(n => [n, per("up", n), per("refresh", n), per("destroy", n), preview(n), kmsInUp(n)]),
    );
    const s = r.scenarios;
    const scenarioRow = (label: string, c: CallCounts) => [
        label,
        c.oss,
        (c.oss / s.count).toFixed(2),
        c.kms,
        Math.max(0, ...Object.values(c.kmsByKey)),
        actions(c),
    ];
    const scenarios = table(
        ["Run", "OSS calls", "OSS per resource", "KMS calls", "Most KMS calls to one key", "Calls"],
        [
            scenarioRow("`pulumi up` updating every rule (AES256 to SM4)", s.update),
            ...OPERATIONS.map(op => scenarioRow(`\`pulumi ${op}\`, SSE-KMS with keys`, s.kms[op])),
        ],
    );
    return [
        "From ours' timed runs (the most seen in any repetition or latency):",
        "",
        timed,
        "",
        `Scenarios with N = ${s.count} (no latency): an in-place update, and a cycle of SSE-KMS rules naming ` +
            `${s.kmsKeys.length} distinct seeded KMS keys (${s.kmsKeys.join(", ")}, alternately):`,
        "",
        scenarios,
    ].join("\n");
}

function bytesSection(r: BenchResults): string {
    const of = (variant: "ours" | "noop", n: number) => r.state.find(s => s.variant === variant && s.count === n)?.sizes;
    return table(
        ["N", "`__provider` ours (B)", "`__provider` engine floor (B)", "State per resource ours (B)", "State per resource floor (B)", "State file ours (KB)", "State file floor (KB)"],
        r.matrix.counts.map(n => {
            const [ours, noop] = [of("ours", n), of("noop", n)];
            return [
                n,
                ours?.providerBytes ?? "",
                noop?.providerBytes ?? "",
                ours ? (ours.stateFileBytes / n).toFixed(0) : "",
                noop ? (noop.stateFileBytes / n).toFixed(0) : "",
                ours ? (ours.stateFileBytes / 1024).toFixed(1) : "",
                noop ? (noop.stateFileBytes / 1024).toFixed(1) : "",
            ];
        }),
    );
}

function growthSection(r: BenchResults, rows: TimeRow[]): string {
    const latency = Math.max(...r.matrix.latenciesMs);
    const up = rows.filter(x => x.operation === "up" && x.latencyMs === latency);
    const body = table(
        ["N", "Ours (ms/resource)", "Engine floor (ms/resource)", "Ours adds (ms/resource)"],
        up.map(x => [x.count, (x.ms.ours / x.count).toFixed(1), (x.ms.noop / x.count).toFixed(1), (x.addedMs / x.count).toFixed(1)]),
    );
    const growth = addedCostGrowth(rows);
    const lines = [`\`pulumi up\` at ${latency} ms latency, per resource:`, "", body, ""];
    if (growth) {
        lines.push(
            `What ours adds per resource changes ×${growth.growth.toFixed(2)} from N=${growth.from.count} to N=${growth.to.count} ` +
                `(linear: about 1; the check allows up to ${LINEAR_GROWTH_LIMIT}), and state bytes per resource vary by ` +
                `${(stateSpread(r) * 100).toFixed(1)} % across N. The engine floor itself is not linear: its time per resource ` +
                `goes from ${(growth.from.ms.noop / growth.from.count).toFixed(1)} ms at N=${growth.from.count} to ` +
                `${(growth.to.ms.noop / growth.to.count).toFixed(1)} ms at N=${growth.to.count}, because the file backend ` +
                `rewrites the whole checkpoint after every step (O(N²) bytes written per up or destroy).`,
        );
    }
    return lines.join("\n");
}

function startupSection(r: BenchResults): string {
    const { ours: o, noop: n, pluginHost: h } = r.startup;
    const loaded = (m: ModuleLoad) => `${m.files} files; packages: ${m.packages.join(", ") || "none"}`;
    return [
        "Measured by launching `node node_modules/@pulumi/pulumi/cmd/dynamic-provider` (what the " +
            "`pulumi-resource-pulumi-nodejs` plugin script runs; the script's own extra `node -e` is left out) in the " +
            "stacks' directory, waiting for it to print its gRPC port (ready), then sending Configure and a Check with " +
            "the resource's real serialised `__provider` from state; the Check is the first call that loads the " +
            "resource's code. Medians of launches alternating between the variants. The module-only figures require " +
            "one module in a fresh `node`.",
        "",
        table(
            ["", "Ours", "Engine floor (no-op)"],
            [
                ["Launch to ready (gRPC port printed)", `${ms0(o.readyMs)} ms`, `${ms0(n.readyMs)} ms`],
                ["Launch to first Check answered", `${ms0(o.firstCheckMs)} ms`, `${ms0(n.firstCheckMs)} ms`],
                ["First Check answered after ready", `${ms0(o.afterReadyMs)} ms`, `${ms0(n.afterReadyMs)} ms`],
                ["`require` of the provider module alone", `${o.module.requireMs.toFixed(1)} ms`, `${n.module.requireMs.toFixed(1)} ms`],
                ["Fresh `node` start to that `require` done", `${ms0(o.module.sinceProcessStartMs)} ms`, `${ms0(n.module.sinceProcessStartMs)} ms`],
                ["Loaded by that `require`", loaded(o.module), loaded(n.module)],
            ],
        ),
        "",
        `The plugin host they share, \`require("@pulumi/pulumi/cmd/dynamic-provider")\` alone: ${h.requireMs.toFixed(0)} ms ` +
            `(${ms0(h.sinceProcessStartMs)} ms from a fresh \`node\`), ${h.files} files from ${h.packages.length} packages ` +
            `(${h.packages.slice(0, 12).join(", ")}${h.packages.length > 12 ? ", …" : ""}).`,
    ].join("\n");
}

/** Profile categories that are ours: the provider's code and the packages its module loads. */
function ownCategories(r: BenchResults): string[] {
    return ["ours (bin/provider)", ...r.startup.ours.module.packages];
}

/** Categories below this self time in both profiles (other than ours) are summed into one row. */
const PROFILE_ROW_MIN_MS = 10;

/** Self time of a category in a profile, 0 when absent. */
function categoryMs(p: ProfileSummary, category: string): number {
    return p.byCategory.find(c => c.category === category)?.ms ?? 0;
}

/** CPU time (not idle) of a profile. */
function busyMs(p: ProfileSummary): number {
    return p.byCategory.filter(c => !c.category.startsWith("idle")).reduce((sum, c) => sum + c.ms, 0);
}

/** How many functions the profile section lists. */
const PROFILE_TOP_FUNCTIONS = 10;

/** Functions by how much more self time ours spent in them than the floor did. */
function extraFunctions(ours: ProfileSummary, floor: ProfileSummary): { name: string; where: string; ours: number; floor: number }[] {
    const key = (f: { name: string; where: string }) => `${f.name}\t${f.where}`;
    const floorMs = new Map(floor.functions.map(f => [key(f), f.ms]));
    return ours.functions
        .map(f => ({ name: f.name, where: f.where, ours: f.ms, floor: floorMs.get(key(f)) ?? 0 }))
        .sort((a, b) => b.ours - b.floor - (a.ours - a.floor))
        .slice(0, PROFILE_TOP_FUNCTIONS);
}

function profileSection(r: BenchResults): string {
    const profile = r.profile;
    if (!profile) {
        return "Not profiled in this run (BENCH_PROFILE=auto profiles only when a `pulumi up` target is missed; BENCH_PROFILE=1 always).";
    }
    const { ours, noop } = profile;
    const all = [...new Set([...ours.byCategory, ...noop.byCategory].map(c => c.category))];
    const shown = all
        .filter(c => Math.max(categoryMs(ours, c), categoryMs(noop, c)) >= PROFILE_ROW_MIN_MS || ownCategories(r).includes(c))
        .sort((a, b) => categoryMs(ours, b) - categoryMs(ours, a));
    const rest = all.filter(c => !shown.includes(c));
    const restMs = (p: ProfileSummary) => rest.reduce((sum, c) => sum + categoryMs(p, c), 0);
    return [
        `The dynamic-provider process of one \`pulumi up\`, N = ${ours.count}, ${ours.latencyMs} ms latency, for ours and ` +
            `for the engine floor (CPU-profiled from start-up to exit through a --require hook; Node refuses --cpu-prof in NODE_OPTIONS):`,
        "",
        table(
            ["Self time in", "Ours (ms)", "Engine floor (ms)"],
            [
                ...shown.map(c => [c, categoryMs(ours, c).toFixed(0), categoryMs(noop, c).toFixed(0)]),
                [`${rest.length} other packages`, restMs(ours).toFixed(0), restMs(noop).toFixed(0)],
                ["**busy (all but idle)**", busyMs(ours).toFixed(0), busyMs(noop).toFixed(0)],
                ["**profiled (wall)**", ours.totalMs.toFixed(0), noop.totalMs.toFixed(0)],
            ],
        ),
        "",
        "Functions where ours' provider process spends the most CPU beyond the floor's (self time, idle excluded):",
        "",
        table(
            ["Function", "Where", "Ours (ms)", "Engine floor (ms)"],
            extraFunctions(ours, noop).map(f => [`\`${f.name}\``, f.where, f.ours.toFixed(0), f.floor.toFixed(0)]),
        ),
    ].join("\n");
}

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
            `${seconds(row.addedMs)} s (${seconds(low)} to ${seconds(high)} s over ${row.reps} repetitions).`,
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
    if (row.addedMs <= network) {
        parts.push("Ours adds less than that: most of the waiting overlaps the engine's own work.");
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
                `spent elsewhere, so this part of the gap is the test set-up's.`,
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
        remedies.push(
            `make a create or update cost one call instead of ${perResource.toFixed(0)}: putAndConfirm (provider/bucketEncryption.ts) ` +
                `reads the rule back right after every successful PutBucketEncryption; trusting the 200 and leaving the check to ` +
                `the next refresh (or reading back only after a retried PUT) halves the round trips each step waits for`,
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
            : `raise the engine's parallelism (\`pulumi up --parallel 32\` or PULUMI_PARALLEL; ${parallelism} here, 4 per CPU): the ` +
                  `provider only waits on I/O and could serve more calls at once`,
    );
    return `${remedies.map((text, i) => `(${i + 1}) ${text}`).join("; ")}.`;
}

/** The `pulumi up` rows the issue sets a target for (N = 100 and 400 at 30 ms). */
function targetUpRows(rows: TimeRow[]): TimeRow[] {
    return rows.filter(x => x.operation === "up" && x.latencyMs === 30 && [100, 400].includes(x.count));
}

/** The paragraph on each `pulumi up` target: why it was met, or where the time goes and what would close it. */
function upNotes(r: BenchResults, rows: TimeRow[]): string[] {
    const p = r.matrix.parallelism;
    return targetUpRows(rows).map(row =>
        row.vsEngine > 1.1 ? `- **Missed:** ${gapExplanation(row, p)} What would close it: ${gapRemedies(row, p, r)}` : `- Met: ${gapExplanation(row, p)}`,
    );
}

function profileNote(r: BenchResults): string[] {
    if (!r.profile) {
        return [];
    }
    const { ours, noop } = r.profile;
    const own = ownCategories(r).reduce((sum, c) => sum + categoryMs(ours, c), 0);
    return [
        `- Profile (N = ${ours.count}, ${ours.latencyMs} ms): the provider process ran ${seconds(ours.totalMs)} s and was busy ` +
            `${seconds(busyMs(ours))} s (engine floor: ${seconds(busyMs(noop))} s of ${seconds(noop.totalMs)} s); ` +
            `${seconds(own)} s of ours' busy time was our code and its packages (${ownCategories(r).join(", ")}), the rest the ` +
            `plugin host and node itself (module loading, gRPC, and HTTP: see the functions above); the remainder is idle.`,
    ];
}

function startupNote(r: BenchResults, results: Verdict[]): string[] {
    const absolute = results.find(v => v.target.startsWith("start-up") && v.target.includes("absolute"));
    if (absolute?.met !== false) {
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
            `${o.module.packages.join(", ") || "no packages"}, and no KMS client. 300 ms from launch is out of reach for any Node ` +
            `dynamic provider on this machine; closing it would take Pulumi's plugin host loading less, which is Pulumi's code. ` +
            `It is paid once per deployment, and our own part (${ms0(o.afterReadyMs)} ms) is ` +
            (o.afterReadyMs < 300 ? "under the target." : "over the target too."),
    ];
}

function otherMissNotes(results: Verdict[]): string[] {
    return results
        .filter(v => v.met === false && !v.target.startsWith("pulumi up") && !v.target.includes("absolute"))
        .map(v => `- **Missed:** ${v.target}: ${v.figure}.`);
}

/** Operations beyond the targets where ours is more than 10 % over the floor with latency, as a compact table. */
function otherOperationsNote(r: BenchResults, rows: TimeRow[]): string[] {
    const targets = targetUpRows(rows);
    const others = rows.filter(x => x.latencyMs > 0 && x.oss > 0 && x.vsEngine > 1.1 && x.count >= 25 && !targets.includes(x));
    if (others.length === 0) {
        return [];
    }
    const p = r.matrix.parallelism;
    const worst = [...others].sort((a, b) => b.vsEngine - a.vsEngine)[0];
    return [
        "- Outside the targets, other operations with latency are more than 10 % over the floor; the same reading applies " +
            `(network floor = calls × latency / ${p}):`,
        "",
        table(
            ["Operation", "N", "Ours / engine", "Added (s)", "Network floor (s)", "Calls spread over (s)", "Average in flight", "Emulator CPU (s)"],
            others.map(x => [
                `\`pulumi ${x.operation}\``,
                x.count,
                ratio(x.vsEngine),
                seconds(x.addedMs),
                seconds(networkFloorMs(x, p)),
                seconds(x.callSpanMs),
                averageInFlight(x).toFixed(1),
                seconds(x.emulatorCpuMs),
            ]),
        ),
        "",
        `  What would close the worst, \`pulumi ${worst.operation}\` at N = ${worst.count}: ${gapRemedies(worst, p, r)}`,
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

function closingNote(r: BenchResults, rows: TimeRow[], results: Verdict[]): string {
    return [
        ...upNotes(r, rows),
        ...profileNote(r),
        ...startupNote(r, results),
        ...otherMissNotes(results),
        ...otherOperationsNote(r, rows),
        ...noiseNote(rows),
    ].join("\n");
}

/** BENCHMARKS.md. */
export function renderMarkdown(r: BenchResults, rows: TimeRow[], results: Verdict[]): string {
    return [
        "# Benchmarks",
        "",
        "Cost of a `BucketEncryption` against the engine's floor (the same N resources of a no-op dynamic provider) " +
            "and the API's floor (the same OSS calls made directly with ali-oss), with the real Pulumi CLI against the " +
            "OSS+KMS emulator on loopback. Generated by `npm run bench`; do not edit by hand.",
        "",
        "## Machine and versions",
        "",
        machineSection(r),
        "",
        "## Matrix",
        "",
        matrixSection(r),
        "",
        "Run it: `npm run bench` (the full matrix above by default). Smaller: `BENCH_N=1,25 BENCH_REPS=1 npm run bench`, or " +
            "`npm run bench -- --n=1,25 --reps=1 --latencies=30`. Other settings: BENCH_STARTUP_REPS, BENCH_CALLS_N, " +
            "BENCH_PROFILE (auto, 1 or 0), BENCH_OUT (directory for BENCHMARKS.md, bench/chart.svg and bench/results.json), BENCH_FROM (render a saved results.json again without measuring).",
        "",
        "## How it is measured",
        "",
        "- Times are the wall time of the `pulumi` process for `up`, `preview` (no change), `refresh` and `destroy`, run " +
            "through the Automation API with an inline program (which runs in the benchmark's process, with the emulator). " +
            "The Automation API's extra `pulumi stack output`/`stack history` calls after an up are not counted.",
        "- Engine floor: `NoopEncryption`, a `pulumi.dynamic.Resource` with BucketEncryption's inputs whose provider answers " +
            "at once and does no I/O; its shim `require`s its provider module by name like our SDK's, so `__provider` is as " +
            "small (see Bytes).",
        "- API floor: ali-oss 6 (V4 signatures, one client with keep-alive) making the calls ours makes: PUT + GET per " +
            "resource for up, GET for refresh, DELETE for destroy, none for a no-change preview; same concurrency as Pulumi.",
        "- Calls: counted from the emulator's request log around each operation. Bytes: the file backend's checkpoint after up.",
        "- Latency: the emulator delays every answer (OSS and KMS) by the given time.",
        "",
        "## Targets",
        "",
        table(["Target", "This run", "Result"], results.map(v => [v.target, v.figure, mark(v.met)])),
        "",
        "## Time per operation",
        "",
        "Medians; ratios are medians of paired per-repetition ratios. Added = median of (ours − engine floor) / N.",
        "",
        timeTable(rows),
        "",
        "![Time against N for ours and both floors](bench/chart.svg)",
        "",
        "## Calls per operation",
        "",
        callsSection(r, rows),
        "",
        "## Bytes",
        "",
        bytesSection(r),
        "",
        "`__provider` is stored twice per resource (inputs and outputs). State per resource = checkpoint file bytes / N.",
        "",
        "## Growth with N",
        "",
        growthSection(r, rows),
        "",
        "## Provider start-up",
        "",
        startupSection(r),
        "",
        "## Profile",
        "",
        profileSection(r),
        "",
        "## Closing note",
        "",
        closingNote(r, rows, results),
        "",
    ].join("\n");
}

/** Pads cells into aligned columns for the terminal. */
function columns(rows: string[][]): string {
    const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
    return rows.map(r => r.map((cell, i) => cell.padStart(widths[i])).join("  ")).join("\n");
}

/** The ratios table and target verdicts, for stdout. */
export function renderConsole(rows: TimeRow[], results: Verdict[]): string {
    const header = ["op", "N", "latency", "ours s", "engine s", "api s", "ours/engine", "ours/api", "OSS/res"];
    const body = rows.map(r => [
        r.operation,
        String(r.count),
        `${r.latencyMs}ms`,
        seconds(r.ms.ours),
        seconds(r.ms.noop),
        seconds(r.ms.api),
        ratio(r.vsEngine),
        ratio(r.vsApi),
        (r.oss / r.count).toFixed(2),
    ]);
    const targets = results.map(v => `${mark(v.met).replace(/\*/g, "").padEnd(12)} ${v.target}: ${v.figure}`);
    return [columns([header, ...body]), "", ...targets].join("\n");
}
