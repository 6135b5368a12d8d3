// OSS's XML: parsing and validating a ServerSideEncryptionRule the way OSS does, and rendering
// rules, bucket info and errors. Parsing never expands entities: DOCTYPE and entity declarations
// are refused outright, and only XML's predefined and numeric character references are decoded.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ServiceError, ossError } from "../errors";
import { Bucket, BucketPage } from "../state/buckets";
import { EncryptionRule } from "../types";

const SSE_ALGORITHMS = ["AES256", "KMS", "SM4"];
const DATA_ENCRYPTIONS = ["SM4"];

/**
 * EC values by code, for codes whose EC OSS documents for the case the emulator answers. Bucket
 * encryption's own cases carry theirs on the error (see parseEncryptionRule). For every other code
 * and case OSS's documentation names no EC that we found: those answer UNDOCUMENTED_EC.
 */
const ERROR_EC: Record<string, string> = {
    NoSuchBucket: "0015-00000101",
    NoSuchServerSideEncryptionRule: "0005-00000004",
    SignatureDoesNotMatch: "0002-00000040",
    RequestTimeTooSkewed: "0002-00000504",
};

/** The EC of errors whose EC is not documented: a visible placeholder, never a real-looking value. */
export const UNDOCUMENTED_EC = "0000-00000000";

/** PutBucketEncryption's documented ECs. */
const EC_UNSUPPORTED_ALGORITHM = "0005-00000003";
const EC_KEY_ID_WITHOUT_KMS = "0005-00000204";
const EC_BAD_DATA_ENCRYPTION = "0005-00000203";

const parser = new XMLParser({
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignoreAttributes: true,
    parseTagValue: false,
});

/** Any "<!" construct other than CDATA/comments (DOCTYPE, ENTITY, ...): refused, never interpreted. */
const DECLARATION = /<!(?!--|\[CDATA\[)/;
/** Character references other than the predefined five and numeric ones (i.e. custom entities). */
const UNKNOWN_ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/** Parses and validates a PutBucketEncryption body into the rule OSS would store. */
export function parseEncryptionRule(body: Buffer): EncryptionRule {
    const byDefault = parseRuleDocument(body.toString("utf8"));
    const algorithm = textOf(byDefault, "SSEAlgorithm");
    if (algorithm === undefined) {
        throw ossError("MalformedXML", "SSEAlgorithm is missing.");
    }
    const keyId = textOf(byDefault, "KMSMasterKeyID") ?? "";
    const dataEncryption = textOf(byDefault, "KMSDataEncryption") ?? "";

    if (!SSE_ALGORITHMS.includes(algorithm)) {
        throw invalidArgument("SSEAlgorithm", algorithm, "The encryption method is not supported.", EC_UNSUPPORTED_ALGORITHM);
    }
    if (keyId !== "" && algorithm !== "KMS") {
        throw invalidArgument(
            "KMSMasterKeyID",
            keyId,
            "KMSMasterKeyID is only allowed when SSEAlgorithm is KMS.",
            EC_KEY_ID_WITHOUT_KMS,
        );
    }
    if (dataEncryption !== "" && !DATA_ENCRYPTIONS.includes(dataEncryption)) {
        throw invalidArgument("KMSDataEncryption", dataEncryption, "KMSDataEncryption must be SM4.", EC_BAD_DATA_ENCRYPTION);
    }
    if (dataEncryption !== "" && algorithm !== "KMS") {
        // OSS documents no EC for SM4 data encryption under a non-KMS algorithm.
        throw invalidArgument(
            "KMSDataEncryption",
            dataEncryption,
            "KMSDataEncryption is only allowed when SSEAlgorithm is KMS.",
            UNDOCUMENTED_EC,
        );
    }
    const rule: EncryptionRule = { SSEAlgorithm: algorithm };
    if (keyId !== "") {
        rule.KMSMasterKeyID = keyId;
    }
    if (dataEncryption !== "") {
        rule.KMSDataEncryption = dataEncryption;
    }
    return rule;
}

/** Returns the ApplyServerSideEncryptionByDefault element, or throws MalformedXML. */
function parseRuleDocument(xml: string): Record<string, unknown> {
    if (DECLARATION.test(xml) || UNKNOWN_ENTITY.test(xml) || XMLValidator.validate(xml) !== true) {
        throw ossError("MalformedXML");
    }
    const doc = parser.parse(xml) as Record<string, unknown>;
    const roots = Object.keys(doc);
    if (roots.length !== 1 || roots[0] !== "ServerSideEncryptionRule") {
        throw ossError("MalformedXML", "The root element must be ServerSideEncryptionRule.");
    }
    const byDefault = asElement(doc.ServerSideEncryptionRule)?.ApplyServerSideEncryptionByDefault;
    const element = asElement(byDefault);
    if (!element) {
        throw ossError("MalformedXML", "ApplyServerSideEncryptionByDefault is missing.");
    }
    return element;
}

/** The element as an object with children, or undefined (text, empty, repeated). */
function asElement(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** Text of a child element; undefined when absent; MalformedXML when repeated or not text. */
function textOf(parent: Record<string, unknown>, name: string): string | undefined {
    const value = parent[name];
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "string") {
        throw ossError("MalformedXML", `${name} must appear once and contain text.`);
    }
    return decodeCharacterReferences(value);
}

function decodeCharacterReferences(text: string): string {
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, ref: string) =>
        ref.startsWith("#x")
            ? String.fromCodePoint(parseInt(ref.slice(2), 16))
            : ref.startsWith("#")
              ? String.fromCodePoint(parseInt(ref.slice(1), 10))
              : named[ref],
    );
}

