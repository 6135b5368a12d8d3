// BENCHMARKS.md: bench/BENCHMARKS.template.md, written by hand, with each `<!-- bench:NAME -->`
// line replaced by the generated table NAME. Tables only: what they mean is the template's text.
import * as fs from "fs";
import * as path from "path";
import { OPERATIONS } from "./deployments";
import { CallCounts } from "./calls";
import { GROWTH_MIN_COUNT, TimeRow, Verdict } from "./figures";
import { API } from "./matrix";
import { BenchResults } from "./results";
import { ModuleLoad } from "./startup";
import { ENGINE_FLOOR, OURS } from "./variants";

/** The template, beside this file's source. */
export const TEMPLATE = path.resolve(__dirname, "../../bench/BENCHMARKS.template.md");

const fixed = (digits: number) => (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
const [ms0, ms1, ratio] = [fixed(0), fixed(1), fixed(2)];
const seconds = (ms: number) => fixed(2)(ms / 1000);

/** A Markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
    const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Targets with this run's figure and verdict. */
export function targetsTable(verdicts: Verdict[]): string {
    const mark = (met: boolean | undefined) => (met === undefined ? "not measured" : met ? "met" : "**missed**");
    return table(["Target", "This run", "Result"], verdicts.map(v => [v.target, v.figure, mark(v.met)]));
}

/** Medians per subject, then per compared variant its ratios to both floors and its added ms per resource. */
export function timesTable(r: BenchResults, rows: TimeRow[]): string {
    const compared = r.variants.filter(v => v.name !== ENGINE_FLOOR.name);
    const cell = (row: TimeRow, name: string, value: (c: TimeRow["compared"][string]) => string) =>
        row.compared[name] ? value(row.compared[name]) : "";
    return table(
        [
            "Operation", "N", "Latency", "Reps",
            ...r.variants.map(v => `${v.label} (s)`), "API floor (s)",
            ...compared.flatMap(v => [`${v.label} / engine floor`, `${v.label} / API floor`, `${v.label} adds (ms/resource)`]),
        ],
        rows.map(row => [
            `\`pulumi ${row.operation}\``, row.count, `${row.latencyMs} ms`, row.reps,
            ...r.variants.map(v => seconds(row.ms[v.name])),
            row.operation === "preview" ? "0 (no calls)" : seconds(row.ms[API]),
            ...compared.flatMap(v => [
                cell(row, v.name, c => ratio(c.vsFloor)),
                cell(row, v.name, c => ratio(c.vsApi)),
                cell(row, v.name, c => ms1(c.addedMs / row.count)),
            ]),
        ]),
    );
}

function machine(r: BenchResults): string {
    const e = r.environment;
    return table(["", ""], [
        ["Date", e.date],
        ["CPU", `${e.cpu}, ${e.cpus} CPUs available`],
        ["Memory", `${e.memoryGiB} GiB`],
        ["OS", e.os],
        ["Node.js, Pulumi CLI, @pulumi/pulumi", `${e.node}, ${e.pulumiCli}, ${e.pulumiSdk}`],
        ["ali-oss, TypeScript", `${e.aliOss}, ${e.typescript}`],
        ["pulumi-oss-encryption", `${e.packageVersion} at ${e.commit}`],
        ["Load average (1 min), start / end", `${e.loadAtStart.toFixed(2)} / ${e.loadAtEnd?.toFixed(2) ?? "?"}`],
        ["Run time", `${(r.durationMs / 60000).toFixed(1)} min`],
    ]);
}

function matrix(r: BenchResults): string {
    const m = r.matrix;
    return table(["", ""], [
        ["N (resources)", m.counts.join(", ")],
        ["Emulator latency per call", m.latenciesMs.map(l => `${l} ms`).join(", ")],
        ["Repetitions", Object.entries(m.repsByCount).map(([n, k]) => `N=${n}: ${k}`).join(", ")],
        ["Parallelism (Pulumi's default; the API floor's concurrency)", m.parallelism],
        ["Start-up launches per variant", m.startupReps],
        ["Resources in the call scenarios", r.scenarios.count],
    ]);
}

/** "PutBucketEncryption 25, GetBucketEncryption 25". */
const actions = (c: CallCounts) => Object.entries(c.byAction).map(([action, n]) => `${action} ${n}`).join(", ") || "none";

function calls(r: BenchResults, rows: TimeRow[]): string {
    const most = (n: number, op: string, value: (c: TimeRow["compared"][string]) => number) =>
        Math.max(...rows.filter(x => x.count === n && x.operation === op && x.compared[OURS.name]).map(x => value(x.compared[OURS.name])));
    const perResource = (n: number, op: string) => ratio(most(n, op, c => c.oss) / n);
    const timed = table(
        ["N", "OSS per create", "OSS per refresh", "OSS per delete", "No-change preview: OSS / KMS calls", "KMS calls in up"],
        r.matrix.counts.map(n => [n, perResource(n, "up"), perResource(n, "refresh"), perResource(n, "destroy"),
            `${most(n, "preview", c => c.oss)} / ${most(n, "preview", c => c.kms)}`, most(n, "up", c => c.kms)]),
    );
    const s = r.scenarios;
    const scenario = (label: string, c: CallCounts) =>
        [label, c.oss, ratio(c.oss / s.count), c.kms, Math.max(0, ...Object.values(c.kmsByKey)), actions(c)];
    const scenarios = table(
        ["Run", "OSS calls", "OSS per resource", "KMS calls", "Most KMS calls to one key", "Calls"],
        [
            scenario("`pulumi up` updating every rule (AES256 to SM4)", s.update),
            ...OPERATIONS.map(op => scenario(`\`pulumi ${op}\`, SSE-KMS naming ${s.kmsKeys.join(", ")}`, s.kms[op])),
        ],
    );
    return `${timed}\n\nScenarios, N = ${s.count}:\n\n${scenarios}`;
}

function bytes(r: BenchResults): string {
    return table(
        ["N", "Variant", "`__provider` (B)", "State per resource (B)", "State file (KB)"],
        r.state.map(({ variant, count, sizes }) => [
            count, r.variants.find(v => v.name === variant)?.label ?? variant, sizes.providerBytes,
            ms0(sizes.stateFileBytes / count), ms1(sizes.stateFileBytes / 1024),
        ]),
    );
}

function growth(r: BenchResults, rows: TimeRow[]): string {
    const latency = Math.max(...r.matrix.latenciesMs);
    const up = rows.filter(x => x.operation === "up" && x.latencyMs === latency);
    return table(
        ["N", ...r.variants.map(v => `${v.label} (ms/resource)`), `${OURS.label} adds (ms/resource)`, "Used by the check"],
        up.map(x => [x.count, ...r.variants.map(v => ms1(x.ms[v.name] / x.count)),
            x.compared[OURS.name] ? ms1(x.compared[OURS.name].addedMs / x.count) : "", x.count >= GROWTH_MIN_COUNT ? "yes" : "no"]),
    ) + `\n\n\`pulumi up\` at ${latency} ms latency.`;
}

function startup(r: BenchResults): string {
    const names = Object.keys(r.startup.variants);
    const label = (name: string) => r.variants.find(v => v.name === name)?.label ?? name;
    const loaded = (m: ModuleLoad) => `${m.files} files; packages: ${m.packages.join(", ") || "none"}`;
    const row = (what: string, value: (name: string) => string) => [what, ...names.map(value)];
    const f = (name: string) => r.startup.variants[name];
    const host = r.startup.pluginHost;
    return table(["", ...names.map(label)], [
        row("Launch to ready (gRPC port printed)", n => `${ms0(f(n).readyMs)} ms`),
        row("Launch to first Check answered", n => `${ms0(f(n).firstCheckMs)} ms`),
        row("First Check answered after ready", n => `${ms0(f(n).afterReadyMs)} ms`),
        row("`require` of the provider module alone", n => `${ms1(f(n).module.requireMs)} ms`),
        row("Fresh `node` start to that `require` done", n => `${ms0(f(n).module.sinceProcessStartMs)} ms`),
        row("Loaded by that `require`", n => loaded(f(n).module)),
    ]) + `\n\nThe plugin host alone, \`require("@pulumi/pulumi/cmd/dynamic-provider")\`: ${ms0(host.requireMs)} ms ` +
        `(${ms0(host.sinceProcessStartMs)} ms from a fresh \`node\`), ${host.files} files from ${host.packages.length} packages.`;
}

/** The profile's top functions, one table per variant. */
export function profileTables(r: BenchResults): string {
    if (!r.profile) {
        return "Not profiled in this run.";
    }
    return Object.entries(r.profile).map(([name, p]) =>
        `${r.variants.find(v => v.name === name)?.label ?? name}, \`pulumi up\` at N = ${p.count}, ${p.latencyMs} ms; ` +
        `${ms0(p.totalMs)} ms profiled:\n\n` +
        table(["Function", "Where", "Self (ms)"], p.top.map(t => [`\`${t.name}\``, t.where, ms0(t.ms)])),
    ).join("\n\n");
}

/** BENCHMARKS.md from the template; throws on a marker it does not know. */
export function renderMarkdown(r: BenchResults, rows: TimeRow[], verdicts: Verdict[]): string {
    const sections: Record<string, () => string> = {
        machine: () => machine(r),
        matrix: () => matrix(r),
        targets: () => targetsTable(verdicts),
        times: () => timesTable(r, rows),
        calls: () => calls(r, rows),
        bytes: () => bytes(r),
        growth: () => growth(r, rows),
        startup: () => startup(r),
        profile: () => profileTables(r),
    };
    return fs.readFileSync(TEMPLATE, "utf8").replace(/^<!-- bench:(\w+) -->$/gm, (_, name: string) => {
        if (!sections[name]) {
            throw new Error(`${TEMPLATE}: unknown marker bench:${name}; known: ${Object.keys(sections).join(", ")}`);
        }
        return sections[name]();
    });
}
