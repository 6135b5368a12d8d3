// Links node_modules/pulumi-oss-encryption to this checkout, so that everything inside the repo
// (examples, test stacks, the dynamic-provider process the SDK's shim runs in) resolves the package
// by name exactly as a user's project does. Run by `npm test`, `npm start` and the other npm scripts that need it.
const fs = require("fs");
const path = require("path");

/** Creates the link if missing; returns its path. */
function linkSelf(repo = path.resolve(__dirname, "..")) {
    const link = path.join(repo, "node_modules", "pulumi-oss-encryption");
    let existing;
    try {
        existing = fs.readlinkSync(link);
    } catch {
        existing = undefined;
    }
    if (existing !== "..") {
        fs.rmSync(link, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync("..", link, "dir");
    }
    return link;
}

module.exports = { linkSelf };
if (require.main === module) {
    linkSelf();
}
