// Waiting for a child process to say it is ready: the first line of its stdout that matches.
import { ChildProcess } from "child_process";
import * as readline from "readline";

/**
 * Resolves with the first line `child` prints on stdout that `matches` accepts. Rejects when the
 * child fails to start, or exits (and its stdout ends) first, naming `what` and the exit code.
 * The child's stdout must be a pipe; it keeps being read afterwards, so a chatty child never blocks.
 */
export function firstLineMatching(child: ChildProcess, matches: (line: string) => boolean = () => true, what = "process"): Promise<string> {
    if (!child.stdout) {
        return Promise.reject(new Error(`${what}: stdout is not a pipe`));
    }
    const lines = readline.createInterface({ input: child.stdout });
    return new Promise<string>((resolve, reject) => {
        const onLine = (line: string) => {
            if (matches(line)) {
                settle();
                resolve(line);
            }
        };
        const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
            settle();
            reject(new Error(`${what} exited with ${code ?? signal} before printing the line awaited`));
        };
        const onError = (err: Error) => {
            settle();
            reject(new Error(`${what} failed: ${err.message}`));
        };
        const settle = () => {
            lines.off("line", onLine);
            child.off("close", onClose);
            child.off("error", onError);
        };
        lines.on("line", onLine);
        child.once("close", onClose);
        child.once("error", onError);
    });
}
