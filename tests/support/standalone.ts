// Runs Pulumi projects the way users run them: a project folder outside the repository, this
// package installed from the tarball `npm pack` makes (never a link into the repo), and plain
// `pulumi` commands through the CLI and its Node.js language host. Commands come from the READMEs,
// so what the READMEs show is what the tests run.
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensurePulumiCli, PASSPHRASE, REPO } from "../../harness/pulumi";
import { readTree } from "../../harness/stacks";

/** Where builds and downloads are cached across runs, outside the clone: the scripts' one rule, scripts/cache-root.sh. */
export const CACHE = execFileSync("bash", [path.join(REPO, "scripts/cache-root.sh")], { encoding: "utf8" }).trim();

/** The package managers a project can install the tarball with. */
export type PackageManager = "npm" | "pnpm" | "yarn";

/** Versions of the other package managers the tests install (into CACHE) and use. */
export const PACKAGE_MANAGER_VERSIONS = { pnpm: "12.21.0", yarn: "1.22.22" };

/** One command a test ran: what, how it ended, how long it took, what it printed. */
export interface CommandResult {
    command: string;
    code: number | null;
    seconds: number;
    stdout: string;
    stderr: string;
}

/**
 * Whether examples/<name> is a Node.js Pulumi project on the dynamic provider (it depends on
 * pulumi-oss-encryption); the others use the provider plugin (typescript-plugin is Node.js too), or
 * are no project.
 */
export function isNodeExample(name: string): boolean {
    const file = path.join(REPO, "examples", name, "Pulumi.yaml");
    const manifest = path.join(REPO, "examples", name, "package.json");
    return (
        fs.existsSync(file) &&
        /^runtime:\s*nodejs/m.test(fs.readFileSync(file, "utf8")) &&
        fs.existsSync(manifest) &&
        "pulumi-oss-encryption" in (JSON.parse(fs.readFileSync(manifest, "utf8")).dependencies ?? {})
    );
}

/**
 * The shell commands of a Markdown file's ```sh blocks, one array per block, in order, indented
 * ones (in a list item) too. Comment lines and trailing `# ...` comments are dropped.
 */
