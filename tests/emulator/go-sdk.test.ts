// The classic OSS Go SDK (github.com/aliyun/aliyun-oss-go-sdk, the base of ossutil 1.x) drives the
// emulator in V1 and V4; in V4 it dates requests with Date alone, no x-oss-date. The driver is
// tests/emulator/go/main.go, built with the Go toolchain from its pinned go.mod; the cases and
// checks (bucket encryption, ListBuckets paged with Marker/NextMarker) are driven-clients.ts's. Without Go the suites are skipped with a message, and fail under CI=true.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Driver, describeDrivenOssClient, skipOrFailWithout } from "./driven-clients";

const DRIVER_DIR = path.resolve(__dirname, "../../../tests/emulator/go");

/** The built driver, once per run; undefined when it cannot be built (the reason in `buildProblem`). */
let built: Promise<string | undefined> | undefined;
let buildProblem = "";

function buildDriver(): Promise<string | undefined> {
    built ??= new Promise(resolve => {
        const binary = path.join(os.tmpdir(), `oss-go-sdk-driver-${process.pid}`);
        execFile("go", ["build", "-o", binary, "."], { cwd: DRIVER_DIR, timeout: 10 * 60 * 1000 }, (error, _stdout, stderr) => {
            if (error) {
                buildProblem = `go (to build tests/emulator/go): ${(stderr || String(error)).trim().split("\n").slice(-3).join(" | ")}`;
                resolve(undefined);
            } else {
                process.once("exit", () => fs.rmSync(binary, { force: true }));
                resolve(binary);
            }
        });
    });
    return built;
}

async function goDriver(context: Mocha.Context): Promise<Driver> {
    context.timeout(11 * 60 * 1000);
    const binary = await buildDriver();
    if (!binary) {
        skipOrFailWithout(context, "the Go SDK conformance tests", buildProblem);
    }
    return { command: binary, args: [] };
}

describeDrivenOssClient("aliyun-oss-go-sdk (Go)", "aliyun-oss-go-sdk", "v1", goDriver);
describeDrivenOssClient("aliyun-oss-go-sdk (Go)", "aliyun-oss-go-sdk", "v4", goDriver);
