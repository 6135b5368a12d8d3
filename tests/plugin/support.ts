// What the provider-plugin suites share: the prerequisites (CLI, language hosts, Python venv), a
// project copied from examples/, and a command runner that records exit code and time. The plugin
// folder as a user gets it is harness/package.ts's installedPlugin.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensurePulumiCli, pulumiEnv, REPO } from "../../harness/pulumi";

/** A missing prerequisite: fails under CI=true, skips the suite elsewhere (with the reason). */
export function missing(ctx: Mocha.Context, what: string): never {
    if (process.env.CI === "true") {
        throw new Error(`CI=true and ${what}`);
    }
    console.warn(`skipping: ${what}`);
    ctx.skip();
}

/** The CLI directory with the language hosts `hosts` beside `pulumi`; skips or fails without them. */
export function cliWithHosts(ctx: Mocha.Context, hosts: string[]): string {
    const bin = ensurePulumiCli();
    if (!bin) {
        return missing(ctx, "the Pulumi CLI could not be found or built (scripts/ensure-pulumi-cli.sh)");
    }
    for (const host of hosts) {
        if (!fs.existsSync(path.join(bin, `pulumi-language-${host}`))) {
            return missing(ctx, `pulumi-language-${host} is not beside ${bin}/pulumi (scripts/ensure-pulumi-cli.sh builds it)`);
        }
    }
    return bin;
}

/** Checks that `command args` runs (such as `go version`); skips or fails without it. */
export function hasCommand(ctx: Mocha.Context, command: string, args: string[]): void {
    try {
        execFileSync(command, args, { stdio: "ignore" });
    } catch {
        missing(ctx, `${command} is not installed (\`${[command, ...args].join(" ")}\` failed)`);
    }
}

/** The cached Python venv with `pulumi` from tests/emulator/python/requirements.txt; skips or fails without it. */
export function pythonVenv(ctx: Mocha.Context): string {
    try {
        const out = execFileSync("bash", [path.join(REPO, "scripts/ensure-python-venv.sh")], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            timeout: 20 * 60_000,
        });
        return out.trim().split("\n").pop() as string;
    } catch (err) {
        return missing(ctx, `the Python venv could not be made (scripts/ensure-python-venv.sh): ${(err as Error).message}`);
    }
}

/** A Python's site-packages folder. */
const sitePackages = (python: string) =>
    execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();

/**
 * The Python project's own venv (`project/venv`, as examples/python's runtime.options.virtualenv
 * says), made on top of the cached one (a .pth file), so that `pulumi install` finds `pulumi`
 * installed instead of downloading it.
 */
export function projectVenv(project: string, cachedVenv: string): void {
    const venv = path.join(project, "venv");
    execFileSync(path.join(cachedVenv, "bin/python"), ["-m", "venv", venv]);
    fs.writeFileSync(path.join(sitePackages(path.join(venv, "bin/python")), "cached-venv.pth"), `${sitePackages(path.join(cachedVenv, "bin/python"))}\n`);
}

/** One command as a test ran it. */
export interface CommandRecord {
    command: string;
    code: number;
    seconds: number;
    output: string;
}

/** Runs commands in one directory with one environment, and keeps what they printed and how long they took. */
export class Session {
    readonly records: CommandRecord[] = [];

    constructor(
        readonly cwd: string,
        readonly env: NodeJS.ProcessEnv,
    ) {}

    /** Runs a command (asynchronously: the emulator answers from this process) and records it (as `shown`, if given). */
    async run(
        command: string,
        args: string[],
        options: {
            expectFailure?: boolean;
            timeoutMs?: number;
            input?: string;
            shown?: string;
            /** Sends the command SIGINT when it aborts, as Ctrl-C in a terminal does. */
            interrupt?: AbortSignal;
        } = {},
    ): Promise<CommandRecord> {
        const started = Date.now();
        const child = spawn(command, args, { cwd: this.cwd, env: this.env, stdio: ["pipe", "pipe", "pipe"] });
        child.stdin.on("error", () => undefined); // EPIPE when the child is gone: its exit code tells
        child.stdin.end(options.input ?? "");
        const chunks: string[] = [];
        child.stdout.on("data", d => chunks.push(d.toString()));
        child.stderr.on("data", d => chunks.push(d.toString()));
        const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 10 * 60_000);
        options.interrupt?.addEventListener("abort", () => child.kill("SIGINT"), { once: true });
        // A spawn that fails (such as a missing cwd) emits "error", not "close": report it, naming the command.
        const code = await new Promise<number>((resolve, reject) => {
            child.on("close", c => resolve(c ?? -1));
            child.once("error", err => reject(new Error(`\`${options.shown ?? command}\` could not start in ${this.cwd}: ${err.message}`)));
        }).finally(() => clearTimeout(timer));
        const record = {
            command: options.shown ?? [path.basename(command), ...args].join(" "),
            code,
            seconds: (Date.now() - started) / 1000,
            output: chunks.join(""),
        };
        this.records.push(record);
        if ((code === 0) === Boolean(options.expectFailure)) {
            throw new Error(`\`${record.command}\` exited ${code}${options.expectFailure ? " (expected to fail)" : ""}:\n${record.output}`);
        }
        return record;
    }

    /** Runs one line of a README with bash, recorded as written. */
    shell(line: string, options: { input?: string } = {}): Promise<CommandRecord> {
        return this.run("bash", ["-c", line], { ...options, shown: line });
    }

    /** Everything every command printed. */
    output(): string {
        return this.records.map(r => `$ ${r.command}\n${r.output}`).join("\n");
    }

    /** The commands as a Markdown table (command, exit code, seconds), for the test log. */
    table(language: string): string {
        const rows = this.records.map(r => `| ${language} | \`${r.command.replace(/\|/g, "\\|")}\` | ${r.code} | ${r.seconds.toFixed(1)} |`);
        return ["| language | command | exit | s |", "|---|---|---|---|", ...rows].join("\n");
    }
}

/** A copy of examples/<name> in `dir`. */
export function copyExample(name: string, dir: string): string {
    const target = path.join(dir, name);
    fs.cpSync(path.join(REPO, "examples", name), target, { recursive: true });
    return target;
}

/** The environment of the CLI: offline, isolated (PULUMI_HOME in scratch), no real cloud credential. */
export function cliEnv(bin: string, scratch: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...pulumiEnv(bin, path.join(scratch, "pulumi-home")), ...extra };
}

/** Every text file under `dir` except installed dependencies, for leak checks. */
export function filesLeftBehind(dir: string): string {
    const copy = (d: string): string[] =>
        fs.readdirSync(d, { withFileTypes: true }).flatMap(entry => {
            const p = path.join(d, entry.name);
            if (entry.isDirectory()) {
                return ["node_modules", "venv", "__pycache__"].includes(entry.name) ? [] : copy(p);
            }
            return entry.isFile() ? [p] : [];
        });
    return copy(dir)
        .map(p => `== ${p}\n${fs.readFileSync(p, "utf8")}`)
        .join("\n");
}
