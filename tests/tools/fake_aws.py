#!/usr/bin/python3
"""A local stand-in for the AWS endpoints mysite calls, for integration tests.

Serves SSM GetParameter, Secrets Manager GetSecretValue, S3 (PutObject, HeadObject, GetObject,
ListObjectsV2, DeleteObjects; path-style, in memory), EC2 DescribeSecurityGroups (query protocol),
the ECS container credentials endpoint, EC2 IMDSv2, and the pre-signed URL CloudFormation gives a
custom resource for its answer. Like AWS, it rejects every service request whose SigV4 signature does not verify: the
signature is recomputed with botocore from the known test credentials and compared.

Usage: fake_aws.py --config CONFIG.json [--listen HOST:PORT]...
(prints "PORT <n>" once listening; by default on 127.0.0.1 and a free port; the port printed is
the first listener's)

CONFIG: {"region": "us-east-1", "account": "123456789012",
         "credentials": [{"access_key": .., "secret_key": .., "token": null|..,
                          "statements": [IAM policy statements]}],
         "parameters": {"name": {"Value": .., "Type": "String"}},
         "secrets": {"id": {"SecretString": .. | "SecretBinary": base64, "ARN": .., "Name": ..}},
         "buckets": ["name"],
         "security_groups": [{"GroupId": "sg-..", "GroupName": .., "VpcId": .., "Description": ..}],
         "bucket_policies": {"bucket": [statements of the bucket policy]},
         "container": {"credentials": {"AccessKeyId": .., "SecretAccessKey": .., "Token": ..},
                       "token": "expected Authorization header of /ecs/full",
                       "paths": {"/v2/credentials/<id>": {"AccessKeyId": .., ...}}}}

Credentials with "statements" are authorized like an IAM role holding that policy
(tests/tools/iam_policy.py): ssm:GetParameter, secretsmanager:GetSecretValue, s3:GetObject,
s3:PutObject, s3:DeleteObject and s3:ListBucket (with s3:prefix) on the ARNs AWS uses,
ec2:DescribeSecurityGroups on "*" (it has no resource-level permissions); a refusal
is AWS's AccessDenied. Credentials without "statements" may do anything. A secret is found by its
id, "ARN" or "Name". "paths" are ECS relative credential URIs (served unauthenticated, as the
ECS agent's endpoint at 169.254.170.2 does).

CloudFront with Origin Access Control (the deploy rehearsal's CDN stand-in cannot sign): an S3
GET or HEAD without Authorization but with `X-Rehearsal-Cloudfront-Source-Arn: <distribution
ARN>` is served when the bucket's policy allows s3:GetObject to the service principal
cloudfront.amazonaws.com under that AWS:SourceArn, and refused (403) otherwise.

CloudFormation custom resources: a PUT to /cloudformation-response/<request id>?X-Amz-Signature=..
is checked as CloudFormation's pre-signed S3 URL would check it (no Content-Type, since none was
signed; a JSON body of at most 4096 bytes naming Status SUCCESS or FAILED, the event's StackId,
RequestId and LogicalResourceId, a PhysicalResourceId, a Reason when FAILED) and kept;
GET /__control/cloudformation-responses returns them by request id.

Control (unsigned): POST /__control/fail {"count": n, "status": 503, "code": "SlowDown",
"service": "s3"|"ssm"|"secretsmanager"|null} makes the next n matching service requests fail
after their signature verified; GET /__control/stats returns request counts;
POST /__control/reset clears counts and pending failures; POST /__control/put merges a CONFIG
fragment (parameters, secrets, buckets, bucket_policies, security_groups, credentials, container
paths) into the
running fake; GET /__control/objects?bucket=B lists a bucket's keys.
Must run under Debian's /usr/bin/python3 (python3-botocore)."""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import xml.etree.ElementTree as ET
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import iam_policy  # noqa: E402

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
AUTH_RE = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,"
                     r"\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$")
IMDS_TOKEN = "imds-session-token-123"


