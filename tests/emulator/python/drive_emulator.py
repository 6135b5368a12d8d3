"""Drives the emulator with one of Alibaba Cloud's official Python SDKs, for
tests/emulator/python-sdks.test.ts.

Reads one JSON object on stdin:
  {"client": "oss2" | "alibabacloud-oss-v2" | "alibabacloud-kms20160120",
   "version": "v1" | "v4" (OSS clients), "endpoint": "http://127.0.0.1:<port>" (OSS or KMS),
   "region": "cn-hangzhou", "credentials": {name: {"accessKeyId", "accessKeySecret"}},
   "steps": [{"name", "op", "credential", "bucket"?, "rule"?, "body"?, "keyId"?, "skewMinutes"?,
              "prefix"?, "marker"?, "maxKeys"?}]}
and prints one JSON object: {step name: {"ok": true, "result": ...} or
{"ok": false, "code", "status", "requestId", "ec"}}.

OSS ops: put (rule: {SSEAlgorithm, KMSMasterKeyID?, KMSDataEncryption?}), put_raw (body: a raw
request body), get (result: the rule with OSS's element names, empty values left out), delete
(result: the HTTP status), list_buckets (every page through the SDK's own iterator or paginator;
result: {"buckets": [bucket as listed_bucket makes it]}), list_buckets_page (one ListBuckets call;
result: {"names", "isTruncated", "nextMarker", "owner"}). KMS op: describe_key (result: KeyMetadata
with KMS's field names).
skewMinutes moves the SDK's signing clock, to provoke RequestTimeTooSkewed.
Credentials in the input are the emulator's generated test keys; nothing here prints them.
"""
import contextlib
import datetime
import json
import sys
import types


def main():
    spec = json.load(sys.stdin)
    runner = {"oss2": Oss2Runner, "alibabacloud-oss-v2": OssV2Runner, "alibabacloud-kms20160120": KmsRunner}[spec["client"]](spec)
    results = {}
    for step in spec["steps"]:
        try:
            with skewed_clock(step.get("skewMinutes", 0)):
                results[step["name"]] = {"ok": True, "result": runner.run(step)}
        except Exception as error:  # reported as data for the test to judge
            results[step["name"]] = error_outcome(runner.service_error(error), error)
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


def error_outcome(service_error, error):
    """A failed step: the service's answer when the SDK got one, else what the SDK raised."""
    if service_error is not None and service_error.get("status", 0) > 0:
        return {"ok": False, **service_error}
    return {"ok": False, "code": f"client:{type(error).__name__}", "status": 0, "message": str(error)[:500]}


def rule_fields(sse_algorithm, kms_master_key_id, kms_data_encryption):
    """A rule with OSS's element names; empty or absent values left out."""
    fields = {"SSEAlgorithm": sse_algorithm, "KMSMasterKeyID": kms_master_key_id, "KMSDataEncryption": kms_data_encryption}
    return {name: value for name, value in fields.items() if value}


def listed_bucket(name, location, region, created, storage_class, extranet_endpoint=None, intranet_endpoint=None):
    """A bucket as a ListBuckets client reports it; `created` a datetime or UNIX seconds, given as ISO 8601 to the second."""
    if not isinstance(created, datetime.datetime):
        created = datetime.datetime.fromtimestamp(created, datetime.timezone.utc)
    fields = {
        "name": name,
        "location": location,
        "region": region,
        "creationDate": created.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "storageClass": storage_class,
        "extranetEndpoint": extranet_endpoint,
        "intranetEndpoint": intranet_endpoint,
    }
    return {key: value for key, value in fields.items() if value is not None}


def page_outcome(buckets, is_truncated, next_marker, owner_id):
    """One ListBuckets page: its names, and the paging fields as the SDK exposes them (no marker: None)."""
    return {"names": [bucket.name for bucket in buckets or []], "isTruncated": bool(is_truncated), "nextMarker": next_marker or None, "owner": owner_id}


class ShiftedDatetime(datetime.datetime):
    """datetime whose now()/utcnow() run `offset` ahead (negative: behind)."""

    offset = datetime.timedelta(0)

    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.now(tz) + cls.offset

    @classmethod
    def utcnow(cls):
        return datetime.datetime.utcnow() + cls.offset


