"""tests/rehearsal: reads a synthesized CloudFormation template as CloudFormation would, with
made-up physical ids: resolves intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
Fn::Select, Fn::Split, Fn::GetAZs, Fn::If, Fn::Equals, Fn::FindInMap, Fn::Base64,
Fn::GetStackOutput, Fn::ImportValue) and dynamic references ({{resolve:secretsmanager:..}}),
and orders resources as CloudFormation creates them (every resource after what it refers to or
DependsOn).

    template = Template("cdk.out/MySite.template.json", Physical(region, account, stack))
    value = template.resolve(template.resources["X"]["Properties"]["Value"])
    for logical_id in template.creation_order(eager={"AWS::ECS::Service"}): ...

Knows nothing of what any resource does; rehearse.py decides that.
"""
import base64
import hashlib
import json
import re

PSEUDO = ("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName",
          "AWS::StackId", "AWS::NoValue", "AWS::NotificationARNs")
DYNAMIC = re.compile(r"\{\{resolve:secretsmanager:(.+?):SecretString:([^:}]*):([^:}]*):([^:}]*)\}\}")


class TemplateError(Exception):
    pass


def _short_hash(text, n=8):
    return hashlib.sha256(text.encode()).hexdigest()[:n]


class Physical:
    """Physical ids and attributes CloudFormation would give each resource, made up but shaped
    like AWS's (an S3 bucket name is a valid bucket name, a secret's Ref is an ARN, ...). A stand-in
    that needs a particular value (the database endpoint, say) reads it from here, so the template
    and the stand-ins always agree."""

    def __init__(self, region, account, stack):
        self.region, self.account, self.stack = region, account, stack
        self.overrides = {}  # (logical id, attribute or "Ref") -> value

    def pseudo(self, name):
        return {"AWS::Region": self.region, "AWS::AccountId": self.account, "AWS::Partition": "aws",
                "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": self.stack,
                "AWS::StackId": f"arn:aws:cloudformation:{self.region}:{self.account}:stack/{self.stack}/rehearsal",
                "AWS::NotificationARNs": []}[name]

    def ref(self, logical_id, resource, template):
        if (logical_id, "Ref") in self.overrides:
            return self.overrides[(logical_id, "Ref")]
        kind = resource["Type"]
        suffix = _short_hash(logical_id).upper()
        name = f"{self.stack}-{logical_id}-{suffix}"
        arn = f"arn:aws:{{}}:{self.region}:{self.account}:{{}}"
        if kind == "AWS::S3::Bucket":
            return f"{self.stack}-{logical_id}-{suffix}".lower()[:63]
        if kind == "AWS::SSM::Parameter":
            return resource.get("Properties", {}).get("Name") or f"CFN-{logical_id}-{suffix}"
        if kind == "AWS::SecretsManager::Secret":
            return arn.format("secretsmanager", f"secret:{logical_id}-{suffix[:6]}")
        if kind == "AWS::SecretsManager::SecretTargetAttachment":
            return template.resolve(resource["Properties"]["SecretId"])
        if kind == "AWS::RDS::DBCluster":
            return f"{self.stack}-{logical_id}-{suffix}".lower()
        if kind == "AWS::Lambda::Function":
            return f"{self.stack}-{logical_id}-{suffix}"[:64]
        if kind == "AWS::Lambda::Version":
            function = template.resolve(resource["Properties"]["FunctionName"])
            return arn.format("lambda", f"function:{function}:1")
        if kind == "AWS::IAM::Role":
            return f"{self.stack}-{logical_id}-{suffix}"[:64]
        if kind in ("AWS::ElasticLoadBalancingV2::LoadBalancer",):
            return arn.format("elasticloadbalancing", f"loadbalancer/app/{logical_id[:20]}/{suffix.lower()}")
        if kind == "AWS::ElasticLoadBalancingV2::Listener":
            return arn.format("elasticloadbalancing", f"listener/app/{logical_id[:20]}/{suffix.lower()}/{suffix.lower()}")
        if kind == "AWS::ElasticLoadBalancingV2::TargetGroup":
            return arn.format("elasticloadbalancing", f"targetgroup/{logical_id[:20]}/{suffix.lower()}")
        if kind == "AWS::CertificateManager::Certificate":
            return arn.format("acm", f"certificate/{suffix.lower()}")
        if kind == "AWS::CloudFront::Distribution":
            return "E" + _short_hash(logical_id, 12).upper()
        if kind == "AWS::ECS::Cluster":
            return name
        if kind == "AWS::ECS::TaskDefinition":
            return arn.format("ecs", f"task-definition/{logical_id}:1")
        return name

    def attribute(self, logical_id, resource, attribute, template):
        if (logical_id, attribute) in self.overrides:
            return self.overrides[(logical_id, attribute)]
        kind = resource["Type"]
        ref = self.ref(logical_id, resource, template)
        if attribute == "Arn":
            service = {"AWS::S3::Bucket": None, "AWS::IAM::Role": "iam", "AWS::Lambda::Function": "lambda",
                       "AWS::Logs::LogGroup": "logs", "AWS::KMS::Key": "kms"}.get(kind, "unknown")
            if kind == "AWS::S3::Bucket":
                return f"arn:aws:s3:::{ref}"
            if kind == "AWS::IAM::Role":
                return f"arn:aws:iam::{self.account}:role/{ref}"
            if kind == "AWS::Lambda::Function":
                return f"arn:aws:lambda:{self.region}:{self.account}:function:{ref}"
            if kind == "AWS::Logs::LogGroup":
                return f"arn:aws:logs:{self.region}:{self.account}:log-group:{ref}:*"
            return f"arn:aws:{service}:{self.region}:{self.account}:{logical_id}/{_short_hash(logical_id)}"
        if kind == "AWS::S3::Bucket" and attribute in ("RegionalDomainName", "DomainName"):
            return f"{ref}.s3.{self.region}.amazonaws.com"
        if kind == "AWS::RDS::DBCluster":
            cluster = f"{ref}.cluster-crehearsal.{self.region}.rds.amazonaws.com"
            return {"Endpoint.Address": cluster, "Endpoint.Port": "3306",
                    "ReadEndpoint.Address": cluster.replace(".cluster-", ".cluster-ro-"),
                    "DBClusterResourceId": "cluster-" + _short_hash(logical_id, 26).upper()}[attribute]
        if kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" and attribute == "DNSName":
            return f"internal-{logical_id[:20].lower()}-{_short_hash(logical_id, 10)}.{self.region}.elb.amazonaws.com"
        if kind == "AWS::CloudFront::Distribution" and attribute == "DomainName":
            return f"d{_short_hash(logical_id, 13)}.cloudfront.net"
        if attribute == "GroupId":
            return "sg-" + _short_hash(logical_id, 17)
        return f"{logical_id}.{attribute}"


