// What the end-to-end tests look at after a run: the CLI's output, the exported state, leftovers.
import * as assert from "assert";
import * as automation from "@pulumi/pulumi/automation";
import { Emulator } from "../../emulator";
import { PASSPHRASE } from "../../harness/pulumi";

/** Collects everything the CLI printed across runs, to search it for messages and secrets. */
export class RunLog {
    private readonly chunks: string[] = [];

    /** Options for up/preview/refresh/destroy that capture stdout and stderr. */
    options(): { onOutput: (s: string) => void; onError: (s: string) => void } {
        return { onOutput: s => this.chunks.push(s), onError: s => this.chunks.push(s) };
    }

    text(): string {
        return this.chunks.join("");
    }
}

/** A resource of an exported deployment. */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

/** The resources of an exported stack. */
export function stackResources(state: automation.Deployment): StateResource[] {
    return (state.deployment?.resources ?? []) as StateResource[];
}

/** Bytes of each resource's serialised `__provider` (inputs), by URN. */
export function providerSizes(state: automation.Deployment): Array<[string, number]> {
    return stackResources(state)
        .filter(r => r.inputs?.__provider !== undefined)
        .map(r => [r.urn, Buffer.byteLength(JSON.stringify(r.inputs.__provider))]);
}

/** The secrets a run must not reveal: the emulator credential's secret and the stacks' passphrase. */
export function secretsOf(emulator: Emulator): string[] {
    return [emulator.defaultCredential.accessKeySecret, PASSPHRASE];
}

/** Fails, naming the place, if any secret appears in any of the texts. */
export function assertNoSecretsLeft(secrets: string[], places: Record<string, string>): void {
    for (const secret of secrets) {
        assert.ok(secret.length >= 8, "a secret to search for must be long enough to be unambiguous");
        for (const [place, text] of Object.entries(places)) {
            assert.ok(!text.includes(secret), `a secret appears in ${place}`);
        }
    }
}
