"""tests/rehearsal: local stand-ins for what AWS itself runs, each configured from the values the
template gives (rehearse.py reads them; nothing here holds a copy of the template):

    AwsEndpoints  SSM, Secrets Manager, S3, EC2 security groups, CloudFormation's response URLs and
                  the ECS credentials endpoint (tests/tools/fake_aws.py:
                  every request's SigV4 signature verified, each role held to its IAM policy)
    Aurora        MariaDB over TLS; IAM authentication through MariaDB's PAM plugin and a verifier
                  that accepts only a valid RDS token whose role may rds-db:connect as that user
    LambdaRuntime the Lambda Runtime API (tests/tools/lambda_emulator.py) driving the function's
                  container started from the image with the function's entry point and settings
    Alb           haproxy: the listener's TLS, the target group's health check and thresholds,
                  deregistration by draining, X-Forwarded-For/-Proto as an ALB adds them
    Cdn           nginx: the viewer's TLS, redirect to HTTPS, the default behaviour to the ALB over
                  verified TLS with the viewer's Host, `/static/*` from the bucket through Origin
                  Access Control, caching, compression and the response headers policy
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "tools")
sys.path.insert(0, TOOLS)

import mariadb_server  # noqa: E402
from lambda_emulator import RuntimeEmulator  # noqa: E402

AWS_ENDPOINT_PORT = 4566
LAMBDA_API_PORT = 9001
PAM_PREFIX = "mysite-rehearsal-"

# CloudFront's managed cache and origin request policies, by id (AWS's documentation).
CACHE_POLICIES = {
    "658327ea-f89d-4fab-a63d-7e88639e58f6": {"name": "CachingOptimized", "cache": True},
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": {"name": "CachingDisabled", "cache": False},
}
ORIGIN_REQUEST_POLICIES = {
    "216adef6-5c7f-47e4-b989-5492eafa07d3": "AllViewer",
    "b689b0a8-53d0-40ab-baf2-68738e2966ac": "AllViewerExceptHostHeader",
    "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": "CORS-S3Origin",
}


class StandInError(Exception):
    pass


def wait_for_port(host, port, seconds, process=None, what="server"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StandInError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise StandInError(f"{what} did not listen on {host}:{port} within {seconds} s")


class AwsEndpoints:
    """fake_aws.py on the VPC's gateway address (AWS_ENDPOINT_URL for every program) and on
    169.254.170.2:80, where the ECS agent serves each task's credentials."""

    def __init__(self, work, gateway, region, account):
        self.work, self.gateway = work, gateway
        self.url = f"http://{gateway}:{AWS_ENDPOINT_PORT}"
        config = os.path.join(work, "fake-aws.json")
        with open(config, "w") as f:
            json.dump({"region": region, "account": account}, f)
        self.log = open(os.path.join(work, "fake-aws.log"), "w")
        self.process = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(TOOLS, "fake_aws.py"), "--config", config,
             "--listen", f"{gateway}:{AWS_ENDPOINT_PORT}", "--listen", "169.254.170.2:80"],
            stdout=subprocess.PIPE, stderr=self.log, text=True, preexec_fn=mariadb_server.die_with_parent)
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            raise StandInError(f"fake_aws.py did not start: {line!r} (see {self.log.name})")

    def control(self, path, document=None):
        data = None if document is None else json.dumps(document).encode()
        request = urllib.request.Request(self.url + "/__control/" + path, data=data,
                                         method="GET" if data is None else "POST")
        with urllib.request.urlopen(request, timeout=10) as r:
            return json.load(r)

    def put(self, **fragment):
        self.control("put", fragment)

    def objects(self, bucket):
        return self.control(f"objects?bucket={bucket}")["keys"]

    def stats(self):
        return self.control("stats")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


