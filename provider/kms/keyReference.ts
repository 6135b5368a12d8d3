// KMS key references as users write them: key IDs, aliases and their ARNs, and the region an ARN names.

/** A key reference taken apart: a key ID or an alias name, with the region and account its ARN names. */
export interface KeyReference {
    kind: "key" | "alias";
    /** The key ID, or the alias with its "alias/" prefix. */
    name: string;
    region?: string;
    account?: string;
}

/**
 * Parses a key ID, a key ARN (`acs:kms:<region>:<account>:key/<id>`), an alias (`alias/<name>`) or
 * an alias ARN (`acs:kms:<region>:<account>:alias/<name>`), trimmed.
 */
export function parseKeyReference(reference: string): KeyReference {
    const text = reference.trim();
    const arn = /^acs:kms:([^:]*):([^:]*):(key|alias)\/(.+)$/.exec(text);
    if (arn) {
        const [, region, account, kind, name] = arn;
        return {
            kind: kind as "key" | "alias",
            name: kind === "alias" ? `alias/${name}` : name,
            ...(region ? { region } : {}),
            ...(account ? { account } : {}),
        };
    }
    return text.startsWith("alias/") ? { kind: "alias", name: text } : { kind: "key", name: text };
}

/** The region an ARN (`acs:kms:<region>:<account>:key/...` or `.../alias/...`) names; undefined for IDs and aliases. */
export function arnRegion(reference: string): string | undefined {
    return parseKeyReference(reference).region;
}
