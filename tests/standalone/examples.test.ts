// Every example, as its README says: copied out of the repo, the package installed from the packed
// tarball, the emulator started from that installed package with the README's own
// `npx oss-encryption-emulator` line, then the README's other commands in order (its
// `alicloud:endpoints` line before `pulumi up`). After each Pulumi step the bucket's live rule is read
// from the emulator. Also: docs/emulator.md's one command starts the emulator from a folder holding
// nothing but the installed package and its dependencies, and the top README's clone commands
// `./run.sh emulator [options]` and `npm run emulator -- [options]` start it in the repository.
import * as assert from "assert/strict";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { findBucketEncryption } from "../../provider/bucketEncryption";
import { OssClient } from "../../provider/oss/client";
import { Emulator, EncryptionRule } from "../../emulator";
import { EmulatorAnnouncement as Announcement } from "../../emulator/main";
import { beforeAllNeedingPulumiCli } from "../support/cli";
import { PASSPHRASE, REPO } from "../../harness/pulumi";
import { assertNoSecretsLeft, providerSizes } from "../support/inspect";
import { firstLineMatching } from "../../harness/lines";
import { allResults, fillPlaceholders, isNodeExample, recordResults, shellBlocks, StandaloneProject } from "../support/standalone";
import { packedTarball } from "../../harness/package";
import { aliOssClient } from "../../harness/aliOss";
import { emulatorCommand, otherCommandRows } from "./readme";

/** What an example's README promises: placeholder values, and the rules `pulumi up` leaves. */
interface ExampleCase {
    name: string;
    /** Values of the README's placeholders besides the tarball and the key pair. */
    placeholders: Record<string, string>;
    /** The rule each bucket has after `up`; every one has none after `destroy`. */
    expect: Record<string, EncryptionRule>;
}

const KEY = "0b4f6a1c-0000-4e5a-9c3b-5e2d7f8a9b10";

const cases: ExampleCase[] = [
    { name: "basic", placeholders: { "<bucket>": "demo-logs" }, expect: { "demo-logs": { SSEAlgorithm: "AES256" } } },
    {
        name: "kms-cmk",
        placeholders: { "<bucket>": "demo-kms", "<key-id>": KEY },
        expect: { "demo-kms": { SSEAlgorithm: "KMS", KMSMasterKeyID: KEY } },
    },
    {
        name: "sm4",
        placeholders: { "<bucket-1>": "demo-sm4-oss", "<bucket-2>": "demo-sm4-kms" },
        expect: { "demo-sm4-oss": { SSEAlgorithm: "SM4" }, "demo-sm4-kms": { SSEAlgorithm: "KMS", KMSDataEncryption: "SM4" } },
    },
    { name: "import-existing", placeholders: { "<bucket>": "demo-legacy" }, expect: { "demo-legacy": { SSEAlgorithm: "SM4" } } },
    {
        name: "many-buckets",
        placeholders: { "<bucket-1>": "demo-a", "<bucket-2>": "demo-b", "<bucket-3>": "demo-c" },
        expect: { "demo-a": { SSEAlgorithm: "AES256" }, "demo-b": { SSEAlgorithm: "AES256" }, "demo-c": { SSEAlgorithm: "AES256" } },
    },
];

/** A port P with P and P+1 free on 127.0.0.1 (the emulator's OSS and KMS ports). */
async function freePortPair(): Promise<number> {
    const listenable = (port: number) =>
        new Promise<boolean>(resolve => {
            const server = net.createServer().once("error", () => resolve(false));
            server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
        });
    for (let attempt = 0; attempt < 50; attempt++) {
        const port = 20000 + Math.floor(Math.random() * 40000);
        if ((await listenable(port)) && (await listenable(port + 1))) {
            return port;
        }
    }
    throw new Error("no free port pair on 127.0.0.1");
}

/**
 * Starts a README's emulator command, in `project` (the installed package's command) or else in the
 * repository (a clone's), and waits for its announcement.
 */
