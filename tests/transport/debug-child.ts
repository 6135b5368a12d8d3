// Run by debug-logging.test.ts in a process of its own, with DEBUG set as a user would: a provider
// (as the plugin and the dynamic provider create it) checks a KMS key and writes a rule with STS
// credentials. Arguments: JSON of { endpoint, kmsEndpoint, credential, keyId }.
import { providerAgainst, QUIET } from "../support/provider";

async function main(): Promise<void> {
    const { endpoint, kmsEndpoint, credential, keyId } = JSON.parse(process.argv[2]);
    const provider = await providerAgainst({ endpoint, kmsEndpoint, defaultCredential: credential }, { credential, diagnostics: QUIET });
    await provider.create({ bucket: "acme-logs", sseAlgorithm: "KMS", kmsMasterKeyId: keyId });
}

main().then(
    () => process.exit(0),
    err => {
        process.stderr.write(`child failed: ${(err as Error).message}\n`);
        process.exit(1);
    },
);
