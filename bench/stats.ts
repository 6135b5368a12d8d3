// Small statistics over repetitions: medians, paired ratios and a least-squares line.

/** The median of a non-empty list (mean of the middle two for even lengths); NaN when empty. */
export function median(values: number[]): number {
    if (values.length === 0) {
        return NaN;
    }
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median of the per-repetition ratios ours[i] / floor[i]. Pairing runs made back to back cancels
 * most of the drift of a shared, noisy machine. NaN when a floor is zero or a list is empty.
 */
export function pairedRatio(ours: number[], floor: number[]): number {
    const ratios = ours.map((value, i) => value / floor[i]).filter(r => Number.isFinite(r));
    return ratios.length === ours.length ? median(ratios) : NaN;
}

/** y = intercept + slope * x fitted by least squares, with R² (1 for a perfect line). */
export interface LineFit {
    slope: number;
    intercept: number;
    r2: number;
}

/** Least-squares line through the points; NaN fields when fewer than two distinct x. */
export function fitLine(points: { x: number; y: number }[]): LineFit {
    const n = points.length;
    const meanX = points.reduce((s, p) => s + p.x, 0) / n;
    const meanY = points.reduce((s, p) => s + p.y, 0) / n;
    const sxx = points.reduce((s, p) => s + (p.x - meanX) ** 2, 0);
    const sxy = points.reduce((s, p) => s + (p.x - meanX) * (p.y - meanY), 0);
    const syy = points.reduce((s, p) => s + (p.y - meanY) ** 2, 0);
    if (n < 2 || sxx === 0) {
        return { slope: NaN, intercept: NaN, r2: NaN };
    }
    const slope = sxy / sxx;
    return { slope, intercept: meanY - slope * meanX, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
