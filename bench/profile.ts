// BENCH_PROFILE: one `pulumi up` per variant with its node processes CPU-profiled (--cpu-prof), the
// largest profile (the dynamic-provider process's) reduced to the functions with the most self time.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator } from "../emulator";
import { createBenchStack, runOperation } from "./deployments";
import { packageOf } from "./startup";
import { Variant } from "./variants";

/** The parts of a V8 .cpuprofile read here. */
interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
}

/** Self time per function ("name" and "package file:line"), the 15 largest. */
function summarise(profile: CpuProfile) {
    const byNode = new Map<number, number>();
    profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    const byFunction = new Map<string, { name: string; where: string; ms: number }>();
    for (const { id, callFrame: f } of profile.nodes) {
        const where = f.url ? `${packageOf(f.url) ?? ""} ${path.basename(f.url)}:${f.lineNumber + 1}`.trim() : "";
        const entry = byFunction.get(`${f.functionName}\t${where}`) ?? { name: f.functionName || "(anonymous)", where, ms: 0 };
        entry.ms += byNode.get(id) ?? 0;
        byFunction.set(`${f.functionName}\t${where}`, entry);
    }
    return { totalMs: (profile.endTime - profile.startTime) / 1000, top: [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, 15) };
}

/** Runs one profiled `pulumi up` of a variant at `count` resources and `latencyMs`, then destroys it. */
export async function profileUp(emulator: Emulator, variant: Variant, count: number, latencyMs: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-"));
    try {
        const preload = path.join(__dirname, "provider-preload.js");
        const stack = await createBenchStack(variant, emulator, { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --require ${preload}` });
        stack.spec.count = count;
        emulator.setFaults({ latencyMs });
        await runOperation(stack, "up");
        emulator.setFaults({});
        await runOperation(stack, "destroy");
        await stack.test.remove();
        const [largest] = fs.readdirSync(dir).map(f => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
        if (!largest) {
            throw new Error(`no CPU profile was written to ${dir}`);
        }
        return { count, latencyMs, ...summarise(JSON.parse(fs.readFileSync(largest, "utf8"))) };
    } finally {
        emulator.setFaults({});
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** One profiled run: the wall time covered and the functions with the most self time. */
export type ProfileSummary = Awaited<ReturnType<typeof profileUp>>;
