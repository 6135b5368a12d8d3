// A Pulumi project as a pipeline runs it: a folder outside the repo (tests/support/standalone.ts)
// with pulumi-oss-encryption installed from its packed tarball next to @pulumi/policy, a program
// (Pulumi.yaml, runtime nodejs) whose BucketEncryptions a test rewrites, and plain `pulumi`
// commands against the emulator.
import * as fs from "fs";
import * as path from "path";
import { Emulator } from "../../emulator";
import { CommandResult as HarnessResult, StandaloneProject } from "../support/standalone";
import { packedTarball } from "../../harness/package";

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

/** What one command did, with stdout and stderr together. */
export interface CommandResult extends HarnessResult {
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

/** The project's package.json: what a platform team's project depends on to run the pack in place. */
const PACKAGE_JSON = {
    name: "guardrails",
    private: true,
    main: "index.js",
    dependencies: { "@pulumi/pulumi": "^3.150.0" },
    devDependencies: { "@pulumi/policy": "^1.21.0" },
};

/** `value` quoted for bash. */
function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A project with one stack, `ci`, configured for the emulator. */
export class GuardrailsProject {
    readonly stack = "ci";

    private constructor(private readonly project: StandaloneProject) {}

    /** Creates the project, installs the packed package and @pulumi/policy, and sets up the stack. */
    static async create(emulator: Emulator): Promise<GuardrailsProject> {
        const project = StandaloneProject.create(undefined);
        const guard = new GuardrailsProject(project);
        guard.write("Pulumi.yaml", "name: guardrails\nruntime: nodejs\nmain: index.js\n");
        guard.write("package.json", JSON.stringify(PACKAGE_JSON, null, 2));
        guard.write("index.js", PROGRAM);
        guard.declare([]);
        await project.run(`npm install --no-audit --no-fund ${shellQuote(packedTarball())}`, { timeoutMs: 600_000 });
        await guard.runArgs(["stack", "init", guard.stack], { check: true });
        const config: Array<[string, string, boolean]> = [
            ["alicloud:region", "cn-hangzhou", false],
            ["alicloud:accessKey", emulator.defaultCredential.accessKeyId, false],
            ["alicloud:secretKey", emulator.defaultCredential.accessKeySecret, true],
            ["alicloud:endpoints", JSON.stringify([{ oss: emulator.endpoint, kms: emulator.kmsEndpoint }]), false],
        ];
        for (const [key, value, secret] of config) {
            await guard.runArgs(["config", "set", "--stack", guard.stack, ...(secret ? ["--secret"] : []), key, value], { check: true });
        }
        return guard;
    }

    /** The project folder. */
    get dir(): string {
        return this.project.dir;
    }

    /** Rewrites the program's resources. */
    declare(rules: DeclaredRule[]): void {
        this.write("resources.json", JSON.stringify(rules, null, 2));
    }

    /** Writes a file into the project (policy config, for instance). */
    write(name: string, content: string): void {
        fs.writeFileSync(path.join(this.project.dir, name), content);
    }

    /** Runs a command line as a pipeline does, with `PULUMI_STACK` set to the stack. */
    async run(command: string, { check = false } = {}): Promise<CommandResult> {
        const result = await this.project.run(`export PULUMI_STACK=${this.stack}\n${command}`, { allowFailure: !check });
        return { ...result, command, output: `${result.stdout}\n${result.stderr}` };
    }

    /** Runs `pulumi <args>`. */
    runArgs(args: string[], options: { check?: boolean } = {}): Promise<CommandResult> {
        return this.run(["pulumi", ...args.map(shellQuote)].join(" "), options);
    }

    /** Everything the commands printed, and every file the runs left (for leak checks). */
    everything(): string {
        return `${this.project.output()}\n${this.project.leftovers()}`;
    }

    remove(): void {
        this.project.remove();
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
