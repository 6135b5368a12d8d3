// A plain Pulumi project (Pulumi.yaml, runtime nodejs) driven by plain `pulumi` commands against the
// emulator, as a pipeline runs it. Its node_modules is a link to the repo's, where
// pulumi-oss-encryption is the repo itself (scripts/link-self.js) and @pulumi/policy is installed:
// what a user's project holds after `npm install pulumi-oss-encryption @pulumi/policy`. Commands
// run asynchronously, so the emulator in the test's process keeps answering.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensurePulumiCli, linkPackageIntoWork, pulumiEnv, WORK } from "../e2e/harness";
import { Emulator } from "../emulator";

/** One BucketEncryption the project's program declares. */
export interface DeclaredRule {
    name: string;
    bucket: string;
    sseAlgorithm: string;
    kmsMasterKeyId?: string;
    kmsDataEncryption?: string;
    onDelete?: string;
    /** Take the bucket name from this other resource's `bucket` output (unknown at preview of a create). */
    bucketFrom?: string;
}

/** What one pulumi command did. */
export interface CommandResult {
    command: string;
    code: number;
    stdout: string;
    stderr: string;
    output: string;
}

/** The program: BucketEncryptions from resources.json, so a test changes the program by rewriting it. */
const PROGRAM = `// Declares the BucketEncryptions listed in resources.json (written by the test).
const fs = require("fs");
const path = require("path");
const { BucketEncryption } = require("pulumi-oss-encryption");
const declared = {};
for (const spec of JSON.parse(fs.readFileSync(path.join(__dirname, "resources.json"), "utf8"))) {
    const { name, bucketFrom, ...args } = spec;
    if (bucketFrom) {
        args.bucket = declared[bucketFrom].bucket.apply(() => spec.bucket);
    }
    declared[name] = new BucketEncryption(name, args);
}
`;

let projects = 0;

/** A project directory with its own file backend and stack, configured for the emulator. */
export class StandaloneProject {
    readonly dir: string;
    private readonly env: NodeJS.ProcessEnv;
    readonly stack = "ci";

    private constructor(readonly bin: string, _emulator: Emulator) {
        this.dir = path.join(WORK, `guardrails-${process.pid}-${++projects}`);
        fs.rmSync(this.dir, { recursive: true, force: true });
        fs.mkdirSync(path.join(this.dir, "state"), { recursive: true });
        fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), "name: guardrails\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(this.dir, "index.js"), PROGRAM);
        fs.symlinkSync(path.join(WORK, "..", "node_modules"), path.join(this.dir, "node_modules"), "dir");
        this.declare([]);
        this.env = {
            ...process.env,
            ...pulumiEnv(bin, path.join(WORK, "pulumi-home")),
            PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
            PULUMI_STACK: this.stack,
        };
    }

    /** Creates the stack and points it at the emulator. */
    private async init(emulator: Emulator): Promise<void> {
        await this.run(`pulumi stack init ${this.stack}`, { check: true });
        const config: Array<[string, string, boolean]> = [
            ["alicloud:region", "cn-hangzhou", false],
            ["alicloud:accessKey", emulator.defaultCredential.accessKeyId, false],
            ["alicloud:secretKey", emulator.defaultCredential.accessKeySecret, true],
            ["alicloud:endpoints", JSON.stringify([{ oss: emulator.endpoint, kms: emulator.kmsEndpoint }]), false],
        ];
        for (const [key, value, secret] of config) {
            await this.runArgs(["config", "set", "--stack", this.stack, ...(secret ? ["--secret"] : []), key, value], { check: true });
        }
    }

    /** A new project, or undefined when there is no Pulumi CLI (the suite then skips). */
    static async create(emulator: Emulator): Promise<StandaloneProject | undefined> {
        const bin = ensurePulumiCli();
        if (!bin) {
            return undefined;
        }
        linkPackageIntoWork();
        const project = new StandaloneProject(bin, emulator);
        await project.init(emulator);
        return project;
    }

    /** Rewrites the program's resources. */
    declare(rules: DeclaredRule[]): void {
        fs.writeFileSync(path.join(this.dir, "resources.json"), JSON.stringify(rules, null, 2));
    }

    /** Writes a file into the project (policy config, for instance). */
    write(name: string, content: string): void {
        fs.writeFileSync(path.join(this.dir, name), content);
    }

    /**
     * Runs a shell command line as a pipeline does (`$PULUMI_STACK` and the backend set), in the
     * project directory, with `pulumi` from the CLI under test.
     */
    run(command: string, options: { check?: boolean } = {}): Promise<CommandResult> {
        return this.spawn(command, "bash", ["-c", command], options);
    }

    /** Runs `pulumi <args>` without a shell. */
    runArgs(args: string[], options: { check?: boolean } = {}): Promise<CommandResult> {
        return this.spawn(`pulumi ${args.join(" ")}`, path.join(this.bin, "pulumi"), args, options);
    }

    private spawn(command: string, file: string, args: string[], { check = false }: { check?: boolean }): Promise<CommandResult> {
        return new Promise((resolve, reject) => {
            const child = spawn(file, args, { cwd: this.dir, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", chunk => (stdout += chunk));
            child.stderr.on("data", chunk => (stderr += chunk));
            const timer = setTimeout(() => child.kill("SIGTERM"), 5 * 60_000);
            child.on("error", reject);
            child.on("close", code => {
                clearTimeout(timer);
                const outcome = { command, code: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` };
                if (check && outcome.code !== 0) {
                    reject(new Error(`${command} exited ${outcome.code}:\n${outcome.output}`));
                } else {
                    resolve(outcome);
                }
            });
        });
    }

    /** `pulumi stack export` as text. */
    async exportedState(): Promise<string> {
        return (await this.runArgs(["stack", "export", "--stack", this.stack], { check: true })).stdout;
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** The pulumi command lines of a pipeline file (GitHub Actions `run:` or GitLab `script:` items). */
export function pipelineCommands(file: string): string[] {
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map(line => /^\s*(?:-\s+)?(?:run:\s*)?(pulumi\s.+?)\s*$/.exec(line)?.[1])
        .filter((command): command is string => command !== undefined);
}
