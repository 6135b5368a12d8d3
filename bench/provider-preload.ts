// Preloaded (NODE_OPTIONS or --require) into the provider processes the benchmark profiles or
// launches. The engine and the start-up test stop a provider with a signal, on which node would die
// without running its exit handlers: exit instead, so --cpu-prof writes its profile and, when
// BENCH_LOADED_FILES names a file, the modules loaded by then are written to it.
import * as fs from "fs";

for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => process.exit(0));
}
const loadedFiles = process.env.BENCH_LOADED_FILES;
if (loadedFiles) {
    process.on("exit", () => fs.writeFileSync(loadedFiles, JSON.stringify(Object.keys(require.cache))));
}
