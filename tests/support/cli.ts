// What the suites that run the Pulumi CLI share with mocha; the CLI, its environment and the test
// stacks themselves are in harness/ (shared with bench/ and the main job).
import { ensurePulumiCli } from "../../harness/pulumi";

/**
 * A mocha `before` hook for suites that run the CLI: finds or builds it (a cold build takes minutes,
 * later runs reuse the cache) and skips the suite where ensurePulumiCli says to.
 */
export function beforeAllNeedingPulumiCli(this: Mocha.Context): void {
    this.timeout(30 * 60_000);
    if (!ensurePulumiCli()) {
        this.skip();
    }
}
