// Default encryption of an OSS bucket, in Java.
package myproject;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import io.github.ossencryption.ossencryption.BucketEncryption;
import io.github.ossencryption.ossencryption.BucketEncryptionArgs;

public class App {
    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    public static void stack(Context ctx) {
        var config = ctx.config();
        var args = BucketEncryptionArgs.builder()
            .bucket(config.require("bucket"))
            .sseAlgorithm(config.get("sseAlgorithm").orElse("AES256"));
        // Absent with KMS: the OSS default CMK.
        config.get("kmsMasterKeyId").ifPresent(args::kmsMasterKeyId);
        var logs = new BucketEncryption("logs", args.build());
        ctx.export("bucket", logs.bucket());
        ctx.export("algorithm", logs.sseAlgorithm());
        ctx.export("region", logs.region());

        // Code that `pulumi import` prints goes here (see README.md).
    }
}
