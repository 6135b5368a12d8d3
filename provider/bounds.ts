// Length limits of the texts users give (inputs and settings), and how messages quote a value: a
// short prefix, so that a megabyte-long value cannot turn into a megabyte-long error.

/** OSS bucket names are 3-63 characters. */
export const BUCKET_MAX_LENGTH = 63;
/**
 * A KMS key reference: a key ID (a UUID), an alias (`alias/...`, at most 255 characters) or the
 * ARN of either (`acs:kms:<region>:<account>:` in front, 40 characters at most).
 */
export const KMS_KEY_MAX_LENGTH = 300;
/** A region ID such as `cn-hangzhou` or `ap-southeast-1`. */
export const REGION_MAX_LENGTH = 64;
/** An endpoint: a host name (at most 253 characters), with `https://` and `:<port>` around it. */
export const ENDPOINT_MAX_LENGTH = 270;

/** How much of a value messages quote. */
export const QUOTED_PREFIX_LENGTH = 64;

/** A value as messages quote it: in double quotes, cut to a short prefix (saying how long it is) when longer. */
export function quoted(value: string): string {
    return value.length <= QUOTED_PREFIX_LENGTH
        ? JSON.stringify(value)
        : `${JSON.stringify(value.slice(0, QUOTED_PREFIX_LENGTH))}... (${value.length} characters)`;
}

/** A name as messages show it unquoted: cut to a short prefix when longer. */
export function shortened(text: string): string {
    return text.length <= QUOTED_PREFIX_LENGTH ? text : `${text.slice(0, QUOTED_PREFIX_LENGTH)}... (${text.length} characters)`;
}

/** What is wrong with a value longer than `maxLength`, naming it as `name`; undefined when it fits. */
export function tooLong(name: string, value: string, maxLength: number): string | undefined {
    return value.length > maxLength ? `${name} ${quoted(value)} is too long: at most ${maxLength} characters.` : undefined;
}
