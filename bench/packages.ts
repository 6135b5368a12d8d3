// Which npm package a file or URL belongs to; shared by the load probe and the profile summary.

/** The package ("@scope/name" or "name") of the innermost node_modules in `file`; undefined outside node_modules. */
export function packageOf(file: string): string | undefined {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file.slice(file.lastIndexOf("node_modules")));
    return match?.[1].replace(/\\/g, "/");
}
