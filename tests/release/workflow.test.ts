// The release workflow (.github/workflows/release.yml) cannot run here (no GitHub), so it is
// checked three ways: actionlint finds nothing in any workflow; the workflow still publishes every
// artifact kind, each from the file name scripts/release-assets.sh checks after `npm run dist`; and
// the tag must equal package.json's version before anything is built. docs/release.md describes it.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "../../harness/pulumi";
import { missing } from "../plugin/support";
import { parseYaml, Yaml } from "./yaml";

const WORKFLOWS = path.join(REPO, ".github/workflows");
const RELEASE = path.join(WORKFLOWS, "release.yml");
const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version;

type Map = { [key: string]: Yaml };
interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    with?: Map;
    env?: Map;
}
interface Job {
    name?: string;
    needs?: string | string[];
    permissions?: Map;
    environment?: string | Map;
    outputs?: Map;
    steps: Step[];
}

function workflow(): { on: Map; permissions: Yaml; jobs: { [id: string]: Job } } {
    return parseYaml(fs.readFileSync(RELEASE, "utf8")) as never;
}

/** Runs a bash script of the repository; its exit status, stdout and stderr. */
function script(name: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    const r = spawnSync("bash", [path.join(REPO, "scripts", name), ...args], { encoding: "utf8", env, timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The files scripts/release-assets.sh names for one kind (made in a scratch dist so it succeeds). */
function assets(kind: string): string[] {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), "release-dist-"));
    try {
        const all = script("release-assets.sh", [dist, VERSION]).stderr;
        for (const m of all.matchAll(/missing (\S+) \(npm run dist/g)) {
            fs.mkdirSync(path.dirname(m[1]), { recursive: true });
            fs.writeFileSync(m[1], "");
        }
        const r = script("release-assets.sh", ["--kind", kind, dist, VERSION]);
        assert.strictEqual(r.status, 0, r.stderr);
        return r.stdout.trim().split("\n").map(f => path.relative(dist, f));
    } finally {
        fs.rmSync(dist, { recursive: true, force: true });
    }
}

/** The job's steps using an action (owner/name, any ref). */
function using(job: Job, action: string): Step[] {
    return job.steps.filter(s => s.uses?.split("@")[0] === action);
}

/** The job's run scripts without their comment lines (a commented-out command does not count). */
function scripts(job: Job): string {
    return job.steps.map(s => (s.run ?? "").split("\n").filter(l => !/^\s*#/.test(l)).join("\n")).join("\n");
}

function needsBuild(job: Job): boolean {
    return ([] as string[]).concat(job.needs ?? []).includes("build");
}

/** The publish job downloads the build job's artifact into dist/. */
function assertDownloadsDist(id: string, job: Job, uploaded: string) {
    assert.ok(needsBuild(job), `job ${id} needs build`);
    const download = using(job, "actions/download-artifact");
    assert.ok(download.length === 1, `job ${id} downloads the build's artifact`);
    assert.strictEqual(download[0].with?.name, uploaded, `job ${id} downloads the artifact build uploads`);
    assert.strictEqual(download[0].with?.path, "dist", `job ${id} downloads it into dist`);
}

describe("release workflow: actionlint", function () {
    this.timeout(10 * 60_000);
    let actionlint = "";

    before(function () {
        const r = script("ensure-actionlint.sh", []);
        if (r.status !== 0) {
            const go = spawnSync("go", ["version"]).status === 0;
            if (!go) {
                return missing(this, `Go is not on PATH, so actionlint cannot be built (scripts/ensure-actionlint.sh): ${r.stderr.trim()}`);
            }
            throw new Error(`scripts/ensure-actionlint.sh failed:\n${r.stderr}`);
        }
        actionlint = r.stdout.trim().split("\n").pop() as string;
        if (!/shellcheck .* run: scripts are checked/.test(r.stderr)) {
            console.warn("note: no shellcheck on PATH, so actionlint does not check the run: scripts");
        }
    });

    it("reports nothing in .github/workflows/*.yml", () => {
        const files = fs.readdirSync(WORKFLOWS).filter(f => /\.ya?ml$/.test(f)).map(f => path.join(".github/workflows", f));
        assert.ok(files.includes(".github/workflows/release.yml"), "there is a release workflow");
        const r = spawnSync(actionlint, ["-color=false", ...files], { cwd: REPO, encoding: "utf8", timeout: 120_000 });
        assert.ok(r.status === 0 && r.stdout.trim() === "", `actionlint (exit ${r.status}) reports:\n${r.stdout}${r.stderr}`);
    });

    it("does report a mistake (so the pass above means something)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
        try {
            const broken = fs.readFileSync(RELEASE, "utf8").replace("needs.build.outputs.version", "needs.bulid.outputs.version");
            fs.mkdirSync(path.join(dir, ".github/workflows"), { recursive: true });
            fs.writeFileSync(path.join(dir, ".github/workflows/release.yml"), broken);
            const r = spawnSync(actionlint, ["-color=false", ".github/workflows/release.yml"], { cwd: dir, encoding: "utf8" });
            assert.notStrictEqual(r.status, 0, "actionlint accepted a reference to a job that does not exist");
            assert.match(r.stdout, /property "bulid" is not defined/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("release workflow: what it publishes", () => {
    const wf = workflow();
    const jobs = wf.jobs;
    const build = jobs.build;
    const uploaded = using(build, "actions/upload-artifact")[0]?.with?.name;
    /** The workflow's $VERSION form of a dist file. */
    const templated = (file: string) => file.split(VERSION).join("$VERSION");

    it("runs on pushed tags v*, with no permissions but those each job asks for", () => {
        assert.deepStrictEqual((wf.on.push as Map).tags, ["v*"]);
        assert.deepStrictEqual(wf.permissions, {});
        for (const [id, job] of Object.entries(jobs)) {
            assert.ok(job.permissions && typeof job.permissions === "object", `job ${id} says its permissions`);
        }
        const writers = (scope: string) => Object.keys(jobs).filter(id => jobs[id].permissions?.[scope] === "write").sort();
        assert.deepStrictEqual(writers("id-token"), ["npm", "pypi"], "only the npm and PyPI jobs get OIDC tokens");
        assert.deepStrictEqual(writers("contents"), ["github-release", "go-sdk"], "only the release and the Go tag write to the repository");
    });

    it("checks the tag against package.json before it tests, builds or publishes anything", () => {
        const check = build.steps.findIndex(s => /scripts\/release-version\.sh "\$GITHUB_REF_NAME"/.test(s.run ?? ""));
        assert.ok(check >= 0, "build runs scripts/release-version.sh on the tag");
        const first = (pattern: RegExp) => build.steps.findIndex(s => pattern.test(s.run ?? ""));
        for (const [what, at] of [["./run.sh test", first(/\.\/run\.sh test/)], ["npm run dist", first(/npm run dist/)]] as const) {
            assert.ok(at > check, `${what} runs after the tag check`);
        }
        assert.ok(first(/\.\/run\.sh test/) < first(/npm run dist/), "the tests run before npm run dist");
        const id = build.steps[check].id;
        assert.strictEqual(build.outputs?.version, `\${{ steps.${id}.outputs.version }}`, "the version every job uses is the checked one");
        for (const [jobId, job] of Object.entries(jobs)) {
            if (jobId !== "build") {
                assert.ok(needsBuild(job), `job ${jobId} waits for build (and so for the tag check)`);
            }
        }
        // The check itself.
        const ok = script("release-version.sh", [`v${VERSION}`]);
        assert.strictEqual(ok.status, 0, ok.stderr);
        assert.strictEqual(ok.stdout.trim(), VERSION);
        for (const tag of [`v${VERSION}.1`, VERSION, `v${VERSION}-rc.1`, "vX"]) {
            const bad = script("release-version.sh", [tag]);
            assert.strictEqual(bad.status, 1, `the tag ${tag} is refused`);
            assert.match(bad.stderr, new RegExp(`the tag is ${tag.replace(/\./g, "\\.")} but package.json's version is`));
        }
    });

    it("sets up Node.js 24 for npm, Go, Java 17 with Maven and Python, then checks every artifact after npm run dist", () => {
        const node = using(build, "actions/setup-node")[0];
        assert.strictEqual(node?.with?.["node-version"], "24");
        assert.strictEqual(node?.with?.["registry-url"], "https://registry.npmjs.org");
        assert.ok(using(build, "actions/setup-go").length === 1, "Go");
        assert.strictEqual(using(build, "actions/setup-java")[0]?.with?.["java-version"], "17");
        assert.ok(build.steps.some(s => /\bmvn\b/.test(s.run ?? "")), "Maven is checked");
        assert.ok(using(build, "actions/setup-python").length === 1, "Python");
        const dist = build.steps.findIndex(s => /npm run dist/.test(s.run ?? ""));
        const check = build.steps.findIndex(s => /bash scripts\/release-assets\.sh dist "\$VERSION"/.test(s.run ?? ""));
        const upload = build.steps.findIndex(s => s.uses?.startsWith("actions/upload-artifact@"));
        assert.ok(dist < check && check < upload, "npm run dist, then scripts/release-assets.sh, then the upload");
        assert.strictEqual(build.steps[upload].with?.path, "dist/");
        assert.strictEqual(build.steps[upload].with?.["if-no-files-found"], "error");
    });

    it("publishes both npm packages with provenance", () => {
        const job = jobs.npm;
        assert.ok(job, "an npm job");
        assertDownloadsDist("npm", job, uploaded as string);
        const run = scripts(job);
        assert.match(run, /npm publish --provenance --access public/);
        for (const file of [...assets("npm"), ...assets("nodejs")]) {
            assert.ok(run.includes(`"dist/${templated(file)}"`), `the npm job publishes dist/${templated(file)}`);
        }
        assert.ok(using(job, "actions/setup-node")[0]?.with?.["registry-url"], "setup-node writes the registry's .npmrc");
    });

    it("publishes the Python wheel and sdist to PyPI by trusted publishing", () => {
        const job = jobs.pypi;
        assert.ok(job, "a pypi job");
        assertDownloadsDist("pypi", job, uploaded as string);
        const publish = using(job, "pypa/gh-action-pypi-publish");
        assert.strictEqual(publish.length, 1, "pypa/gh-action-pypi-publish");
        assert.strictEqual(publish[0].with?.["packages-dir"], "dist/python");
        assert.ok(!publish[0].with?.password, "no API token: trusted publishing");
        const environment = typeof job.environment === "string" ? job.environment : job.environment?.name;
        assert.strictEqual(environment, "pypi");
        const python = assets("python");
        assert.deepStrictEqual(python.map(f => path.dirname(f)), ["python", "python"], "the wheel and the sdist are in dist/python");
        assert.ok(python.some(f => f.endsWith("-py3-none-any.whl")) && python.some(f => f.endsWith(".tar.gz")));
    });

    it("attaches every release file to the GitHub release v<version>", () => {
        const job = jobs["github-release"];
        assert.ok(job, "a github-release job");
        assertDownloadsDist("github-release", job, uploaded as string);
        const run = scripts(job);
        assert.match(run, /gh release create "\$tag" "\$\{assets\[@\]\}"/);
        assert.match(run, /tag="v\$VERSION"/);
        assert.match(run, /mapfile -t assets < <\(bash scripts\/release-assets\.sh --kind github dist "\$VERSION"\)/);
        const github = assets("github");
        const expected = [
            ...["linux-amd64", "linux-arm64", "darwin-amd64", "windows-amd64"].map(p => `pulumi-resource-oss-encryption-v${VERSION}-${p}.tar.gz`),
            `pulumi-oss-encryption_${VERSION}_checksums.txt`,
            `pulumi-oss-encryption-${VERSION}.tgz`,
            `nodejs/oss-encryption-pulumi-${VERSION}.tgz`,
            `python/pulumi_oss_encryption-${VERSION}-py3-none-any.whl`,
            `python/pulumi_oss_encryption-${VERSION}.tar.gz`,
            `java/pulumi-oss-encryption-${VERSION}.jar`,
            `java/pulumi-oss-encryption-${VERSION}.pom`,
        ];
        assert.deepStrictEqual([...github].sort(), [...expected].sort());
        assert.deepStrictEqual([...assets("all")].sort(), [...expected].sort(), "the build checks the same files");
    });

    it("releases the Go SDK by pushing the tag sdks/go/v<version>", () => {
        const job = jobs["go-sdk"];
        assert.ok(job, "a go-sdk job");
        assert.ok(needsBuild(job));
        const run = scripts(job);
        assert.match(run, /tag="sdks\/go\/v\$VERSION"/);
        assert.match(run, /git tag "\$tag" "\$GITHUB_SHA"/);
        assert.match(run, /git push origin "refs\/tags\/\$tag"/);
        assert.match(run, /github\.com\/oss-encryption\/pulumi-oss-encryption\/sdks\/go/);
        const checkout = using(job, "actions/checkout")[0];
        assert.ok(checkout && checkout.with?.["persist-credentials"] !== "false", "the checkout keeps the token to push with");
    });

    it("pins every action by full commit SHA and names its tag", () => {
        for (const file of fs.readdirSync(WORKFLOWS).filter(f => /\.ya?ml$/.test(f))) {
            const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
            for (const line of text.split("\n").filter(l => /^\s*(- )?uses:/.test(l))) {
                assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/, `${file}: ${line.trim()}`);
            }
        }
    });

    it("declares the GitHub repository in package.json (npm provenance checks it)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
        assert.match(String(pkg.repository?.url ?? pkg.repository), /github\.com\/oss-encryption\/pulumi-oss-encryption(\.git)?$/);
    });
});

describe("release workflow: scripts/release-assets.sh", () => {
    it("lists the release files when all are there and names each one missing otherwise", () => {
        const dist = fs.mkdtempSync(path.join(os.tmpdir(), "release-dist-"));
        try {
            const files = assets("all").map(f => path.join(dist, f));
            for (const f of files) {
                fs.mkdirSync(path.dirname(f), { recursive: true });
                fs.writeFileSync(f, "");
            }
            const ok = script("release-assets.sh", [dist, VERSION]);
            assert.strictEqual(ok.status, 0, ok.stderr);
            assert.deepStrictEqual(ok.stdout.trim().split("\n").sort(), [...files].sort());
            fs.rmSync(files[0]);
            fs.rmSync(files[files.length - 1]);
            const bad = script("release-assets.sh", [dist, VERSION]);
            assert.strictEqual(bad.status, 1);
            assert.ok(bad.stderr.includes(`missing ${files[0]}`) && bad.stderr.includes(`missing ${files[files.length - 1]}`), bad.stderr);
            assert.match(bad.stderr, new RegExp(`2 of ${files.length} release files missing`));
        } finally {
            fs.rmSync(dist, { recursive: true, force: true });
        }
    });
});