class Aurora:
    """The cluster: MariaDB with the cluster's TLS requirement, its master user, its database,
    and IAM authentication. Its data directory is made when the cluster is created; it accepts
    connections once the first instance exists, as Aurora does."""

    def __init__(self, work, address, port, endpoint_names, tls, pid):
        self.work, self.address, self.port, self.tls = work, address, int(port), tls
        self.endpoint_names = endpoint_names
        self.server = mariadb_server.Server(os.path.join(work, "aurora"), pam=True)
        os.makedirs(self.server.base, exist_ok=True)
        self.cert = tls.server_cert("aurora", endpoint_names)
        self.pam_service = f"{PAM_PREFIX}{pid}"
        self.decisions = os.path.join(work, "iam-decisions.jsonl")
        self.started = False

    def create(self, master_user, master_password, database, iam, parameters):
        self.master_user, self.master_password, self.database = master_user, master_password, database
        self.iam = iam
        self.parameters = parameters
        self.server.install()

    def start_instance(self, verifier):
        """The first DB instance: the endpoint starts answering. `verifier` is the PAM verifier's
        config (accepted credentials, their IAM policy, the dbuser ARN prefix)."""
        if self.started:
            return
        extra = []
        if str(self.parameters.get("require_secure_transport", "")).upper() in ("ON", "1"):
            extra.append("--require-secure-transport=ON")
        self.server.start(self.tls.ca, self.cert[1], self.cert[0], bind=self.address, port=self.port,
                          extra_args=extra)
        self.write_pam_service(verifier)
        password = self.master_password.replace("\\", "\\\\").replace("'", "\\'")
        self.server.sql(f"CREATE USER '{self.master_user}'@'%' IDENTIFIED BY '{password}';"
                        f"GRANT ALL PRIVILEGES ON *.* TO '{self.master_user}'@'%' WITH GRANT OPTION;"
                        f"CREATE DATABASE IF NOT EXISTS `{self.database}`;")
        self.started = True

    def write_pam_service(self, verifier):
        remove_stale_pam_services()
        config = os.path.join(self.work, "verifier.json")
        document = dict(verifier, hosts=self.endpoint_names, port=self.port, log=self.decisions)
        if not self.iam:
            document["access_key"] = "(IAM database authentication is off)"
        with open(config, "w") as f:
            json.dump(document, f)
        with open(f"/etc/pam.d/{self.pam_service}", "w") as f:
            f.write("# written by tests/rehearsal (the Aurora stand-in); removed when it ends\n"
                    f"auth required pam_exec.so expose_authtok quiet log={self.work}/pam_exec.log "
                    f"/usr/bin/python3 {os.path.join(TOOLS, 'rds_token_verifier.py')} --config {config}\n"
                    "account required pam_permit.so\n")

    def iam_clause(self):
        """What stands in for `IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'` here."""
        return f"IDENTIFIED VIA pam USING '{self.pam_service}'"

    def decisions_seen(self):
        try:
            with open(self.decisions) as f:
                return [json.loads(line) for line in f if line.strip()]
        except OSError:
            return []

    def sql(self, statements):
        return self.server.sql(statements)

    def stop(self):
        self.server.stop()
        try:
            os.unlink(f"/etc/pam.d/{self.pam_service}")
        except OSError:
            pass


def remove_stale_pam_services():
    for name in os.listdir("/etc/pam.d"):
        if name.startswith(PAM_PREFIX):
            pid = name[len(PAM_PREFIX):]
            if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                os.unlink(os.path.join("/etc/pam.d", name))


class LambdaRuntime:
    """Runs a function's invocation as Lambda does for a container image: the image started with
    the function's ImageConfig (entry point, command), its environment plus what Lambda adds
    (the Runtime API address, the role's credentials, the function's name and memory), as a
    non-root user on a read-only file system with a writable /tmp, in its VPC; then one event
    through the Runtime API and the function's answer or error."""

    def __init__(self, gateway, function_arn):
        self.emulator = RuntimeEmulator((gateway, LAMBDA_API_PORT), function_arn)
        self.emulator.__enter__()
        self.endpoint = self.emulator.endpoint

    def invoke(self, start_container, stop_container, timeout_s, payload=None):
        """start_container() starts the function's container; returns the Result (kind
        "response" or "error"), or raises StandInError when the function never answered."""
        start_container()
        try:
            return self.emulator.invoke(payload or {}, deadline_s=timeout_s, timeout_s=timeout_s + 5)
        except AssertionError as e:
            errors = [r.body.decode(errors="replace") for r in self.emulator.init_errors]
            raise StandInError(f"the function did not answer: {e}; init errors: {errors}")
        finally:
            stop_container()

    def stop(self):
        self.emulator.__exit__(None, None, None)


