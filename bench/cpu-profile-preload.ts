// Loaded with NODE_OPTIONS="--require …/cpu-profile-preload.js" into Pulumi's dynamic-provider
// process (Node refuses --cpu-prof in NODE_OPTIONS): profiles the CPU from start-up and writes
// <BENCH_CPU_PROFILE_DIR>/<pid>.cpuprofile when the process exits or the engine stops it (SIGINT or
// SIGTERM, before its SIGKILL). Other node processes (the plugin script's `node -e`) are left alone.
import * as fs from "fs";
import * as inspector from "inspector";
import * as path from "path";

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir && (process.argv[1] ?? "").includes("dynamic-provider")) {
    const session = new inspector.Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.start");
    let written = false;
    // The in-thread inspector session answers synchronously, so this works inside "exit".
    const write = () => {
        if (!written) {
            written = true;
            session.post("Profiler.stop", (err, result) => {
                if (!err) {
                    fs.mkdirSync(dir, { recursive: true });
                    fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
                }
            });
        }
    };
    process.on("exit", write);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            write();
            process.exit(0);
        });
    }
}
