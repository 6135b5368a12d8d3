// The SDK refuses a @pulumi/pulumi below the package's peer range, saying what to do.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { lowestOfRange, unsupportedPulumiMessage } from "../../sdk/pulumiVersion";

const PEER_RANGE = (JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
}).peerDependencies["@pulumi/pulumi"];

describe("the SDK's @pulumi/pulumi version check", () => {
    it("reads the lowest version from the package's peer range", () => {
        assert.equal(lowestOfRange(PEER_RANGE), "3.139.0");
        assert.throws(() => lowestOfRange("^3.139.0"), /unexpected @pulumi\/pulumi peer range/);
    });

    it("refuses a version below it, naming both versions and the upgrade", () => {
        const message = unsupportedPulumiMessage("3.138.0", PEER_RANGE);
        assert.match(message ?? "", /needs @pulumi\/pulumi 3\.139\.0 or newer.*this project has 3\.138\.0.*npm install @pulumi\/pulumi@latest/);
        assert.ok(unsupportedPulumiMessage("2.99.9", PEER_RANGE));
        assert.ok(unsupportedPulumiMessage("3.9.0", PEER_RANGE), "compares numerically, not as text");
    });

    it("accepts the lowest version and newer ones", () => {
        for (const version of ["3.139.0", "3.140.1", "3.276.0", "3.1000.0-alpha.1"]) {
            assert.equal(unsupportedPulumiMessage(version, PEER_RANGE), undefined, version);
        }
    });
});
