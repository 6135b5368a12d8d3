// The machine and versions a run was measured on, for the report's header.
import { execFileSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { REPO } from "../harness/pulumi";

/** A command's trimmed output; "unknown" when it fails. */
function output(file: string, args: string[]): string {
    try {
        return execFileSync(file, args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "unknown";
    }
}

/** Describes this machine and the versions in use; `cliDir` holds the pulumi binary. */
export function describeEnvironment(cliDir: string) {
    const version = (pkg: string) => require(path.join(REPO, pkg, "package.json")).version as string;
    const dirty = output("git", ["status", "--porcelain", "--untracked-files=no"]) !== "";
    return {
        date: new Date().toISOString(),
        cpu: os.cpus()[0]?.model ?? "unknown",
        cpus: os.availableParallelism(),
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.version,
        pulumiCli: output(path.join(cliDir, "pulumi"), ["version"]),
        pulumiSdk: version("node_modules/@pulumi/pulumi"),
        aliOss: version("node_modules/ali-oss"),
        typescript: version("node_modules/typescript"),
        packageVersion: version("."),
        commit: output("git", ["rev-parse", "--short", "HEAD"]) + (dirty ? " (with uncommitted changes)" : ""),
        // 1-minute load averages: other users of the machine.
        loadAtStart: os.loadavg()[0],
        loadAtEnd: NaN,
    };
}
