// BENCHMARKS.md: bench/BENCHMARKS.template.md, written by hand, with each `<!-- bench:NAME -->`
// line replaced by the generated table NAME. Tables only: what they mean is the template's text.
import * as fs from "fs";
import * as path from "path";
import { CallCounts, OPERATIONS } from "./deployments";
import { Comparison, TimeRow, Verdict } from "./figures";
import { API } from "./matrix";
import { BenchResults } from "./results";
import { StartupResults } from "./startup";
import { ENGINE_FLOOR, OURS } from "./variants";

const TEMPLATE = path.resolve(__dirname, "../../bench/BENCHMARKS.template.md");

/** A variant's column heading, by name. */
const labelOf = (r: BenchResults, name: string) => r.variants.find(v => v.name === name)?.label ?? name;

const fixed = (digits: number) => (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
const [ms0, ms1, ratio] = [fixed(0), fixed(1), fixed(2)];

/** A Markdown table. */
function table(header: (string | number)[], rows: (string | number)[][]): string {
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
    const cells = (row: TimeRow, c: Comparison | undefined) => (c ? [ratio(c.vsFloor), ratio(c.vsApi), ms1(c.addedMs / row.count)] : ["", "", ""]);
    return table(
        ["Operation", "N", "Latency", "Reps", ...r.variants.map(v => `${v.label} (s)`), "API floor (s)",
            ...compared.flatMap(v => [`${v.label} / engine floor`, `${v.label} / API floor`, `${v.label} adds (ms/resource)`])],
        rows.map(row => [`\`pulumi ${row.operation}\``, row.count, `${row.latencyMs} ms`, row.reps,
            ...[...r.variants.map(v => v.name), API].map(s => (row.operation === "preview" && s === API ? "0 (no calls)" : ratio(row.ms[s] / 1000))),
            ...compared.flatMap(v => cells(row, row.compared[v.name]))]),
    );
}

/** The profile's top functions, one table per variant. */
export function profileTables(r: BenchResults): string {
    return Object.entries(r.profile ?? {}).map(([name, p]) =>
        `${labelOf(r, name)}, \`pulumi up\` at N = ${p.count}, ${p.latencyMs} ms; ${ms0(p.totalMs)} ms profiled:\n\n` +
        table(["Function", "Where", "Self (ms)"], p.top.map(t => [`\`${t.name}\``, t.where, ms0(t.ms)])),
    ).join("\n\n") || "Not profiled in this run.";
}

/** The generated sections, by marker name. */
function sections(r: BenchResults, rows: TimeRow[], verdicts: Verdict[]): Record<string, () => string> {
    const { environment: e, matrix: m, scenarios: s, startup } = r;
    const label = (name: string) => labelOf(r, name);
    const ours = (row: TimeRow) => row.compared[OURS.name];
    const most = (n: number, op: string, value: (c: Comparison) => number) =>
        Math.max(...rows.filter(x => x.count === n && x.operation === op && ours(x)).map(x => value(ours(x))));
    const perResource = (n: number, op: string) => ratio(most(n, op, c => c.oss) / n);
    const scenario = (run: string, c: CallCounts) => [run, c.oss, ratio(c.oss / s.count), c.kms, Math.max(0, ...Object.values(c.kmsByKey)),
        Object.entries(c.byAction).map(([action, n]) => `${action} ${n}`).join(", ") || "none"];
    const starts = Object.keys(startup);
    const start = (what: string, value: (f: StartupResults[string]) => string | number) => [what, ...starts.map(n => value(startup[n]))];
    const floor = startup[ENGINE_FLOOR.name];
    return {
        machine: () => table(["", ""], [
            ["Date", e.date],
            ["CPU", `${e.cpu}, ${e.cpus} CPUs available`],
            ["Memory", `${e.memoryGiB} GiB`],
            ["OS", e.os],
            ["Node.js, Pulumi CLI, @pulumi/pulumi", `${e.node}, ${e.pulumiCli}, ${e.pulumiSdk}`],
            ["ali-oss, TypeScript", `${e.aliOss}, ${e.typescript}`],
            ["pulumi-oss-encryption", `${e.packageVersion} at ${e.commit}`],
            ["Load average (1 min), start / end", `${ratio(e.loadAtStart)} / ${ratio(e.loadAtEnd)}`],
            ["Run time", `${(r.durationMs / 60000).toFixed(1)} min`],
        ]),
        matrix: () => table(["", ""], [
            ["N (resources)", m.counts.join(", ")],
            ["Emulator latency per call", m.latenciesMs.map(l => `${l} ms`).join(", ")],
            ["Repetitions", Object.entries(m.repsByCount).map(([n, k]) => `N=${n}: ${k}`).join(", ")],
            ["Parallelism (Pulumi's default; the API floor's concurrency)", m.parallelism],
            ["Start-up launches per variant", m.startupReps],
            ["Resources in the call scenarios", s.count],
        ]),
        targets: () => targetsTable(verdicts),
        times: () => timesTable(r, rows),
        calls: () => table(
            ["N", "OSS per create", "OSS per refresh", "OSS per delete", "No-change preview: OSS / KMS calls", "KMS calls in up"],
            m.counts.map(n => [n, perResource(n, "up"), perResource(n, "refresh"), perResource(n, "destroy"),
                `${most(n, "preview", c => c.oss)} / ${most(n, "preview", c => c.kms)}`, most(n, "up", c => c.kms)]),
        ),
        scenarios: () => table(
            ["Run", "OSS calls", "OSS per resource", "KMS calls", "Most KMS calls to one key", "Calls"],
            [scenario("`pulumi up` updating every rule (AES256 to SM4)", s.update),
                ...OPERATIONS.map(op => scenario(`\`pulumi ${op}\`, SSE-KMS naming ${s.kmsKeys.join(", ")}`, s.kms[op]))],
        ),
        bytes: () => table(
            ["N", "Variant", "`__provider` (B)", "State per resource (B)", "State file (KB)"],
            r.state.map(({ variant, count, sizes }) => [count, label(variant), sizes.providerBytes, ms0(sizes.stateFileBytes / count), ms1(sizes.stateFileBytes / 1024)]),
        ),
        startup: () => table(["", ...starts.map(label)], [
            start("Launch to ready (gRPC port printed)", f => `${ms0(f.readyMs)} ms`),
            start("Launch to first Check answered", f => `${ms0(f.firstCheckMs)} ms`),
            start("First Check answered after ready", f => `${ms0(f.afterReadyMs)} ms`),
            start("Packages loaded by then", f => f.packages?.length ?? "not listed"),
            start("Of those, not loaded by the engine floor", f => (f.packages ? f.packages.filter(p => !floor.packages!.includes(p)).join(", ") || "none" : "not listed")),
        ]),
        profile: () => profileTables(r),
    };
}

/** BENCHMARKS.md from the template; throws on a marker it does not know. */
export function renderMarkdown(r: BenchResults, rows: TimeRow[], verdicts: Verdict[]): string {
    const generated = sections(r, rows, verdicts);
    return fs.readFileSync(TEMPLATE, "utf8").replace(/^<!-- bench:(\w+) -->$/gm, (_, name: string) => {
        if (!generated[name]) {
            throw new Error(`${TEMPLATE}: unknown marker bench:${name}; known: ${Object.keys(generated).join(", ")}`);
        }
        return generated[name]();
    });
}
