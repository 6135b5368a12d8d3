// The engine floor's provider: what runs in Pulumi's dynamic-provider process for a NoopEncryption.
// It answers every call at once and touches no network, so a deployment of these costs only what
// Pulumi itself costs (engine, plugin, gRPC, serialisation, state writes).
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The inputs diff compares and read returns: the names BucketEncryption takes. */
const INPUT_NAMES = ["bucket", "sseAlgorithm", "kmsMasterKeyId", "kmsDataEncryption", "region", "endpoint"];

type Props = Record<string, unknown>;

/** Props with the region filled in, as BucketEncryption's outputs (and so diff's olds) carry it. */
const withRegion = (props: Props): Props => ({ ...props, region: props.region ?? "cn-hangzhou" });

/** A provider doing no work: the same methods and result shapes as BucketEncryption's, no I/O. */
export const provider: dynamic.ResourceProvider = {
    async configure() {},
    async check(_olds: Props, news: Props) {
        return { inputs: news };
    },
    async diff(_id: string, olds: Props, news: Props) {
        const [before, after] = [withRegion(olds), withRegion(news)];
        return { changes: INPUT_NAMES.some(name => before[name] !== after[name]) };
    },
    async create(inputs: Props) {
        return { id: String(inputs.bucket), outs: withRegion(inputs) };
    },
    async read(id: string, props: Props = {}) {
        return { id, props, inputs: Object.fromEntries(Object.entries(props).filter(([name]) => INPUT_NAMES.includes(name))) };
    },
    async update(_id: string, _olds: Props, news: Props) {
        return { outs: withRegion(news) };
    },
    async delete() {},
};
