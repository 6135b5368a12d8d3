// A `pulumi up` in a process of its own, for a test to SIGKILL mid-run. The Automation API runs an
// inline program inside the calling process and starts the CLI as its child, so killing this
// process's group kills the program and the CLI together, as a killed CI job would.
// Usage: node killable-up.js '<KillableUpArgs as JSON>'
import { programOf, RuleSpec, selectStack } from "./support";

/** What the parent passes: an existing stack (a TestStack's dir and name) and the program to deploy. */
export interface KillableUpArgs {
    dir: string;
    stackName: string;
    specs: RuleSpec[];
    /** Pulumi's --parallel: few at a time, so the kill lands with some resources done and some not. */
    parallel: number;
}

/** Runs `up` of the specs on the stack, printing the CLI output. */
export async function runUp(args: KillableUpArgs): Promise<void> {
    const stack = await selectStack(args.dir, args.stackName, programOf(args.specs));
    await stack.up({ parallel: args.parallel, onOutput: s => process.stdout.write(s) });
}

if (require.main === module) {
    runUp(JSON.parse(process.argv[2]) as KillableUpArgs).then(
        () => process.exit(0),
        err => {
            process.stderr.write(`${(err as Error).message}\n`);
            process.exit(1);
        },
    );
}
