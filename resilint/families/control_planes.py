"""Global control planes: resources whose changes go through a control plane homed in one region
(us-east-1 for the `aws` partition), and the satellites CloudFront pins there.

Kinds of `CERTIFICATES`: `certificate` (an ACM certificate), `certificate_validation` (Terraform's
validation resource, through which a distribution usually names its certificate).
Kinds of `EDGE_FIREWALLS`: `wafv2` (roles: `scope`, CLOUDFRONT or REGIONAL), `waf_classic_global`
(AWS WAF Classic's global resources, which serve CloudFront only).
Kinds of `IDENTITY`: `iam` (roles, policies, users, groups, instance profiles, identity providers,
server certificates).
Kinds of `QUERY_LOGS`: `query_log` (roles: `log_group`, the log group Route 53 writes to, which
must be in us-east-1).
Kinds of `LAMBDA_VERSIONS`: `version` (roles: `function`): CloudFormation names a Lambda@Edge
function through one of its versions.

The CloudFront distribution itself is `CDN_DISTRIBUTIONS`' `cloudfront` kind (`families.edge`),
whose roles `certificate`, `iam_certificate`, `web_acl` and `edge_functions` name what it pins;
Route 53 zones, records and health checks are the `families.dns` families.
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

CERTIFICATES = Family(
    "ACM certificate",
    (
        terraform("aws_acm_certificate", "certificate"),
        terraform("aws_acm_certificate_validation", "certificate_validation", certificate="certificate_arn"),
        cloudformation("AWS::CertificateManager::Certificate", "certificate"),
    ),
)

EDGE_FIREWALLS = Family(
    "web application firewall",
    (
        terraform("aws_wafv2_web_acl", "wafv2", scope="scope"),
        terraform("aws_wafv2_rule_group", "wafv2", scope="scope"),
        terraform("aws_wafv2_ip_set", "wafv2", scope="scope"),
        terraform("aws_wafv2_regex_pattern_set", "wafv2", scope="scope"),
        cloudformation("AWS::WAFv2::WebACL", "wafv2", scope="Scope"),
        cloudformation("AWS::WAFv2::RuleGroup", "wafv2", scope="Scope"),
        cloudformation("AWS::WAFv2::IPSet", "wafv2", scope="Scope"),
        cloudformation("AWS::WAFv2::RegexPatternSet", "wafv2", scope="Scope"),
        terraform("aws_waf_web_acl", "waf_classic_global"),
        terraform("aws_waf_rule", "waf_classic_global"),
        terraform("aws_waf_ipset", "waf_classic_global"),
        cloudformation("AWS::WAF::WebACL", "waf_classic_global"),
        cloudformation("AWS::WAF::Rule", "waf_classic_global"),
        cloudformation("AWS::WAF::IPSet", "waf_classic_global"),
    ),
)

# The value of a WAFv2 scope that puts a resource with CloudFront (and so in us-east-1).
CLOUDFRONT_SCOPE = "CLOUDFRONT"

IDENTITY = Family(
    "IAM",
    tuple(
        terraform(f"aws_iam_{name}", "iam")
        for name in (
            "role",
            "role_policy",
            "role_policy_attachment",
            "role_policies_exclusive",
            "role_policy_attachments_exclusive",
            "policy",
            "policy_attachment",
            "user",
            "user_policy",
            "user_policy_attachment",
            "user_group_membership",
            "access_key",
            "group",
            "group_policy",
            "group_policy_attachment",
            "group_membership",
            "instance_profile",
            "openid_connect_provider",
            "saml_provider",
            "server_certificate",
            "service_linked_role",
            "account_password_policy",
            "account_alias",
        )
    )
    + tuple(
        cloudformation(f"AWS::IAM::{name}", "iam")
        for name in (
            "Role",
            "Policy",
            "ManagedPolicy",
            "RolePolicy",
            "User",
            "UserPolicy",
            "Group",
            "GroupPolicy",
            "UserToGroupAddition",
            "AccessKey",
            "InstanceProfile",
            "OIDCProvider",
            "SAMLProvider",
            "ServerCertificate",
            "ServiceLinkedRole",
        )
    ),
)

QUERY_LOGS = Family(
    "Route 53 query logging",
    (terraform("aws_route53_query_log", "query_log", log_group="cloudwatch_log_group_arn"),),
)

LAMBDA_VERSIONS = Family(
    "Lambda version",
    (
        terraform("aws_lambda_alias", "version", function="function_name"),
        cloudformation("AWS::Lambda::Version", "version", function="FunctionName"),
        cloudformation("AWS::Lambda::Alias", "version", function="FunctionName"),
    ),
)