@contextlib.contextmanager
def skewed_clock(minutes):
    """Moves the clocks the SDKs sign with by `minutes` while the block runs."""
    if not minutes:
        yield
        return
    import oss2.auth
    import oss2.utils
    import alibabacloud_oss_v2.signer.v1 as v2_signer_v1
    import alibabacloud_oss_v2.signer.v4 as v2_signer_v4

    ShiftedDatetime.offset = datetime.timedelta(minutes=minutes)
    shifted_module = types.SimpleNamespace(datetime=ShiftedDatetime, timezone=datetime.timezone, timedelta=datetime.timedelta)
    saved = (oss2.auth.datetime, oss2.utils.http_date, v2_signer_v1.datetime, v2_signer_v4.datetime)
    original_http_date = oss2.utils.http_date
    oss2.auth.datetime = ShiftedDatetime
    oss2.utils.http_date = lambda timeval=None: original_http_date((timeval or __import__("time").time()) + minutes * 60)
    v2_signer_v1.datetime = shifted_module
    v2_signer_v4.datetime = shifted_module
    try:
        yield
    finally:
        oss2.auth.datetime, oss2.utils.http_date, v2_signer_v1.datetime, v2_signer_v4.datetime = saved


class Oss2Runner:
    """oss2 (aliyun-oss-python-sdk): V1 with oss2.Auth, V4 with oss2.AuthV4 and a region."""

    def __init__(self, spec):
        import oss2

        self.oss2 = oss2
        self.spec = spec

    def auth(self, step):
        credential = self.spec["credentials"][step["credential"]]
        auth_class = self.oss2.AuthV4 if self.spec["version"] == "v4" else self.oss2.Auth
        return auth_class(credential["accessKeyId"], credential["accessKeySecret"])

    def region(self):
        """V4 needs the signing region; V1 takes none."""
        return {"region": self.spec["region"]} if self.spec["version"] == "v4" else {}

    def bucket(self, step):
        return self.oss2.Bucket(self.auth(step), self.spec["endpoint"], step["bucket"], **self.region())

    def service(self, step):
        return self.oss2.Service(self.auth(step), self.spec["endpoint"], **self.region())

    def run(self, step):
        op = step["op"]
        if op == "list_buckets":
            iterator = self.oss2.BucketIterator(self.service(step), prefix=step.get("prefix", ""), max_keys=step.get("maxKeys", 100))
            return {"buckets": [self.listed(bucket) for bucket in iterator]}
        if op == "list_buckets_page":
            result = self.service(step).list_buckets(prefix=step.get("prefix", ""), marker=step.get("marker", ""), max_keys=step.get("maxKeys", 100))
            return page_outcome(result.buckets, result.is_truncated, result.next_marker, result.owner.id)
        bucket = self.bucket(step)
        if op == "put":
            rule = step["rule"]
            model = self.oss2.models.ServerSideEncryptionRule(
                rule["SSEAlgorithm"], rule.get("KMSMasterKeyID"), rule.get("KMSDataEncryption")
            )
            return bucket.put_bucket_encryption(model).status
        if op == "put_raw":
            # put_bucket_encryption sends a body it is given as text unchanged.
            return bucket.put_bucket_encryption(step["body"]).status
        if op == "get":
            got = bucket.get_bucket_encryption()
            return rule_fields(got.sse_algorithm, got.kms_master_keyid, got.kms_data_encryption)
        if op == "delete":
            return bucket.delete_bucket_encryption().status
        raise ValueError(f"unknown op {op}")

    @staticmethod
    def listed(bucket):
        """An oss2 SimplifiedBucketInfo (creation_date in UNIX seconds)."""
        return listed_bucket(bucket.name, bucket.location, bucket.region, bucket.creation_date, bucket.storage_class, bucket.extranet_endpoint, bucket.intranet_endpoint)

    def service_error(self, error):
        """OSS's answer in an oss2 OssError, or None."""
        if isinstance(error, self.oss2.exceptions.OssError):
            return {"code": error.code, "status": error.status, "requestId": error.request_id, "ec": error.ec}
        return None