class Template:
    def __init__(self, path, physical, dynamic_secret=None):
        """`dynamic_secret(secret_id, json_key)` resolves {{resolve:secretsmanager:...}}; without
        it such references stay as they are."""
        with open(path) as f:
            self.document = json.load(f)
        self.path = path
        self.physical = physical
        self.resources = self.document.get("Resources", {})
        self.conditions = self.document.get("Conditions", {})
        self.mappings = self.document.get("Mappings", {})
        self.parameters = self.document.get("Parameters", {})
        self.dynamic_secret = dynamic_secret

    # -- intrinsic functions ----------------------------------------------------------------
    def resolve(self, value):
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not _NO_VALUE]
        if isinstance(value, str):
            return self._dynamic(value)
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.physical.attribute(logical_id, self._resource(logical_id), attribute, self)
            if key == "Fn::Join":
                separator, items = arg
                return self._dynamic(separator.join(str(v) for v in self.resolve(items)))
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Select":
                index, items = self.resolve(arg)
                return items[int(index)]
            if key == "Fn::Split":
                separator, text = self.resolve(arg)
                return text.split(separator)
            if key == "Fn::GetAZs":
                return [f"{self.physical.region}{z}" for z in "abc"]
            if key == "Fn::Base64":
                return base64.b64encode(str(self.resolve(arg)).encode()).decode()
            if key == "Fn::If":
                condition, yes, no = arg
                return self.resolve(yes if self.condition(condition) else no)
            if key == "Fn::FindInMap":
                name, top, second = self.resolve(arg)
                return self.mappings[name][top][second]
            if key == "Fn::GetStackOutput":
                output = self.resolve(arg)
                return f"arn:aws:rehearsal:{output['Region']}:{self.physical.account}:{output['StackName']}/{output['OutputName']}"
            if key == "Fn::ImportValue":
                return f"import:{self.resolve(arg)}"
            if key.startswith("Fn::"):
                raise TemplateError(f"{key} is not resolved by tests/rehearsal/cfn.py")
        return {k: v for k, v in ((k, self.resolve(v)) for k, v in value.items()) if v is not _NO_VALUE}

    def condition(self, name):
        expression = self.conditions[name]
        return self._truth(expression)

    def _truth(self, expression):
        if isinstance(expression, dict) and len(expression) == 1:
            (key, arg), = expression.items()
            if key == "Fn::Equals":
                a, b = self.resolve(arg)
                return a == b
            if key == "Fn::Not":
                return not self._truth(arg[0])
            if key == "Fn::And":
                return all(self._truth(a) for a in arg)
            if key == "Fn::Or":
                return any(self._truth(a) for a in arg)
            if key == "Condition":
                return self.condition(arg)
        return bool(self.resolve(expression))

    def _ref(self, name):
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in PSEUDO:
            return self.physical.pseudo(name)
        if name in self.parameters:
            return self.parameters[name].get("Default", "")
        return self.physical.ref(name, self._resource(name), self)

    def _resource(self, logical_id):
        if logical_id not in self.resources:
            raise TemplateError(f"{self.path}: no resource {logical_id}")
        return self.resources[logical_id]

    def _sub(self, arg):
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and name.split(".", 1)[0] in self.resources:
                logical_id, attribute = name.split(".", 1)
                return str(self.physical.attribute(logical_id, self._resource(logical_id), attribute, self))
            return str(self._ref(name))

        return self._dynamic(re.sub(r"\$\{([^}]+)\}", replace, text))

    def _dynamic(self, text):
        if self.dynamic_secret is None or "{{resolve:" not in text:
            return text
        return DYNAMIC.sub(lambda m: self.dynamic_secret(m.group(1), m.group(2)), text)

    # -- order ----------------------------------------------------------------------------------
    def dependencies(self, logical_id):
        """What CloudFormation waits for before creating `logical_id`."""
        resource = self.resources[logical_id]
        found = set(_as_list(resource.get("DependsOn")))
        _collect_refs(resource.get("Properties", {}), found)
        return {d for d in found if d in self.resources and d != logical_id}

    def creation_order(self, eager=()):
        """Logical ids in an order CloudFormation could create them. Among resources whose
        dependencies are all created, those of a type in `eager` go first, so an ordering the
        template does not enforce (a service before the database user it needs, say) shows up."""
        pending = {r: self.dependencies(r) for r in self.resources}
        position = {r: i for i, r in enumerate(self.resources)}
        created, order = set(), []
        while pending:
            ready = [r for r, deps in pending.items() if deps <= created]
            if not ready:
                raise TemplateError(f"circular dependencies among {sorted(pending)}")
            ready.sort(key=lambda r: (self.resources[r]["Type"] not in eager, position[r]))
            chosen = ready[0]
            order.append(chosen)
            created.add(chosen)
            del pending[chosen]
        return order

    def of_type(self, kind):
        return [(r, v) for r, v in self.resources.items() if v["Type"] == kind]

    def one(self, kind):
        found = self.of_type(kind)
        if len(found) != 1:
            raise TemplateError(f"expected one {kind} in {self.path}, found {len(found)}")
        return found[0]


class _NoValue:
    pass


_NO_VALUE = _NoValue()


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _collect_refs(value, found):
    if isinstance(value, list):
        for v in value:
            _collect_refs(v, found)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif key == "Fn::GetAtt":
                found.add(arg[0] if isinstance(arg, list) else arg.split(".", 1)[0])
            elif key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                for name in re.findall(r"\$\{([^}!][^}]*)\}", text):
                    found.add(name.split(".", 1)[0])
                if not isinstance(arg, str):
                    _collect_refs(arg[1], found)
            else:
                _collect_refs(arg, found)
