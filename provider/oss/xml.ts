// The OSS XML documents this provider reads and writes, built and parsed with fast-xml-parser.
// Entity expansion is off and DOCTYPEs are refused: OSS never sends them, so one is hostile.
import { XMLBuilder, XMLParser } from "fast-xml-parser";

/** The body of Put/GetBucketEncryption, field names as on the wire. */
export interface EncryptionRule {
    SSEAlgorithm: string;
    KMSMasterKeyID?: string;
    KMSDataEncryption?: string;
}

/** The fields of an OSS `<Error>` body. */
export interface OssErrorBody {
    Code?: string;
    Message?: string;
    RequestId?: string;
    HostId?: string;
    EC?: string;
}

const parser = new XMLParser({
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    ignoreAttributes: true,
    trimValues: true,
});

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

/** Thrown when a document is not the XML we expect. */
export class XmlShapeError extends Error {}

/** Parses XML into plain objects; refuses DOCTYPE (entity tricks) outright. */
export function parseXml(text: string): Record<string, unknown> {
    if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
        throw new XmlShapeError("XML with a DOCTYPE or ENTITY declaration is refused");
    }
    let doc: unknown;
    try {
        doc = parser.parse(text, true);
    } catch (err) {
        throw new XmlShapeError(`not well-formed XML: ${(err as Error).message}`);
    }
    if (typeof doc !== "object" || doc === null) {
        throw new XmlShapeError("not an XML document");
    }
    return doc as Record<string, unknown>;
}

/** A string field of a parsed element; empty elements come back as "". */
function stringField(element: Record<string, unknown>, name: string): string | undefined {
    const value = element[name];
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value === "string" || typeof value === "number") {
        return String(value);
    }
    throw new XmlShapeError(`<${name}> is not a text element`);
}

/** The XML body for PutBucketEncryption. Optional fields are left out when absent. */
export function buildEncryptionRuleXml(rule: EncryptionRule): string {
    const byDefault: Record<string, string> = { SSEAlgorithm: rule.SSEAlgorithm };
    if (rule.KMSMasterKeyID) {
        byDefault.KMSMasterKeyID = rule.KMSMasterKeyID;
    }
    if (rule.KMSDataEncryption) {
        byDefault.KMSDataEncryption = rule.KMSDataEncryption;
    }
    return (
        '<?xml version="1.0" encoding="UTF-8"?>' +
        builder.build({ ServerSideEncryptionRule: { ApplyServerSideEncryptionByDefault: byDefault } })
    );
}

/**
 * Parses a GetBucketEncryption body. Empty `<KMSMasterKeyID/>` and `<KMSDataEncryption/>` mean
 * absent, as OSS answers either form.
 */
export function parseEncryptionRuleXml(text: string): EncryptionRule {
    const doc = parseXml(text);
    const rule = doc["ServerSideEncryptionRule"];
    const byDefault =
        typeof rule === "object" && rule !== null
            ? (rule as Record<string, unknown>)["ApplyServerSideEncryptionByDefault"]
            : undefined;
    if (typeof byDefault !== "object" || byDefault === null) {
        throw new XmlShapeError("missing <ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>");
    }
    const element = byDefault as Record<string, unknown>;
    const algorithm = stringField(element, "SSEAlgorithm");
    if (!algorithm) {
        throw new XmlShapeError("missing <SSEAlgorithm>");
    }
    const result: EncryptionRule = { SSEAlgorithm: algorithm };
    const keyId = stringField(element, "KMSMasterKeyID");
    if (keyId) {
        result.KMSMasterKeyID = keyId;
    }
    const dataEncryption = stringField(element, "KMSDataEncryption");
    if (dataEncryption) {
        result.KMSDataEncryption = dataEncryption;
    }
    return result;
}

/** Parses an OSS `<Error>` body; undefined when the text is not one. */
export function parseErrorXml(text: string): OssErrorBody | undefined {
    try {
        const error = parseXml(text)["Error"];
        if (typeof error !== "object" || error === null) {
            return undefined;
        }
        const element = error as Record<string, unknown>;
        return {
            Code: stringField(element, "Code"),
            Message: stringField(element, "Message"),
            RequestId: stringField(element, "RequestId"),
            HostId: stringField(element, "HostId"),
            EC: stringField(element, "EC"),
        };
    } catch {
        return undefined;
    }
}

/** A bucket as ListBuckets lists it. */
export interface ListedBucket {
    name: string;
    /** The region ID (`cn-hangzhou`), from `<Region>` or, where OSS sends only that, `<Location>` (`oss-cn-hangzhou`). */
    region: string;
}

/**
 * Parses a ListBuckets (`<ListAllMyBucketsResult>`) page. `<Buckets>` holds one `<Bucket>` or many
 * (or nothing, for an account without buckets); `<NextMarker>` counts only with `<IsTruncated>true`.
 */
export function parseListBucketsXml(text: string): { buckets: ListedBucket[]; nextMarker?: string } {
    const result = parseXml(text)["ListAllMyBucketsResult"];
    if (typeof result !== "object" || result === null) {
        throw new XmlShapeError("missing <ListAllMyBucketsResult>");
    }
    const element = result as Record<string, unknown>;
    const container = element["Buckets"];
    const listed = typeof container === "object" && container !== null ? (container as Record<string, unknown>)["Bucket"] : undefined;
    const entries = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
    const buckets = entries.map((entry): ListedBucket => {
        if (typeof entry !== "object" || entry === null) {
            throw new XmlShapeError("a <Bucket> is not an element");
        }
        const bucket = entry as Record<string, unknown>;
        const name = stringField(bucket, "Name");
        const region = stringField(bucket, "Region") || stringField(bucket, "Location")?.replace(/^oss-/, "");
        if (!name || !region) {
            throw new XmlShapeError("a <Bucket> without <Name> or <Location>");
        }
        return { name, region };
    });
    const truncated = stringField(element, "IsTruncated") === "true";
    const nextMarker = truncated ? stringField(element, "NextMarker") || buckets.at(-1)?.name : undefined;
    if (truncated && !nextMarker) {
        throw new XmlShapeError("<IsTruncated>true</IsTruncated> without <NextMarker> or any bucket");
    }
    return nextMarker ? { buckets, nextMarker } : { buckets };
}
