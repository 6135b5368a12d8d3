// The engine-floor baseline's provider: what runs in Pulumi's dynamic-provider process for a
// NoopEncryption. It answers every call at once and touches no network, so a deployment of these
// costs only what Pulumi itself costs (engine, plugin, gRPC, serialisation, state writes).
import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The inputs the no-op resource compares in diff: the same names BucketEncryption takes. */
const INPUT_NAMES = ["bucket", "sseAlgorithm", "kmsMasterKeyId", "kmsDataEncryption", "region", "endpoint"];

/** The region outputs report when the inputs name none, as BucketEncryption does with the stack's. */
const DEFAULT_REGION = "cn-hangzhou";

/** Inputs and outputs of the no-op resource: plain string properties. */
type Props = Record<string, unknown>;

/** The input properties among `props` (read returns them as inputs, as BucketEncryption's read does). */
function inputsOf(props: Props): Props {
    return Object.fromEntries(Object.entries(props).filter(([name]) => INPUT_NAMES.includes(name)));
}

/** Props with the region filled in, as outputs (and so diff's olds) always carry it. */
function withRegion(props: Props): Props {
    return { ...props, region: props.region ?? DEFAULT_REGION };
}

/** A provider doing no work: same methods and result shapes as BucketEncryption's, no I/O. */
export const provider: dynamic.ResourceProvider = {
    async configure() {},
    async check(_olds: Props, news: Props) {
        return { inputs: news };
    },
    async diff(_id: string, olds: Props, news: Props) {
        // olds are the old outputs; compare like for like.
        const [before, after] = [withRegion(olds), withRegion(news)];
        return { changes: INPUT_NAMES.some(name => before[name] !== after[name]) };
    },
    async create(inputs: Props) {
        return { id: String(inputs.bucket), outs: withRegion(inputs) };
    },
    async read(id: string, props?: Props) {
        return { id, props: props ?? {}, inputs: inputsOf(props ?? {}) };
    },
    async update(_id: string, _olds: Props, news: Props) {
        return { outs: withRegion(news) };
    },
    async delete() {},
};