class Alb:
    """haproxy as the Application Load Balancer: one HTTPS listener forwarding to one target
    group of IP targets, registered and deregistered at run time (the ECS service does that)."""

    def __init__(self, work, address, listener, target_group, certificate, attributes):
        self.work, self.address = work, address
        self.socket_path = os.path.join(work, "haproxy.sock")
        self.deregistration_delay = int(_attribute(target_group.get("TargetGroupAttributes"),
                                                   "deregistration_delay.timeout_seconds", 300))
        idle = int(attributes.get("idle_timeout.timeout_seconds", 60))
        matcher = str((target_group.get("Matcher") or {}).get("HttpCode", "200"))
        health = {
            "path": target_group.get("HealthCheckPath", "/"),
            "interval": int(target_group.get("HealthCheckIntervalSeconds", 30)),
            "timeout": int(target_group.get("HealthCheckTimeoutSeconds", 5)),
            "rise": int(target_group.get("HealthyThresholdCount", 5)),
            "fall": int(target_group.get("UnhealthyThresholdCount", 2)),
        }
        self.health = health
        if listener.get("Protocol") != "HTTPS":
            raise StandInError(f"the ALB stand-in serves HTTPS listeners; this one is {listener.get('Protocol')}")
        port = int(listener["Port"])
        expect = f"rstatus ^({'|'.join(_matcher_codes(matcher))})$"
        pem = os.path.join(work, "alb.pem")
        with open(pem, "w") as f:
            f.write(open(certificate[1]).read() + open(certificate[0]).read())
        config = f"""# the ALB stand-in, made by tests/rehearsal from the template's listener and target group
global
    stats socket {self.socket_path} mode 600 level admin
    maxconn 4096
    log stdout format raw local0 info
defaults
    mode http
    log global
    option httplog
    timeout connect 5s
    timeout client {idle}s
    timeout server {idle}s
    timeout http-keep-alive {idle}s
    timeout http-request 10s
    timeout check {health['timeout']}s
frontend listener
    bind {address}:{port} ssl crt {pem} alpn http/1.1 ssl-min-ver TLSv1.2
    # As an ALB: append the client to X-Forwarded-For, and say how it reached the listener.
    http-request set-header X-Forwarded-For "%[req.fhdr(X-Forwarded-For)], %[src]" if {{ req.fhdr(X-Forwarded-For) -m found }}
    http-request set-header X-Forwarded-For %[src] unless {{ req.fhdr(X-Forwarded-For) -m found }}
    http-request set-header X-Forwarded-Proto https
    http-request set-header X-Forwarded-Port {port}
    default_backend targets
backend targets
    balance roundrobin
    # As an ALB multiplexes: any client's request may go over any idle connection to a target.
    http-reuse always
    option httpchk
    http-check send meth GET uri {health['path']} ver HTTP/1.1 hdr Host alb-health-check
    http-check expect {expect}
    default-server inter {health['interval']}s rise {health['rise']} fall {health['fall']}
    # Not an ALB header: which target answered, so the rehearsal can see requests cross tasks.
    http-response set-header X-Rehearsal-Target %s
"""
        with open(os.path.join(work, "haproxy.cfg"), "w") as f:
            f.write(config)
        self.log = open(os.path.join(work, "haproxy.log"), "w")
        self.process = subprocess.Popen(["haproxy", "-db", "-f", os.path.join(work, "haproxy.cfg")],
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        preexec_fn=mariadb_server.die_with_parent)
        wait_for_port(address, port, 15, self.process, "haproxy")
        self.port = port

    def command(self, line):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(self.socket_path)
            s.sendall((line + "\n").encode())
            chunks = []
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
        return b"".join(chunks).decode()

    def register(self, name, address, port):
        """A new target (an IP and a port: ECS registers the container's port) starts unhealthy and
        receives traffic after `rise` passing checks."""
        # Dynamic servers take no default-server settings: the health check's are given here.
        check = (f"check inter {self.health['interval']}s rise {self.health['rise']} "
                 f"fall {self.health['fall']}")
        for line in (f"add server targets/{name} {address}:{port} {check}",
                     f"set server targets/{name} health down",
                     f"enable health targets/{name}", f"enable server targets/{name}"):
            out = self.command(line).strip()
            if out and "New server registered" not in out:
                raise StandInError(f"haproxy: {line}: {out}")

    def drain(self, name):
        """Deregistration: no new requests; those in flight go on."""
        self.command(f"set server targets/{name} state drain")

    def remove(self, name):
        self.command(f"set server targets/{name} state maint")
        self.command(f"shutdown sessions server targets/{name}")
        self.command(f"del server targets/{name}")

    def states(self):
        """{target name: haproxy status ("UP", "DOWN", "DRAIN", "MAINT", "UP 1/3", ...)}"""
        lines = self.command("show stat").splitlines()
        if not lines:
            return {}
        header = lines[0].lstrip("# ").split(",")
        states = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(",")))
            if row.get("pxname") == "targets" and row.get("svname") not in ("BACKEND", "FRONTEND"):
                states[row["svname"]] = row.get("status", "")
        return states

    def healthy(self, name):
        return self.states().get(name) == "UP"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


