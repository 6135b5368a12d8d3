// Provider start-up: launches Pulumi's dynamic-provider process (`node …/cmd/dynamic-provider`,
// what pulumi-resource-pulumi-nodejs runs) and times it to ready (its gRPC port printed) and to the
// first Check answered, the first call that loads the resource's code; then stops it and lists the
// packages it had loaded (provider-preload.ts). A provider plugin's executable (the Node.js plugin's
// launcher, the release executable) is launched and timed the same way.
import { ChildProcess, spawn } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { CheckRequest, CheckResponse, ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import { WORK } from "../harness/pulumi";
import { firstLineMatching } from "../harness/lines";
import { BUCKET_ENCRYPTION_TOKEN } from "../plugin/schema";
import { benchBucket } from "./deployments";
import { median } from "./stats";
import { inRepetitionOrder, Variant } from "./variants";

/** The package ("@scope/name" or "name") of the innermost node_modules in `file`; undefined outside node_modules. */
export function packageOf(file: string): string | undefined {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file.slice(file.lastIndexOf("node_modules")));
    return match?.[1].replace(/\\/g, "/");
}

/** Calls a unary gRPC method as a promise. */
function call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/**
 * Times a launched provider process: to ready (its port printed), then Configure and a Check of
 * `news` at `urn` answered; then stops it and waits for it to exit.
 */
async function timeLaunch(child: ChildProcess, started: number, what: string, config: Record<string, string>, urn: string, news: Record<string, string>) {
    const port = await firstLineMatching(child, () => true, what);
    const readyMs = performance.now() - started;
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    await call(client.configure.bind(client), new ConfigureRequest().setArgs(Struct.fromJavaScript(config)));
    const check = new CheckRequest().setUrn(urn).setOlds(Struct.fromJavaScript({})).setNews(Struct.fromJavaScript(news));
    const failures = (await call<CheckRequest, CheckResponse>(client.check.bind(client), check)).getFailuresList();
    const firstCheckMs = performance.now() - started;
    client.close();
    if (failures.length > 0) {
        throw new Error(`Check failed: ${failures.map(f => f.getReason()).join("; ")}`);
    }
    const exited = once(child, "exit");
    child.kill();
    await exited;
    return { readyMs, firstCheckMs };
}

/** Launches the provider process once: ms to ready and to the first Check answered, and the packages loaded by then. */
async function launchOnce(providerText: string, config: Record<string, string>) {
    const loadedFiles = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-startup-")), "loaded.json");
    const started = performance.now();
    // The engine runs the plugin in the program's directory; from WORK every provider module resolves.
    const args = ["--require", path.join(__dirname, "provider-preload.js"), require.resolve("@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:0"];
    const child = spawn(process.execPath, args, { cwd: WORK, env: { ...process.env, BENCH_LOADED_FILES: loadedFiles }, stdio: ["ignore", "pipe", "inherit"] });
    try {
        const times = await timeLaunch(child, started, "the provider process", config, "urn:bench", { bucket: benchBucket(0), sseAlgorithm: "AES256", __provider: providerText });
        const files: string[] = JSON.parse(fs.readFileSync(loadedFiles, "utf8"));
        return { ...times, packages: [...new Set(files.map(packageOf).filter(p => p !== undefined))].sort() };
    } finally {
        child.kill();
        fs.rmSync(path.dirname(loadedFiles), { recursive: true, force: true });
    }
}

/**
 * Launches a provider plugin's executable once, as the engine does (no engine address: its logs go to
 * stderr): ms to ready and to the first Check answered after Configure. Its packages are not listed:
 * the release executable is one bundle, and the Node.js plugin loads the same provider.
 */
async function launchPluginOnce(executable: string, config: Record<string, string>) {
    const started = performance.now();
    const child = spawn(executable, [], { cwd: WORK, stdio: ["ignore", "pipe", "inherit"] });
    try {
        const urn = `urn:pulumi:bench::bench::${BUCKET_ENCRYPTION_TOKEN}::b0`;
        return { ...(await timeLaunch(child, started, executable, config, urn, { bucket: benchBucket(0), sseAlgorithm: "AES256" })), packages: undefined };
    } finally {
        child.kill();
    }
}

/**
 * Start-up of the variants that run a process of their own (the dynamic-provider process, a plugin's
 * executable), launched in rotating order `reps` times each. `providers`: each dynamic one's
 * serialised `__provider`, by name; `configOf`: the Configure arguments of each.
 */
export async function measureStartup(variants: Variant[], providers: Record<string, string>, configOf: (variant: Variant) => Record<string, string>, reps: number) {
    const measured = variants.filter(v => v.dynamic || v.executable);
    const launches: Record<string, Array<{ readyMs: number; firstCheckMs: number; packages?: string[] }>> = {};
    for (let rep = 0; rep < reps; rep++) {
        for (const variant of inRepetitionOrder(measured, rep)) {
            const launch = variant.executable ? launchPluginOnce(variant.executable(), configOf(variant)) : launchOnce(providers[variant.name], configOf(variant));
            (launches[variant.name] ??= []).push(await launch);
        }
    }
    const figures = (name: string) => ({
        launches: launches[name].map(({ packages, ...times }) => times),
        readyMs: median(launches[name].map(l => l.readyMs)),
        firstCheckMs: median(launches[name].map(l => l.firstCheckMs)),
        /** The part the resource's own code adds: median of (first Check − ready) per launch. */
        afterReadyMs: median(launches[name].map(l => l.firstCheckMs - l.readyMs)),
        /** The packages the process had loaded; undefined for a plugin's executable. */
        packages: launches[name][launches[name].length - 1].packages,
    });
    return Object.fromEntries(measured.map(v => [v.name, figures(v.name)]));
}

/** Start-up of each variant, by name. */
export type StartupResults = Awaited<ReturnType<typeof measureStartup>>;