class State:
    def __init__(self, config):
        self.lock = threading.Lock()
        self.config = {"parameters": {}, "secrets": {}, "bucket_policies": {}, "security_groups": [], **config}
        self.config.setdefault("container", {}).setdefault("paths", {})
        self.region = config.get("region", "us-east-1")
        self.account = config.get("account", "123456789012")
        self.credentials = {}
        self.buckets = {}
        self.merge({"credentials": config.get("credentials", []), "buckets": config.get("buckets", [])})
        container = config.get("container", {}).get("credentials")
        if container:
            self.add_container_credentials(container)
        for document in self.config["container"]["paths"].values():
            self.add_container_credentials(document)
        self.failures = []
        self.counts = {}
        self.cloudformation_responses = {}

    def add_container_credentials(self, document):
        self.credentials[document["AccessKeyId"]] = {
            "access_key": document["AccessKeyId"], "secret_key": document["SecretAccessKey"],
            "token": document.get("Token"), "statements": document.get("statements")}

    def merge(self, fragment):
        """Adds a CONFIG fragment (POST /__control/put)."""
        for c in fragment.get("credentials", []):
            self.credentials[c["access_key"]] = c
        for name in fragment.get("buckets", []):
            self.buckets.setdefault(name, {})
        for key in ("parameters", "secrets", "bucket_policies"):
            self.config[key].update(fragment.get(key, {}))
        self.config["security_groups"] += fragment.get("security_groups", [])
        for path, document in fragment.get("container_paths", {}).items():
            self.config["container"]["paths"][path] = document
            self.add_container_credentials(document)

    def find_secret(self, secret_id):
        secrets = self.config["secrets"]
        if secret_id in secrets:
            return secret_id, secrets[secret_id]
        for key, secret in secrets.items():
            if secret_id in (secret.get("ARN"), secret.get("Name")):
                return key, secret
        return secret_id, None

    def count(self, name):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1

    def take_failure(self, service):
        with self.lock:
            for failure in self.failures:
                if failure.get("service") in (None, service) and failure["count"] > 0:
                    failure["count"] -= 1
                    return failure
        return None


STATE = None


def s3_error_xml(code, message, extra=None):
    root = ET.Element("Error")
    ET.SubElement(root, "Code").text = code
    ET.SubElement(root, "Message").text = message
    for key, value in (extra or {}).items():
        ET.SubElement(root, key).text = value
    ET.SubElement(root, "RequestId").text = "FAKE0000000000"
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)


