// Drives the emulator with the classic OSS Go SDK (github.com/aliyun/aliyun-oss-go-sdk), which in
// V4 mode dates requests with Date alone (no x-oss-date), for tests/emulator/go-sdk.test.ts.
// Same protocol as tests/emulator/python/drive_emulator.py: one JSON object on stdin (version, endpoint,
// region, credentials, steps), one JSON object of step outcomes on stdout. list_buckets pages with
// the SDK's Marker/NextMarker loop (its own sample's); list_buckets_page is one ListBuckets call.
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
	Prefix      string            `json:"prefix"`
	Marker      string            `json:"marker"`
	MaxKeys     int               `json:"maxKeys"`
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
	case "list_buckets":
		return listAllBuckets(client, s, options)
	case "list_buckets_page":
		page, err := client.ListBuckets(listOptions(s, s.Marker, options)...)
		if err != nil {
			return nil, err
		}
		return pageOutcome(page), nil
	}
	return nil, fmt.Errorf("unknown op %s", s.Op)
}

// listOptions adds the step's prefix and max-keys (when set) and the marker to the request's options.
func listOptions(s step, marker string, options []oss.Option) []oss.Option {
	list := append([]oss.Option{oss.Prefix(s.Prefix), oss.Marker(marker)}, options...)
	if s.MaxKeys != 0 {
		list = append(list, oss.MaxKeys(s.MaxKeys))
	}
	return list
}

// listAllBuckets follows NextMarker while IsTruncated; the result has what BucketProperties parses
// (the classic SDK reads no ExtranetEndpoint or IntranetEndpoint).
func listAllBuckets(client *oss.Client, s step, options []oss.Option) (interface{}, error) {
	buckets := []map[string]string{}
	marker := ""
	for {
		page, err := client.ListBuckets(listOptions(s, marker, options)...)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Buckets {
			buckets = append(buckets, map[string]string{
				"name": b.Name, "location": b.Location, "region": b.Region, "storageClass": b.StorageClass,
				"creationDate": b.CreationDate.UTC().Format("2006-01-02T15:04:05Z"),
			})
		}
		if !page.IsTruncated {
			return map[string]interface{}{"buckets": buckets}, nil
		}
		marker = page.NextMarker
	}
}

// pageOutcome is one page's names and paging fields; an absent NextMarker is null, as the other drivers report it.
func pageOutcome(page oss.ListBucketsResult) map[string]interface{} {
	names := []string{}
	for _, b := range page.Buckets {
		names = append(names, b.Name)
	}
	var nextMarker interface{}
	if page.NextMarker != "" {
		nextMarker = page.NextMarker
	}
	return map[string]interface{}{"names": names, "isTruncated": page.IsTruncated, "nextMarker": nextMarker, "owner": page.Owner.ID}
}
