// The @pulumi/pulumi a program brings must be one whose dynamic providers receive the stack's
// config (`configure`, from 3.139.0); an older one would run the provider without region or
// credentials and fail later with a misleading "no region". Checked once, when the SDK loads.

/** The lowest version in a peer range of the form ">=X.Y.Z <N". */
export function lowestOfRange(range: string): string {
    const match = /^>=(\d+\.\d+\.\d+)\b/.exec(range);
    if (!match) {
        throw new Error(`unexpected @pulumi/pulumi peer range "${range}"`);
    }
    return match[1];
}

/** Whether version a is below version b (both "X.Y.Z", pre-release suffixes ignored). */
function below(a: string, b: string): boolean {
    const parts = (v: string) => v.split("-")[0].split(".").map(Number);
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < 3; i++) {
        if (x[i] !== y[i]) {
            return x[i] < y[i];
        }
    }
    return false;
}

/** An error message when `installed` is below the peer range's lowest version; undefined when it is supported. */
export function unsupportedPulumiMessage(installed: string, peerRange: string): string | undefined {
    const lowest = lowestOfRange(peerRange);
    if (!below(installed, lowest)) {
        return undefined;
    }
    return (
        `pulumi-oss-encryption needs @pulumi/pulumi ${lowest} or newer (older versions do not pass the ` +
        `stack's config to dynamic providers), but this project has ${installed}. ` +
        `Upgrade it: npm install @pulumi/pulumi@latest (or pnpm add / yarn add).`
    );
}
