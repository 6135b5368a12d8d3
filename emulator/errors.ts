// One error type for both services; each server renders it in its own wire format.

/** An error answer: code, HTTP status, message and extra elements/fields for the body. */
export class ServiceError extends Error {
    constructor(
        readonly code: string,
        readonly status: number,
        message: string,
        /** Extra body elements, e.g. StringToSign for SignatureDoesNotMatch. */
        readonly details: Record<string, string> = {},
        /** OSS's EC (error detail code) when it depends on the case, not only on the code. */
        readonly ec?: string,
    ) {
        super(message);
        this.name = code;
    }
}

/** Default status and message of the OSS error codes the emulator answers. */
const OSS_ERRORS = {
    AccessDenied: [403, "You have no right to access this resource."],
    BucketAlreadyExists: [409, "The requested bucket name is not available."],
    EntityTooLarge: [400, "Your proposed upload exceeds the maximum allowed size."],
    InvalidAccessKeyId: [403, "The OSS Access Key Id you provided does not exist in our records."],
    InvalidArgument: [400, "Invalid argument."],
    InvalidBucketName: [400, "The specified bucket is not valid."],
    InvalidDigest: [400, "The Content-MD5 you specified was invalid."],
    MalformedXML: [400, "The XML you provided was not well-formed or did not validate against our published schema."],
    NoSuchBucket: [404, "The specified bucket does not exist."],
    NoSuchServerSideEncryptionRule: [404, "The server side encryption configuration was not found."],
    NotImplemented: [501, "The operation is not supported by this emulator."],
    RequestTimeTooSkewed: [403, "The difference between the request time and the current time is too large."],
    SignatureDoesNotMatch: [403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."],
} satisfies Record<string, [number, string]>;

/** An OSS error code the emulator answers. */
export type OssErrorCode = keyof typeof OSS_ERRORS;

/** Builds an OSS error with the code's usual status and message (message, details and EC overridable). */
export function ossError(code: OssErrorCode, message?: string, details?: Record<string, string>, ec?: string): ServiceError {
    const [status, defaultMessage] = OSS_ERRORS[code];
    return new ServiceError(code, status, message ?? defaultMessage, details, ec);
}

/** Default status and message of the KMS (POP RPC) error codes the emulator answers. */
const KMS_ERRORS = {
    "Forbidden.KeyNotFound": [404, "The specified Key is not found."],
    "Forbidden.RAM": [403, "User not authorized to operate on the specified resource."],
    IncompleteSignature: [400, "The request signature does not conform to Aliyun standards."],
    "InvalidAccessKeyId.NotFound": [404, "Specified access key is not found."],
    "InvalidAction.NotFound": [404, "Specified api is not found, please check your url and method."],
    "InvalidSecurityToken.MismatchWithAccessKey": [400, "Specified security token mismatch with access key."],
    "InvalidTimeStamp.Expired": [400, "Specified time stamp or date value is expired."],
    "InvalidTimeStamp.Format": [400, "Specified time stamp or date value is not well formatted."],
    InvalidVersion: [400, "Specified parameter Version is not valid."],
    MissingKeyId: [400, "KeyId is mandatory for this action."],
    SignatureDoesNotMatch: [400, "Specified signature is not matched with our calculation."],
    SignatureNonceUsed: [400, "Specified signature nonce was used already."],
} satisfies Record<string, [number, string]>;

/** A KMS error code the emulator answers. */
export type KmsErrorCode = keyof typeof KMS_ERRORS;

/** Builds a KMS error with the code's usual status and message (message overridable). */
export function kmsError(code: KmsErrorCode, message?: string): ServiceError {
    const [status, defaultMessage] = KMS_ERRORS[code];
    return new ServiceError(code, status, message ?? defaultMessage);
}
