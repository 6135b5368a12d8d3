// Where the provider process spends its time: one `pulumi up` with the dynamic-provider process
// CPU-profiled (see cpu-profile-preload.ts), summarised by category and by function; run for ours
// and for the engine floor so the two can be compared.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator } from "../tests/emulator";
import { createBenchStack, runOperation, Variant } from "./deployments";
import { packageOf } from "./packages";
import { ProfileSummary } from "./results";

/** The parts of a V8 .cpuprofile the summary reads. */
interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
}

/** The category of our provider's own code. */
const OWN_CODE = "ours (bin/provider)";

/** The category of a profile node: where its code lives (a package, our provider, node itself). */
function categoryOf(functionName: string, url: string): string {
    // A Map, not an object literal: function names such as "toString" must not hit Object.prototype.
    const special = new Map([
        ["(idle)", "idle (waiting for the network or the engine)"],
        ["(garbage collector)", "garbage collector"],
        ["(program)", "V8/native (program)"],
    ]);
    const named = special.get(functionName);
    if (named) {
        return named;
    }
    if (/[\\/]bin[\\/]provider[\\/]/.test(url)) {
        return OWN_CODE;
    }
    return packageOf(url) ??
        (url.startsWith("node:") || url === "" ? "node internals (module loading, net, http)" : "other");
}

/** Functions with less self time than this are left out of a summary. */
const FUNCTION_MIN_MS = 1;

/** Self time per node id, in ms. */
function selfTimes(profile: CpuProfile): Map<number, number> {
    const times = new Map<number, number>();
    profile.samples.forEach((id, i) => times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    return times;
}

/** Adds `ms` to `key` in a map of totals. */
function addTo(totals: Map<string, number>, key: string, ms: number): void {
    totals.set(key, (totals.get(key) ?? 0) + ms);
}

/** Summarises a profile by category and top self-time functions. */
export function summariseProfile(profile: CpuProfile, count: number, latencyMs: number): ProfileSummary {
    const self = selfTimes(profile);
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    for (const node of profile.nodes) {
        const ms = self.get(node.id) ?? 0;
        const { functionName, url, lineNumber } = node.callFrame;
        const category = categoryOf(functionName, url);
        addTo(byCategory, category, ms);
        if (!category.startsWith("idle")) {
            const where = url ? `${path.basename(url)}:${lineNumber + 1}` : "";
            addTo(byFunction, `${functionName || "(anonymous)"}\t${where}`, ms);
        }
    }
    const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
    return {
        count,
        latencyMs,
        totalMs: (profile.endTime - profile.startTime) / 1000,
        byCategory: sorted(byCategory).map(([category, ms]) => ({ category, ms })),
        functions: sorted(byFunction)
            .filter(([, ms]) => ms >= FUNCTION_MIN_MS)
            .map(([key, ms]) => {
                const [name, where] = key.split("\t");
                return { name, where, ms };
            }),
    };
}

/** The largest .cpuprofile in a directory (the provider process; the plugin script's node makes none). */
function largestProfile(dir: string): CpuProfile {
    const files = fs.readdirSync(dir).filter(f => f.endsWith(".cpuprofile"));
    if (files.length === 0) {
        throw new Error(`no CPU profile was written to ${dir}`);
    }
    const sized = files.map(f => ({ file: path.join(dir, f), size: fs.statSync(path.join(dir, f)).size }));
    sized.sort((a, b) => b.size - a.size);
    return JSON.parse(fs.readFileSync(sized[0].file, "utf8")) as CpuProfile;
}

/** Runs one profiled `pulumi up` of `variant` with `count` resources at `latencyMs`, then destroys it. */
export async function profileUp(emulator: Emulator, variant: Variant, count: number, latencyMs: number): Promise<ProfileSummary> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-"));
    try {
        const stack = await createBenchStack(variant, emulator, {
            NODE_OPTIONS: `--require ${path.join(__dirname, "cpu-profile-preload.js")}`,
            BENCH_CPU_PROFILE_DIR: dir,
        });
        stack.spec.count = count;
        emulator.setFaults({ latencyMs });
        await runOperation(stack, "up");
        const summary = summariseProfile(largestProfile(dir), count, latencyMs);
        emulator.setFaults({});
        await runOperation(stack, "destroy");
        await stack.test.remove();
        return summary;
    } finally {
        emulator.setFaults({});
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Profile categories that are ours: the provider's code and the packages its module loads. */
export function ownCategories(providerPackages: string[]): string[] {
    return [OWN_CODE, ...providerPackages];
}

/** Self time of a category in a profile, 0 when absent. */
export function categoryMs(p: ProfileSummary, category: string): number {
    return p.byCategory.find(c => c.category === category)?.ms ?? 0;
}

/** CPU time (not idle) of a profile. */
export function busyMs(p: ProfileSummary): number {
    return p.byCategory.filter(c => !c.category.startsWith("idle")).reduce((sum, c) => sum + c.ms, 0);
}
