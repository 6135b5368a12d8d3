// TLS failures that no retry can get past: the endpoint's certificate is not trusted here (self-signed,
// unknown CA, expired, another host's name) or the endpoint does not speak TLS as asked. Shared by
// the OSS client (Node's https) and the KMS client (pop-core over httpx, which passes Node's errors on).

/** Node's (OpenSSL's) codes for certificates that this machine does not accept. */
const CERTIFICATE_CODES = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "UNABLE_TO_GET_CRL",
    "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
    "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
    "CERT_SIGNATURE_FAILURE",
    "CERT_NOT_YET_VALID",
    "CERT_HAS_EXPIRED",
    "CERT_REVOKED",
    "CERT_UNTRUSTED",
    "CERT_REJECTED",
    "INVALID_CA",
    "PATH_LENGTH_EXCEEDED",
    "INVALID_PURPOSE",
    "HOSTNAME_MISMATCH",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Handshake failures that repeat on every attempt: the endpoint is not TLS, or not a TLS version or cipher we share. */
const HANDSHAKE_CODES = new Set([
    "ERR_SSL_WRONG_VERSION_NUMBER",
    "ERR_SSL_UNSUPPORTED_PROTOCOL",
    "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION",
    "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE",
    "ERR_SSL_NO_PROTOCOLS_AVAILABLE",
    "ERR_SSL_PACKET_LENGTH_TOO_LONG",
]);

/** The code of a TLS failure that retrying cannot fix, or undefined for any other error. */
export function permanentTlsCode(err: unknown): string | undefined {
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === "string" && (CERTIFICATE_CODES.has(code) || HANDSHAKE_CODES.has(code)) ? code : undefined;
}

/** Our error code for those failures. */
export const TLS_ERROR_CODE = "TlsError";

/** What a TLS failure to `host` was, without Node's own hint (ours says more). */
export function describeTlsFailure(host: string, err: Error & { code?: string }): string {
    const reason = err.message.replace(/;\s*if the root CA is installed locally.*$/s, "");
    return `TLS with ${host} failed: ${err.code} (${reason})`;
}

/** What to do about a TLS failure, with the setting(s) that give the endpoint. */
export function tlsNextStep(endpointSettings: string): string {
    return (
        `Check the endpoint (${endpointSettings}): a wrong host name, an http port addressed as https, or a proxy ` +
        "that intercepts TLS all fail this way. If the endpoint is right and its certificate comes from a private CA, " +
        "make Node trust that CA: NODE_EXTRA_CA_CERTS=/path/to/ca.pem, or NODE_OPTIONS=--use-system-ca when the CA is in " +
        "the system's store. Retrying does not help."
    );
}
