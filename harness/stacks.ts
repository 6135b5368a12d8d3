// Runs real Pulumi deployments (the Pulumi CLI and its engine, the dynamic-provider plugin) against
// the emulator, offline: a file backend in a temp directory, the passphrase secrets provider, no
// update checks. Programs run through the Automation API.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as automation from "@pulumi/pulumi/automation";
import { Emulator } from "../emulator";
import { ensurePulumiCli, linkPackageIntoWork, pulumiEnv, REPO, WORK } from "./pulumi";

/** Stack config pointing the provider at the emulator with its default credential. */
export function emulatorConfig(emulator: Emulator, region = "cn-hangzhou"): automation.ConfigMap {
    return {
        "alicloud:region": { value: region },
        "alicloud:accessKey": { value: emulator.defaultCredential.accessKeyId },
        "alicloud:secretKey": { value: emulator.defaultCredential.accessKeySecret, secret: true },
        "alicloud:endpoints": { value: JSON.stringify([{ oss: emulator.endpoint, kms: emulator.kmsEndpoint }]) },
    };
}

/** An example program compiled with the package (bin/examples/<name>/index.js), re-run on each call. */
export function exampleProgram(name: string): automation.PulumiFn {
    const file = path.join(REPO, "bin/examples", name, "index.js");
    return async () => {
        delete require.cache[require.resolve(file)];
        return require(file);
    };
}

/** The project name in an example's Pulumi.yaml: the namespace of its config keys. */
export function exampleProjectName(name: string): string {
    const yaml = fs.readFileSync(path.join(REPO, "examples", name, "Pulumi.yaml"), "utf8");
    const match = /^name:\s*(\S+)/m.exec(yaml);
    if (!match) {
        throw new Error(`examples/${name}/Pulumi.yaml has no name`);
    }
    return match[1];
}

let stackCounter = 0;

/** A fresh stack on a fresh file backend, plus what is needed to inspect it. */
export interface TestStack {
    stack: automation.Stack;
    dir: string;
    /** Everything the run left on disk (state, backups, logs) as one string, for leak checks. */
    leftovers(): string;
    /**
     * `pulumi stack export` as a user runs it (secrets stay encrypted). The Automation API's
     * exportStack adds --show-secrets, which would decrypt the stack's own secret config.
     */
    exportedState(): string;
    remove(): Promise<void>;
}

/** Creates a stack for an inline program (or a program in `programDir`) with the given config. */
export async function newStack(args: {
    program: automation.PulumiFn;
    config: automation.ConfigMap;
    name?: string;
    extraEnv?: Record<string, string>;
}): Promise<TestStack> {
    const bin = ensurePulumiCli();
    if (!bin) {
        throw new Error("no Pulumi CLI");
    }
    linkPackageIntoWork();
    const dir = path.join(WORK, `stack-${process.pid}-${++stackCounter}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "state"), { recursive: true });
    const projectName = args.name ?? "oss-encryption-e2e";
    const workspace = await automation.LocalWorkspace.create({
        pulumiCommand: await automation.PulumiCommand.get({ root: path.dirname(bin) }),
        workDir: dir,
        pulumiHome: path.join(WORK, "pulumi-home"),
        program: args.program,
        envVars: { ...pulumiEnv(bin, path.join(WORK, "pulumi-home")), ...args.extraEnv },
        projectSettings: {
            name: projectName,
            runtime: "nodejs",
            backend: { url: `file://${path.join(dir, "state")}` },
        },
        secretsProvider: "passphrase",
    });
    const stack = await automation.Stack.create(`dev${stackCounter}`, workspace);
    await stack.setAllConfig(args.config);
    const env = { ...process.env, ...pulumiEnv(bin, path.join(WORK, "pulumi-home")), ...args.extraEnv };
    return {
        stack,
        dir,
        leftovers: () => readTree(dir),
        exportedState: () =>
            execFileSync(path.join(bin, "pulumi"), ["stack", "export", "--stack", stack.name], { cwd: dir, env, encoding: "utf8" }),
        remove: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/** Every file under `dir` concatenated (text files only), for grepping. */
export function readTree(dir: string): string {
    const parts: string[] = [];
    const walk = (d: string) => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, entry.name);
            if (entry.isDirectory()) {
                walk(p);
            } else if (entry.isFile()) {
                parts.push(`== ${p}\n${fs.readFileSync(p, "utf8")}`);
            }
        }
    };
    walk(dir);
    return parts.join("\n");
}
