// Started by the Pulumi engine through the Node.js language host: serves the provider that the
// installed pulumi-oss-encryption package contains.
require("pulumi-oss-encryption/plugin").main();
