// Started by the Pulumi engine through the Node.js language host: serves the provider that the
// installed pulumi-oss-encryption package contains.
let plugin;
try {
    plugin = require("pulumi-oss-encryption/plugin");
} catch (err) {
    // The folder's dependencies are not installed (a copy, or a git checkout, before `npm install`):
    // say what to run and where, not a stack trace. Anything else is a real error and is thrown.
    if (err && err.code === "MODULE_NOT_FOUND" && /pulumi-oss-encryption|@pulumi\/pulumi|@grpc\/grpc-js|google-protobuf/.test(err.message)) {
        const missing = (/Cannot find module '([^']+)'/.exec(err.message) || [])[1] || "pulumi-oss-encryption";
        // On a line of its own: the engine prints a failed plugin's stderr right after a colon of its own text.
        process.stderr.write(
            `\nThe oss-encryption provider plugin cannot start: its dependencies are not installed ` +
                `(${missing} is missing). Run \`npm install\` in ${__dirname} (the plugin folder), then run the Pulumi command again.\n`,
        );
        process.exit(1);
    }
    throw err;
}
plugin.main();
