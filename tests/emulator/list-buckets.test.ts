// ListBuckets (GetService) on the service endpoint. ali-oss pages through buckets of three regions
// with V1 and V4 signatures; on the wire: the exact XML of a truncated and a final page, both ways
// of addressing the service endpoint, what is signed, max-keys' bounds, the request log, and
// faults and latency by action. The Python and Go SDKs' listings are in driven-clients.ts.
import * as assert from "assert/strict";
import { Emulator, EmulatorCredential, startEmulator } from "../../emulator";
import { UNDOCUMENTED_EC } from "../../emulator/oss/xml";
import { DEFAULT_ACCOUNT_ID } from "../../emulator/state/keys";
import { AliOssClient, SigningVersion, aliOssClient } from "../../harness/aliOss";
import { LISTED_BUCKETS } from "./driven-clients";
import { RawResponse, SignedOssRequest, assertOssError, rejection, signedOssRequest, xmlElement } from "./support";

/** What ali-oss's listBuckets resolves to (harness/aliOss.ts types only the calls the provider's tests make). */
interface AliOssBucketList {
    buckets: { name: string; region: string; creationDate: string; storageClass: string }[] | null;
    owner: { id: string; displayName: string };
    isTruncated: boolean;
    nextMarker: string | null;
}

/** ali-oss's listBuckets query: its names are OSS's parameters. */
interface AliOssListQuery {
    prefix?: string;
    marker?: string;
    "max-keys"?: number;
}

function listBuckets(client: AliOssClient, query: AliOssListQuery): Promise<AliOssBucketList> {
    return (client as AliOssClient & { listBuckets(q: AliOssListQuery): Promise<AliOssBucketList> }).listBuckets(query);
}

/** Every page, following nextMarker while isTruncated, as an application pages with ali-oss. */
async function allPages(client: AliOssClient, query: AliOssListQuery): Promise<AliOssBucketList[]> {
    const pages = [await listBuckets(client, query)];
    while (pages[pages.length - 1].isTruncated) {
        pages.push(await listBuckets(client, { ...query, marker: pages[pages.length - 1].nextMarker ?? undefined }));
    }
    return pages;
}

const names = (page: AliOssBucketList) => (page.buckets ?? []).map(b => b.name);
const SORTED = LISTED_BUCKETS.map(b => b.name).sort();
const regionOf = (name: string) => LISTED_BUCKETS.find(b => b.name === name)?.region;

const READ_ONLY: EmulatorCredential = {
    accessKeyId: "LTAIlistreadonly00000000",
    accessKeySecret: "list-read-only-not-real",
    allow: ["oss:GetBucketEncryption"],
};
const STS: EmulatorCredential = {
    accessKeyId: "STS.listbucketstest000000",
    accessKeySecret: "list-sts-secret-not-real",
    securityToken: "list-sts-token-for-tests-only",
};