class Cdn:
    """nginx as the CloudFront distribution: the aliases' certificate, one server per behaviour
    set, `/static/*`-style path patterns as locations."""

    def __init__(self, work, address, distribution, origins, certificate, ca, headers_policy, source_arn):
        """`origins`: {origin id: {"kind": "alb", "url": "https://10.0.0.2:443"} or
        {"kind": "s3", "url": "http://10.0.0.1:4566/bucket"}}."""
        self.work, self.address = work, address
        config = distribution["DistributionConfig"]
        self.aliases = config.get("Aliases", [])
        os.makedirs(os.path.join(work, "cdn-cache"), exist_ok=True)
        locations = []
        behaviours = [(b["PathPattern"], b) for b in config.get("CacheBehaviors", [])]
        behaviours.append(("*", config["DefaultCacheBehavior"]))
        for pattern, behaviour in behaviours:
            locations.append(self._location(pattern, behaviour, origins, ca, source_arn))
        header_lines = _response_headers(headers_policy)
        pem_cert, pem_key = certificate[1], certificate[0]
        redirect = all(b.get("ViewerProtocolPolicy") == "redirect-to-https" for _, b in behaviours)
        http_server = ("    server {\n        listen %s:80;\n        return 301 https://$host$request_uri;\n    }\n"
                       % address) if redirect else ""
        nginx = f"""# the CloudFront stand-in, made by tests/rehearsal from the template's distribution
user root;
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log {work}/cdn-access.log;
    proxy_cache_path {work}/cdn-cache keys_zone=edge:4m max_size=64m inactive=1d;
    client_body_temp_path {work}/cdn-body;
    proxy_temp_path {work}/cdn-proxy;
    fastcgi_temp_path {work}/cdn-fastcgi;
    uwsgi_temp_path {work}/cdn-uwsgi;
    scgi_temp_path {work}/cdn-scgi;
    map $upstream_http_referrer_policy $edge_referrer_policy {{ "" "{headers_policy.get('referrer', '')}"; default ""; }}
    upstream alb {{ server {origins_alb(origins)}; keepalive 32; }}
{http_server}    server {{
        listen {address}:443 ssl http2;
        server_name {' '.join(self.aliases) or '_'};
        ssl_certificate {pem_cert};
        ssl_certificate_key {pem_key};
        ssl_protocols TLSv1.2 TLSv1.3;
        gzip on;
        gzip_proxied any;
        gzip_types text/css application/javascript application/json image/svg+xml text/plain;
{header_lines}
{''.join(locations)}    }}
}}
"""
        self.config_path = os.path.join(work, "cdn.conf")
        with open(self.config_path, "w") as f:
            f.write(nginx)
        self.process = subprocess.Popen(["nginx", "-c", self.config_path, "-p", work, "-e", f"{work}/nginx-error.log",
                                         "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=mariadb_server.die_with_parent)
        wait_for_port(address, 443, 15, self.process, "nginx")

    def _location(self, pattern, behaviour, origins, ca, source_arn):
        origin = origins[behaviour["TargetOriginId"]]
        cache = CACHE_POLICIES.get(behaviour.get("CachePolicyId"))
        if cache is None:
            raise StandInError(f"CloudFront cache policy {behaviour.get('CachePolicyId')} is not known to the "
                               "CDN stand-in (tests/rehearsal/standins.py CACHE_POLICIES)")
        request_policy = behaviour.get("OriginRequestPolicyId")
        if request_policy and request_policy not in ORIGIN_REQUEST_POLICIES:
            raise StandInError(f"CloudFront origin request policy {request_policy} is not known to the CDN stand-in")
        location = "/" if pattern == "*" else pattern.rstrip("*")
        if "*" in location or "?" in location:
            raise StandInError(f"path pattern {pattern}: the CDN stand-in supports prefixes ending in *")
        allowed = behaviour.get("AllowedMethods", ["GET", "HEAD"])
        lines = [f"        location {'^~ ' if location != '/' else ''}{location} {{\n"]
        if set(allowed) != {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}:
            lines.append(f"            limit_except {' '.join(m for m in allowed if m != 'HEAD')} {{ deny all; }}\n")
        if origin["kind"] == "s3":
            # Origin Access Control: CloudFront signs for the distribution; the bucket's policy
            # decides. Cookies and query strings do not reach S3 under CachingOptimized.
            lines += [f"            proxy_pass {origin['url']}$uri;\n",
                      "            proxy_set_header Authorization \"\";\n",
                      "            proxy_set_header Cookie \"\";\n",
                      f"            proxy_set_header X-Rehearsal-Cloudfront-Source-Arn \"{source_arn}\";\n",
                      "            proxy_hide_header Set-Cookie;\n"]
        else:
            # A VPC origin over HTTPS: CloudFront forwards the viewer's Host (AllViewer) and checks
            # the origin's certificate against it.
            lines += ["            proxy_pass https://alb;\n",
                      "            proxy_http_version 1.1;\n",
                      "            proxy_set_header Connection \"\";\n",
                      "            proxy_set_header Host $host;\n",
                      "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n",
                      "            proxy_set_header Via \"1.1 rehearsal.cloudfront.net (CloudFront)\";\n",
                      "            proxy_ssl_server_name on;\n",
                      "            proxy_ssl_name $host;\n",
                      "            proxy_ssl_verify on;\n",
                      f"            proxy_ssl_trusted_certificate {ca};\n",
                      "            proxy_ssl_protocols TLSv1.2 TLSv1.3;\n",
                      "            proxy_ssl_session_reuse on;\n",
                      f"            proxy_read_timeout {origin.get('read_timeout', 30)}s;\n",
                      "            proxy_next_upstream off;\n"]
        if cache["cache"]:
            lines += ["            proxy_cache edge;\n",
                      "            proxy_cache_valid 200 301 1d;\n",
                      "            add_header X-Cache $upstream_cache_status always;\n"]
        lines.append("        }\n")
        return "".join(lines)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def origins_alb(origins):
    for origin in origins.values():
        if origin["kind"] == "alb":
            return origin["address"]
    return "127.0.0.1:9"


def _response_headers(policy):
    """nginx lines for a response headers policy: an overriding header replaces the origin's."""
    lines = []
    for name, value in policy.get("override", {}).items():
        lines.append(f"        proxy_hide_header {name};\n        add_header {name} \"{value}\" always;\n")
    if policy.get("referrer"):
        lines.append("        add_header Referrer-Policy $edge_referrer_policy always;\n")
    return "".join(lines)


def response_headers_policy(config):
    """The headers a ResponseHeadersPolicyConfig adds: {"override": {name: value}, "referrer": ..}."""
    security = config.get("SecurityHeadersConfig", {})
    result = {"override": {}, "referrer": ""}
    hsts = security.get("StrictTransportSecurity")
    if hsts:
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        if hsts.get("IncludeSubdomains"):
            value += "; includeSubDomains"
        if hsts.get("Preload"):
            value += "; preload"
        _policy_header(result, "Strict-Transport-Security", value, hsts.get("Override"))
    if security.get("ContentTypeOptions"):
        _policy_header(result, "X-Content-Type-Options", "nosniff", security["ContentTypeOptions"].get("Override"))
    frame = security.get("FrameOptions")
    if frame:
        _policy_header(result, "X-Frame-Options", frame["FrameOption"], frame.get("Override"))
    referrer = security.get("ReferrerPolicy")
    if referrer:
        if referrer.get("Override"):
            result["override"]["Referrer-Policy"] = referrer["ReferrerPolicy"]
        else:
            result["referrer"] = referrer["ReferrerPolicy"]
    return result


def _policy_header(result, name, value, override):
    if not override:
        raise StandInError(f"response headers policy: {name} without Override is not modelled by the CDN stand-in")
    result["override"][name] = value


def _matcher_codes(matcher):
    """A target group's Matcher.HttpCode ("200", "200,302", "200-299") as a list of codes."""
    codes = []
    for part in matcher.split(","):
        low, _, high = part.strip().partition("-")
        codes += [str(c) for c in range(int(low), int(high or low) + 1)]
    return codes


def _attribute(attributes, key, default):
    for item in attributes or []:
        if item.get("Key") == key:
            return item.get("Value")
    return default
