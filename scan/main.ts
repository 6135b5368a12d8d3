#!/usr/bin/env node
// `pulumi-oss-encryption scan` (package.json's bin; `npx pulumi-oss-encryption scan` in a project
// that installed the package): the scan of every bucket of an account, on the terminal or for a
// pipeline, and the files that adopt the buckets into a stack. Exit 0: every bucket passes; 1: some
// fail; 2: the scan could not complete (a bad option or file, ListBuckets failing, a bucket unread).
import * as fs from "fs";
import { ProviderProcess } from "../provider/provider";
import { DEFAULT_LIVE_RULE_POLICIES, LiveRulePolicies, readPackConfig } from "../policy/liveRules";
import { adoptable, importFileOf, managedBuckets, typescriptOf } from "./adoption";
import { parseScanOptions, SCAN_FORM, ScanOptions, USAGE } from "./options";
import { formatJson, formatMarkdown, formatTable } from "./report";
import { exitCodeOf, scanBuckets } from "./scan";

/** A JSON file's content, or an error naming the file and the option that gave it. */
function readJson(file: string, option: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(`${option} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new Error(`${option} ${file} is not JSON: ${(err as Error).message}`);
    }
}

/** Where the scan writes: injectable for tests. */
export interface ScanIo {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
    /** Whether stderr is a terminal (then a progress line is kept up to date there). */
    progress: boolean;
}

const PROCESS_IO: ScanIo = {
    stdout: text => void process.stdout.write(text),
    stderr: text => void process.stderr.write(text),
    progress: process.stderr.isTTY === true,
};

/** Runs `scan` with `options`; returns the exit code. */
export async function runScan(options: ScanOptions, io: ScanIo = PROCESS_IO): Promise<number> {
    const policies: LiveRulePolicies = options.policyPackConfig ? readPackConfig(readJson(options.policyPackConfig, "--policy-pack-config")) : DEFAULT_LIVE_RULE_POLICIES;
    const exclude = new Set<string>();
    for (const file of options.excludeStacks) {
        managedBuckets(readJson(file, "--exclude-stack"), file).forEach(bucket => exclude.add(bucket));
    }
    const provider = new ProviderProcess({ log: (severity, message) => io.stderr(`${severity}: ${message}\n`) });
    provider.configure(() => options.settings, SCAN_FORM);
    const result = await scanBuckets(provider, {
        regions: options.regions,
        prefix: options.prefix,
        concurrency: options.concurrency,
        policies,
        exclude,
        onProgress: io.progress ? (done, listed) => io.stderr(`\rscanned ${done} of ${listed} buckets`) : undefined,
    });
    if (io.progress && result.reports.length > 0) {
        io.stderr("\n");
    }
    const format = { table: formatTable, json: formatJson, markdown: formatMarkdown }[options.format];
    io.stdout(format(result.reports));
    const chosen = adoptable(result.reports, options.importFilter);
    if (options.importFile) {
        fs.writeFileSync(options.importFile, JSON.stringify(importFileOf(chosen), null, 2) + "\n");
        io.stderr(`wrote ${options.importFile}: ${chosen.length} buckets (${options.importFilter}); adopt them with \`pulumi import --file ${options.importFile}\`\n`);
    }
    if (options.typescriptFile) {
        fs.writeFileSync(options.typescriptFile, typescriptOf(chosen));
        io.stderr(`wrote ${options.typescriptFile}: ${chosen.length} BucketEncryption declarations (${options.importFilter}) for the dynamic provider\n`);
    }
    const withoutRule = result.reports.filter(r => r.rule === undefined && r.verdict !== "error").length;
    if ((options.importFile || options.typescriptFile) && withoutRule > 0) {
        io.stderr(`${withoutRule} buckets without a rule have nothing to adopt: declare a BucketEncryption for each (the next \`pulumi up\` creates the rule)\n`);
    }
    if (exclude.size > 0 || result.skipped > 0) {
        io.stderr(`left out: ${result.skipped} buckets (--region, --exclude-stack: ${exclude.size} managed by the stacks given)\n`);
    }
    const unread = result.reports.filter(r => r.verdict === "error");
    if (unread.length > 0) {
        io.stderr(`the scan is incomplete: ${unread.length} buckets could not be read:\n${unread.map(r => `  ${r.bucket}: ${r.error}\n`).join("")}`);
    }
    return exitCodeOf(result.reports);
}

/** The command line: `scan [options]`. */
export async function main(argv: string[], io: ScanIo = PROCESS_IO): Promise<number> {
    const [command, ...rest] = argv;
    if (command !== "scan") {
        io.stderr(command === undefined || command === "--help" ? `${USAGE}\n` : `unknown command ${JSON.stringify(command.slice(0, 64))}: the one command is scan\n${USAGE}\n`);
        return command === "--help" ? 0 : 2;
    }
    try {
        const options = parseScanOptions(rest);
        if (options.help) {
            io.stdout(`${USAGE}\n`);
            return 0;
        }
        return await runScan(options, io);
    } catch (err) {
        io.stderr(`pulumi-oss-encryption scan: ${(err as Error).message}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(code => process.exit(code));
}
