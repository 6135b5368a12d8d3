// The valid name nearest to a misspelt one, for "did you mean ...?" in messages about unknown keys.

/** Levenshtein distance between two texts, ignoring case. */
function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
    for (let i = 1; i <= s.length; i++) {
        const current = [i];
        for (let j = 1; j <= t.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[t.length];
}

/**
 * The candidate closest to `name`, when it is close enough to be a typo of it (at most a third of
 * its letters differ, at least one); undefined when none is.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
    const limit = Math.max(1, Math.floor(name.length / 3));
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(name, candidate);
        if (distance <= limit && (best === undefined || distance < best.distance)) {
            best = { candidate, distance };
        }
    }
    return best?.candidate;
}