function invalidArgument(name: string, value: string, message: string, ec: string): ServiceError {
    return ossError("InvalidArgument", message, { ArgumentName: name, ArgumentValue: value }, ec);
}

/** Escapes text for an XML element. */
export function escapeXml(text: string): string {
    const named: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" };
    return text.replace(/[<>&"']/g, c => named[c]);
}

/** `<Name>value</Name>` for each entry, values escaped. */
function elements(fields: Record<string, string>): string {
    return Object.entries(fields)
        .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
        .join("");
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The ApplyServerSideEncryptionByDefault fields OSS reports; KMS rules always carry KMSMasterKeyID (maybe empty). */
function ruleFields(rule: EncryptionRule): Record<string, string> {
    const fields: Record<string, string> = { SSEAlgorithm: rule.SSEAlgorithm };
    if (rule.SSEAlgorithm === "KMS") {
        fields.KMSMasterKeyID = rule.KMSMasterKeyID ?? "";
    }
    if (rule.KMSDataEncryption) {
        fields.KMSDataEncryption = rule.KMSDataEncryption;
    }
    return fields;
}

/** GetBucketEncryption's body. */
export function renderEncryptionRule(rule: EncryptionRule): string {
    return (
        XML_DECLARATION +
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>" +
        elements(ruleFields(rule)) +
        "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"
    );
}

/**
 * A bucket's description, in OSS's (alphabetical) order. ListBuckets reports its Region too;
 * GetBucketInfo's subset here does not.
 */
function bucketFields(bucket: Bucket, withRegion: boolean): Record<string, string> {
    return {
        CreationDate: bucket.creationDate.toISOString(),
        ExtranetEndpoint: `oss-${bucket.region}.aliyuncs.com`,
        IntranetEndpoint: `oss-${bucket.region}-internal.aliyuncs.com`,
        Location: `oss-${bucket.region}`,
        Name: bucket.name,
        ...(withRegion ? { Region: bucket.region } : {}),
        StorageClass: "Standard",
    };
}

/** GetBucketInfo's body (a subset of OSS's); SSEAlgorithm is "None" when the bucket has no rule. */
export function renderBucketInfo(bucket: Bucket, rule: EncryptionRule | undefined): string {
    const info = elements(bucketFields(bucket, false));
    const sse = elements(rule ? ruleFields(rule) : { SSEAlgorithm: "None" });
    return `${XML_DECLARATION}<BucketInfo><Bucket>${info}<ServerSideEncryptionRule>${sse}</ServerSideEncryptionRule></Bucket></BucketInfo>`;
}

/** What a ListBuckets request asked for, after validation. */
export interface BucketListQuery {
    prefix: string;
    marker: string;
    maxKeys: number;
}

/**
 * ListBuckets' body. OSS documents Prefix, Marker, MaxKeys, IsTruncated and NextMarker as present
 * only when the listing is truncated, so the last page has none of them; every official client
 * reads their absence as "not truncated". NextMarker is the last name on the page.
 */
export function renderBucketList(page: BucketPage, query: BucketListQuery, ownerId: string): string {
    const last = page.buckets.at(-1);
    const paging =
        page.truncated && last
            ? elements({
                  Prefix: query.prefix,
                  Marker: query.marker,
                  MaxKeys: String(query.maxKeys),
                  IsTruncated: "true",
                  NextMarker: last.name,
              })
            : "";
    const owner = elements({ ID: ownerId, DisplayName: ownerId });
    const buckets = page.buckets.map(b => `<Bucket>${elements(bucketFields(b, true))}</Bucket>`).join("");
    return `${XML_DECLARATION}<ListAllMyBucketsResult>${paging}<Owner>${owner}</Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`;
}

/** GetBucketLocation's body. */
export function renderLocation(bucket: Bucket): string {
    return `${XML_DECLARATION}<LocationConstraint>oss-${escapeXml(bucket.region)}</LocationConstraint>`;
}

/** OSS's error body: Code, Message, RequestId, HostId, the error's own details, then EC. */
export function renderOssError(error: ServiceError, requestId: string, hostId: string): string {
    return (
        XML_DECLARATION +
        "<Error>" +
        elements({ Code: error.code, Message: error.message, RequestId: requestId, HostId: hostId }) +
        elements(error.details) +
        elements({ EC: ossErrorEc(error) }) +
        "</Error>"
    );
}

/** The EC value of an error (also sent as the x-oss-ec header): its own, else its code's, else UNDOCUMENTED_EC. */
export function ossErrorEc(error: ServiceError): string {
    return error.ec ?? ERROR_EC[error.code] ?? UNDOCUMENTED_EC;
}
