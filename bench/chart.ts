// bench/chart.svg: median time against N for every variant and the API floor, one panel per
// operation (rows) and latency (columns). Plain SVG: a few lines and labels need no charting library.
import { OPERATIONS } from "./deployments";
import { TimeRow } from "./figures";
import { API } from "./matrix";

const [W, H, LEFT, RIGHT, TOP, BOTTOM, LEGEND_ROW] = [340, 190, 52, 14, 26, 34, 17];
const COLORS = ["#1f6feb", "#d9822b", "#8250df", "#cf222e"];
const STYLE = ".title{font-size:12px;font-weight:bold}.tick{font-size:9px;fill:#555}.axis{font-size:10px;fill:#333}" +
    ".legend{font-size:11px}.caption{font-size:10px;fill:#555}.frame{fill:none;stroke:#999}.grid{stroke:#e4e4e4}";
const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

type Series = { subject: string; label: string; color: string; dash: string };

/** One panel at (x0, y0): seconds against N of every series in the rows of one operation and latency. */
function panel(data: TimeRow[], series: Series[], title: string, x0: number, y0: number): string[] {
    const [plotW, plotH] = [W - LEFT - RIGHT, H - TOP - BOTTOM];
    const maxN = Math.max(...data.map(r => r.count), 1);
    // A round upper bound and tick step: about four ticks of 1, 2, 2.5 or 5 times a power of ten.
    const maxS = Math.max(1e-9, ...data.flatMap(r => series.map(s => r.ms[s.subject] / 1000)).filter(Number.isFinite));
    const step = [1, 2, 2.5, 5, 10].map(m => m * 10 ** Math.floor(Math.log10(maxS / 4))).find(s => s >= maxS / 4)!;
    const top = Math.ceil(maxS / step) * step;
    const px = (n: number) => x0 + LEFT + (n / maxN) * plotW;
    const py = (seconds: number) => y0 + TOP + plotH - (seconds / top) * plotH;
    const parts = [
        `<text x="${x0 + LEFT}" y="${y0 + 16}" class="title">${title}</text>`,
        `<rect x="${x0 + LEFT}" y="${y0 + TOP}" width="${plotW}" height="${plotH}" class="frame"/>`,
        `<text x="${x0 + LEFT + plotW / 2}" y="${y0 + H - 4}" class="axis" text-anchor="middle">N resources</text>`,
        `<text x="${x0 + 12}" y="${y0 + TOP + plotH / 2}" class="axis" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${y0 + TOP + plotH / 2})">seconds</text>`,
    ];
    for (let t = 0; t <= top + 1e-9; t += step) {
        parts.push(`<line x1="${x0 + LEFT}" x2="${x0 + LEFT + plotW}" y1="${py(t)}" y2="${py(t)}" class="grid"/>`,
            `<text x="${x0 + LEFT - 4}" y="${py(t) + 3}" class="tick" text-anchor="end">${+t.toFixed(2)}</text>`);
    }
    let lastLabelX = -Infinity;
    for (const { count } of data) {
        // Skip a label that would overlap the previous one (N = 1 and 25 sit close on a linear axis).
        if (px(count) - lastLabelX >= 18) {
            parts.push(`<text x="${px(count)}" y="${y0 + TOP + plotH + 13}" class="tick" text-anchor="middle">${count}</text>`);
            lastLabelX = px(count);
        }
    }
    for (const s of series) {
        const points = data.filter(r => Number.isFinite(r.ms[s.subject])).map(r => [px(r.count).toFixed(1), py(r.ms[s.subject] / 1000).toFixed(1)]);
        parts.push(`<polyline points="${points.map(p => p.join(",")).join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash}/>`,
            ...points.map(([cx, cy]) => `<circle cx="${cx}" cy="${cy}" r="2.5" fill="${s.color}"/>`));
    }
    return parts;
}

/** The whole chart as an SVG document for the variants (name and label); `caption` goes under the legend. */
export function renderChart(rows: TimeRow[], variants: { name: string; label: string }[], latenciesMs: number[], caption: string): string {
    const series: Series[] = [
        ...variants.map((v, i) => ({ subject: v.name, label: v.label, color: COLORS[i % COLORS.length], dash: "" })),
        { subject: API, label: "API floor (ali-oss, same calls)", color: "#2da44e", dash: ` stroke-dasharray="5 4"` },
    ];
    const legendHeight = LEGEND_ROW * series.length + 8;
    const [width, height] = [W * latenciesMs.length, legendHeight + 16 + H * OPERATIONS.length];
    const legend = series.map((s, i) => `<line x1="10" x2="34" y1="${14 + i * LEGEND_ROW}" y2="${14 + i * LEGEND_ROW}" stroke="${s.color}" stroke-width="2"${s.dash}/>` +
        `<text x="40" y="${18 + i * LEGEND_ROW}" class="legend">${esc(s.label)}</text>`);
    const panels = OPERATIONS.flatMap((operation, row) => latenciesMs.flatMap((latency, col) =>
        panel(rows.filter(r => r.operation === operation && r.latencyMs === latency).sort((a, b) => a.count - b.count),
            series, `pulumi ${operation}, ${latency} ms latency`, col * W, legendHeight + 16 + row * H)));
    return [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
        `<style>${STYLE}</style>`, `<rect width="100%" height="100%" fill="white"/>`, ...legend,
        `<text x="10" y="${legendHeight + 8}" class="caption">${esc(caption)}</text>`, ...panels, `</svg>`, ""].join("\n");
}
