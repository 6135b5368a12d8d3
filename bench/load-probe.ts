// Run in a fresh `node` by startup.ts: requires one module the way the dynamic-provider process
// resolves it (from WORK) and prints, as one JSON line, how long that took and what it loaded.
import { createRequire } from "module";
import * as path from "path";
import { packageOf } from "./packages";

/** What one probe reports. */
export interface LoadProbeResult {
    /** Milliseconds the require took. */
    requireMs: number;
    /** Milliseconds from the process's start until the require returned. */
    sinceProcessStartMs: number;
    /** Files in the module cache afterwards. */
    files: number;
    /** Packages (under node_modules) loaded, sorted. */
    packages: string[];
}

function main(): void {
    const [moduleName, fromDir] = process.argv.slice(2);
    const requireFromWork = createRequire(path.join(fromDir, "probe.js"));
    const started = performance.now();
    requireFromWork(moduleName);
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

if (require.main === module) {
    main();
}
