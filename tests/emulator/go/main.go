// Drives the emulator with the classic OSS Go SDK (github.com/aliyun/aliyun-oss-go-sdk), which in
// V4 mode dates requests with Date alone (no x-oss-date), for tests/emulator/go-sdk.test.ts.
// Same protocol as tests/emulator/python/drive_emulator.py: one JSON object on stdin (version, endpoint,
// region, credentials, steps), one JSON object of step outcomes on stdout.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

type credential struct {
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
}

type step struct {
	Name        string            `json:"name"`
	Op          string            `json:"op"`
	Credential  string            `json:"credential"`
	Bucket      string            `json:"bucket"`
	Rule        map[string]string `json:"rule"`
	Body        string            `json:"body"`
	SkewMinutes int               `json:"skewMinutes"`
}

type input struct {
	Version     string                `json:"version"`
	Endpoint    string                `json:"endpoint"`
	Region      string                `json:"region"`
	Credentials map[string]credential `json:"credentials"`
	Steps       []step                `json:"steps"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	outcomes := map[string]map[string]interface{}{}
	for _, s := range in.Steps {
		result, err := run(in, s)
		if err == nil {
			outcomes[s.Name] = map[string]interface{}{"ok": true, "result": result}
			continue
		}
		var serviceError oss.ServiceError
		if errors.As(err, &serviceError) && serviceError.StatusCode > 0 {
			outcomes[s.Name] = map[string]interface{}{"ok": false, "code": serviceError.Code, "status": serviceError.StatusCode, "requestId": serviceError.RequestID, "ec": serviceError.Ec}
		} else {
			outcomes[s.Name] = map[string]interface{}{"ok": false, "code": fmt.Sprintf("client:%T", err), "status": 0, "message": err.Error()}
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(outcomes); err != nil {
		os.Exit(1)
	}
}

func run(in input, s step) (interface{}, error) {
	c := in.Credentials[s.Credential]
	version := oss.AuthV1
	if in.Version == "v4" {
		version = oss.AuthV4
	}
	client, err := oss.New(in.Endpoint, c.AccessKeyID, c.AccessKeySecret, oss.AuthVersion(version), oss.Region(in.Region), oss.ForcePathStyle(true))
	if err != nil {
		return nil, err
	}
	var options []oss.Option
	if s.SkewMinutes != 0 {
		// The SDK dates every request with Date from the clock; a Date header given as an option replaces it.
		options = append(options, oss.SetHeader("Date", time.Now().UTC().Add(time.Duration(s.SkewMinutes)*time.Minute).Format(http.TimeFormat)))
	}
	switch s.Op {
	case "put":
		rule := oss.ServerEncryptionRule{SSEDefault: oss.SSEDefaultRule{
			SSEAlgorithm: s.Rule["SSEAlgorithm"], KMSMasterKeyID: s.Rule["KMSMasterKeyID"], KMSDataEncryption: s.Rule["KMSDataEncryption"],
		}}
		return http.StatusOK, client.SetBucketEncryption(s.Bucket, rule, options...)
	case "put_raw":
		// The SDK's own connection, as SetBucketEncryption uses it, with a raw body.
		params := map[string]interface{}{"encryption": nil}
		headers := map[string]string{"Content-Type": "application/xml"}
		resp, err := client.Conn.Do("PUT", s.Bucket, "", params, headers, strings.NewReader(s.Body), 0, nil)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return resp.StatusCode, nil
	case "get":
		got, err := client.GetBucketEncryption(s.Bucket, options...)
		if err != nil {
			return nil, err
		}
		fields := map[string]string{}
		for name, value := range map[string]string{"SSEAlgorithm": got.SSEDefault.SSEAlgorithm, "KMSMasterKeyID": got.SSEDefault.KMSMasterKeyID, "KMSDataEncryption": got.SSEDefault.KMSDataEncryption} {
			if value != "" {
				fields[name] = value
			}
		}
		return fields, nil
	case "delete":
		return http.StatusNoContent, client.DeleteBucketEncryption(s.Bucket, options...)
	}
	return nil, fmt.Errorf("unknown op %s", s.Op)
}
