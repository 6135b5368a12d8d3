// Provider start-up: launches Pulumi's dynamic-provider process (`node …/cmd/dynamic-provider`,
// what pulumi-resource-pulumi-nodejs runs) and times it to ready (its gRPC port printed) and to the
// first Check answered, the first call that loads the resource's code. Also requires each provider
// module, and the plugin host, alone in a fresh node (load-probe.ts).
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { CheckRequest, CheckResponse, ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import { WORK } from "../tests/e2e/harness";
import { benchBucket } from "./deployments";
import type { LoadProbeResult } from "./load-probe";
import { median } from "./stats";
import { inRepetitionOrder, Variant } from "./variants";

const PLUGIN_HOST_MODULE = "@pulumi/pulumi/cmd/dynamic-provider";

/** Resolves with the first line the child prints on stdout: its port. */
function firstLine(child: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
        let buffered = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            buffered += chunk.toString();
            if (buffered.includes("\n")) {
                resolve(buffered.slice(0, buffered.indexOf("\n")).trim());
            }
        });
        child.once("exit", code => reject(new Error(`provider process exited (${code}) before printing its port`)));
        child.once("error", reject);
    });
}

/** Calls a unary gRPC method as a promise. */
function call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** Launches the provider process once: ms to ready and to the first Check answered. */
async function launchOnce(providerText: string, config: Record<string, string>) {
    const started = performance.now();
    // The engine runs the plugin in the program's directory; from WORK every provider module resolves.
    const child = spawn(process.execPath, [require.resolve(PLUGIN_HOST_MODULE), "127.0.0.1:0"], { cwd: WORK, stdio: ["ignore", "pipe", "inherit"] });
    try {
        const port = await firstLine(child);
        const readyMs = performance.now() - started;
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        await call(client.configure.bind(client), new ConfigureRequest().setArgs(Struct.fromJavaScript(config)));
        const news = Struct.fromJavaScript({ bucket: benchBucket(0), sseAlgorithm: "AES256", __provider: providerText });
        const check = new CheckRequest().setUrn("urn:bench").setOlds(Struct.fromJavaScript({})).setNews(news);
        const failures = (await call<CheckRequest, CheckResponse>(client.check.bind(client), check)).getFailuresList();
        const firstCheckMs = performance.now() - started;
        client.close();
        if (failures.length > 0) {
            throw new Error(`Check failed: ${failures.map(f => f.getReason()).join("; ")}`);
        }
        return { readyMs, firstCheckMs };
    } finally {
        child.kill();
    }
}

/** Requires a module alone in a fresh node (load-probe.ts). */
function probe(moduleName: string): LoadProbeResult {
    const stdout = execFileSync(process.execPath, [path.join(__dirname, "load-probe.js"), moduleName, WORK], { encoding: "utf8" });
    const line = stdout.split("\n").find(l => l.startsWith("{"));
    if (!line) {
        throw new Error(`the load probe of ${moduleName} printed no result: ${stdout}`);
    }
    return JSON.parse(line) as LoadProbeResult;
}

/** Medians of a module's probes; files and packages of the last. */
const moduleLoad = (probes: LoadProbeResult[]): LoadProbeResult => ({
    ...probes[probes.length - 1],
    requireMs: median(probes.map(p => p.requireMs)),
    sinceProcessStartMs: median(probes.map(p => p.sinceProcessStartMs)),
});

/**
 * Start-up of the variants that have a provider module, launched in rotating order `reps` times
 * each, and the plugin host required alone. `providers`: each one's serialised `__provider`, by name.
 */
export async function measureStartup(variants: Variant[], providers: Record<string, string>, config: Record<string, string>, reps: number) {
    const measured = variants.filter(v => v.providerModule !== undefined);
    const launches: Record<string, { readyMs: number; firstCheckMs: number }[]> = {};
    const probes: Record<string, LoadProbeResult[]> = { [PLUGIN_HOST_MODULE]: [] };
    for (let rep = 0; rep < reps; rep++) {
        for (const variant of inRepetitionOrder(measured, rep)) {
            (launches[variant.name] ??= []).push(await launchOnce(providers[variant.name], config));
            (probes[variant.name] ??= []).push(probe(variant.providerModule!));
        }
        probes[PLUGIN_HOST_MODULE].push(probe(PLUGIN_HOST_MODULE));
    }
    const figures = (name: string) => ({
        launches: launches[name],
        readyMs: median(launches[name].map(l => l.readyMs)),
        firstCheckMs: median(launches[name].map(l => l.firstCheckMs)),
        /** The part the resource's own code adds: median of (first Check − ready) per launch. */
        afterReadyMs: median(launches[name].map(l => l.firstCheckMs - l.readyMs)),
        module: moduleLoad(probes[name]),
    });
    return { variants: Object.fromEntries(measured.map(v => [v.name, figures(v.name)])), pluginHost: moduleLoad(probes[PLUGIN_HOST_MODULE]) };
}

/** Start-up of each variant (by name) and of the plugin host. */
export type StartupResults = Awaited<ReturnType<typeof measureStartup>>;
