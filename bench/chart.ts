// bench/chart.svg: median time against N for every variant and the API floor, one panel per
// operation (rows) and latency (columns). Plain SVG: a few lines and labels need no charting library.
import { Operation, OPERATIONS } from "./deployments";
import { TimeRow } from "./figures";
import { API } from "./matrix";

const PANEL = { width: 340, height: 190, left: 52, right: 14, top: 26, bottom: 34 };
const LEGEND_ROW = 17;
const COLORS = ["#1f6feb", "#d9822b", "#8250df", "#cf222e"];

/** A line of the chart: a subject of the samples. */
interface Series {
    subject: string;
    label: string;
    color: string;
    dash?: string;
}

/** Escapes text for SVG. */
function esc(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A "nice" upper bound and tick step for an axis reaching `max`. */
function niceScale(max: number): { top: number; step: number } {
    const raw = Math.max(max, 1e-9) / 4;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw)!;
    return { top: Math.ceil(max / step) * step || step, step };
}

/** One panel: seconds against N for the three series of an operation at a latency. */
function panel(rows: TimeRow[], series: Series[], operation: Operation, latencyMs: number, x0: number, y0: number): string {
    const data = rows.filter(r => r.operation === operation && r.latencyMs === latencyMs).sort((a, b) => a.count - b.count);
    const plotW = PANEL.width - PANEL.left - PANEL.right;
    const plotH = PANEL.height - PANEL.top - PANEL.bottom;
    const maxN = Math.max(...data.map(r => r.count), 1);
    const y = niceScale(Math.max(...data.flatMap(r => series.map(s => r.ms[s.subject] / 1000)).filter(Number.isFinite)));
    const px = (n: number) => x0 + PANEL.left + (n / maxN) * plotW;
    const py = (seconds: number) => y0 + PANEL.top + plotH - (seconds / y.top) * plotH;
    const parts = [
        `<text x="${x0 + PANEL.left}" y="${y0 + 16}" class="title">pulumi ${operation}, ${latencyMs} ms latency</text>`,
        `<rect x="${x0 + PANEL.left}" y="${y0 + PANEL.top}" width="${plotW}" height="${plotH}" class="frame"/>`,
    ];
    for (let t = 0; t <= y.top + 1e-9; t += y.step) {
        parts.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotW}" y1="${py(t)}" y2="${py(t)}" class="grid"/>`);
        parts.push(`<text x="${x0 + PANEL.left - 4}" y="${py(t) + 3}" class="tick" text-anchor="end">${+t.toFixed(2)}</text>`);
    }
    let lastLabelX = -Infinity;
    for (const r of data) {
        // Skip a label that would overlap the previous one (N = 1 and 25 sit close on a linear axis).
        if (px(r.count) - lastLabelX >= 18) {
            parts.push(`<text x="${px(r.count)}" y="${y0 + PANEL.top + plotH + 13}" class="tick" text-anchor="middle">${r.count}</text>`);
            lastLabelX = px(r.count);
        }
    }
    parts.push(`<text x="${x0 + PANEL.left + plotW / 2}" y="${y0 + PANEL.height - 4}" class="axis" text-anchor="middle">N resources</text>`);
    parts.push(`<text x="${x0 + 12}" y="${y0 + PANEL.top + plotH / 2}" class="axis" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${y0 + PANEL.top + plotH / 2})">seconds</text>`);
    for (const s of series) {
        const points = data.filter(r => Number.isFinite(r.ms[s.subject])).map(r => `${px(r.count).toFixed(1)},${py(r.ms[s.subject] / 1000).toFixed(1)}`);
        const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
        parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
        points.forEach(p => parts.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="2.5" fill="${s.color}"/>`));
    }
    return parts.join("\n");
}

/** The legend at the top, one series per row. */
function legend(series: Series[]): string {
    return series.map((s, i) => {
        const y = 14 + i * LEGEND_ROW;
        const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
        return `<line x1="10" x2="34" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${dash}/><text x="40" y="${y + 4}" class="legend">${esc(s.label)}</text>`;
    }).join("\n");
}

/** The whole chart as an SVG document for the variants (name and label); `caption` goes under the legend. */
export function renderChart(rows: TimeRow[], variants: { name: string; label: string }[], latenciesMs: number[], caption: string): string {
    const series: Series[] = [
        ...variants.map((v, i) => ({ subject: v.name, label: v.label, color: COLORS[i % COLORS.length] })),
        { subject: API, label: "API floor (ali-oss, same calls)", color: "#2da44e", dash: "5 4" },
    ];
    const width = PANEL.width * latenciesMs.length;
    const legendHeight = LEGEND_ROW * series.length + 8;
    const top = legendHeight + 16;
    const height = top + PANEL.height * OPERATIONS.length;
    const panels = OPERATIONS.flatMap((operation, row) =>
        latenciesMs.map((latency, col) => panel(rows, series, operation, latency, col * PANEL.width, top + row * PANEL.height)),
    );
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
        `<style>.title{font-size:12px;font-weight:bold}.tick{font-size:9px;fill:#555}.axis{font-size:10px;fill:#333}.legend{font-size:11px}.caption{font-size:10px;fill:#555}.frame{fill:none;stroke:#999}.grid{stroke:#e4e4e4}</style>`,
        `<rect width="100%" height="100%" fill="white"/>`,
        legend(series),
        `<text x="10" y="${legendHeight + 8}" class="caption">${esc(caption)}</text>`,
        ...panels,
        `</svg>`,
        "",
    ].join("\n");
}
