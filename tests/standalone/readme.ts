// The README's commands: the Use section's (creating the project, installing the package with each
// package manager, and the stack's commands), the Other commands table's, the emulator's command, and
// the commands that find and adopt existing buckets.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../../harness/pulumi";
import { fencedBlockAfter, PackageManager, shellBlocks } from "../support/standalone";

/** The repository's README. */
export const README = path.join(REPO, "README.md");

/** The command the READMEs start the emulator with: `npx` and the bin that package.json declares for it. */
export function emulatorCommand(): string {
    const { bin } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin?: Record<string, string> };
    const name = Object.keys(bin ?? {}).find(n => bin?.[n] === "bin/emulator/main.js");
    assert.ok(name, "package.json's bin names bin/emulator/main.js");
    return `npx ${name}`;
}

/** The Use section's line installing the tarball with `manager`. */
export function installLine(manager: PackageManager, blocks: string[][]): string | undefined {
    return blocks.flat().find(c => c.startsWith(`${manager} ${manager === "npm" ? "install" : "add"} <path-to-tarball>`));
}

/** The Use section's commands installing with `manager`: npm's line, or pnpm's or yarn's whole block. */
export function useInstall(manager: PackageManager, blocks: string[][]): string[] {
    const line = installLine(manager, blocks);
    return manager === "npm" ? (line ? [line] : []) : (blocks.find(b => line !== undefined && b.includes(line)) ?? []);
}

/** The README's "Use" commands: creating the project, installing with `manager`, and the stack steps. */
export function useSectionCommands(manager: PackageManager): { create: string[]; install: string[]; stack: string[] } {
    const blocks = shellBlocks(README);
    const create = blocks.find(b => b[0]?.startsWith("mkdir "));
    const stack = blocks.find(b => b.includes("pulumi config set kmsKeyId <key-id>"));
    const install = useInstall(manager, blocks);
    assert.ok(create && stack && install.length, `README.md's Use section has the project, ${manager} install and stack commands`);
    // mkdir and cd: the project folder is where StandaloneProject runs; the install comes apart.
    return { create: create.filter(c => !c.startsWith("mkdir ") && c !== installLine("npm", blocks)), install, stack };
}


/**
 * README.md's "Other commands" table, row by row: the backticked commands of the first column, and
 * the text of the second ("what it does").
 */
export function otherCommandRows(): Array<{ commands: string[]; does: string }> {
    const text = fs.readFileSync(README, "utf8");
    const start = text.indexOf("\nOther commands");
    assert.ok(start >= 0, "README.md has the Other commands table");
    const lines = text.slice(start + 1).split("\n");
    const first = lines.findIndex(l => l.startsWith("|"));
    const end = lines.findIndex((l, i) => i > first && !l.startsWith("|"));
    // Past the header row and the |---| row.
    return lines.slice(first + 2, end).map(row => {
        const [, command, does] = row.split(/(?<!\\)\|/);
        return { commands: [...command.matchAll(/`([^`]+)`/g)].map(m => m[1]), does };
    });
}

/** The commands of "Find and adopt existing buckets" (tests/scan/adopt.test.ts runs them), comments dropped. */
export function adoptionSteps(): string[] {
    return fencedBlockAfter(README, "## Find and adopt existing buckets", "sh")
        .split("\n")
        .map(line => line.replace(/\s+#\s.*$/, "").trim())
        .filter(line => line !== "" && !line.startsWith("#"));
}
