// The `oss-encryption` provider plugin for every Pulumi language. The engine starts it from the
// source-based plugin folder (plugin/package: PulumiPlugin.yaml + a package.json depending on this
// package), whose index.js calls main(). See docs/plugin.md.
export { main, serve, PluginServer, ServeOptions, PLUGIN_VERSION } from "./server";
export { packageSchema, PACKAGE_NAME, BUCKET_ENCRYPTION_TOKEN, CONFIG_PROPERTIES } from "./schema";
export { pluginSettings } from "./config";
