// Pastes the code `pulumi import` prints into an example's program, as a user does: the imports the
// program lacks next to its own, the resource itself where the program marks the place. The
// lifecycle then runs `pulumi preview --expect-no-changes`, which passes only if the pasted code
// compiles (Go, Java, TypeScript), runs and declares exactly the imported state.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

/** The comment line in each example's program where the printed code goes. */
export const IMPORT_MARKER = "Code that `pulumi import` prints goes here";

/** What `pulumi import` printed: the program after "Please copy the following code ...", from its first line (`start`). */
export function printedCode(output: string, start: RegExp): string {
    const after = output.slice(output.indexOf("Please copy the following code into your Pulumi application"));
    const at = after.search(start);
    assert.ok(at >= 0, `pulumi import printed code starting with ${start}:\n${output}`);
    return after.slice(at);
}

/** A printed program split into the imports and the statements declaring the resource. */
interface Printed {
    imports: string[];
    body: string[];
}

/** The lines of `lines` from after the first matching `from` to before the last matching `to`. */
function between(lines: string[], from: RegExp, to: RegExp): string[] {
    const start = lines.findIndex(l => from.test(l));
    const end = lines.map(l => to.test(l)).lastIndexOf(true);
    assert.ok(start >= 0 && end > start, `printed code with ${from} ... ${to}:\n${lines.join("\n")}`);
    return lines.slice(start + 1, end);
}

/** How each language's printed program comes apart. */
const SPLIT: Record<string, (lines: string[]) => Printed> = {
    go: lines => ({
        imports: between(lines, /^import \($/, /^\)$/),
        // In a block of its own: its `_, err :=` would redeclare the program's err.
        body: ["{", ...between(lines, /pulumi\.Run\(func\(ctx \*pulumi\.Context\) error \{$/, /^\s*return nil$/), "}"],
    }),
    java: lines => ({
        imports: lines.filter(l => l.startsWith("import ")),
        body: between(lines, /public static void stack\(Context ctx\) \{$/, /^\s{4}\}$/),
    }),
    typescript: lines => ({
        imports: lines.filter(l => l.startsWith("import ")),
        body: lines.filter(l => !l.startsWith("import ")),
    }),
    python: lines => ({
        imports: lines.filter(l => /^(import|from) /.test(l)),
        body: lines.filter(l => !/^(import|from) /.test(l)),
    }),
    // Pulumi YAML: the entries under `resources:`, pasted under the program's own.
    yaml: lines => ({
        imports: [],
        body: between([...lines, "end:"], /^resources:$/, /^\S/),
    }),
};

/**
 * Pastes `code` (printedCode's) into `file` of `language`: each import line not in the file after
 * the file's last import line, the body after the marker line (YAML: after `resources:`).
 */
export function pasteImported(language: string, file: string, code: string): void {
    const split = SPLIT[language];
    assert.ok(split, `no paste rule for ${language}`);
    const printed = split(code.trimEnd().split("\n"));
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const marker = language === "yaml" ? lines.indexOf("resources:") : lines.findIndex(l => l.includes(IMPORT_MARKER));
    assert.ok(marker >= 0, `${path.basename(file)} has the line where the imported code goes`);
    lines.splice(marker + 1, 0, ...printed.body);
    const newImports = printed.imports.filter(i => i.trim() !== "" && !lines.some(l => l.trim() === i.trim()));
    if (newImports.length) {
        const lastImport = lines.map(l => (language === "go" ? /^\s+"[^"]+"$/ : /^(import|from) /).test(l)).lastIndexOf(true);
        assert.ok(lastImport >= 0, `${path.basename(file)} has imports`);
        lines.splice(lastImport + 1, 0, ...newImports);
    }
    fs.writeFileSync(file, lines.join("\n"));
}