class OssV2Runner:
    """alibabacloud-oss-v2: the signature version from the test, path style on the loopback endpoint."""

    def __init__(self, spec):
        import alibabacloud_oss_v2 as oss

        self.oss = oss
        self.spec = spec

    def client(self, step):
        oss = self.oss
        credential = self.spec["credentials"][step["credential"]]
        config = oss.config.load_default()
        config.credentials_provider = oss.credentials.StaticCredentialsProvider(credential["accessKeyId"], credential["accessKeySecret"])
        config.region = self.spec["region"]
        config.endpoint = self.spec["endpoint"]
        config.use_path_style = True
        config.signature_version = self.spec["version"]
        # One attempt: the test asserts what the emulator answers, not how the SDK retries.
        config.retry_max_attempts = 1
        return oss.Client(config)

    def run(self, step):
        oss = self.oss
        client = self.client(step)
        bucket = step.get("bucket")
        op = step["op"]
        if op in ("list_buckets", "list_buckets_page"):
            return self.list_buckets(client, step)
        if op == "put":
            rule = step["rule"]
            by_default = oss.models.ApplyServerSideEncryptionByDefault(
                sse_algorithm=rule["SSEAlgorithm"],
                kms_master_key_id=rule.get("KMSMasterKeyID"),
                kms_data_encryption=rule.get("KMSDataEncryption"),
            )
            request = oss.models.PutBucketEncryptionRequest(
                bucket=bucket,
                server_side_encryption_rule=oss.models.ServerSideEncryptionRule(apply_server_side_encryption_by_default=by_default),
            )
            return client.put_bucket_encryption(request).status_code
        if op == "put_raw":
            # The SDK's generic entry point, as its put_bucket_encryption uses it, with a raw body.
            output = client.invoke_operation(
                oss.OperationInput(
                    op_name="PutBucketEncryption",
                    method="PUT",
                    headers={"Content-Type": "application/xml"},
                    parameters={"encryption": ""},
                    body=step["body"].encode("utf-8"),
                    bucket=bucket,
                    op_metadata={"sub-resource": ["encryption"]},
                )
            )
            return output.status_code
        if op == "get":
            rule = client.get_bucket_encryption(oss.models.GetBucketEncryptionRequest(bucket=bucket)).server_side_encryption_rule
            by_default = rule.apply_server_side_encryption_by_default
            return rule_fields(by_default.sse_algorithm, by_default.kms_master_key_id, by_default.kms_data_encryption)
        if op == "delete":
            return client.delete_bucket_encryption(oss.models.DeleteBucketEncryptionRequest(bucket=bucket)).status_code
        raise ValueError(f"unknown op {op}")

    def list_buckets(self, client, step):
        """list_buckets: every page through the SDK's paginator; list_buckets_page: one ListBuckets call."""
        request = self.oss.models.ListBucketsRequest(prefix=step.get("prefix"), marker=step.get("marker"), max_keys=step.get("maxKeys"))
        if step["op"] == "list_buckets_page":
            result = client.list_buckets(request)
            return page_outcome(result.buckets, result.is_truncated, result.next_marker, result.owner.id)
        buckets = []
        for page in client.list_buckets_paginator().iter_page(request):
            buckets.extend(
                listed_bucket(b.name, b.location, b.region, b.creation_date, b.storage_class, b.extranet_endpoint, b.intranet_endpoint)
                for b in page.buckets or []
            )
        return {"buckets": buckets}

    def service_error(self, error):
        """OSS's answer in an alibabacloud-oss-v2 ServiceError (wrapped in an OperationError), or None."""
        cause = error.unwrap() if isinstance(error, self.oss.exceptions.OperationError) else error
        if isinstance(cause, self.oss.exceptions.ServiceError):
            return {"code": cause.code, "status": cause.status_code, "requestId": cause.request_id, "ec": cause.ec}
        return None


class KmsRunner:
    """alibabacloud-kms20160120 on alibabacloud-tea-openapi, with its default signature (ACS3-HMAC-SHA256)."""

    def __init__(self, spec):
        from alibabacloud_kms20160120.client import Client
        from alibabacloud_kms20160120 import models
        from alibabacloud_tea_openapi import models as openapi_models

        self.spec = spec
        self.models = models
        self.make_client = lambda credential: Client(
            openapi_models.Config(
                access_key_id=credential["accessKeyId"],
                access_key_secret=credential["accessKeySecret"],
                endpoint=spec["endpoint"].replace("http://", ""),
                protocol="http",
                region_id=spec["region"],
            )
        )

    def run(self, step):
        if step["op"] != "describe_key":
            raise ValueError(f"unknown op {step['op']}")
        client = self.make_client(self.spec["credentials"][step["credential"]])
        body = client.describe_key(self.models.DescribeKeyRequest(key_id=step["keyId"])).body
        return {"RequestId": body.request_id, "KeyMetadata": body.key_metadata.to_map()}

    def service_error(self, error):
        """KMS's answer in a TeaException, or None."""
        from Tea.exceptions import TeaException

        if isinstance(error, TeaException) and isinstance(error.data, dict):
            return {"code": error.data.get("Code"), "status": error.data.get("statusCode", 0), "requestId": error.data.get("RequestId")}
        return None


if __name__ == "__main__":
    main()
