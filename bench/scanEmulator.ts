// The benchmark's emulator in a worker thread: the scan's figures are the scan's own, not the
// scan's plus the emulator's work sharing one event loop (a user's scan talks to OSS over the
// network, not to a server in its own process). The worker seeds the account, answers on loopback,
// and reports its request log's counts when asked.
import { isMainThread, parentPort, Worker, workerData } from "worker_threads";
import { startEmulator } from "../emulator";
import type { EmulatorCredential } from "../emulator/types";
import { seedAccount } from "./scanAccount";

export interface WorkerEmulator {
    endpoint: string;
    kmsEndpoint: string;
    credential: EmulatorCredential;
    /** How many requests of each action it answered since the last clearLog. */
    actionCounts(): Promise<Record<string, number>>;
    clearLog(): Promise<void>;
    stop(): Promise<void>;
}

type Ready = { endpoint: string; kmsEndpoint: string; credential: EmulatorCredential };

/** Starts the emulator in a worker with `buckets` seeded and `latencyMs` added to every call. */
export async function startWorkerEmulator(buckets: number, latencyMs: number): Promise<WorkerEmulator> {
    const worker = new Worker(__filename, { workerData: { buckets, latencyMs } });
    const ask = <T>(command: string): Promise<T> =>
        new Promise((resolve, reject) => {
            worker.once("message", resolve);
            worker.once("error", reject);
            worker.postMessage(command);
        });
    const ready = await new Promise<Ready>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
    });
    return {
        ...ready,
        actionCounts: () => ask<Record<string, number>>("counts"),
        clearLog: () => ask<void>("clear"),
        stop: async () => {
            await ask<void>("stop");
            await worker.terminate();
        },
    };
}

async function serve(): Promise<void> {
    const { buckets, latencyMs } = workerData as { buckets: number; latencyMs: number };
    const emulator = await startEmulator();
    seedAccount(emulator, buckets);
    emulator.setFaults({ latencyMs });
    parentPort!.on("message", async (command: string) => {
        if (command === "counts") {
            const counts: Record<string, number> = {};
            for (const r of emulator.requestLog) counts[r.action] = (counts[r.action] ?? 0) + 1;
            parentPort!.postMessage(counts);
        } else if (command === "clear") {
            emulator.clearLog();
            parentPort!.postMessage(undefined);
        } else if (command === "stop") {
            await emulator.stop();
            parentPort!.postMessage(undefined);
        }
    });
    parentPort!.postMessage({ endpoint: emulator.endpoint, kmsEndpoint: emulator.kmsEndpoint, credential: emulator.defaultCredential } satisfies Ready);
}

if (!isMainThread && workerData?.buckets !== undefined) {
    serve().catch(err => {
        throw err;
    });
}