export function shellBlocks(markdownFile: string): string[][] {
    const text = fs.readFileSync(markdownFile, "utf8");
    const blocks: string[][] = [];
    for (const match of text.matchAll(/^[ \t]*```sh\n([\s\S]*?)^[ \t]*```/gm)) {
        blocks.push(
            match[1]
                .split("\n")
                .map(line => line.replace(/\s+#\s.*$/, "").trim())
                .filter(line => line !== "" && !line.startsWith("#")),
        );
    }
    return blocks;
}

/** The body of the first fenced block of `language` after the heading line `heading`. */
export function fencedBlockAfter(markdownFile: string, heading: string, language: string): string {
    const text = fs.readFileSync(markdownFile, "utf8");
    const start = text.indexOf(`\n${heading}\n`);
    const match = start < 0 ? null : new RegExp("^```" + language + "\\n([\\s\\S]*?)^```", "m").exec(text.slice(start));
    if (!match) {
        throw new Error(`${markdownFile}: no \`\`\`${language} block after "${heading}"`);
    }
    return match[1];
}

/** Replaces every placeholder (a key such as `<bucket>`) in a command by its value. */
export function fillPlaceholders(command: string, values: Record<string, string>): string {
    let filled = command;
    for (const [placeholder, value] of Object.entries(values)) {
        filled = filled.split(placeholder).join(value);
    }
    const left = /<[a-z0-9-]+>/.exec(filled);
    if (left) {
        throw new Error(`no value for ${left[0]} in: ${command}`);
    }
    return filled;
}

/** The directory holding pnpm and yarn, installed into CACHE once per machine. */
export function packageManagersBin(): string {
    const prefix = path.join(CACHE, `package-managers-pnpm${PACKAGE_MANAGER_VERSIONS.pnpm}-yarn${PACKAGE_MANAGER_VERSIONS.yarn}`);
    const bin = path.join(prefix, "node_modules", ".bin");
    if (!fs.existsSync(path.join(bin, "pnpm")) || !fs.existsSync(path.join(bin, "yarn"))) {
        fs.mkdirSync(prefix, { recursive: true });
        const specs = [`pnpm@${PACKAGE_MANAGER_VERSIONS.pnpm}`, `yarn@${PACKAGE_MANAGER_VERSIONS.yarn}`];
        const installed = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", prefix, ...specs], { encoding: "utf8" });
        if (installed.status !== 0) {
            throw new Error(`installing ${specs.join(" ")} failed:\n${installed.stderr}`);
        }
    }
    return bin;
}

/** A project folder outside the repository with its own HOME, file backend and commands log. */
export class StandaloneProject {
    /** Every command run so far, for the report and for leak checks. */
    readonly results: CommandResult[] = [];

    private constructor(
        /** The temporary folder holding `home/` and `project/`. */
        readonly root: string,
        /** The project folder, where commands run. */
        readonly dir: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    /**
     * A copy of `source` (a folder, without its node_modules) in a new temporary folder, or an empty
     * project folder when `source` is undefined. HOME and PULUMI_HOME are fresh folders of its
     * own, and PULUMI_BACKEND_URL points the stacks at a folder of its own: `pulumi login --local`
     * still runs as the READMEs show, but the CLI resolves `~` from the user database, not HOME,
     * and would share the real home's stacks. Package caches stay shared.
     */
    static create(source: string | undefined): StandaloneProject {
        const bin = ensurePulumiCli();
        if (!bin) {
            throw new Error("no Pulumi CLI");
        }
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "oss-encryption-standalone-"));
        const dir = path.join(root, "project");
        if (source) {
            fs.cpSync(source, dir, { recursive: true, filter: file => !file.includes(`${path.sep}node_modules`) });
        } else {
            fs.mkdirSync(dir);
        }
        fs.mkdirSync(path.join(root, "home", "stacks"), { recursive: true });
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            HOME: path.join(root, "home"),
            PULUMI_HOME: path.join(root, "home", ".pulumi"),
            PULUMI_BACKEND_URL: `file://${path.join(root, "home", "stacks")}`,
            PATH: [bin, path.dirname(process.execPath), packageManagersBin(), process.env.PATH].join(path.delimiter),
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
            npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), ".npm"),
            XDG_DATA_HOME: path.join(CACHE, "xdg-data"), // pnpm keeps its store there
            npm_config_update_notifier: "false",
            YARN_CACHE_FOLDER: path.join(CACHE, "yarn-cache"),
        };
        // No real cloud credential may reach a test project, and nothing of the repo's npm context.
        for (const name of Object.keys(env)) {
            if (/^(ALIBABA_CLOUD_|ALICLOUD_|npm_(package|lifecycle)_)/.test(name)) {
                delete env[name];
            }
        }
        return new StandaloneProject(root, dir, env);
    }

    /** Runs one shell command in the project folder; rejects with its output unless it exits 0 (or `allowFailure`). */
    async run(command: string, opts: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<CommandResult> {
        const started = Date.now();
        const child = spawn("bash", ["-c", command], { cwd: this.dir, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", chunk => stdout.push(chunk));
        child.stderr.on("data", chunk => stderr.push(chunk));
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 300_000);
        // A spawn that fails (such as a missing cwd) emits "error", not "close": report it, naming the command.
        const code = await new Promise<number | null>((resolve, reject) => {
            child.once("close", resolve);
            child.once("error", err => reject(new Error(`\`${command}\` could not start in ${this.dir}: ${err.message}`)));
        }).finally(() => clearTimeout(timer));
        const result: CommandResult = {
            command,
            code,
            seconds: (Date.now() - started) / 1000,
            stdout: Buffer.concat(stdout).toString(),
            stderr: Buffer.concat(stderr).toString(),
        };
        this.results.push(result);
        if (code !== 0 && !opts.allowFailure) {
            throw new Error(`\`${command}\` exited ${code} in ${this.dir}:\n${result.stdout}\n${result.stderr}`);
        }
        return result;
    }

    /**
     * Starts a command that runs until stopped (such as the emulator) in the project folder, in a
     * process group of its own so that stopping the group stops what it started too. Its stdout is
     * a pipe, its stderr the test's.
     */
    start(command: string): ChildProcess {
        return spawn("bash", ["-c", `exec ${command}`], { cwd: this.dir, env: this.env, stdio: ["ignore", "pipe", "inherit"], detached: true });
    }

    /** Everything the commands printed. */
    output(): string {
        return this.results.map(r => r.stdout + r.stderr).join("\n");
    }

    /** Every text file the run left in HOME (the file backend's stacks, logs) and the project's Pulumi files. */
    leftovers(): string {
        const projectFiles = fs
            .readdirSync(this.dir)
            .filter(f => f.startsWith("Pulumi."))
            .map(f => fs.readFileSync(path.join(this.dir, f), "utf8"));
        return [readTree(path.join(this.root, "home")), ...projectFiles].join("\n");
    }

    remove(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

/** Results of every standalone command of this mocha run, for the summary table. */
export const allResults: Array<CommandResult & { project: string }> = [];

/** Records a project's results under `name` for the summary that the suite prints at the end. */
export function recordResults(name: string, project: StandaloneProject): void {
    allResults.push(...project.results.map(r => ({ ...r, project: name })));
}