for (const version of ["v1", "v4"] as SigningVersion[]) {
    describe(`ali-oss listBuckets against the emulator, ${version} signatures`, () => {
        let emulator: Emulator;
        let client: AliOssClient;
        let seededAt: [number, number];
        const clientWith = (overrides: Parameters<typeof aliOssClient>[2]) => aliOssClient(emulator, version, overrides);

        before(async () => {
            emulator = await startEmulator({ credentials: [READ_ONLY, STS] });
            client = aliOssClient(emulator, version);
            const started = Date.now();
            LISTED_BUCKETS.forEach(b => emulator.seedBucket(b.name, { region: b.region }));
            seededAt = [Math.floor(started / 1000) * 1000, Date.now()];
        });
        after(() => emulator.stop());

        it("pages through every bucket of every region once, in order, 10 a page", async () => {
            const pages = await allPages(client, { "max-keys": 10 });
            assert.deepEqual(pages.map(p => names(p).length), [10, 10, 5]);
            assert.deepEqual(pages.map(p => p.isTruncated), [true, true, false]);
            assert.deepEqual(pages.map(p => p.nextMarker), [SORTED[9], SORTED[19], null]);
            assert.deepEqual(pages.flatMap(names), SORTED);
            for (const bucket of pages.flatMap(p => p.buckets ?? [])) {
                // ali-oss's `region` is OSS's Location.
                assert.equal(bucket.region, `oss-${regionOf(bucket.name)}`, bucket.name);
                assert.equal(bucket.storageClass, "Standard");
                assert.match(bucket.creationDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
                const created = Date.parse(bucket.creationDate);
                assert.ok(created >= seededAt[0] && created <= seededAt[1], bucket.creationDate);
            }
            pages.forEach(p => assert.deepEqual(p.owner, { id: DEFAULT_ACCOUNT_ID, displayName: DEFAULT_ACCOUNT_ID }));
            const scheme = version === "v1" ? "OSS" : "OSS4-HMAC-SHA256";
            const logged = emulator.requestLog.slice(-3).map(r => [r.action, r.bucket, r.status, r.signature]);
            assert.deepEqual(logged, Array(3).fill(["ListBuckets", undefined, 200, scheme]));
        });

        it("filters by prefix, paging within it", async () => {
            const pages = await allPages(client, { prefix: "listed-2", "max-keys": 3 });
            assert.deepEqual(pages.map(names), [SORTED.slice(20, 23), SORTED.slice(23, 25)]);
            assert.deepEqual(pages.map(p => p.nextMarker), ["listed-22", null]);
            const exact = await listBuckets(client, { prefix: "listed-1", "max-keys": 10 });
            // Exactly max-keys buckets match: the listing is complete, not truncated.
            assert.deepEqual([names(exact), exact.isTruncated, exact.nextMarker], [SORTED.slice(10, 20), false, null]);
            assert.equal((await listBuckets(client, { prefix: "nothing-" })).buckets, null);
        });

        it("starts at the first name after the marker, which need not name a bucket", async () => {
            assert.deepEqual(names(await listBuckets(client, { marker: "listed-1", "max-keys": 2 })), ["listed-10", "listed-11"]);
            assert.deepEqual(names(await listBuckets(client, { marker: "listed-24" })), []);
            assert.deepEqual(names(await listBuckets(client, { marker: "a" })), SORTED);
        });

        it("lists the buckets of every region from another region's endpoint", async () => {
            const page = await listBuckets(clientWith({ region: "oss-cn-shanghai" }), {});
            assert.deepEqual([names(page), page.isTruncated], [SORTED, false]);
        });

        it("refuses max-keys 1001 and 0 with InvalidArgument (400), accepts 1 and 1000", async () => {
            assertOssError(emulator, await rejection(listBuckets(client, { "max-keys": 1001 })), "InvalidArgument", 400);
            assertOssError(emulator, await rejection(listBuckets(client, { "max-keys": 0 })), "InvalidArgument", 400);
            assert.deepEqual(names(await listBuckets(client, { "max-keys": 1 })), [SORTED[0]]);
            assert.deepEqual(names(await listBuckets(client, { "max-keys": 1000 })), SORTED);
        });

        it("AccessDenied without oss:ListBuckets, SignatureDoesNotMatch for a wrong secret", async () => {
            assertOssError(emulator, await rejection(listBuckets(clientWith({ credential: READ_ONLY }), {})), "AccessDenied", 403);
            const wrongSecret = clientWith({ credential: { ...emulator.defaultCredential, accessKeySecret: "wrong-secret" } });
            assertOssError(emulator, await rejection(listBuckets(wrongSecret, {})), "SignatureDoesNotMatch", 403);
        });

        it("accepts an STS credential with its token, not without", async () => {
            assert.deepEqual(names(await listBuckets(clientWith({ credential: STS }), { "max-keys": 2 })), SORTED.slice(0, 2));
            const noToken = clientWith({ credential: { ...STS, securityToken: undefined } });
            assertOssError(emulator, await rejection(listBuckets(noToken, {})), "InvalidAccessKeyId", 403);
        });
    });
}

describe("emulator ListBuckets on the wire", () => {
    let emulator: Emulator;
    let port: string;

    /** A signed ListBuckets: GET / on the service endpoint (path style on 127.0.0.1 unless told otherwise). */
    const list = (query: Record<string, string | null> = {}, extra: Partial<SignedOssRequest> = {}) =>
        signedOssRequest(emulator, { method: "GET", query, ...extra });

    function assertError(res: RawResponse, code: string, status: number): void {
        assert.equal(res.status, status, res.body);
        assert.equal(xmlElement(res.body, "Code"), code, res.body);
        assert.equal(xmlElement(res.body, "RequestId"), res.headers["x-oss-request-id"]);
    }

    before(async () => {
        emulator = await startEmulator();
        port = new URL(emulator.endpoint).port;
        emulator.seedBucket("wire-c", { region: "cn-beijing" });
        emulator.seedBucket("wire-a", { region: "cn-hangzhou" });
        emulator.seedBucket("wire-b", { region: "cn-shanghai" });
    });
    after(() => emulator.stop());
    beforeEach(() => {
        emulator.setFaults({});
        emulator.clearLog();
    });

    it("answers OSS's XML: paging nodes on a truncated page, none on the final one", async () => {
        const bucket = (name: string, region: string) =>
            `<Bucket><CreationDate>DATE</CreationDate><ExtranetEndpoint>oss-${region}.aliyuncs.com</ExtranetEndpoint>` +
            `<IntranetEndpoint>oss-${region}-internal.aliyuncs.com</IntranetEndpoint><Location>oss-${region}</Location>` +
            `<Name>${name}</Name><Region>${region}</Region><StorageClass>Standard</StorageClass></Bucket>`;
        const owner = `<Owner><ID>${DEFAULT_ACCOUNT_ID}</ID><DisplayName>${DEFAULT_ACCOUNT_ID}</DisplayName></Owner>`;
        const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
        const dated = (body: string) => body.replace(/<CreationDate>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z<\/CreationDate>/g, "<CreationDate>DATE</CreationDate>");

        const truncated = await list({ prefix: "wire-", "max-keys": "2" });
        assert.equal(truncated.status, 200, truncated.body);
        assert.equal(truncated.headers["content-type"], "application/xml");
        assert.equal(
            dated(truncated.body),
            `${declaration}<ListAllMyBucketsResult><Prefix>wire-</Prefix><Marker></Marker><MaxKeys>2</MaxKeys>` +
                `<IsTruncated>true</IsTruncated><NextMarker>wire-b</NextMarker>${owner}` +
                `<Buckets>${bucket("wire-a", "cn-hangzhou")}${bucket("wire-b", "cn-shanghai")}</Buckets></ListAllMyBucketsResult>`,
        );
        const final = await list({ prefix: "wire-", marker: "wire-b", "max-keys": "2" });
        assert.equal(dated(final.body), `${declaration}<ListAllMyBucketsResult>${owner}<Buckets>${bucket("wire-c", "cn-beijing")}</Buckets></ListAllMyBucketsResult>`);
        const empty = await list({ prefix: "none-" });
        assert.equal(empty.body, `${declaration}<ListAllMyBucketsResult>${owner}<Buckets></Buckets></ListAllMyBucketsResult>`);
    });

    describe("the service endpoint", () => {
        // Functions, because the port is only known once the emulator runs.
        const addressings: [string, () => Partial<SignedOssRequest>][] = [
            ["path-style / on 127.0.0.1", () => ({ style: "path" })],
            ["the public host of another region, no bucket label", () => ({ style: "virtual-host", host: "oss-cn-shenzhen.aliyuncs.com" })],
            ["an empty bucket label, as ali-oss sends on an IP endpoint", () => ({ style: "virtual-host", host: ".oss-cn-hangzhou.aliyuncs.com" })],
            ["localhost", () => ({ style: "virtual-host", host: `localhost:${port}` })],
        ];
        for (const [name, addressing] of addressings) {
            for (const version of ["v1", "v4"] as const) {
                it(`lists every bucket on ${name}, ${version}`, async () => {
                    const res = await list({}, { version, ...addressing() });
                    assert.equal(res.status, 200, res.body);
                    assert.deepEqual([...res.body.matchAll(/<Name>([^<]*)<\/Name>/g)].map(m => m[1]), ["wire-a", "wire-b", "wire-c"]);
                    const entry = emulator.requestLog.at(-1);
                    assert.deepEqual([entry?.action, entry?.bucket, entry?.status], ["ListBuckets", undefined, 200]);
                });
            }
        }

        it("is not ListBuckets with another sub-resource or method: NotImplemented (501)", async () => {
            assertError(await list({ regions: null }), "NotImplemented", 501);
            assertError(await signedOssRequest(emulator, { method: "DELETE", query: {} }), "NotImplemented", 501);
            assert.deepEqual(emulator.requestLog.map(r => r.action), ["Unknown", "Unknown"]);
        });
    });

    describe("what is signed", () => {
        const wrongSecret = () => ({ credential: { ...emulator.defaultCredential, accessKeySecret: "wrong-secret" } });
        const query = { prefix: "wire-", marker: "wire-a", "max-keys": "2" };

        it("V4: canonical URI / and every list parameter in the canonical query", async () => {
            const res = await list(query, { version: "v4", ...wrongSecret() });
            assertError(res, "SignatureDoesNotMatch", 403);
            const canonical = (xmlElement(res.body, "CanonicalRequest") ?? "").replace(/&amp;/g, "&");
            assert.match(canonical, /^GET\n\/\nmarker=wire-a&max-keys=2&prefix=wire-\n/);
        });

        it("V1: the resource / without the list parameters (they are no sub-resources)", async () => {
            const res = await list(query, { version: "v1", ...wrongSecret() });
            assertError(res, "SignatureDoesNotMatch", 403);
            assert.match(xmlElement(res.body, "StringToSign") ?? "", /\n\/$/);
        });
    });

    describe("max-keys", () => {
        it("defaults to 100 and allows 1000", async () => {
            const many = await startEmulator();
            try {
                for (let i = 0; i < 101; i++) {
                    many.seedBucket(`many-${String(i).padStart(3, "0")}`);
                }
                const listMany = (q: Record<string, string | null>) => signedOssRequest(many, { method: "GET", query: q });
                const byDefault = await listMany({});
                assert.equal(byDefault.body.match(/<Bucket>/g)?.length, 100);
                assert.equal(xmlElement(byDefault.body, "MaxKeys"), "100");
                assert.equal(xmlElement(byDefault.body, "NextMarker"), "many-099");
                // An empty value is the default too.
                assert.equal((await listMany({ "max-keys": null })).body.match(/<Bucket>/g)?.length, 100);
                const all = await listMany({ "max-keys": "1000" });
                assert.equal(all.body.match(/<Bucket>/g)?.length, 101);
                assert.equal(xmlElement(all.body, "IsTruncated"), undefined);
            } finally {
                await many.stop();
            }
        });

        for (const value of ["0", "1001", "-1", "1.5", "ten", "99999"]) {
            it(`InvalidArgument (400, EC ${UNDOCUMENTED_EC}) for max-keys=${value}`, async () => {
                const res = await list({ "max-keys": value });
                assertError(res, "InvalidArgument", 400);
                assert.equal(xmlElement(res.body, "ArgumentName"), "max-keys");
                assert.equal(xmlElement(res.body, "ArgumentValue"), value);
                assert.equal(res.headers["x-oss-ec"], UNDOCUMENTED_EC);
            });
        }
    });

    describe("faults and latency by action", () => {
        for (const only of ["oss:ListBuckets", "ListBuckets"]) {
            it(`injects faults into ListBuckets only with only: ["${only}"]`, async () => {
                emulator.setFaults({ only: [only], rates: { ServiceUnavailable: 1 } });
                assertError(await list(), "ServiceUnavailable", 503);
                const other = await signedOssRequest(emulator, { method: "GET", bucket: "wire-a", query: { bucketInfo: null } });
                assert.equal(other.status, 200, other.body);
                assert.deepEqual(
                    emulator.requestLog.map(r => [r.action, r.status, r.injected]),
                    [["ListBuckets", 503, true], ["GetBucketInfo", 200, undefined]],
                );
            });
        }

        it("delays ListBuckets by the latency setting", async () => {
            emulator.setFaults({ only: ["oss:ListBuckets"], latencyMs: 300 });
            const started = Date.now();
            assert.equal((await list()).status, 200);
            assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
        });
    });
});
