// Run in a fresh `node` by startup.ts: requires one module the way the dynamic-provider process
// resolves it (from WORK) and prints, as one JSON line, how long that took and what it loaded.
import { createRequire } from "module";
import * as path from "path";

/** What one probe reports: ms of the require, ms from process start to its end, what was loaded. */
export interface LoadProbeResult {
    requireMs: number;
    sinceProcessStartMs: number;
    files: number;
    /** Packages (under node_modules) loaded, sorted. */
    packages: string[];
}

/** The package ("@scope/name" or "name") of the innermost node_modules in `file`; undefined outside node_modules. */
export function packageOf(file: string): string | undefined {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file.slice(file.lastIndexOf("node_modules")));
    return match?.[1].replace(/\\/g, "/");
}

if (require.main === module) {
    const [moduleName, fromDir] = process.argv.slice(2);
    const started = performance.now();
    createRequire(path.join(fromDir, "probe.js"))(moduleName);
    const done = performance.now();
    const files = Object.keys(require.cache);
    const result: LoadProbeResult = {
        requireMs: done - started,
        sinceProcessStartMs: done,
        files: files.length,
        packages: [...new Set(files.map(packageOf).filter((p): p is string => p !== undefined))].sort(),
    };
    // Exit at once: a module may have started a server (the plugin host does).
    process.stdout.write("\n" + JSON.stringify(result) + "\n", () => process.exit(0));
}
