// What the scan prints: a table for a terminal, JSON (one record per bucket, one per line) for
// pipelines, Markdown for a CI job summary.
import { BucketReport } from "./scan";

/** A rule in a few words: `none`, `AES256`, `SM4`, `KMS (OSS default CMK)`, `KMS key-1, SM4 data`. */
export function ruleText(report: BucketReport): string {
    const rule = report.rule;
    if (!rule) {
        return report.verdict === "error" ? "?" : "none";
    }
    if (rule.sseAlgorithm.toUpperCase() !== "KMS") {
        return rule.sseAlgorithm;
    }
    const key = rule.kmsMasterKeyId ? `KMS ${rule.kmsMasterKeyId}` : "KMS (OSS default CMK)";
    return rule.kmsDataEncryption ? `${key}, ${rule.kmsDataEncryption} data` : key;
}

/** Why a bucket has its verdict, in one line: the findings that count, the key's state, or the error. */
export function reasonText(report: BucketReport): string {
    if (report.error) {
        return report.error;
    }
    const reasons = report.findings.map(f => `${f.policy} (${f.level}): ${f.message}`);
    if (report.key && !["Enabled", "not checked"].includes(report.key.state)) {
        reasons.push(`KMS key ${report.key.id} is ${report.key.state}${report.key.detail ? `: ${report.key.detail}` : ""}`);
    }
    return reasons.join(" ");
}

function counts(reports: BucketReport[]): string {
    const of = (verdict: BucketReport["verdict"]) => reports.filter(r => r.verdict === verdict).length;
    return `${reports.length} buckets: ${of("pass")} pass, ${of("fail")} fail, ${of("error")} could not be read`;
}

/** Columns padded to their widest cell; the reason column last and unpadded. */
export function formatTable(reports: BucketReport[]): string {
    const rows = [["BUCKET", "REGION", "RULE", "KEY", "VERDICT", "REASON"]];
    for (const r of reports) {
        rows.push([r.bucket, r.region, ruleText(r), r.key?.state ?? "-", r.verdict.toUpperCase(), reasonText(r)]);
    }
    const widths = rows[0].slice(0, -1).map((_, i) => Math.max(...rows.map(row => row[i].length)));
    const lines = rows.map(row => [...row.slice(0, -1).map((cell, i) => cell.padEnd(widths[i])), row.at(-1)].join("  ").trimEnd());
    return `${lines.join("\n")}\n\n${counts(reports)}\n`;
}

/** One JSON record per bucket, one per line (JSON Lines). */
export function formatJson(reports: BucketReport[]): string {
    return reports.map(r => JSON.stringify({ ...r, ruleText: ruleText(r) })).join("\n") + (reports.length ? "\n" : "");
}

/** A Markdown table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** A Markdown summary: the counts, then the buckets that do not pass, then every bucket. */
export function formatMarkdown(reports: BucketReport[]): string {
    const table = (rows: BucketReport[]) => [
        "| bucket | region | rule | key | verdict | reason |",
        "|---|---|---|---|---|---|",
        ...rows.map(r => `| ${[r.bucket, r.region, ruleText(r), r.key?.state ?? "", r.verdict, reasonText(r)].map(cell).join(" | ")} |`),
    ];
    const notPassing = reports.filter(r => r.verdict !== "pass");
    return [
        "## OSS bucket encryption scan",
        "",
        counts(reports),
        "",
        ...(notPassing.length ? ["### Not passing", "", ...table(notPassing), ""] : []),
        "### Every bucket",
        "",
        ...table(reports),
        "",
    ].join("\n");
}
