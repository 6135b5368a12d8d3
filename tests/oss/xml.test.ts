import * as assert from "assert";
import { buildEncryptionRuleXml, parseEncryptionRuleXml, parseErrorXml, XmlShapeError } from "../../provider/oss/xml";

describe("OSS XML", () => {
    const rules = [
        { SSEAlgorithm: "AES256" },
        { SSEAlgorithm: "SM4" },
        { SSEAlgorithm: "KMS" },
        { SSEAlgorithm: "KMS", KMSMasterKeyID: "9468da86-3509-4f8d-a61e-6eab1eac0000" },
        { SSEAlgorithm: "KMS", KMSMasterKeyID: "alias/team&key", KMSDataEncryption: "SM4" },
    ];
    for (const rule of rules) {
        it(`round-trips ${JSON.stringify(rule)}`, () => {
            const xml = buildEncryptionRuleXml(rule);
            assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>/);
            if (rule.KMSMasterKeyID?.includes("&")) {
                assert.match(xml, /team&amp;key/);
            } else {
                assert.deepStrictEqual(parseEncryptionRuleXml(xml), rule);
            }
        });
    }

    it("reads an empty KMSMasterKeyID as absent", () => {
        const xml =
            "<?xml version=\"1.0\"?>\n<ServerSideEncryptionRule>\n  <ApplyServerSideEncryptionByDefault>\n" +
            "    <SSEAlgorithm>KMS</SSEAlgorithm>\n    <KMSMasterKeyID></KMSMasterKeyID>\n    <KMSDataEncryption/>\n" +
            "  </ApplyServerSideEncryptionByDefault>\n</ServerSideEncryptionRule>";
        assert.deepStrictEqual(parseEncryptionRuleXml(xml), { SSEAlgorithm: "KMS" });
    });

    it("refuses DOCTYPE and entity declarations", () => {
        const billionLaughs =
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>' +
            "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>&lol2;</SSEAlgorithm>" +
            "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
        assert.throws(() => parseEncryptionRuleXml(billionLaughs), XmlShapeError);
    });

    it("refuses documents of the wrong shape", () => {
        assert.throws(() => parseEncryptionRuleXml("<Other/>"), /missing <ServerSideEncryptionRule>/);
        assert.throws(
            () => parseEncryptionRuleXml("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"),
            XmlShapeError,
        );
        assert.throws(() => parseEncryptionRuleXml("not xml at all"), XmlShapeError);
    });

    it("parses OSS error bodies and ignores anything else", () => {
        const body =
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message>' +
            "<RequestId>5C3D9175B6FC201293AD****</RequestId><HostId>acme.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0015-00000101</EC></Error>";
        assert.deepStrictEqual(parseErrorXml(body), {
            Code: "NoSuchBucket",
            Message: "The specified bucket does not exist.",
            RequestId: "5C3D9175B6FC201293AD****",
            HostId: "acme.oss-cn-hangzhou.aliyuncs.com",
            EC: "0015-00000101",
        });
        assert.strictEqual(parseErrorXml("<html>bad gateway</html>"), undefined);
        assert.strictEqual(parseErrorXml(""), undefined);
    });
});
