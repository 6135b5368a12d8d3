// Provider start-up: launches Pulumi's dynamic-provider process (`node …/cmd/dynamic-provider`,
// what pulumi-resource-pulumi-nodejs runs) and times it until it answers the first Check, which is
// the first call that loads the resource's provider code. Also times the provider module's
// require alone in a fresh node, and lists what it loads.
import { ChildProcess, execFile, spawn } from "child_process";
import * as path from "path";
import { promisify } from "util";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { CheckRequest, CheckResponse, ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import { WORK } from "../tests/e2e/harness";
import type { Variant } from "./deployments";
import type { LoadProbeResult } from "./load-probe";
import { median } from "./stats";

/** The module each variant's shim requires inside the provider process. */
export const PROVIDER_MODULE: Record<Variant, string> = {
    ours: "pulumi-oss-encryption/provider",
    noop: "oss-encryption-noop-provider",
};

/** One launch of the provider process. */
export interface LaunchSample {
    /** Spawn until the process printed its gRPC port (no resource code loaded yet). */
    readyMs: number;
    /** Spawn until Configure and then the first Check were answered (resource code loaded). */
    firstCheckMs: number;
}

/** A module required alone in a fresh node: medians over probes, and what it loaded (last probe). */
export interface ModuleLoad {
    requireMs: number;
    sinceProcessStartMs: number;
    files: number;
    packages: string[];
}

/** Start-up figures of one variant, medians over launches. */
export interface StartupFigures {
    launches: LaunchSample[];
    readyMs: number;
    firstCheckMs: number;
    /** Median of (first Check - ready) per launch: the part the resource's own code adds. */
    afterReadyMs: number;
    /** The variant's provider module required alone. */
    module: ModuleLoad;
}

/** Start-up of both variants, and of the plugin host they share. */
export interface StartupResults {
    ours: StartupFigures;
    noop: StartupFigures;
    /** `@pulumi/pulumi/cmd/dynamic-provider` required alone: what the host loads before any resource code. */
    pluginHost: ModuleLoad;
}

/** What a launch needs: the serialised `__provider`, stack config and the resource's inputs. */
export interface LaunchInput {
    providerText: string;
    config: Record<string, string>;
    inputs: Record<string, string>;
}

/** The plugin host's module: the dynamic-provider process's entry point. */
const PLUGIN_HOST_MODULE = "@pulumi/pulumi/cmd/dynamic-provider";
const PLUGIN_SCRIPT = require.resolve(PLUGIN_HOST_MODULE);

/** Resolves with the first line the child prints on stdout. */
function firstLine(child: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
        let buffered = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            buffered += chunk.toString();
            const end = buffered.indexOf("\n");
            if (end >= 0) {
                resolve(buffered.slice(0, end).trim());
            }
        });
        child.once("exit", code => reject(new Error(`provider process exited (${code}) before printing its port`)));
        child.once("error", reject);
    });
}

/** Calls a unary method of the client as a promise. */
function call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** Launches the provider process once and times it to ready and to the first Check answered. */
async function launchOnce(input: LaunchInput): Promise<LaunchSample> {
    const started = performance.now();
    // The engine runs the plugin in the program's directory; from WORK both providers resolve.
    const child = spawn(process.execPath, [PLUGIN_SCRIPT, "127.0.0.1:0"], { cwd: WORK, stdio: ["ignore", "pipe", "inherit"] });
    try {
        const port = await firstLine(child);
        const readyMs = performance.now() - started;
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            const configure = new ConfigureRequest().setArgs(Struct.fromJavaScript(input.config));
            await call(client.configure.bind(client), configure);
            const news = Struct.fromJavaScript({ ...input.inputs, __provider: input.providerText });
            const check = new CheckRequest().setUrn("urn:bench").setOlds(Struct.fromJavaScript({})).setNews(news);
            const answer = await call<CheckRequest, CheckResponse>(client.check.bind(client), check);
            if (answer.getFailuresList().length > 0) {
                throw new Error(`Check failed: ${answer.getFailuresList().map(f => f.getReason()).join("; ")}`);
            }
            return { readyMs, firstCheckMs: performance.now() - started };
        } finally {
            client.close();
        }
    } finally {
        child.kill();
    }
}

/** Requires a module in a fresh node (see load-probe.ts) and returns the probe's figures. */
async function probeModuleLoad(moduleName: string): Promise<LoadProbeResult> {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, "load-probe.js"), moduleName, WORK]);
    const line = stdout.split("\n").find(l => l.startsWith("{"));
    if (!line) {
        throw new Error(`the load probe of ${moduleName} printed no result: ${stdout}`);
    }
    return JSON.parse(line) as LoadProbeResult;
}

/** Medians of a module's probes. */
function moduleLoad(probes: LoadProbeResult[]): ModuleLoad {
    const last = probes[probes.length - 1];
    return {
        requireMs: median(probes.map(p => p.requireMs)),
        sinceProcessStartMs: median(probes.map(p => p.sinceProcessStartMs)),
        files: last.files,
        packages: last.packages,
    };
}

/** Start-up figures of both variants, launching them alternately `reps` times each, and of the host. */
export async function measureStartup(inputs: Record<Variant, LaunchInput>, reps: number): Promise<StartupResults> {
    const variants: Variant[] = ["ours", "noop"];
    const launches: Record<Variant, LaunchSample[]> = { ours: [], noop: [] };
    const probes: Record<Variant | "host", LoadProbeResult[]> = { ours: [], noop: [], host: [] };
    for (let rep = 0; rep < reps; rep++) {
        for (const variant of rep % 2 === 0 ? variants : [...variants].reverse()) {
            launches[variant].push(await launchOnce(inputs[variant]));
            probes[variant].push(await probeModuleLoad(PROVIDER_MODULE[variant]));
        }
        probes.host.push(await probeModuleLoad(PLUGIN_HOST_MODULE));
    }
    const figures = (variant: Variant): StartupFigures => ({
        launches: launches[variant],
        readyMs: median(launches[variant].map(l => l.readyMs)),
        firstCheckMs: median(launches[variant].map(l => l.firstCheckMs)),
        afterReadyMs: median(launches[variant].map(l => l.firstCheckMs - l.readyMs)),
        module: moduleLoad(probes[variant]),
    });
    return { ours: figures("ours"), noop: figures("noop"), pluginHost: moduleLoad(probes.host) };
}
