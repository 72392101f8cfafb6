#!/usr/bin/python3
"""`make rehearse`: plays a deploy of the synthesized stack on this machine, as CloudFormation and
the AWS services would, from the real image and the real template (DESIGN.md, "The deploy
rehearsal"). Prints one line per stage and a summary; exits 1 with the failing stage's log.

    rehearse.py [--scenario deploy|failed-migration|failed-initializer|all] [--keep]

Scenarios (each its own ctest test, label `rehearsal`):
  deploy              create the stack, a user's visit in Chromium through the CDN, then a rolling
                      deploy of a second release under load: zero failed requests
  failed-migration    the second release's migration fails: its tasks never serve, the old ones
                      keep serving, and the migration's error is reported
  failed-initializer  the master secret does not open the database: the initializer fails and
                      the deploy stops before any task starts

Every value comes from the synthesized template (tests/rehearsal/config.yaml is the deployment
config); the only things the rehearsal adds are what AWS itself would add (the ECS agent's
credentials endpoint, Lambda's Runtime API and role credentials), what stands in for AWS
(AWS_ENDPOINT_URL pointing at the fakes, the database's name in /etc/hosts as the VPC's DNS
would resolve it, the test CA in place of Amazon's RDS CA bundle in the image, and MariaDB's PAM
plugin for AWSAuthenticationPlugin in the initializer's SQL).
Needs root (network namespaces, podman, /etc/pam.d); tests/rehearsal/run.sh installs the packages.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import ssl
import string
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import cfn  # noqa: E402
import containers  # noqa: E402
import ecs  # noqa: E402
import network  # noqa: E402
import standins  # noqa: E402
import tls  # noqa: E402
import traffic  # noqa: E402
from traffic import Traffic  # noqa: E402

ACTING_FIRST = {"AWS::ECS::Service"}  # created as early as the template allows
IAM_CLAUSE = "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'"
VPC_ORIGIN_GROUP = "CloudFront-VPCOrigins-Service-SG"
V2_PATCH = os.path.join(HERE, "release-2.patch")
V2_TABLE = "release_note"  # what release-2.patch's migration creates


class StageFailed(Exception):
    def __init__(self, message, log=""):
        super().__init__(message)
        self.log = log


class Stages:
    """Prints `[  12.3 s] stage ... ok (details)` per stage; remembers the durations."""

    def __init__(self):
        self.started = time.monotonic()
        self.durations = []

    def run(self, name, fn, *args, **kwargs):
        begun = time.monotonic()
        print(f"[{begun - self.started:7.1f} s] {name} ...", flush=True)
        try:
            detail = fn(*args, **kwargs)
        except StageFailed as e:
            print(f"[{time.monotonic() - self.started:7.1f} s] {name}: FAILED: {e}", flush=True)
            if e.log:
                print(f"--- log of the failing stage ({name}) ---\n{e.log.rstrip()}\n--- end of log ---", flush=True)
            raise
        took = time.monotonic() - begun
        self.durations.append((name, took))
        print(f"[{time.monotonic() - self.started:7.1f} s] {name}: ok in {took:.1f} s"
              f"{' (' + detail + ')' if detail else ''}", flush=True)
        return detail


def tail(path, lines=60):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return f"(no {path})"


def generate_secret(spec):
    """What Secrets Manager's GenerateSecretString makes (character classes, exclusions, a JSON
    template with the generated key)."""
    alphabet = ""
    if not spec.get("ExcludeUppercase"):
        alphabet += string.ascii_uppercase
    if not spec.get("ExcludeLowercase"):
        alphabet += string.ascii_lowercase
    if not spec.get("ExcludeNumbers"):
        alphabet += string.digits
    if not spec.get("ExcludePunctuation"):
        alphabet += "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    if spec.get("IncludeSpace"):
        alphabet += " "
    alphabet = "".join(c for c in alphabet if c not in spec.get("ExcludeCharacters", ""))
    value = "".join(random.SystemRandom().choice(alphabet) for _ in range(int(spec.get("PasswordLength", 32))))
    template = spec.get("SecretStringTemplate")
    if template:
        document = json.loads(template)
        document[spec["GenerateStringKey"]] = value
        return json.dumps(document)
    return value


class Rehearsal:
    def __init__(self, scenario, work, stages):
        self.scenario, self.work, self.stages = scenario, work, stages
        self.prefix = f"rh{os.getpid()}"
        self.run_dir = os.path.join(work, "runs", self.prefix)
        os.makedirs(self.run_dir, exist_ok=True)
        self.logs = os.path.join(self.run_dir, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.podman = containers.Podman(os.path.join(work, "podman"))
        self.ca = tls.TestCa(os.path.join(work, "ca"))
        self.secrets = {}        # secret ARN -> SecretString
        self.roles = {}          # role ARN -> {"credentials", "statements"}
        self.functions = {}      # function ARN / name -> resolved properties
        self.triggered = []      # functions the stack's triggers ran, in creation order
        self.invocations = []    # the function containers started, in order
        self.ingress_rules = []  # AWS::EC2::SecurityGroupIngress resources, resolved
        self.vpc_origin_group = None  # the group CloudFront made for its VPC origin's interfaces
        self.certificates = {}   # ACM ARN -> (key, cert)
        self.target_groups = {}  # ARN -> properties
        self.load_balancers = {}
        self.task_definitions = {}
        self.vpc = self.aws = self.aurora = self.alb = self.cdn = self.lambda_runtime = None
        self.service = None
        self.started_tasks = 0
        self.summary = {}
        self.corrupt_master_secret = scenario == "failed-initializer"

    # -- stages before any resource -------------------------------------------------------
    def synth(self):
        out = os.path.join(self.work, "cdk.out")
        shutil.rmtree(out, ignore_errors=True)
        log = os.path.join(self.run_dir, "synth.log")
        env = dict(os.environ, MYSITE_CONFIG=os.path.join(HERE, "config.yaml"))
        with open(log, "w") as f:
            code = subprocess.run([os.path.join(ROOT, "scripts", "infra.sh"), "synth", "--output", out],
                                  env=env, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT).returncode
        if code != 0:
            raise StageFailed("cdk synth failed", tail(log))
        manifest = json.load(open(os.path.join(out, "manifest.json")))
        stacks = [name for name, a in manifest["artifacts"].items()
                  if a.get("type") == "aws:cloudformation:stack" and name.endswith("-Certificate") is False]
        if len(stacks) != 1:
            raise StageFailed(f"expected one site stack in {out}, found {stacks}")
        self.stack = stacks[0]
        artifact = manifest["artifacts"][self.stack]
        self.region = artifact["environment"].split("/")[-1]
        self.account = artifact["environment"].split("/")[-2]
        self.template_path = os.path.join(out, artifact["properties"]["templateFile"])
        assets = json.load(open(os.path.join(out, f"{self.stack}.assets.json")))
        images = assets.get("dockerImages", {})
        if len(images) != 1:
            raise StageFailed(f"expected one container image asset, found {len(images)}")
        (image_hash, image), = images.items()
        self.image_source = image["source"]
        self.image_source["directory"] = os.path.join(out, self.image_source["directory"])
        destination = next(iter(image["destinations"].values()))
        self.image_tag = (f"{self.account}.dkr.ecr.{self.region}.amazonaws.com/"
                          f"{destination['repositoryName']}:{destination['imageTag']}")
        self.physical = cfn.Physical(self.region, self.account, self.stack)
        self.template = cfn.Template(self.template_path, self.physical, self.dynamic_secret)
        return f"{self.stack}: {len(self.template.resources)} resources in {self.region}"

    def build_images(self):
        log = os.path.join(self.run_dir, "image-build.log")
        source = self.image_source
        dockerfile = os.path.join(source["directory"], source["dockerFile"])
        try:
            made = self.podman.ensure_debian_base_images(dockerfile, log)
            took = self.podman.build(source["directory"], dockerfile, source.get("dockerBuildTarget", ""),
                                     self.image_tag, source.get("platform"), {"rds-ca": self.ca.rds_ca_context}, log)
        except (containers.ContainerError, subprocess.CalledProcessError) as e:
            raise StageFailed(f"image build failed: {str(e)[:500]}", tail(log, 80))
        self.podman.forget_old_builds(self.image_tag, "container-assets")
        compressed = self.podman.compressed_size(self.image_tag)
        unpacked = self.podman.unpacked_size(self.image_tag)
        self.summary["image_compressed_mb"] = round(compressed / 1e6, 1)
        self.summary["image_unpacked_mb"] = round(unpacked / 1e6, 1)
        self.summary["image_build_s"] = round(took, 1)
        base = f"; base images made: {', '.join(made)}" if made else ""
        return (f"{compressed / 1e6:.1f} MB compressed (podman save | gzip -6), {unpacked / 1e6:.1f} MB "
                f"unpacked, built in {took:.0f} s{base}")

    def build_release_2(self):
        """The second release: the same checkout with release-2.patch applied (a template line, a
        stylesheet rule, a migration), built the same way."""
        log = os.path.join(self.run_dir, "image-build-2.log")
        context = os.path.join(self.work, "release-2")
        shutil.rmtree(context, ignore_errors=True)
        shutil.copytree(self.image_source["directory"], context, symlinks=True)
        applied = subprocess.run(["patch", "-p1", "--forward", "--no-backup-if-mismatch", "--batch", "-d", context,
                                  "-i", V2_PATCH], capture_output=True, text=True)
        if applied.returncode != 0:
            raise StageFailed(f"{os.path.relpath(V2_PATCH, ROOT)} no longer applies to the checkout: update it "
                              "(it adds a line to home.html, a rule to site.css and one migration)",
                              applied.stdout + applied.stderr)
        self.image_tag_2 = "localhost/mysite-rehearsal:release-2"
        dockerfile = os.path.join(context, self.image_source["dockerFile"])
        try:
            took = self.podman.build(context, dockerfile, self.image_source.get("dockerBuildTarget", ""),
                                     self.image_tag_2, self.image_source.get("platform"),
                                     {"rds-ca": self.ca.rds_ca_context}, log)
        except containers.ContainerError as e:
            raise StageFailed(f"image build failed: {str(e)[:500]}", tail(log, 80))
        return f"built in {took:.0f} s"

    def start_network(self):
        self.podman.remove_stale()
        network.remove_stale()
        vpc_resource = self.template.one("AWS::EC2::VPC")[1]
        cidr = self.template.resolve(vpc_resource["Properties"]["CidrBlock"])
        self.vpc = network.Vpc(self.prefix, cidr)
        self.vpc.create()
        self.vpc.enter()
        self.aws = standins.AwsEndpoints(self.run_dir, self.vpc.gateway, self.region, self.account)
        return f"VPC {cidr} as network namespaces; AWS endpoints at {self.aws.url} and 169.254.170.2"

    # -- CloudFormation -------------------------------------------------------------------
    def dynamic_secret(self, secret_id, key):
        value = self.secrets.get(secret_id)
        if value is None:
            raise StageFailed(f"{{{{resolve:secretsmanager:{secret_id}}}}}: no such secret (yet)")
        return json.loads(value)[key] if key else value

    def logical_of(self, kind, value):
        """The logical id of the `kind` resource whose Ref is `value`."""
        for logical_id, resource in self.template.of_type(kind):
            if self.template.resolve({"Ref": logical_id}) == value:
                return logical_id
        raise StageFailed(f"no {kind} with Ref {value}")

    def assign_roles(self):
        """Credentials for each role, and the policies attached to it in the template."""
        for number, (logical_id, resource) in enumerate(self.template.of_type("AWS::IAM::Role"), 1):
            arn = self.template.resolve({"Fn::GetAtt": [logical_id, "Arn"]})
            statements = []
            for policy in resource["Properties"].get("Policies", []):
                statements += self.template.resolve(policy["PolicyDocument"])["Statement"]
            role_ref = self.template.resolve({"Ref": logical_id})
            for _, policy in self.template.of_type("AWS::IAM::Policy"):
                roles = self.template.resolve(policy["Properties"].get("Roles", []))
                if role_ref in roles:
                    statements += self.template.resolve(policy["Properties"]["PolicyDocument"])["Statement"]
            self.roles[arn] = {
                "credentials": {"AccessKeyId": f"ASIA-REHEARSAL-{number:04d}",
                                "SecretAccessKey": "rehearsal-secret-" + os.urandom(12).hex(),
                                "Token": f"rehearsal-session-{number}-" + os.urandom(6).hex()},
                "statements": statements, "logical_id": logical_id}

    def create_stack(self):
        """Every resource in an order CloudFormation could use; the stand-ins act on theirs."""
        self.assign_roles()
        order = self.template.creation_order(eager=ACTING_FIRST)
        handlers = {
            "AWS::SecretsManager::Secret": self.create_secret,
            "AWS::SecretsManager::SecretTargetAttachment": self.attach_secret,
            "AWS::RDS::DBCluster": self.create_cluster,
            "AWS::RDS::DBInstance": self.create_instance,
            "AWS::SSM::Parameter": self.create_parameter,
            "AWS::S3::Bucket": self.create_bucket,
            "AWS::S3::BucketPolicy": self.create_bucket_policy,
            "AWS::CertificateManager::Certificate": self.create_certificate,
            "AWS::ElasticLoadBalancingV2::LoadBalancer": self.create_load_balancer,
            "AWS::ElasticLoadBalancingV2::TargetGroup": self.create_target_group,
            "AWS::ElasticLoadBalancingV2::Listener": self.create_listener,
            "AWS::Lambda::Function": self.create_function,
            "Custom::Trigger": self.run_trigger,
            "Custom::VpcOriginSecurityGroup": self.run_custom_resource,
            "AWS::CloudFront::VpcOrigin": self.create_vpc_origin,
            "AWS::EC2::SecurityGroupIngress": self.create_ingress,
            "AWS::ECS::TaskDefinition": self.create_task_definition,
            "AWS::ECS::Service": self.create_service,
            "AWS::CloudFront::Distribution": self.create_distribution,
        }
        acted = []
        for logical_id in order:
            resource = self.template.resources[logical_id]
            handler = handlers.get(resource["Type"])
            if handler:
                handler(logical_id, resource)
                acted.append(resource["Type"].split("::")[-1])
        self.summary["resources"] = len(order)
        self.check_origin_admitted()
        return f"{len(order)} resources, {len(acted)} played by stand-ins"

    def props(self, resource):
        return self.template.resolve(resource.get("Properties", {}))

    def create_secret(self, logical_id, resource):
        properties = self.props(resource)
        arn = self.template.resolve({"Ref": logical_id})
        if "SecretString" in properties:
            value = properties["SecretString"]
        else:
            value = generate_secret(properties.get("GenerateSecretString", {}))
        self.secrets[arn] = value
        self.aws.put(secrets={arn: {"SecretString": value, "ARN": arn, "Name": arn.split(":")[-1]}})

    def attach_secret(self, logical_id, resource):
        """Secrets Manager adds the cluster's endpoint to an attached secret."""
        properties = self.props(resource)
        if properties.get("TargetType") != "AWS::RDS::DBCluster":
            return
        arn = properties["SecretId"]
        document = json.loads(self.secrets[arn])
        cluster_id = self.logical_of("AWS::RDS::DBCluster", properties["TargetId"])
        document.update(engine="mysql", port=int(self.template.resolve({"Fn::GetAtt": [cluster_id, "Endpoint.Port"]})),
                        host=self.template.resolve({"Fn::GetAtt": [cluster_id, "Endpoint.Address"]}),
                        dbClusterIdentifier=properties["TargetId"])
        if self.corrupt_master_secret:
            # The scenario: the secret and the cluster disagree (a password changed by hand).
            document["password"] = "not-the-cluster-password-" + os.urandom(4).hex()
        self.secrets[arn] = json.dumps(document)
        self.aws.put(secrets={arn: {"SecretString": self.secrets[arn], "ARN": arn, "Name": arn.split(":")[-1]}})

    def create_cluster(self, logical_id, resource):
        properties = self.props(resource)
        if not properties.get("Engine", "").startswith("aurora-mysql"):
            raise StageFailed(f"{logical_id}: the Aurora stand-in is MySQL-compatible; engine is {properties.get('Engine')}")
        self.cluster_id = logical_id
        address = self.template.resolve({"Fn::GetAtt": [logical_id, "Endpoint.Address"]})
        reader = self.template.resolve({"Fn::GetAtt": [logical_id, "ReadEndpoint.Address"]})
        port = self.template.resolve({"Fn::GetAtt": [logical_id, "Endpoint.Port"]})
        parameters = {}
        group = resource["Properties"].get("DBClusterParameterGroupName")
        if isinstance(group, dict) and "Ref" in group:
            parameters = self.template.resolve(self.template.resources[group["Ref"]]["Properties"].get("Parameters", {}))
        self.db_names = [address, reader]
        self.aurora = standins.Aurora(self.run_dir, self.vpc.gateway, port, self.db_names, self.ca, os.getpid())
        self.aurora.create(properties["MasterUsername"], properties["MasterUserPassword"],
                           properties.get("DatabaseName", ""), bool(properties.get("EnableIAMDatabaseAuthentication")),
                           parameters)
        self.summary["database"] = f"{address}:{port}"

    def create_instance(self, logical_id, resource):
        if self.aurora.started:
            return
        resource_id = self.template.resolve({"Fn::GetAtt": [self.cluster_id, "DBClusterResourceId"]})
        # The role that signs tokens: whichever role's policy names this cluster's dbuser ARN.
        prefix = f"arn:aws:rds-db:{self.region}:{self.account}:dbuser:{resource_id}/"
        signer = next((role for role in self.roles.values()
                       if any("rds-db:connect" in json.dumps(st.get("Action")) for st in role["statements"])), None)
        if signer is None:
            raise StageFailed("no role in the template may rds-db:connect: the site could never sign in to the database")
        credentials = signer["credentials"]
        verifier = {"access_key": credentials["AccessKeyId"], "secret_key": credentials["SecretAccessKey"],
                    "session_token": credentials["Token"], "region": self.region,
                    "statements": signer["statements"], "dbuser_arn_prefix": prefix}
        try:
            self.aurora.start_instance(verifier)
        except Exception as e:  # noqa: BLE001 - any start-up failure of the stand-in
            raise StageFailed(f"the Aurora stand-in did not start: {e}", self.aurora.server.error_log_tail())
        self.hosts = {name: self.vpc.gateway for name in self.db_names}

    def create_parameter(self, logical_id, resource):
        properties = self.props(resource)
        name = self.template.resolve({"Ref": logical_id})
        self.aws.put(parameters={name: {"Value": properties["Value"], "Type": properties.get("Type", "String")}})
        self.summary.setdefault("parameters", []).append(name)

    def create_bucket(self, logical_id, resource):
        self.aws.put(buckets=[self.template.resolve({"Ref": logical_id})])

    def create_bucket_policy(self, logical_id, resource):
        properties = self.props(resource)
        self.aws.put(bucket_policies={properties["Bucket"]: properties["PolicyDocument"]["Statement"]})

    def create_certificate(self, logical_id, resource):
        properties = self.props(resource)
        names = [properties["DomainName"]] + properties.get("SubjectAlternativeNames", [])
        arn = self.template.resolve({"Ref": logical_id})
        self.certificates[arn] = self.ca.server_cert(f"acm-{logical_id}", names, self.run_dir)

    def create_load_balancer(self, logical_id, resource):
        properties = self.props(resource)
        attributes = {a["Key"]: a["Value"] for a in properties.get("LoadBalancerAttributes", [])}
        self.load_balancers[self.template.resolve({"Ref": logical_id})] = attributes

    def create_target_group(self, logical_id, resource):
        self.target_groups[self.template.resolve({"Ref": logical_id})] = self.props(resource)

    def create_listener(self, logical_id, resource):
        properties = self.props(resource)
        forward = [a for a in properties["DefaultActions"] if a["Type"] == "forward"]
        if len(forward) != 1:
            raise StageFailed(f"{logical_id}: the ALB stand-in supports one forward action")
        target_group = self.target_groups[forward[0]["TargetGroupArn"]]
        certificate = self.certificates.get(properties["Certificates"][0]["CertificateArn"])
        if certificate is None:
            raise StageFailed(f"{logical_id}: its certificate is not in this stack")
        self.alb = standins.Alb(self.run_dir, self.vpc.alb, properties, target_group, certificate,
                                self.load_balancers[properties["LoadBalancerArn"]])
        self.summary["alb_health_check"] = (f"{self.alb.health['path']} every {self.alb.health['interval']} s, "
                                            f"healthy after {self.alb.health['rise']}, deregistration delay "
                                            f"{self.alb.deregistration_delay} s")

    def create_function(self, logical_id, resource):
        properties = self.props(resource)
        arn = self.template.resolve({"Fn::GetAtt": [logical_id, "Arn"]})
        properties["logical_id"] = logical_id
        properties["FunctionName"] = self.template.resolve({"Ref": logical_id})
        self.functions[arn] = properties
        self.functions[properties["FunctionName"]] = properties

    def run_trigger(self, logical_id, resource):
        """CDK's Trigger: invokes the function synchronously; an error fails the deployment."""
        properties = self.props(resource)
        handler = properties["HandlerArn"]
        function_name = handler.split(":function:")[1].split(":")[0] if ":function:" in handler else handler
        function = self.functions[function_name]
        if "ImageUri" not in function.get("Code", {}):
            raise StageFailed(f"{function['logical_id']}: the rehearsal runs container-image functions only")
        self.triggered.append(function)
        self.invoke_trigger_function(function, self.image_for(function["Code"]["ImageUri"]))

    def run_custom_resource(self, logical_id, resource):
        """A custom resource served by one of the template's functions: CloudFormation invokes it
        (Event) with a pre-signed ResponseURL and waits for the answer PUT there; FAILED stops the
        deploy with the function's Reason; SUCCESS gives the resource its physical id and Data
        (Fn::GetAtt)."""
        properties = self.props(resource)
        token = properties["ServiceToken"]
        function_name = token.split(":function:")[1].split(":")[0] if ":function:" in token else token
        function = self.functions.get(function_name)
        if function is None or "ImageUri" not in function.get("Code", {}):
            raise StageFailed(f"{logical_id}: the rehearsal serves custom resources from the template's "
                              "container-image functions only")
        request_id = f"rehearsal-{logical_id}-{len(self.invocations)}"
        stack_id = self.template.resolve({"Ref": "AWS::StackId"})
        event = {
            "RequestType": "Create", "ServiceToken": token, "StackId": stack_id, "RequestId": request_id,
            "ResponseURL": (f"{self.aws.url}/cloudformation-response/{request_id}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                            "&X-Amz-SignedHeaders=host&X-Amz-Expires=7200&X-Amz-Signature=" + os.urandom(32).hex()),
            "ResourceType": resource["Type"], "LogicalResourceId": logical_id,
            "ResourceProperties": properties,
        }
        started = time.monotonic()
        result = self.invoke_function(function, int(function.get("Timeout", 3)),
                                      self.image_for(function["Code"]["ImageUri"]), payload=event)
        took = time.monotonic() - started
        answer = self.aws.control("cloudformation-responses").get(request_id)
        if answer is None:
            detail = result.body.decode(errors="replace")[:300] if result.kind == "response" else result.error_type
            raise StageFailed(f"{logical_id}: the function put no answer to the ResponseURL ({detail}); "
                              f"CloudFormation would wait {properties.get('ServiceTimeout', 3600)} s and fail",
                              tail(self.lambda_log, 40))
        if answer["Status"] != "SUCCESS":
            raise StageFailed(f"{logical_id}: FAILED: {answer.get('Reason')}; CloudFormation rolls the stack back",
                              tail(self.lambda_log, 40))
        self.template.physical.overrides[(logical_id, "Ref")] = answer["PhysicalResourceId"]
        for key, value in (answer.get("Data") or {}).items():
            self.template.physical.overrides[(logical_id, key)] = value
        self.summary[self.function_role(function)] = f"{answer['PhysicalResourceId']} in {took:.1f} s"

    def create_vpc_origin(self, logical_id, resource):
        """CloudFront makes one security group per VPC for its VPC origins' interfaces, when the
        VPC's first VPC origin deploys; no template can name it. The CDN stand-in's traffic to
        the ALB counts as coming from it."""
        vpcs = [i for i, r in self.template.resources.items() if r["Type"] == "AWS::EC2::VPC"]
        if len(vpcs) != 1:
            raise StageFailed(f"{logical_id}: the rehearsal places a VPC origin in the template's one VPC")
        self.vpc_origin_group = "sg-" + os.urandom(8).hex() + "c"
        self.aws.put(security_groups=[{"GroupId": self.vpc_origin_group, "GroupName": VPC_ORIGIN_GROUP,
                                       "VpcId": self.template.resolve({"Ref": vpcs[0]}),
                                       "Description": "CloudFront VPC origins service security group"}])

    def create_ingress(self, logical_id, resource):
        self.ingress_rules.append(self.props(resource))

    def check_origin_admitted(self):
        """As EC2 would decide it: traffic from a VPC origin carries CloudFront's group and no
        address of the VPC, so only a rule naming that group lets the CDN reach the listener."""
        balancers = [r for r in self.template.resources.values()
                     if r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"]
        if not balancers or self.cdn is None:
            return
        groups = set(self.props(balancers[0]).get("SecurityGroups", []))
        rules = list(self.ingress_rules)
        for group_logical, r in self.template.resources.items():
            if r["Type"] == "AWS::EC2::SecurityGroup":
                group_id = self.template.resolve({"Fn::GetAtt": [group_logical, "GroupId"]})
                rules += [dict(rule, GroupId=group_id) for rule in self.props(r).get("SecurityGroupIngress", [])]
        mine = [rule for rule in rules if rule.get("GroupId") in groups]
        port = self.alb.port
        admitted = [rule for rule in mine
                    if self.vpc_origin_group and rule.get("SourceSecurityGroupId") == self.vpc_origin_group
                    and rule.get("IpProtocol") in ("tcp", "-1")
                    and int(rule.get("FromPort", 0)) <= port <= int(rule.get("ToPort", 65535))]
        if not admitted:
            shown = [{k: v for k, v in rule.items() if k in ("CidrIp", "SourceSecurityGroupId", "FromPort")}
                     for rule in mine]
            raise StageFailed(f"CloudFront cannot reach the load balancer: its security group admits {shown}, but "
                              f"VPC-origin traffic comes from {VPC_ORIGIN_GROUP} "
                              f"({self.vpc_origin_group or 'not made'}); on AWS every page would be a 504")
        self.summary["alb_admits"] = f"{VPC_ORIGIN_GROUP} ({self.vpc_origin_group}) on {port}"

    def rerun_triggers(self, image):
        """A stack update with a new image: every function from the image gets a new version, so
        every trigger runs again (executeOnHandlerChange), in creation order, before the service
        changes; a failure stops the update there."""
        for function in self.triggered:
            self.invoke_trigger_function(function, image)

    def invoke_trigger_function(self, function, image):
        timeout = int(function.get("Timeout", 3))
        started = time.monotonic()
        result = self.invoke_function(function, timeout, image)
        took = time.monotonic() - started
        log = tail(self.lambda_log, 40)
        if result.kind != "response":
            raise StageFailed(f"the trigger's function {function['FunctionName']} failed: {result.error_type}: "
                              f"{(result.document or {}).get('errorMessage', result.body[:300])}; "
                              "CloudFormation stops the deploy here, before the ECS service", log)
        self.summary[self.function_role(function)] = f"{result.body.decode()[:200]} in {took:.1f} s"

    @staticmethod
    def function_role(function):
        """"initializer", "origin group" or "static publisher", from what the function's image runs."""
        entrypoint = " ".join(function.get("ImageConfig", {}).get("EntryPoint", []))
        if entrypoint.endswith("db-initializer"):
            return "initializer"
        return "origin group" if entrypoint.endswith("origin-group") else "static publisher"

    def invoke_function(self, function, timeout, image, payload=None):
        """The function's container from `image`, started as Lambda starts a container image,
        one event."""
        arn = f"arn:aws:lambda:{self.region}:{self.account}:function:{function['FunctionName']}"
        role = self.roles[function["Role"]]
        config = function.get("ImageConfig", {})
        initializer = self.function_role(function) == "initializer"
        network_path, _ = self.vpc.add_host("lambda")
        self.lambda_runtime = standins.LambdaRuntime(self.vpc.gateway, arn)
        env = dict(function.get("Environment", {}).get("Variables", {}))
        mounts = []
        if initializer:
            # The initializer's script as the image holds it, with the one clause Aurora has and
            # MariaDB has not replaced by the stand-in's PAM authentication.
            script_path = os.path.join(self.run_dir, "db-init.sql")
            with open(os.path.join(self.image_source["directory"], "functions", "db-initializer", "db-init.sql")) as f:
                script = f.read()
            if script.count(IAM_CLAUSE) != 1:
                raise StageFailed(f"db-init.sql: the rehearsal replaces `{IAM_CLAUSE}` (Aurora's) with MariaDB's PAM "
                                  f"plugin, and found it {script.count(IAM_CLAUSE)} times")
            with open(script_path, "w") as f:
                f.write(script.replace(IAM_CLAUSE, self.aurora.iam_clause()))
            os.chmod(script_path, 0o644)
            mounts = ["-v", f"{script_path}:/rehearsal/db-init.sql:ro"]
            env["DB_INIT_SCRIPT"] = "/rehearsal/db-init.sql"
        credentials = role["credentials"]
        self.aws.put(credentials=[{"access_key": credentials["AccessKeyId"], "secret_key": credentials["SecretAccessKey"],
                                   "token": credentials["Token"], "statements": role["statements"]}])
        env.update({
            "AWS_LAMBDA_RUNTIME_API": self.lambda_runtime.endpoint,
            "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
            "AWS_SESSION_TOKEN": credentials["Token"], "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region,
            "AWS_LAMBDA_FUNCTION_NAME": function["FunctionName"], "AWS_LAMBDA_FUNCTION_VERSION": "1",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.get("MemorySize", 128)),
            "AWS_EXECUTION_ENV": "AWS_Lambda_Image", "LAMBDA_TASK_ROOT": "/var/task", "TZ": ":UTC",
            "AWS_ENDPOINT_URL": self.aws.url,
        })
        secret_names = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
        # One container per invocation (a stack update runs each function again); removed with
        # the rest at teardown, their logs kept.
        short = {"initializer": "init", "origin group": "origin"}.get(self.function_role(function), "static")
        name = f"{self.prefix}-lambda-{short}-{len(self.invocations)}"
        self.invocations.append(name)
        self.lambda_log = os.path.join(self.logs, f"{name}.log")
        entrypoint = config.get("EntryPoint")

        def start():
            options = ["run", "-d", "--name", name, "--network", f"ns:{network_path}", "--no-healthcheck",
                       "--pids-limit", "0", "--log-driver", "k8s-file", "--log-opt", f"path={self.lambda_log}",
                       "--read-only", "--tmpfs", "/tmp", "--user", "993:990",
                       "--memory", f"{int(function.get('MemorySize', 128))}m", *mounts]
            for host, address in self.hosts.items():
                options += ["--add-host", f"{host}:{address}"]
            for key, value in env.items():
                options += ["--env", key if key in secret_names else f"{key}={value}"]
            if entrypoint:
                options += ["--entrypoint", json.dumps(entrypoint)]
            self.podman.command(*options, image, *config.get("Command", []),
                                env={k: env[k] for k in secret_names})

        def stop():
            self.podman.stop(name, 2)

        try:
            return self.lambda_runtime.invoke(start, stop, timeout, payload)
        except standins.StandInError as e:
            raise StageFailed(str(e), tail(self.lambda_log, 40))
        finally:
            self.vpc.remove_host(network_path)
            # One Runtime API at a time on the gateway's port: the next function gets its own.
            self.lambda_runtime.stop()
            self.lambda_runtime = None

    def image_for(self, uri):
        if uri != self.image_tag:
            raise StageFailed(f"the template names image {uri}, not the one the asset built ({self.image_tag})")
        return uri

    def create_task_definition(self, logical_id, resource):
        properties = self.props(resource)
        for container in properties["ContainerDefinitions"]:
            self.image_for(container["Image"])
        self.task_definition = ecs.TaskDefinition(properties, 1)
        self.task_definitions[self.template.resolve({"Ref": logical_id})] = self.task_definition

    def create_service(self, logical_id, resource):
        properties = self.props(resource)
        balancers = properties.get("LoadBalancers", [])
        if len(balancers) != 1:
            raise StageFailed(f"{logical_id}: the rehearsal expects one load balancer target")
        definition = self.task_definitions[properties["TaskDefinition"]]
        if self.aurora is None or not self.aurora.started:
            raise StageFailed(f"{logical_id} would start before the database exists")
        target = next((c for c in definition.containers if c["Name"] == balancers[0]["ContainerName"]), None)
        port = int(balancers[0]["ContainerPort"])
        if target is None or port not in [int(m["ContainerPort"]) for m in target.get("PortMappings", [])]:
            raise StageFailed(f"{logical_id}: the load balancer targets {balancers[0]['ContainerName']}:{port}, "
                              "which the task definition does not map")
        self.ecs = ecs.Ecs(self.podman, self.vpc, self.aws, self.region, self.prefix, self.logs, self.hosts,
                           self.roles, self.secrets, {"AWS_ENDPOINT_URL": self.aws.url})
        self.service = ecs.Service(self.ecs, properties, self.alb, balancers[0]["ContainerName"], port)
        result = self.service.deploy(definition)
        self.summary["first_deploy_s"] = round(result.seconds, 1)
        if not result.ok:
            raise StageFailed(f"the ECS service never became stable: {result.reason}",
                              self.task_logs(result.failed_tasks[-1] if result.failed_tasks else None))
        if result.failed_tasks:
            raise StageFailed(f"the service became stable, but {len(result.failed_tasks)} task(s) failed on the way",
                              self.task_logs(result.failed_tasks[-1]))
        self.summary["tasks"] = len(self.service.tasks)

    def create_distribution(self, logical_id, resource):
        properties = self.props(resource)
        config = properties["DistributionConfig"]
        origins = {}
        for origin in config["Origins"]:
            if "VpcOriginConfig" in origin:
                origins[origin["Id"]] = {"kind": "alb", "address": f"{self.vpc.alb}:{self.alb.port}",
                                         "read_timeout": origin["VpcOriginConfig"].get("OriginReadTimeout", 30)}
            elif "S3OriginConfig" in origin:
                bucket = origin["DomainName"].split(".s3.")[0]
                if not origin.get("OriginAccessControlId"):
                    raise StageFailed(f"{origin['Id']}: an S3 origin without Origin Access Control")
                origins[origin["Id"]] = {"kind": "s3", "url": f"{self.aws.url}/{bucket}"}
            else:
                raise StageFailed(f"{origin['Id']}: the CDN stand-in knows VPC origins and S3 origins")
        policy_id = config["DefaultCacheBehavior"].get("ResponseHeadersPolicyId")
        headers = {"override": {}, "referrer": ""}
        if policy_id:
            policy_logical = self.logical_of("AWS::CloudFront::ResponseHeadersPolicy", policy_id)
            headers = standins.response_headers_policy(
                self.props(self.template.resources[policy_logical])["ResponseHeadersPolicyConfig"])
        self.site_domain = config["Aliases"][0]
        certificate = self.ca.server_cert("cdn", config["Aliases"], self.run_dir)
        distribution_id = self.template.resolve({"Ref": logical_id})
        source_arn = f"arn:aws:cloudfront::{self.account}:distribution/{distribution_id}"
        try:
            self.cdn = standins.Cdn(self.run_dir, self.vpc.cdn, properties, origins, certificate, self.ca.ca,
                                    headers, source_arn)
        except standins.StandInError as e:
            raise StageFailed(str(e), tail(os.path.join(self.run_dir, "nginx-error.log")))

    # -- after the stack ----------------------------------------------------------------------
    def task_logs(self, task):
        if task is None:
            return ""
        parts = [f"task {task.number}: {task.stopped_reason}"]
        for container in task.definition.containers:
            parts.append(f"--- {container['Name']} (exit {task.exit_code(container['Name'])}) ---\n"
                         + "".join(task.log(container["Name"]).splitlines(True)[-25:]))
        return "\n".join(parts)

    def run_one_off_task(self, command, env):
        """`aws ecs run-task` with a command override of the web container (the way an operator
        runs `mysite createsuperuser` on AWS): the task definition's serve container, alone."""
        base = self.service.tasks[0].definition
        container = next(c for c in base.containers if c["Name"] == self.service.target_container)
        container = dict(container, Command=command, DependsOn=[], HealthCheck=None, Essential=True)
        container["Environment"] = container.get("Environment", []) + [{"Name": k, "Value": v} for k, v in env.items()]
        definition = ecs.TaskDefinition(dict(base.properties, ContainerDefinitions=[container]), base.revision)
        task = ecs.Task(self.ecs, definition)
        task.done.wait(120)
        return task.exit_code(container["Name"]), task.log(container["Name"])

    def check_http_redirect(self):
        connection = http.client.HTTPConnection(self.vpc.cdn, 80, timeout=10)
        connection.request("GET", "/fortunes/", headers={"Host": self.site_domain})
        response = connection.getresponse()
        location = response.getheader("Location")
        if response.status != 301 or location != f"https://{self.site_domain}/fortunes/":
            raise StageFailed(f"http://{self.site_domain}/fortunes/ answered {response.status} {location}")

    def visit(self):
        self.check_http_redirect()
        password = "Rehearsal-" + os.urandom(9).hex()
        code, output = self.run_one_off_task(["createsuperuser", "--noinput", "--username", "operator",
                                              "--email", "operator@example.com"],
                                             {"MYSITE_SUPERUSER_PASSWORD": password})
        if code != 0:
            raise StageFailed(f"the one-off createsuperuser task exited {code}", output)
        e2e = os.path.join(ROOT, "tests", "e2e")
        if not os.path.exists(os.path.join(e2e, "node_modules", "playwright-core", "package.json")):
            installed = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=e2e,
                                       capture_output=True, text=True)
            if installed.returncode != 0:
                raise StageFailed("npm ci in tests/e2e failed", installed.stdout + installed.stderr)
        profile = tempfile.mkdtemp(prefix="rehearsal-chromium-")
        env = dict(os.environ, NODE_PATH=os.path.join(e2e, "node_modules"), VISIT_SITE=f"https://{self.site_domain}",
                   VISIT_CDN_ADDRESS=self.vpc.cdn, VISIT_ADMIN_USER="operator", VISIT_ADMIN_PASSWORD=password,
                   VISIT_USER_DATA_DIR=profile, VISIT_MIN_TARGETS=str(min(2, len(self.service.tasks))))
        result = subprocess.run(["node", os.path.join(HERE, "visit.e2e.js")], env=env, capture_output=True,
                                text=True, timeout=300)
        shutil.rmtree(profile, ignore_errors=True)
        lines = result.stdout.splitlines()
        summary = next((json.loads(line[8:]) for line in lines if line.startswith("SUMMARY ")), {})
        if result.returncode != 0:
            raise StageFailed("the visit failed", "\n".join(l for l in lines if not l.startswith("SUMMARY "))
                              + result.stderr[-2000:] + "\n" + self.serve_logs())
        accepted = [d for d in self.aurora.decisions_seen() if d["accepted"]]
        if not accepted:
            raise StageFailed("no IAM token ever reached the database stand-in")
        self.summary["visit"] = summary
        return (f"{summary.get('passed')} steps in Chromium through the CDN; session served by "
                f"{', '.join(summary.get('sessionTargets', []))}; {len(accepted)} IAM sign-ins accepted")

    def serve_logs(self):
        return "\n".join(self.task_logs(t) for t in (self.service.tasks if self.service else []))

    def rolling_deploy(self):
        definition = self.release_2_definition()
        old = list(self.service.tasks)
        with Traffic(self.vpc.cdn, self.site_domain, self.ca.ca) as traffic:
            time.sleep(2)
            self.rerun_triggers(self.image_tag_2)  # the new files are in the bucket before any new task
            result = self.service.deploy(definition)
            time.sleep(2)
        report = traffic.report()
        stops = {f"task {t.number}": t.exit_code(self.service.target_container) for t in old}
        if any(code != 0 for code in stops.values()):
            raise StageFailed(f"an old task's server did not exit 0 on SIGTERM: {stops}",
                              "\n".join(self.task_logs(t) for t in old))
        home = self.fetch_through_cdn("/")
        if "Release 2" not in home:
            raise StageFailed("after the deploy the home page is not release 2's", home[:1000])
        database = self.template.resolve(self.template.resources[self.cluster_id]["Properties"]["DatabaseName"])
        if V2_TABLE not in self.aurora.sql(f"SHOW TABLES FROM `{database}` LIKE '{V2_TABLE}'"):
            raise StageFailed(f"release 2's migration did not make {V2_TABLE}")
        self.summary["rolling_deploy"] = dict(report, seconds=round(result.seconds, 1))
        if not result.ok or result.failed_tasks:
            raise StageFailed(f"the rolling deploy failed: {result.reason}; {len(result.failed_tasks)} failed task(s)",
                              self.task_logs(result.failed_tasks[-1] if result.failed_tasks else None))
        new_css = [s for s in report["stylesheets"]]
        detail = (f"{report['requests']} requests, {report['failed']} failed, longest {report['longest_ms']} ms, "
                  f"{report['retried']} retried on a fresh connection; stylesheets seen: {len(new_css)}")
        if report["failed"]:
            raise StageFailed(f"requests failed during the rolling deploy: {detail}", "\n".join(report["failures"]))
        if len(report["stylesheets"]) < 2:
            raise StageFailed(f"the pages never named the new release's stylesheet: {detail}")
        return detail

    def fetch_through_cdn(self, path):
        """The body of https://<site>/<path>, through the CDN, the certificate checked."""
        connection = traffic.CdnConnection(self.vpc.cdn, self.site_domain, ssl.create_default_context(cafile=self.ca.ca))
        try:
            connection.request("GET", path, headers={"Host": self.site_domain})
            return connection.getresponse().read().decode("utf-8", "replace")
        finally:
            connection.close()

    def release_2_definition(self):
        base = self.service.tasks[0].definition
        changed = [dict(c, Image=self.image_tag_2) for c in base.containers]
        return ecs.TaskDefinition(dict(base.properties, ContainerDefinitions=changed), base.revision + 1)

    def failed_migration(self):
        # Someone made the table release 2's migration creates, by hand: the migration fails.
        database = self.template.resolve(self.template.resources[self.cluster_id]["Properties"]["DatabaseName"])
        self.aurora.sql(f"CREATE TABLE `{database}`.`{V2_TABLE}` (id INT PRIMARY KEY)")
        serving_before = list(self.service.tasks)
        definition = self.release_2_definition()
        with Traffic(self.vpc.cdn, self.site_domain, self.ca.ca) as traffic:
            self.rerun_triggers(self.image_tag_2)
            result = self.service.deploy(definition)
            time.sleep(2)
        report = traffic.report()
        self.summary["failed_migration"] = dict(report, seconds=round(result.seconds, 1), reason=result.reason)
        if result.ok:
            raise StageFailed("release 2 deployed although its migration must fail")
        migrate_logs = [t.log("migrate") for t in result.failed_tasks]
        if not any(V2_TABLE in log for log in migrate_logs):
            raise StageFailed("the migration's error was not reported", "\n".join(migrate_logs[-1:]))
        if self.service.tasks != serving_before or any(t.status != "RUNNING" for t in serving_before):
            raise StageFailed("the tasks serving before the deploy did not keep serving")
        if report["failed"]:
            raise StageFailed(f"{report['failed']} requests failed while the bad release was rolled back",
                              "\n".join(report["failures"]))
        error = next(line for log in migrate_logs for line in log.splitlines()
                     if V2_TABLE in line and "failed" in line)
        return (f"circuit breaker after {len(result.failed_tasks)} failed tasks; old tasks served "
                f"{report['requests']} requests, {report['failed']} failed; the migration said: {error.strip()[:200]}")

    def deploy_with_wrong_master_secret(self):
        try:
            self.create_stack()
        except StageFailed as e:
            if "trigger's function" not in str(e):
                raise
            if "Access denied" not in str(e) + (e.log or ""):
                raise StageFailed(f"the initializer failed, but not because the master password is wrong: {e}", e.log)
            names = self.podman.command("ps", "-a", "--format", "{{.Names}}", check=False).split()
            tasks = [n for n in names if n.startswith(self.prefix + "-t")]
            if tasks:
                raise StageFailed(f"tasks started although the initializer failed: {tasks}")
            said = [line for line in (e.log or "").splitlines() if "failed" in line.lower()][-1:]
            self.summary["failed_initializer"] = str(e)[:300]
            return f"stopped before any ECS task, as it must: {str(e)[:260]}; its log: {' '.join(said)[:300]}"
        raise StageFailed("the deploy went on although the master secret is wrong")

    def teardown(self):
        if getattr(self, "ecs", None):
            with open(os.path.join(self.run_dir, "ecs-events.log"), "w") as f:
                start = self.stages.started
                f.writelines(f"{at - start:8.1f} s  {message}\n" for at, message in self.ecs.events)
        if self.service:
            try:
                self.podman.remove_all(self.prefix)
            except Exception:  # noqa: BLE001 - best effort while tearing down
                pass
        for standin in (self.cdn, self.alb, self.aurora, self.lambda_runtime, self.aws):
            if standin is not None:
                try:
                    standin.stop()
                except Exception:  # noqa: BLE001
                    pass
        self.podman.remove_all(self.prefix)
        if self.vpc:
            self.vpc.destroy()


