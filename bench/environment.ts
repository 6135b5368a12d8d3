// The machine and versions a run was measured on, for the report's header.
import { execFileSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { REPO } from "./options";

/** Where and with what a run was measured. */
export interface EnvironmentInfo {
    date: string;
    cpu: string;
    cpus: number;
    memoryGiB: number;
    os: string;
    node: string;
    pulumiCli: string;
    pulumiSdk: string;
    aliOss: string;
    typescript: string;
    packageVersion: string;
    commit: string;
    /** 1-minute load average when the run started and ended: other users of the machine. */
    loadAtStart: number;
    loadAtEnd?: number;
}

/** The version field of an installed package's package.json. */
function packageVersion(name: string): string {
    return require(path.join(REPO, "node_modules", name, "package.json")).version;
}

/** Output of a command, trimmed; "unknown" when it fails. */
function commandOutput(file: string, args: string[]): string {
    try {
        return execFileSync(file, args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "unknown";
    }
}

/** Describes this machine and the versions in use; `cliDir` holds the pulumi binary. */
export function describeEnvironment(cliDir: string): EnvironmentInfo {
    const dirty = commandOutput("git", ["status", "--porcelain", "--untracked-files=no"]) !== "";
    return {
        date: new Date().toISOString(),
        cpu: os.cpus()[0]?.model ?? "unknown",
        cpus: os.availableParallelism(),
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.version,
        pulumiCli: commandOutput(path.join(cliDir, "pulumi"), ["version"]),
        pulumiSdk: packageVersion("@pulumi/pulumi"),
        aliOss: packageVersion("ali-oss"),
        typescript: packageVersion("typescript"),
        packageVersion: require(path.join(REPO, "package.json")).version,
        commit: commandOutput("git", ["rev-parse", "--short", "HEAD"]) + (dirty ? " (with uncommitted changes)" : ""),
        loadAtStart: os.loadavg()[0],
    };
}
