// The AccessKeys the emulator knows and what each may do.
import * as crypto from "crypto";
import { EmulatorCredential } from "../types";

/** Known credentials by AccessKey ID; adding an existing ID replaces it. */
export class CredentialStore {
    private readonly byId = new Map<string, EmulatorCredential>();

    /** Adds a credential, replacing one with the same AccessKey ID. */
    add(credential: EmulatorCredential): void {
        this.byId.set(credential.accessKeyId, { ...credential });
    }

    /** The credential with this AccessKey ID, if known. */
    find(accessKeyId: string): EmulatorCredential | undefined {
        return this.byId.get(accessKeyId);
    }
}

/** Whether the credential may perform `action` ("oss:PutBucketEncryption", "kms:DescribeKey", ...). */
export function isAllowed(credential: EmulatorCredential, action: string): boolean {
    return credential.allow === undefined || credential.allow.some(pattern => globToRegExp(pattern).test(action));
}

/** Whether the credential is denied every operation on `bucket` (its `denyBuckets`). */
export function isDeniedBucket(credential: EmulatorCredential, bucket: string): boolean {
    return (credential.denyBuckets ?? []).some(pattern => globToRegExp(pattern).test(bucket));
}

function globToRegExp(pattern: string): RegExp {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
    return new RegExp(`^${escaped}$`);
}

/**
 * A fresh test key pair in Alibaba Cloud's shape ("LTAI" + 20 chars, 30-char secret). It is
 * generated per emulator instance and only ever valid against the emulator: not a real secret.
 */
export function generateCredential(): EmulatorCredential {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const randomText = (length: number) =>
        Array.from(crypto.randomBytes(length), b => alphabet[b % alphabet.length]).join("");
    return { accessKeyId: `LTAI${randomText(20)}`, accessKeySecret: randomText(30) };
}

/** Constant-time comparison of an expected and a provided signature. */
export function signaturesEqual(expected: string, provided: string): boolean {
    const a = Buffer.from(expected);
    const b = Buffer.from(provided);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
}