async function startReadmeEmulator(command: string, project?: StandaloneProject): Promise<{ child: ChildProcess; announced: Announcement }> {
    const child = project
        ? project.start(command)
        : spawn("bash", ["-c", `exec ${command}`], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"], detached: true });
    // npm prints its own header lines first; the announcement is the first JSON line.
    const line = await firstLineMatching(child, l => l.startsWith("{"), `\`${command}\``);
    return { child, announced: JSON.parse(line) as Announcement };
}

/** An OSS client of the announced emulator, with its credential. */
function announcedClient(announced: Announcement): OssClient {
    return new OssClient({
        region: "cn-hangzhou",
        endpoint: announced.endpoint,
        credentials: async () => ({ accessKeyId: announced.accessKeyId, accessKeySecret: announced.accessKeySecret }),
    });
}

/** A bucket's live rule as plain data; undefined when it has none. */
async function liveRule(client: OssClient, bucket: string): Promise<EncryptionRule | undefined> {
    const rule = await findBucketEncryption(client, bucket);
    return rule && JSON.parse(JSON.stringify(rule));
}

/** Stops the emulator and npm (or npx) around it, if it was started. */
function stopEmulator(child: ChildProcess | undefined): void {
    if (child?.pid === undefined) {
        return;
    }
    try {
        process.kill(-child.pid, "SIGTERM");
    } catch {
        // already gone
    }
}

/**
 * Splits a README's blocks into the step installing the package (the first), the emulator command
 * (run from the installed package, so after that step), and the project's other steps with the
 * endpoint lines before `pulumi up`.
 */
function readmeSteps(readme: string): { install: string; emulator: string; steps: string[] } {
    const blocks = shellBlocks(readme);
    const emulator = blocks.flat().filter(c => c.startsWith(emulatorCommand()));
    const endpoints = blocks.flat().filter(c => c.includes("alicloud:endpoints"));
    const steps = blocks.find(b => b.includes("pulumi up"));
    assert.equal(emulator.length, 1, `${readme}: one \`${emulatorCommand()}\` line`);
    assert.ok(endpoints.length > 0 && steps, `${readme}: an alicloud:endpoints line and a block with pulumi up`);
    assert.match(steps[0], /^npm install <path-to-tarball>/, `${readme}: the steps start by installing the package the emulator runs from`);
    const up = steps.indexOf("pulumi up");
    return { install: steps[0], emulator: emulator[0], steps: [...steps.slice(1, up), ...endpoints, ...steps.slice(up)] };
}

// A root-level hook: after every suite, the table of standalone commands (project, command, exit
// code, seconds), with the values of secret config left out.
after(() => {
    const shown = (command: string) => command.replace(/(--secret \S+) \S+/, "$1 ***").slice(0, 90);
    console.log(allResults.map(r => `    ${r.project} | ${shown(r.command)} | ${r.code} | ${r.seconds.toFixed(1)} s`).join("\n"));
});

describe("examples/ as standalone projects, as their READMEs say", function () {
    this.timeout(15 * 60_000);

    before(beforeAllNeedingPulumiCli);

    it("covers every Node.js example, and each has a README", () => {
        const nodeExamples = fs.readdirSync(path.join(REPO, "examples")).filter(isNodeExample);
        assert.deepEqual(nodeExamples.sort(), cases.map(c => c.name).sort());
        for (const name of nodeExamples) {
            assert.ok(fs.existsSync(path.join(REPO, "examples", name, "README.md")), `examples/${name}/README.md`);
        }
    });

    it("docs/emulator.md's `npx oss-encryption-emulator`: one command starts the installed package's emulator, with nothing but its dependencies", async () => {
        const command = shellBlocks(path.join(REPO, "docs/emulator.md"))
            .flat()
            .find(c => c.startsWith(`${emulatorCommand()} --bucket `));
        assert.ok(command, `docs/emulator.md shows \`${emulatorCommand()} --bucket ...\``);
        const words = command.split(" ");
        const bucket = words[words.indexOf("--bucket") + 1].split(":")[0];
        const project = StandaloneProject.create(undefined);
        let child: ChildProcess | undefined;
        try {
            fs.writeFileSync(path.join(project.dir, "package.json"), JSON.stringify({ name: "emulator-only", private: true }));
            // Without peers (no @pulumi/pulumi): the emulator needs only the package's dependencies.
            await project.run(`npm install --omit=peer --no-audit --no-fund ${packedTarball()}`);
            assert.ok(!fs.existsSync(path.join(project.dir, "node_modules/@pulumi")), "no @pulumi package is installed");
            const started = await startReadmeEmulator(command, project);
            child = started.child;
            const { announced } = started;
            assert.match(announced.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.match(announced.kmsEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.deepEqual(announced.buckets, [bucket]);
            // Real requests to the seeded bucket: ali-oss (V4) puts a rule, our signer reads it back.
            const credential = { accessKeyId: announced.accessKeyId, accessKeySecret: announced.accessKeySecret };
            const ali = aliOssClient({ endpoint: announced.endpoint, kmsEndpoint: announced.kmsEndpoint, defaultCredential: credential } as Emulator, "v4");
            assert.equal(await liveRule(announcedClient(announced), bucket), undefined, "the seeded bucket has no rule");
            assert.equal((await ali.putBucketEncryption(bucket, { SSEAlgorithm: "KMS", KMSMasterKeyID: "demo-key-enabled" })).status, 200);
            assert.deepEqual(await liveRule(announcedClient(announced), bucket), { SSEAlgorithm: "KMS", KMSMasterKeyID: "demo-key-enabled" });
        } finally {
            stopEmulator(child);
            recordResults("emulator", project);
            project.remove();
        }
    });

    for (const front of ["./run.sh emulator", "npm run emulator --"]) {
        it(`README.md's \`${front} [options]\`: in a clone, starts the same emulator with the options given`, async () => {
            const command = otherCommandRows()
                .flatMap(r => r.commands)
                .find(c => c.startsWith(`${front} [options]`));
            assert.ok(command, `README.md's Other commands table has ${front} [options]`);
            const port = await freePortPair();
            const { child, announced } = await startReadmeEmulator(command.replace("[options]", `--port ${port} --bucket front-door:cn-hangzhou:SM4`));
            try {
                assert.equal(announced.endpoint, `http://127.0.0.1:${port}`);
                assert.equal(announced.kmsEndpoint, `http://127.0.0.1:${port + 1}`);
                assert.deepEqual(await liveRule(announcedClient(announced), "front-door"), { SSEAlgorithm: "SM4" }, "the seeded bucket's rule");
            } finally {
                stopEmulator(child);
            }
        });
    }

    for (const example of cases) {
        it(`${example.name}: install from the tarball, up, preview --expect-no-changes, refresh, destroy`, async () => {
            const readme = path.join(REPO, "examples", example.name, "README.md");
            const { install, emulator: emulatorLine, steps } = readmeSteps(readme);
            const port = await freePortPair();
            const ports = { "9100": String(port), "9101": String(port + 1) };
            const project = StandaloneProject.create(path.join(REPO, "examples", example.name));
            let child: ChildProcess | undefined;
            try {
                await project.run(fillPlaceholders(install, { "<path-to-tarball>": packedTarball() }));
                const started = await startReadmeEmulator(fillPlaceholders(emulatorLine, ports), project);
                child = started.child;
                const { announced } = started;
                const client = announcedClient(announced);
                const liveRules = async () => {
                    const rules: Record<string, EncryptionRule | undefined> = {};
                    for (const bucket of Object.keys(example.expect)) {
                        rules[bucket] = await liveRule(client, bucket);
                    }
                    return rules;
                };
                const none = Object.fromEntries(Object.keys(example.expect).map(b => [b, undefined]));
                const values = {
                    ...ports,
                    ...example.placeholders,
                    "<path-to-tarball>": packedTarball(),
                    "<access-key-id>": announced.accessKeyId,
                    "<access-key-secret>": announced.accessKeySecret,
                };
                for (const step of steps) {
                    await project.run(fillPlaceholders(step, values));
                    if (step === "pulumi up" || step.startsWith("pulumi preview") || step === "pulumi refresh") {
                        assert.deepEqual(await liveRules(), example.expect, `after \`${step}\``);
                    }
                    if (step === "pulumi up") {
                        const exported = await project.run("pulumi stack export");
                        const sizes = providerSizes(JSON.parse(exported.stdout));
                        assert.equal(sizes.length, Object.keys(example.expect).length, "one __provider per BucketEncryption");
                        sizes.forEach(([urn, bytes]) => assert.ok(bytes < 4096, `${urn}: __provider is ${bytes} bytes`));
                    }
                }
                assert.ok(steps.includes("pulumi destroy"), "the README ends with destroy");
                assert.deepEqual(await liveRules(), none, "after `pulumi destroy`");
                assertNoSecretsLeft([announced.accessKeySecret, PASSPHRASE], {
                    "the CLI output": project.output(),
                    "the stack's files": project.leftovers(),
                });
            } finally {
                recordResults(example.name, project);
                stopEmulator(child);
                project.remove();
            }
        });
    }
});
