// BENCH_PROFILE: one `pulumi up` per variant with Pulumi's dynamic-provider process CPU-profiled
// (see cpu-profile-preload.ts), reduced to the functions with the most self time.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator } from "../tests/emulator";
import { createBenchStack, runOperation } from "./deployments";
import { packageOf } from "./load-probe";
import { Variant } from "./variants";

/** The parts of a V8 .cpuprofile read here. */
interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
}

/** How many functions a summary keeps. */
const TOP = 15;

/** Self time per function ("name" and "package or file:line"), most first. */
function summarise(profile: CpuProfile, count: number, latencyMs: number) {
    const byNode = new Map<number, number>();
    profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    const byFunction = new Map<string, number>();
    for (const { id, callFrame: f } of profile.nodes) {
        const where = f.url ? `${packageOf(f.url) ?? ""} ${path.basename(f.url)}:${f.lineNumber + 1}`.trim() : "";
        const key = `${f.functionName || "(anonymous)"}\t${where}`;
        byFunction.set(key, (byFunction.get(key) ?? 0) + (byNode.get(id) ?? 0));
    }
    const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP);
    return {
        count,
        latencyMs,
        totalMs: (profile.endTime - profile.startTime) / 1000,
        top: top.map(([key, ms]) => ({ name: key.split("\t")[0], where: key.split("\t")[1], ms })),
    };
}

/** Runs one profiled `pulumi up` of a variant, then destroys it; the largest profile is the provider process's. */
export async function profileUp(emulator: Emulator, variant: Variant, count: number, latencyMs: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-"));
    try {
        const stack = await createBenchStack(variant, emulator, {
            NODE_OPTIONS: `--require ${path.join(__dirname, "cpu-profile-preload.js")}`,
            BENCH_CPU_PROFILE_DIR: dir,
        });
        stack.spec.count = count;
        emulator.setFaults({ latencyMs });
        await runOperation(stack, "up");
        emulator.setFaults({});
        await runOperation(stack, "destroy");
        await stack.test.remove();
        const files = fs.readdirSync(dir).map(f => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
        if (files.length === 0) {
            throw new Error(`no CPU profile was written to ${dir}`);
        }
        return summarise(JSON.parse(fs.readFileSync(files[0], "utf8")), count, latencyMs);
    } finally {
        emulator.setFaults({});
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** One profiled run: the wall time covered and the functions with the most self time. */
export type ProfileSummary = ReturnType<typeof summarise>;
