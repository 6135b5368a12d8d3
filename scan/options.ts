// The scan's command line: options, checked before anything is sent (an unknown or misspelt option
// is an error naming the nearest), and the settings form that names the provider's settings as the
// scan takes them (options, or the same environment variables as the provider's credential chain).
import { nearestName } from "../provider/nearestName";
import { SettingName, SettingsForm, SettingsRecord } from "../provider/settings";

export type OutputFormat = "table" | "json" | "markdown";
/** Which buckets go into the import file. */
export type ImportFilter = "with-rule" | "failing" | "passing";

export interface ScanOptions {
    /** Only buckets in these regions (empty: every region). */
    regions: string[];
    prefix?: string;
    /** Concurrent GetBucketEncryption calls per region. */
    concurrency: number;
    format: OutputFormat;
    /** The pack config file (`--policy-pack-config` of `pulumi preview`). */
    policyPackConfig?: string;
    importFile?: string;
    importFilter: ImportFilter;
    /** A TypeScript snippet for the dynamic provider (the SDK's `import` option), for the same buckets. */
    typescriptFile?: string;
    /** `pulumi stack export` files whose buckets are left out. */
    excludeStacks: string[];
    /** The provider's settings as the options give them (the rest from the environment). */
    settings: SettingsRecord;
    help: boolean;
}

/** How the scan names the provider's settings: its options, and the credential chain's environment variables. */
export const SCAN_FORM: SettingsForm = {
    keyOf: {
        region: "ALIBABA_CLOUD_REGION",
        accessKey: "ALIBABA_CLOUD_ACCESS_KEY_ID",
        secretKey: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        securityToken: "ALIBABA_CLOUD_SECURITY_TOKEN",
        profile: "--profile",
        ossEndpoint: "--oss-endpoint",
        kmsEndpoint: "--kms-endpoint",
        kmsKeyCheck: "--kms-key-check",
        operationTimeoutSeconds: "--timeout-seconds",
        signatureVersion: "--signature-version",
        useInternalEndpoint: "--internal-endpoint",
        allowInsecureHttp: "--allow-insecure-http",
    },
    label: "the scan's options",
    setExample: (key, value) => (key.startsWith("--") ? `${key} ${value}` : `export ${key}=${value}`),
};

/** The options that carry one of the provider's settings, by option. */
const SETTING_OPTIONS = Object.fromEntries(
    (Object.entries(SCAN_FORM.keyOf) as Array<[SettingName, string]>).filter(([, key]) => key.startsWith("--")).map(([name, key]) => [key, name]),
) as Record<string, SettingName>;

/** The scan's own options with a value. */
const VALUE_OPTIONS = ["--region", "--prefix", "--concurrency", "--format", "--policy-pack-config", "--import-file", "--import-filter", "--typescript-file", "--exclude-stack"];
const FORMATS: OutputFormat[] = ["table", "json", "markdown"];
const IMPORT_FILTERS: ImportFilter[] = ["with-rule", "failing", "passing"];

export class UsageError extends Error {}

export const USAGE = `usage: pulumi-oss-encryption scan [options]

Lists every bucket of the account, reads its default encryption, describes each KMS key it uses
once, and judges each bucket by the policy pack's rules. Exit 0: every bucket passes; 1: some fail;
2: the scan could not complete (the buckets that could not be read are listed, with why).

  --region REGION             only buckets in this region (repeatable, or comma-separated)
  --prefix PREFIX             only buckets whose name starts with PREFIX
  --concurrency N             requests (GetBucketEncryption, DescribeKey) at once per region (default 16)
  --format table|json|markdown   what stdout gets (default table)
  --policy-pack-config FILE   the pack config file of \`pulumi preview --policy-pack-config\`
  --import-file FILE          write a \`pulumi import --file\` file for oss-encryption:index:BucketEncryption
  --import-filter with-rule|failing|passing   which buckets it holds (default with-rule)
  --typescript-file FILE      the same buckets as BucketEncryption declarations for the dynamic provider
  --exclude-stack EXPORT.json leave out the buckets a \`pulumi stack export\` manages (repeatable)

The provider's settings: --oss-endpoint, --kms-endpoint, --profile, --signature-version v4|v1,
--timeout-seconds N, --internal-endpoint true, --kms-key-check false, --allow-insecure-http true;
credentials from the provider's chain (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN,
the credential files and --profile, RRSA, the ECS RAM role). ListBuckets goes to ALIBABA_CLOUD_REGION's
endpoint (default cn-hangzhou).`;

/** Parses the arguments after `scan`. */
export function parseScanOptions(argv: string[]): ScanOptions {
    const options: ScanOptions = { regions: [], concurrency: 16, format: "table", importFilter: "with-rule", excludeStacks: [], settings: {}, help: false };
    const known = [...VALUE_OPTIONS, ...Object.keys(SETTING_OPTIONS), "--help"];
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
        if (flag === "--help" || flag === "-h") {
            options.help = true;
            continue;
        }
        if (!known.includes(flag)) {
            const nearest = flag.startsWith("--") ? nearestName(flag, known) : undefined;
            throw new UsageError(`unknown option ${JSON.stringify(flag.slice(0, 64))}${nearest ? ` (did you mean ${nearest}?)` : ""}; see --help`);
        }
        const value = inline ?? argv[++i];
        if (value === undefined) {
            throw new UsageError(`${flag} needs a value; see --help`);
        }
        if (flag in SETTING_OPTIONS) {
            options.settings[SETTING_OPTIONS[flag]] = value;
            continue;
        }
        switch (flag) {
            case "--region":
                options.regions.push(...value.split(",").map(region => region.trim()).filter(region => region !== ""));
                break;
            case "--prefix":
                options.prefix = value;
                break;
            case "--concurrency":
                options.concurrency = Number(value);
                if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 256) {
                    throw new UsageError(`--concurrency must be a whole number from 1 to 256; got ${JSON.stringify(value.slice(0, 64))}`);
                }
                break;
            case "--format":
                options.format = oneOf(flag, value, FORMATS);
                break;
            case "--policy-pack-config":
                options.policyPackConfig = value;
                break;
            case "--import-file":
                options.importFile = value;
                break;
            case "--import-filter":
                options.importFilter = oneOf(flag, value, IMPORT_FILTERS);
                break;
            case "--typescript-file":
                options.typescriptFile = value;
                break;
            case "--exclude-stack":
                options.excludeStacks.push(value);
                break;
        }
    }
    return options;
}

function oneOf<T extends string>(flag: string, value: string, choices: T[]): T {
    if (!(choices as string[]).includes(value)) {
        throw new UsageError(`${flag} must be one of ${choices.join(", ")}; got ${JSON.stringify(value.slice(0, 64))}`);
    }
    return value as T;
}
