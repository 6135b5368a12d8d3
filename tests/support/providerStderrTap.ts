// A tap on the dynamic-provider process's stderr, for tests that must tell what our provider process
// printed from what the engine and the CLI did.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { ensurePulumiCli, WORK } from "../../harness/pulumi";

/**
 * A tap on the dynamic-provider process's stderr: a `pulumi-resource-pulumi-nodejs` wrapper that runs
 * the real plugin with its stderr copied to a file (and still passed to the engine). It is declared
 * as a project plugin in the stack's Pulumi.yaml, which the engine consults before $PATH and the
 * plugins beside the CLI (the Automation API puts the CLI's directory first on PATH).
 */
export class ProviderStderrTap {
    readonly dir: string;
    readonly logFile: string;

    constructor(name: string) {
        const cli = ensurePulumiCli();
        if (!cli) {
            throw new Error("no Pulumi CLI");
        }
        this.dir = path.join(WORK, `tap-${process.pid}-${name}`);
        this.logFile = path.join(this.dir, "provider-stderr.log");
        fs.rmSync(this.dir, { recursive: true, force: true });
        fs.mkdirSync(this.dir, { recursive: true });
        fs.writeFileSync(this.logFile, "");
        const real = path.join(cli, "pulumi-resource-pulumi-nodejs");
        const wrapper = path.join(this.dir, "pulumi-resource-pulumi-nodejs");
        fs.writeFileSync(
            wrapper,
            `#!/usr/bin/env bash\necho "started $$" >> '${this.logFile}'\nexec '${real}' "$@" 2> >(tee -a '${this.logFile}' >&2)\n`,
            { mode: 0o755 },
        );
    }

    /** Makes the project in `projectDir` (a TestStack's dir) run the provider through the tap. */
    attachTo(projectDir: string): void {
        const file = path.join(projectDir, "Pulumi.yaml");
        const yaml = fs.readFileSync(file, "utf8");
        assert.ok(!/^plugins:/m.test(yaml), `${file} already declares plugins`);
        fs.writeFileSync(file, `${yaml.trimEnd()}\nplugins:\n  providers:\n    - name: pulumi-nodejs\n      path: ${this.dir}\n`);
    }

    /** What the provider processes wrote to stderr, plus a "started <pid>" line per process. */
    read(): string {
        return fs.readFileSync(this.logFile, "utf8");
    }

    /** How many provider processes the wrapper started. */
    starts(): number {
        return this.read().split("\n").filter(line => /^started \d+$/.test(line)).length;
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
