// BENCHMARKS.md and the stdout summary, rendered from one run's results.
import {
    addedCostGrowth,
    AddedCostGrowth,
    callsPerResourceSpread,
    describeGrowth,
    LINEAR_GROWTH_LIMIT,
    stateSpread,
    TimeRow,
    Verdict,
} from "./analysis";
import { closingNote } from "./closing-note";
import { mark, ms0, ratio, seconds, table } from "./format";
import { busyMs, categoryMs, ownCategories } from "./profile";
import { OPERATIONS } from "./deployments";
import { CallCounts } from "./request-log";
import { BenchResults, ProfileSummary } from "./results";
import { ModuleLoad } from "./startup";

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

/** The engine floor's own growth per resource, when it is clearly more than linear. */
function floorGrowthNote(growth: AddedCostGrowth): string[] {
    const [from, to] = [growth.from.ms.noop / growth.from.count, growth.to.ms.noop / growth.to.count];
    if (to <= from * LINEAR_GROWTH_LIMIT) {
        return [];
    }
    return [
        "",
        `The engine floor itself is not linear: its time per resource goes from ${from.toFixed(1)} ms at N=${growth.from.count} ` +
            `to ${to.toFixed(1)} ms at N=${growth.to.count}. The file backend saves the whole checkpoint after every step, one ` +
            `save after another, so an up or destroy of N resources writes O(N²) bytes (PULUMI_SKIP_CHECKPOINTS saves only at the end, ` +
            `at the cost of losing progress if the run dies). Every dynamic provider pays this; a smaller \`__provider\` and state entry only shrink the constant.`,
    ];
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
            `Ours' ${describeGrowth(growth)}: ` +
                (growth.superlinear
                    ? `**more than ${LINEAR_GROWTH_LIMIT}× per resource, so ours' added cost grows faster than N**.`
                    : growth.beyondLimit
                      ? `more than ${LINEAR_GROWTH_LIMIT}× per resource, but by less than the repetitions at N=${growth.to.count} differ among ` +
                        `themselves: within the noise, so this run does not show ours' added cost growing faster than N.`
                      : `it does not grow faster than N (the check allows up to ${LINEAR_GROWTH_LIMIT}× per resource; zero or less is within the noise).`) +
                ` OSS calls per resource vary by ${(callsPerResourceSpread(rows) * 100).toFixed(1)} % across N, and each ` +
                `resource's state entry by ${(stateSpread(r) * 100).toFixed(1)} %.`,
        );
        lines.push(...floorGrowthNote(growth));
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

/** Categories below this self time in both profiles (other than ours) are summed into one row. */
const PROFILE_ROW_MIN_MS = 10;

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
        .filter(c => Math.max(categoryMs(ours, c), categoryMs(noop, c)) >= PROFILE_ROW_MIN_MS || ownCategories(r.startup.ours.module.packages).includes(c))
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