class AwsError(Exception):
    def __init__(self, status, code, message, extra=None):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra or {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeAWS/1.0"

    def log_message(self, fmt, *args):
        if os.environ.get("FAKE_AWS_VERBOSE"):
            sys.stderr.write("fake_aws: " + (fmt % args) + "\n")

    # -- plumbing ---------------------------------------------------------------------------
    def body(self):
        if not hasattr(self, "_body"):
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(length) if length else b""
        return self._body

    def reply(self, status, body=b"", headers=None, content_type=None, head=False):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def reply_json(self, status, document):
        self.reply(status, json.dumps(document).encode(), content_type="application/json")

    def reply_error(self, service, error):
        if service == "ec2":
            root = ET.Element("Response")
            item = ET.SubElement(ET.SubElement(root, "Errors"), "Error")
            ET.SubElement(item, "Code").text = error.code
            ET.SubElement(item, "Message").text = error.message
            ET.SubElement(root, "RequestID").text = "fake-0000"
            self.reply(error.status, b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root),
                       content_type="text/xml;charset=UTF-8")
        elif service == "s3":
            self.reply(error.status, s3_error_xml(error.code, error.message, error.extra),
                       content_type="application/xml", head=self.command == "HEAD")
        else:
            self.reply(error.status, json.dumps({"__type": error.code, "message": error.message}).encode(),
                       content_type="application/x-amz-json-1.1")

    def do_GET(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def dispatch(self):
        self.__dict__.pop("_body", None)  # one handler serves every request of a kept-alive connection
        path = urlsplit(self.path).path
        if path.startswith("/__control/"):
            return self.control(path)
        if path.startswith("/ecs/") or path in STATE.config["container"]["paths"]:
            return self.container(path)
        if path.startswith("/latest/"):
            return self.imds(path)
        if path.startswith("/cloudformation-response/"):
            return self.cloudformation_response(path)
        service = self.service_of()
        try:
            if self.cloudfront_read():
                return self.s3()
            self.verify_signature(service)
            failure = STATE.take_failure(service)
            if failure:
                STATE.count(f"{service}:injected")
                code = failure.get("code") or ("InternalError" if service == "s3" else "InternalFailure")
                raise AwsError(failure.get("status", 503), code, "injected failure")
            if service == "s3":
                return self.s3()
            if service == "ec2":
                return self.ec2()
            return self.json_service(service)
        except AwsError as error:
            self.body()
            return self.reply_error(service, error)

    # -- SigV4 verification ------------------------------------------------------------------
    def service_of(self):
        match = AUTH_RE.match(self.headers.get("Authorization", ""))
        if match:
            return match.group(4)
        target = self.headers.get("X-Amz-Target", "")
        if target.startswith("AmazonSSM."):
            return "ssm"
        if target.startswith("secretsmanager."):
            return "secretsmanager"
        return "s3"

    def verify_signature(self, service):
        STATE.count("attempts")
        STATE.count(f"{service}:attempts")
        s3 = service == "s3"
        auth = self.headers.get("Authorization")
        if not auth:
            raise AwsError(403, "AccessDenied" if s3 else "MissingAuthenticationTokenException",
                           "Missing Authentication Token")
        match = AUTH_RE.match(auth)
        if not match:
            raise AwsError(400, "AuthorizationHeaderMalformed" if s3 else "IncompleteSignatureException",
                           "The authorization header is malformed")
        access_key, date, region, _svc, signed_headers, provided = match.groups()
        known = STATE.credentials.get(access_key)
        if known is None:
            raise AwsError(403, "InvalidAccessKeyId" if s3 else "UnrecognizedClientException",
                           "The AWS Access Key Id you provided does not exist in our records.")
        self.caller = known
        amz_date = self.headers.get("X-Amz-Date", "")
        if amz_date[:8] != date or region != STATE.region:
            raise AwsError(403, "SignatureDoesNotMatch" if s3 else "InvalidSignatureException",
                           "Credential scope does not match the request date or region")
        signed = signed_headers.split(";")
        if "host" not in signed or "x-amz-date" not in signed:
            raise AwsError(403, "AccessDenied" if s3 else "InvalidSignatureException",
                           "host and x-amz-date must be signed")
        if known.get("token"):
            if self.headers.get("X-Amz-Security-Token") != known["token"] or \
                    "x-amz-security-token" not in signed:
                raise AwsError(403, "InvalidToken" if s3 else "UnrecognizedClientException",
                               "The security token included in the request is invalid.")
        body = self.body()
        request = AWSRequest(method=self.command, url="http://" + self.headers["Host"] + self.path, data=body)
        for name in signed:
            values = self.headers.get_all(name) or []
            for value in values:
                request.headers[name] = value
        request.context["timestamp"] = amz_date
        creds = Credentials(access_key, known["secret_key"], known.get("token"))
        cls = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
        signer = cls(creds, service, region)
        canonical = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical)
        expected = signer.signature(string_to_sign, request)
        if not hmac.compare_digest(expected, provided):
            message = ("The request signature we calculated does not match the signature you provided. "
                       "Check your AWS Secret Access Key and signing method.")
            # Like S3, echo what was signed; clients must not pass this on.
            extra = {"AWSAccessKeyId": access_key, "StringToSign": string_to_sign,
                     "SignatureProvided": provided, "CanonicalRequest": canonical} if s3 else None
            raise AwsError(403, "SignatureDoesNotMatch" if s3 else "InvalidSignatureException", message, extra)
        if s3:
            content_sha = self.headers.get("X-Amz-Content-SHA256")
            if content_sha is None:
                raise AwsError(400, "InvalidRequest", "Missing required header x-amz-content-sha256")
            if content_sha != "UNSIGNED-PAYLOAD" and content_sha != hashlib.sha256(body).hexdigest():
                raise AwsError(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' "
                               "header does not match what was computed.")

    # -- authorization ------------------------------------------------------------------------
    def authorize(self, service, action, resource, context=None):
        """Raises AWS's AccessDenied unless the caller's policy allows `action` on `resource`."""
        caller = getattr(self, "caller", None)
        if caller is None or caller.get("statements") is None:
            return
        context = dict(context or {}, **{"aws:SecureTransport": "true"})
        if not iam_policy.allowed(caller["statements"], action, resource, context):
            STATE.count("denied")
            message = f"User: {caller['access_key']} is not authorized to perform: {action} on resource: {resource}"
            if service == "ec2":
                raise AwsError(403, "UnauthorizedOperation", f"You are not authorized to perform this operation. {message}")
            if service == "s3":
                raise AwsError(403, "AccessDenied", message)
            raise AwsError(400, "AccessDeniedException", message)

    def cloudfront_read(self):
        """An unsigned S3 read from the CDN stand-in on behalf of a distribution (Origin Access
        Control): served only when the bucket policy grants it. True when this request is one."""
        self.caller = None
        self.cloudfront = False
        source_arn = self.headers.get("X-Rehearsal-Cloudfront-Source-Arn")
        if source_arn is None or "Authorization" in self.headers or self.command not in ("GET", "HEAD"):
            return False
        bucket_name, _, key = unquote(urlsplit(self.path).path.lstrip("/")).partition("/")
        resource = f"arn:aws:s3:::{bucket_name}/{key}"
        statements = [st for st in STATE.config["bucket_policies"].get(bucket_name, [])
                      if st.get("Principal") in ("*", {"AWS": "*"}, {"Service": "cloudfront.amazonaws.com"})]
        context = {"AWS:SourceArn": source_arn, "aws:SourceArn": source_arn, "aws:SecureTransport": "true"}
        STATE.count("s3:cloudfront")
        if not iam_policy.allowed(statements, "s3:GetObject", resource, context):
            raise AwsError(403, "AccessDenied", "Access Denied")
        self.cloudfront = True
        return True

    # -- JSON services ------------------------------------------------------------------------
    def json_service(self, service):
        target = self.headers.get("X-Amz-Target", "")
        try:
            payload = json.loads(self.body() or b"{}")
        except ValueError:
            raise AwsError(400, "SerializationException", "body is not JSON")
        STATE.count(target)
        if target == "AmazonSSM.GetParameter":
            name = payload.get("Name", "")
            self.authorize(service, "ssm:GetParameter",
                           f"arn:aws:ssm:{STATE.region}:{STATE.account}:parameter/{name.lstrip('/')}")
            parameter = STATE.config.get("parameters", {}).get(name)
            if parameter is None:
                raise AwsError(400, "ParameterNotFound", f"Parameter {name} not found.")
            return self.reply_json(200, {"Parameter": {
                "Name": name, "Type": parameter.get("Type", "String"), "Value": parameter["Value"],
                "Version": parameter.get("Version", 1), "DataType": "text",
                "ARN": f"arn:aws:ssm:{STATE.region}:{STATE.account}:parameter/{name.lstrip('/')}"}})
        if target == "secretsmanager.GetSecretValue":
            secret_id, secret = STATE.find_secret(payload.get("SecretId", ""))
            arn = (secret or {}).get("ARN") or \
                f"arn:aws:secretsmanager:{STATE.region}:{STATE.account}:secret:{secret_id}-AbCdEf"
            self.authorize(service, "secretsmanager:GetSecretValue", arn)
            if secret is None:
                raise AwsError(400, "ResourceNotFoundException",
                               "Secrets Manager can't find the specified secret.")
            document = {"ARN": arn, "Name": secret_id, "VersionId": "v-1", "VersionStages": ["AWSCURRENT"],
                        "CreatedDate": 1700000000.0}
            document.update(secret)
            return self.reply_json(200, document)
        raise AwsError(400, "UnknownOperationException", f"unknown target {target}")

    # -- EC2 (query protocol) -----------------------------------------------------------------
    EC2_FILTERS = {"group-id": "GroupId", "group-name": "GroupName", "vpc-id": "VpcId",
                   "description": "Description"}

    def ec2(self):
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            raise AwsError(400, "InvalidParameterValue", f"unexpected Content-Type {content_type!r}")
        if urlsplit(self.path).path != "/" or self.command != "POST":
            raise AwsError(400, "InvalidAction", "EC2 answers POST / only")
        form = dict(parse_qsl(self.body().decode(), keep_blank_values=True, strict_parsing=True))
        action = form.get("Action", "")
        STATE.count(f"ec2:{action}")
        if form.get("Version") != "2016-11-15":
            raise AwsError(400, "MissingParameter", "The request must contain the parameter Version")
        if action != "DescribeSecurityGroups":
            raise AwsError(400, "InvalidAction", f"The action {action} is not valid for this web service.")
        self.authorize("ec2", "ec2:DescribeSecurityGroups", "*")
        filters, n = [], 1
        while f"Filter.{n}.Name" in form:
            name = form[f"Filter.{n}.Name"]
            if name not in self.EC2_FILTERS:
                raise AwsError(400, "InvalidParameterValue", f"The filter '{name}' is invalid")
            values, m = [], 1
            while f"Filter.{n}.Value.{m}" in form:
                values.append(form[f"Filter.{n}.Value.{m}"])
                m += 1
            filters.append((self.EC2_FILTERS[name], values))
            n += 1
        known = {f"Filter.{i}.Name" for i in range(1, n)} | {"Action", "Version", "NextToken"}
        stray = [k for k in form if k not in known and not re.fullmatch(r"Filter\.\d+\.Value\.\d+", k)]
        if stray:
            raise AwsError(400, "UnknownParameter", f"The parameter {stray[0]} is not recognized")
        with STATE.lock:
            groups = [g for g in STATE.config["security_groups"]
                      if all(g.get(attribute) in values for attribute, values in filters)]
        ns = "http://ec2.amazonaws.com/doc/2016-11-15/"
        root = ET.Element("DescribeSecurityGroupsResponse", xmlns=ns)
        ET.SubElement(root, "requestId").text = "fake-0001"
        info = ET.SubElement(root, "securityGroupInfo")
        # One group per page, so clients must follow nextToken.
        start = int(form.get("NextToken") or 0)
        for group in groups[start:start + 1]:
            item = ET.SubElement(info, "item")
            ET.SubElement(item, "ownerId").text = STATE.account
            ET.SubElement(item, "groupId").text = group["GroupId"]
            ET.SubElement(item, "groupName").text = group["GroupName"]
            ET.SubElement(item, "groupDescription").text = group.get("Description", "")
            ET.SubElement(item, "vpcId").text = group.get("VpcId", "")
        if start + 1 < len(groups):
            ET.SubElement(root, "nextToken").text = str(start + 1)
        return self.reply(200, b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root),
                          content_type="text/xml;charset=UTF-8")

    # -- CloudFormation's pre-signed response URL -------------------------------------------------
    def cloudformation_response(self, path):
        body = self.body()
        STATE.count("cloudformation:responses")
        query = dict(parse_qsl(urlsplit(self.path).query))

        def refuse(status, code, message):
            self.reply(status, s3_error_xml(code, message), content_type="application/xml")

        if self.command != "PUT":
            return refuse(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        if "X-Amz-Signature" not in query:
            return refuse(403, "AccessDenied", "the pre-signed URL's query was not sent")
        # The URL was signed for an empty Content-Type; any other value breaks the signature.
        if self.headers.get("Content-Type", "") != "":
            return refuse(403, "SignatureDoesNotMatch",
                          "The request signature we calculated does not match the signature you provided.")
        if len(body) > 4096:
            return refuse(400, "EntityTooLarge", "a custom resource response is at most 4096 bytes")
        try:
            document = json.loads(body)
        except ValueError:
            return refuse(400, "MalformedJSON", "the response is not JSON")
        problems = [f"no {key}" for key in ("Status", "StackId", "RequestId", "LogicalResourceId",
                                            "PhysicalResourceId") if not isinstance(document.get(key), str)
                    or not document.get(key)]
        if document.get("Status") not in ("SUCCESS", "FAILED"):
            problems.append(f"Status {document.get('Status')!r}")
        if document.get("Status") == "FAILED" and not document.get("Reason"):
            problems.append("FAILED without a Reason")
        if "Data" in document and not isinstance(document["Data"], dict):
            problems.append("Data is not an object")
        request_id = path[len("/cloudformation-response/"):]
        if document.get("RequestId") != request_id:
            problems.append(f"RequestId {document.get('RequestId')!r} is not this URL's {request_id!r}")
        if problems:
            return refuse(400, "InvalidResponse", "; ".join(problems))
        with STATE.lock:
            STATE.cloudformation_responses[request_id] = document
        return self.reply(200)

    # -- S3 -----------------------------------------------------------------------------------
    def s3(self):
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        bucket_name, _, key = parts.path.lstrip("/").partition("/")
        bucket_name, key = unquote(bucket_name), unquote(key)
        bucket = STATE.buckets.get(bucket_name)
        if bucket is None:
            raise AwsError(404, "NoSuchBucket", "The specified bucket does not exist",
                           {"BucketName": bucket_name})
        object_arn = f"arn:aws:s3:::{bucket_name}/{key}"
        if not key:
            if self.command == "GET" and query.get("list-type") == "2":
                STATE.count("s3:ListObjectsV2")
                self.authorize("s3", "s3:ListBucket", f"arn:aws:s3:::{bucket_name}",
                               {"s3:prefix": query.get("prefix", "")})
                return self.s3_list(bucket, bucket_name, query)
            if self.command == "POST" and "delete" in query:
                STATE.count("s3:DeleteObjects")
                return self.s3_delete(bucket, bucket_name)
            raise AwsError(400, "NotImplemented", "fake_aws does not implement this bucket operation")
        if self.command == "PUT":
            STATE.count("s3:PutObject")
            self.authorize("s3", "s3:PutObject", object_arn)
            body = self.body()
            md5 = self.headers.get("Content-MD5")
            if md5 and md5 != base64.b64encode(hashlib.md5(body).digest()).decode():
                raise AwsError(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
            etag = '"' + hashlib.md5(body).hexdigest() + '"'
            meta = {k.lower(): v for k, v in self.headers.items() if k.lower().startswith("x-amz-meta-")}
            with STATE.lock:
                bucket[key] = {"body": body, "etag": etag, "modified": time.time(),
                               "content_type": self.headers.get("Content-Type", "binary/octet-stream"),
                               "cache_control": self.headers.get("Cache-Control"), "meta": meta}
            return self.reply(200, headers={"ETag": etag})
        if self.command in ("GET", "HEAD"):
            STATE.count("s3:HeadObject" if self.command == "HEAD" else "s3:GetObject")
            self.authorize("s3", "s3:GetObject", object_arn)
            with STATE.lock:
                obj = bucket.get(key)
            if obj is None and self.cloudfront:
                # Without s3:ListBucket (Origin Access Control grants only GetObject) S3 answers
                # a missing key with 403, not 404.
                raise AwsError(403, "AccessDenied", "Access Denied")
            if obj is None:
                if self.command == "HEAD":
                    return self.reply(404, head=True)
                raise AwsError(404, "NoSuchKey", "The specified key does not exist.", {"Key": key})
            headers = {"ETag": obj["etag"], "Last-Modified": formatdate(obj["modified"], usegmt=True),
                       "Content-Type": obj["content_type"], "Content-Length": str(len(obj["body"]))}
            if obj["cache_control"]:
                headers["Cache-Control"] = obj["cache_control"]
            headers.update(obj["meta"])
            return self.reply(200, obj["body"], headers=headers, head=self.command == "HEAD")
        raise AwsError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")

    def s3_list(self, bucket, bucket_name, query):
        prefix = query.get("prefix", "")
        delimiter = query.get("delimiter", "")
        max_keys = int(query.get("max-keys", "1000"))
        start = query.get("continuation-token") or query.get("start-after") or ""
        with STATE.lock:
            keys = sorted(k for k in bucket if k.startswith(prefix) and k > start)
        root = ET.Element("ListBucketResult", xmlns=S3_NS)
        ET.SubElement(root, "Name").text = bucket_name
        ET.SubElement(root, "Prefix").text = prefix
        contents, prefixes = [], []
        for k in keys:
            if delimiter and delimiter in k[len(prefix):]:
                common = prefix + k[len(prefix):].split(delimiter)[0] + delimiter
                if common not in prefixes:
                    prefixes.append(common)
                continue
            contents.append(k)
        truncated = len(contents) > max_keys
        contents = contents[:max_keys]
        ET.SubElement(root, "KeyCount").text = str(len(contents))
        ET.SubElement(root, "MaxKeys").text = str(max_keys)
        ET.SubElement(root, "IsTruncated").text = "true" if truncated else "false"
        if truncated:
            ET.SubElement(root, "NextContinuationToken").text = contents[-1]
        for k in contents:
            obj = bucket[k]
            c = ET.SubElement(root, "Contents")
            ET.SubElement(c, "Key").text = k
            ET.SubElement(c, "LastModified").text = datetime.datetime.utcfromtimestamp(
                obj["modified"]).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            ET.SubElement(c, "ETag").text = obj["etag"]
            ET.SubElement(c, "Size").text = str(len(obj["body"]))
            ET.SubElement(c, "StorageClass").text = "STANDARD"
        for p in prefixes:
            ET.SubElement(ET.SubElement(root, "CommonPrefixes"), "Prefix").text = p
        body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)
        return self.reply(200, body, content_type="application/xml")

    def s3_delete(self, bucket, bucket_name):
        body = self.body()
        md5 = self.headers.get("Content-MD5")
        if not md5:
            raise AwsError(400, "InvalidRequest", "Missing required header for this request: Content-MD5")
        if md5 != base64.b64encode(hashlib.md5(body).digest()).decode():
            raise AwsError(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
        try:
            document = ET.fromstring(body)
        except ET.ParseError:
            raise AwsError(400, "MalformedXML", "The XML you provided was not well-formed")
        keys = [el.text or "" for el in document.iter() if el.tag.endswith("Key")]
        if len(keys) > 1000:
            raise AwsError(400, "MalformedXML", "more than 1000 keys")
        for k in keys:
            self.authorize("s3", "s3:DeleteObject", f"arn:aws:s3:::{bucket_name}/{k}")
        root = ET.Element("DeleteResult", xmlns=S3_NS)
        with STATE.lock:
            for k in keys:
                bucket.pop(k, None)
                ET.SubElement(ET.SubElement(root, "Deleted"), "Key").text = k
        return self.reply(200, b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root),
                          content_type="application/xml")

    # -- credentials endpoints --------------------------------------------------------------
    def container_document(self):
        creds = dict(STATE.config["container"]["credentials"])
        expires = datetime.datetime.utcnow() + datetime.timedelta(hours=1)
        creds.setdefault("Expiration", expires.strftime("%Y-%m-%dT%H:%M:%SZ"))
        creds.setdefault("RoleArn", "arn:aws:iam::123456789012:role/fake-task-role")
        return creds

    def container(self, path):
        STATE.count(f"container:{path}")
        if path in STATE.config["container"]["paths"]:
            document = {k: v for k, v in STATE.config["container"]["paths"][path].items() if k != "statements"}
            expires = datetime.datetime.utcnow() + datetime.timedelta(hours=1)
            document.setdefault("Expiration", expires.strftime("%Y-%m-%dT%H:%M:%SZ"))
            return self.reply_json(200, document)
        if path == "/ecs/full":
            expected = STATE.config["container"].get("token")
            if self.headers.get("Authorization") != expected:
                return self.reply_json(401, {"message": "bad authorization token"})
        return self.reply_json(200, self.container_document())

    def imds(self, path):
        STATE.count(f"imds:{path}")
        if path == "/latest/api/token" and self.command == "PUT":
            if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                return self.reply(400)
            return self.reply(200, IMDS_TOKEN.encode(), content_type="text/plain")
        if self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
            return self.reply(401)
        if path == "/latest/meta-data/iam/security-credentials/":
            return self.reply(200, b"fake-instance-role", content_type="text/plain")
        if path == "/latest/meta-data/iam/security-credentials/fake-instance-role":
            document = self.container_document()
            document.update({"Code": "Success", "Type": "AWS-HMAC"})
            return self.reply_json(200, document)
        return self.reply(404)

    # -- control ------------------------------------------------------------------------------
    def control(self, path):
        if path == "/__control/fail":
            failure = json.loads(self.body() or b"{}")
            failure.setdefault("count", 1)
            with STATE.lock:
                STATE.failures.append(failure)
            return self.reply_json(200, {"ok": True})
        if path == "/__control/stats":
            with STATE.lock:
                return self.reply_json(200, dict(STATE.counts))
        if path == "/__control/put":
            fragment = json.loads(self.body() or b"{}")
            with STATE.lock:
                STATE.merge(fragment)
            return self.reply_json(200, {"ok": True})
        if path == "/__control/objects":
            bucket = dict(parse_qsl(urlsplit(self.path).query)).get("bucket", "")
            with STATE.lock:
                keys = sorted(STATE.buckets.get(bucket, {}))
            return self.reply_json(200, {"keys": keys})
        if path == "/__control/cloudformation-responses":
            with STATE.lock:
                return self.reply_json(200, dict(STATE.cloudformation_responses))
        if path == "/__control/reset":
            self.body()
            with STATE.lock:
                STATE.counts.clear()
                STATE.failures.clear()
            return self.reply_json(200, {"ok": True})
        return self.reply(404)


def watch_parent(parent):
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.5)


def main():
    global STATE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--listen", action="append", default=[], metavar="HOST:PORT")
    args = parser.parse_args()
    with open(args.config) as f:
        STATE = State(json.load(f))
    servers = []
    for listen in args.listen or ["127.0.0.1:0"]:
        host, _, port = listen.rpartition(":")
        server = ThreadingHTTPServer((host, int(port)), Handler)
        server.daemon_threads = True
        servers.append(server)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {servers[0].server_address[1]}", flush=True)
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
