#!/usr/bin/python3
"""tests/tools: the check Aurora makes of an RDS IAM token, run by PAM (pam_exec expose_authtok).

A local stand-in for Aurora's IAM authentication: MariaDB's auth_pam plugin, with
pam_use_cleartext_plugin=ON, hands the password the client sent to PAM; a service file such as

    auth    required pam_exec.so expose_authtok quiet /usr/bin/python3 rds_token_verifier.py --config C
    account required pam_permit.so

runs this script with the password on stdin (NUL-terminated) and the user in PAM_USER. It exits 0
(accept) only when the password is an RDS IAM token that
  - is a presigned `connect` URL "HOST:PORT/?Action=connect&DBUser=...&X-Amz-..." for one of the
    configured host names and the configured port,
  - names PAM_USER as DBUser,
  - was signed with the configured credentials (access key, and session token when configured)
    for the configured region and service rds-db: the whole token is recomputed with botocore at
    the token's own X-Amz-Date and must match byte for byte,
  - is not expired (X-Amz-Date + X-Amz-Expires is not past, Expires <= 900) and not from the
    future (5 minutes of clock skew allowed).
Anything else exits 1. pam_exec hands over at most 511 bytes (PAM_MAX_RESP_SIZE), so a token that
long is rejected as possibly truncated: tests keep their session tokens short. Each decision is appended to the config's "log" file as one JSON line
{"user", "accepted", "reason"} (never the token), so a test can see whether a token ever arrived.

CONFIG (JSON): {"access_key", "secret_key", "session_token" (or null), "region",
                "hosts": ["127.0.0.1", "localhost"], "port": 3306, "log": "/path/decisions.jsonl",
                "statements": [..], "dbuser_arn_prefix": "arn:aws:rds-db:REGION:ACCOUNT:dbuser:CLUSTER-ID/"}
With "statements" (the IAM policy of the role the credentials belong to), the token is accepted
only when that policy allows rds-db:connect on dbuser_arn_prefix + the user, as Aurora requires.

Also usable as a library: generate_token(...) makes a token with botocore at a chosen time.
Must run under Debian's /usr/bin/python3 (python3-botocore).
"""
import argparse
import datetime
import hmac
import json
import os
import sys
import types
from urllib.parse import parse_qsl, urlsplit

os.environ.setdefault("AWS_CONFIG_FILE", "/dev/null")
os.environ.setdefault("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import iam_policy  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.session  # noqa: E402

MAX_EXPIRES_S = 900
CLOCK_SKEW_S = 300
PAM_EXEC_MAX_TOKEN = 511
AMZ_DATE = "%Y%m%dT%H%M%SZ"


class _FrozenDateTime(datetime.datetime):
    """What botocore.auth sees as datetime.datetime: utcnow() is the time generate_token asks for."""
    frozen = None

    @classmethod
    def utcnow(cls):
        return cls.frozen if cls.frozen is not None else datetime.datetime.utcnow()


botocore.auth.datetime = types.SimpleNamespace(datetime=_FrozenDateTime)
_RDS_CLIENTS = {}


def generate_token(host, port, user, region, access_key, secret_key, session_token, when):
    """The token botocore's generate_db_auth_token makes at time `when` (a naive UTC datetime)."""
    key = (region, access_key, secret_key, session_token)
    if key not in _RDS_CLIENTS:
        _RDS_CLIENTS[key] = botocore.session.get_session().create_client(
            "rds", region_name=region, aws_access_key_id=access_key,
            aws_secret_access_key=secret_key, aws_session_token=session_token)
    _FrozenDateTime.frozen = _FrozenDateTime(when.year, when.month, when.day, when.hour,
                                             when.minute, when.second)
    try:
        return _RDS_CLIENTS[key].generate_db_auth_token(DBHostname=host, Port=int(port),
                                                        DBUsername=user, Region=region)
    finally:
        _FrozenDateTime.frozen = None


def check(token, user, config, now):
    """Returns None when `token` is acceptable for `user`, else the reason."""
    if len(token) >= PAM_EXEC_MAX_TOKEN:
        return "token possibly truncated by pam_exec (use a shorter session token)"
    if "/?" not in token:
        return "not a presigned URL"
    hostport, query = token.split("/?", 1)
    host, _, port = hostport.rpartition(":")
    if host not in config["hosts"] or port != str(config["port"]):
        return "wrong host or port"
    params = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=False))
    if params.get("Action") != "connect":
        return "not a connect action"
    if params.get("DBUser") != user:
        return "DBUser does not match the user"
    if params.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
        return "wrong algorithm"
    scope = params.get("X-Amz-Credential", "").split("/")
    if len(scope) != 5 or scope[0] != config["access_key"]:
        return "unknown access key"
    if scope[2:] != [config["region"], "rds-db", "aws4_request"]:
        return "wrong credential scope"
    if config.get("session_token") and params.get("X-Amz-Security-Token") != config["session_token"]:
        return "wrong or missing session token"
    try:
        signed_at = datetime.datetime.strptime(params.get("X-Amz-Date", ""), AMZ_DATE)
        expires = int(params.get("X-Amz-Expires", ""))
    except ValueError:
        return "malformed X-Amz-Date or X-Amz-Expires"
    if scope[1] != signed_at.strftime("%Y%m%d"):
        return "credential scope date differs from X-Amz-Date"
    if not 0 < expires <= MAX_EXPIRES_S:
        return "X-Amz-Expires out of range"
    if signed_at - now > datetime.timedelta(seconds=CLOCK_SKEW_S):
        return "signed in the future"
    if now > signed_at + datetime.timedelta(seconds=expires):
        return "expired"
    if config.get("statements") is not None and not iam_policy.allowed(
            config["statements"], "rds-db:connect", config["dbuser_arn_prefix"] + user):
        return "the credentials' IAM policy does not allow rds-db:connect for this user"
    expected = generate_token(host, port, user, config["region"], config["access_key"],
                              config["secret_key"], config.get("session_token"), signed_at)
    if expires != MAX_EXPIRES_S or not hmac.compare_digest(expected.encode(), token.encode()):
        return "signature does not match"
    return None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)
    with open(args.config) as f:
        config = json.load(f)
    token = sys.stdin.buffer.read().split(b"\0", 1)[0].decode("utf-8", "replace").strip()
    user = os.environ.get("PAM_USER", "")
    now = datetime.datetime.utcnow().replace(microsecond=0)
    try:
        reason = check(token, user, config, now)
    except Exception as e:  # noqa: BLE001 - any surprise is a rejection, logged by type only
        reason = f"verifier error {type(e).__name__}"
    with open(config["log"], "a") as log:
        log.write(json.dumps({"user": user, "accepted": reason is None, "reason": reason or "ok",
                              "length": len(token)}) + "\n")
    return 0 if reason is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