def scenario_steps(rehearsal, scenario):
    stages = rehearsal.stages
    stages.run("synth (cdk synth with tests/rehearsal/config.yaml)", rehearsal.synth)
    stages.run("image (podman build of the CDK image asset)", rehearsal.build_images)
    if scenario in ("deploy", "failed-migration"):
        stages.run("image of release 2 (release-2.patch)", rehearsal.build_release_2)
    stages.run("network (VPC namespaces, AWS endpoint stand-ins)", rehearsal.start_network)
    if scenario == "failed-initializer":
        stages.run("create the stack with a master secret that does not open the database",
                   rehearsal.deploy_with_wrong_master_secret)
        return
    stages.run("create the stack (CloudFormation order, stand-ins, ECS service stable)", rehearsal.create_stack)
    if scenario == "deploy":
        stages.run("a user's visit (Chromium through the CDN)", rehearsal.visit)
        stages.run("rolling deploy of release 2 under load", rehearsal.rolling_deploy)
    elif scenario == "failed-migration":
        stages.run("deploy of release 2 whose migration fails", rehearsal.failed_migration)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="all",
                        choices=["deploy", "failed-migration", "failed-initializer", "all"])
    parser.add_argument("--work", default=os.path.join(ROOT, "build", "rehearsal"))
    parser.add_argument("--keep", action="store_true", help="keep this run's logs and configs")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("rehearse: skipped: needs root (network namespaces, podman, /etc/pam.d)", file=sys.stderr)
        return 77
    scenarios = ["deploy", "failed-migration", "failed-initializer"] if args.scenario == "all" else [args.scenario]
    if len(scenarios) > 1:
        # One process per scenario: each gets its own VPC namespace and stand-ins.
        codes = [subprocess.run([sys.executable, __file__, "--scenario", s, "--work", args.work]
                                + (["--keep"] if args.keep else [])).returncode for s in scenarios]
        return max(codes)
    os.makedirs(args.work, exist_ok=True)
    stages = Stages()
    rehearsal = Rehearsal(scenarios[0], os.path.abspath(args.work), stages)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    print(f"rehearsal: scenario {scenarios[0]} (work {rehearsal.run_dir})", flush=True)
    code = 0
    try:
        scenario_steps(rehearsal, scenarios[0])
    except StageFailed:
        code = 1
    except KeyboardInterrupt as e:
        print(f"rehearsal: interrupted ({e})")
        code = 130
    except Exception:  # noqa: BLE001 - report anything unexpected with its traceback
        traceback.print_exc()
        code = 1
    finally:
        rehearsal.teardown()
    total = time.monotonic() - stages.started
    print(f"rehearsal: scenario {scenarios[0]} {'passed' if code == 0 else 'FAILED'} in {total:.0f} s")
    print("summary: " + json.dumps(rehearsal.summary, sort_keys=True))
    if code == 0 and not args.keep:
        shutil.rmtree(rehearsal.run_dir, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
