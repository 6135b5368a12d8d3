// Number and Markdown formatting shared by the report's sections.

/** Seconds with two decimals. */
export const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "n/a");
/** A ratio with two decimals, "n/a" when undefined (a floor of zero). */
export const ratio = (r: number) => (Number.isFinite(r) ? r.toFixed(2) : "n/a");
/** Milliseconds without decimals. */
export const ms0 = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : "n/a");
/** "met", "**missed**" or "not measured". */
export const mark = (met: boolean | undefined) => (met === undefined ? "not measured" : met ? "met" : "**missed**");

/** A Markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
    const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
