// Medians and paired ratios over repetitions.

/** The median (mean of the middle two for even lengths); NaN when empty. */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median of the per-repetition ratios a[i] / b[i]. Pairing runs made back to back cancels most of
 * the drift of a shared, noisy machine. NaN when a `b` is zero or the lists are empty.
 */
export function pairedRatio(a: number[], b: number[]): number {
    const ratios = a.map((value, i) => value / b[i]).filter(r => Number.isFinite(r));
    return ratios.length === a.length ? median(ratios) : NaN;
}
