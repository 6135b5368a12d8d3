// Default encryption of an OSS bucket, in Go.
package main

import (
	"github.com/oss-encryption/pulumi-oss-encryption/sdks/go/ossencryption"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		algorithm := conf.Get("sseAlgorithm")
		if algorithm == "" {
			algorithm = string(ossencryption.SseAlgorithmAES256)
		}
		args := &ossencryption.BucketEncryptionArgs{
			Bucket:       pulumi.String(conf.Require("bucket")),
			SseAlgorithm: pulumi.String(algorithm),
		}
		// Absent with KMS: the OSS default CMK.
		if key := conf.Get("kmsMasterKeyId"); key != "" {
			args.KmsMasterKeyId = pulumi.StringPtr(key)
		}
		logs, err := ossencryption.NewBucketEncryption(ctx, "logs", args)
		if err != nil {
			return err
		}
		ctx.Export("bucket", logs.Bucket)
		ctx.Export("algorithm", logs.SseAlgorithm)
		ctx.Export("region", logs.Region)

		// Code that `pulumi import` prints goes here (see README.md).

		return nil
	})
}
