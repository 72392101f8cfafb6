"""tests/tools: the part of IAM policy evaluation the stand-ins need, so a fake AWS endpoint can
refuse what AWS would refuse when a role lacks a grant.

    allowed(statements, "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/x", {"s3:prefix": ..})

Statements are IAM policy statements as JSON (Effect, Action/NotAction, Resource/NotResource,
Condition), already resolved (no CloudFormation intrinsics). Evaluation follows AWS's rule for one
account: an explicit Deny wins, else an Allow must match, else the request is denied. Actions
match case-insensitively with `*` and `?`; resources match case-sensitively with the same
wildcards. Conditions: StringEquals, StringNotEquals, StringLike, StringNotLike, Bool, each with
an optional IfExists; a condition on a key the request does not carry does not match (as AWS).
Any other condition operator raises ValueError, so a stand-in never silently allows what it
cannot judge. Principals (resource policies) are checked by the caller.
"""
import re


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _wildcard(pattern, value, case_sensitive):
    """IAM wildcards: `*` any run of characters, `?` one character, everything else literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE) is not None


def action_matches(pattern, action):
    return _wildcard(pattern, action, case_sensitive=False)


def resource_matches(pattern, resource):
    return _wildcard(pattern, resource, case_sensitive=True)


def _condition_holds(operator, key, expected, context):
    if_exists = operator.endswith("IfExists")
    base = operator[:-len("IfExists")] if if_exists else operator
    if key not in context:
        return if_exists
    actual = context[key]
    expected = [str(v) for v in _as_list(expected)]
    if base == "StringEquals":
        return str(actual) in expected
    if base == "StringNotEquals":
        return str(actual) not in expected
    if base == "StringLike":
        return any(_wildcard(e, str(actual), True) for e in expected)
    if base == "StringNotLike":
        return not any(_wildcard(e, str(actual), True) for e in expected)
    if base == "Bool":
        return str(actual).lower() in [e.lower() for e in expected]
    raise ValueError(f"condition operator {operator} is not evaluated by tests/tools/iam_policy.py")


def statement_matches(statement, action, resource, context):
    if "Action" in statement:
        if not any(action_matches(p, action) for p in _as_list(statement["Action"])):
            return False
    elif any(action_matches(p, action) for p in _as_list(statement.get("NotAction"))):
        return False
    if "Resource" in statement:
        if not any(resource_matches(p, resource) for p in _as_list(statement["Resource"])):
            return False
    elif "NotResource" in statement and any(resource_matches(p, resource)
                                            for p in _as_list(statement["NotResource"])):
        return False
    for operator, pairs in (statement.get("Condition") or {}).items():
        for key, expected in pairs.items():
            if not _condition_holds(operator, key, expected, context):
                return False
    return True


def allowed(statements, action, resource, context=None):
    """True when `statements` allow `action` on `resource` and no statement denies it."""
    context = context or {}
    matching = [s for s in statements if statement_matches(s, action, resource, context)]
    if any(s.get("Effect") == "Deny" for s in matching):
        return False
    return any(s.get("Effect") == "Allow" for s in matching)
