module github.com/pulumi-oss-encryption/tests/emulator/go

go 1.26.0

require github.com/aliyun/aliyun-oss-go-sdk v3.0.2+incompatible

require (
	golang.org/x/time v0.16.0 // indirect
	gopkg.in/check.v1 v1.0.0-20201130134442-10cb98267c6c // indirect
)
