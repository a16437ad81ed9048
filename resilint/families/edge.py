"""Entry points in front of regions: CDN distributions, Front Door, API gateways and Traffic
Manager.

Kinds of `CDN_DISTRIBUTIONS`: `cloudfront` (roles: `config`, the block that holds the rest in
CloudFormation; `enabled`, `origins`, `origin_id`, `domain`, `groups`, `group_items` (the list
inside CloudFormation's `OriginGroups`), `group_id`, `default`, `target`; what it pins to us-east-1: `certificate` (the ACM certificate's ARN),
`iam_certificate`, `web_acl`, `edge_functions` (Lambda@Edge associations) and their
`edge_function_arn`), `front_door_origin_group` (`health_probe`; word `add_probe`),
`classic_front_door` (`pools` with `pool_name` and `backends` inside one, and `backend_address`
and `backend_enabled` inside a backend; words `migrate`, `add_region`). Kinds of `FRONT_DOOR_ORIGINS`: `front_door_origin`.
Kinds of `APIS`: `rest_api`, `http_api`. Kinds of `TRAFFIC_MANAGERS`: `traffic_manager` (word
`add_region`; also on `front_door_origin_group`: how a fix adds an endpoint in a second region).
Kinds of `GOOGLE_EDGE` (a public name's way to Cloud CDN): `global_address`, `forwarding_rule`
(roles `target`, `address`), `target_proxy` (`url_map`), `url_map` (`default`, `redirect`), `backend_service`
and `backend_bucket` (`cdn`, false by default).
Kinds of `EDGE_ENDPOINTS`: `front_door_endpoint`, `front_door_custom_domain`, `azure_cdn_endpoint`
(words: `vendor`).
Kinds of `TRAFFIC_MANAGER_ENDPOINTS`: `azure_endpoint`, `external_endpoint`, `nested_endpoint`,
`legacy_endpoint` (roles `profile`, `enabled`, `target`, `location`; `endpoint_type` of the legacy
one). Kinds of `ACCELERATORS` (AWS Global Accelerator): `listener` (role `accelerator`; word
`add_region`), `endpoint_group` (roles `listener`, `region`, left out in Terraform: the provider's
region; `endpoints`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

CDN_DISTRIBUTIONS = Family(
    "CDN distribution",
    (
        terraform(
            "aws_cloudfront_distribution",
            "cloudfront",
            words={
                "no_groups": "no origin_group",
                "add_group": (
                    "Add an origin in another region, an origin_group with both as members and a failover_criteria, "
                    "and set default_cache_behavior.target_origin_id to the group's origin_id"
                ),
            },
            enabled="enabled",
            origins="origin",
            origin_id="origin_id",
            domain="domain_name",
            groups="origin_group",
            group_id="origin_id",
            default="default_cache_behavior",
            target="target_origin_id",
            certificate="viewer_certificate.acm_certificate_arn",
            iam_certificate="viewer_certificate.iam_certificate_id",
            web_acl="web_acl_id",
            edge_functions="lambda_function_association",
            edge_function_arn="lambda_arn",
        ),
        cloudformation(
            "AWS::CloudFront::Distribution",
            "cloudfront",
            words={
                "no_groups": "no OriginGroups",
                "add_group": (
                    "Add an origin in another region, an OriginGroups item with both as members and FailoverCriteria, "
                    "and set DefaultCacheBehavior.TargetOriginId to the group's Id"
                ),
            },
            config="DistributionConfig",
            enabled="Enabled",
            origins="Origins",
            origin_id="Id",
            domain="DomainName",
            groups="OriginGroups",
            group_items="Items",
            group_id="Id",
            default="DefaultCacheBehavior",
            target="TargetOriginId",
            # read inside `config`
            certificate="ViewerCertificate.AcmCertificateArn",
            iam_certificate="ViewerCertificate.IamCertificateId",
            web_acl="WebACLId",
            edge_functions="LambdaFunctionAssociations",
            edge_function_arn="LambdaFunctionARN",
        ),
        terraform(
            "azurerm_cdn_frontdoor_origin_group",
            "front_door_origin_group",
            words={
                "add_region": (
                    "Add an azurerm_cdn_frontdoor_origin in a second region (an app or storage account deployed "
                    "there) to the origin group, with a health_probe on the group"
                ),
                "add_probe": (
                    "Add a health_probe block to the origin group (protocol, interval_in_seconds, path of a "
                    "health endpoint), so that Front Door stops sending requests to an origin that fails"
                ),
            },
            health_probe="health_probe",
        ),
        terraform(
            "azurerm_frontdoor",
            "classic_front_door",
            words={
                "migrate": (
                    "Migrate to Azure Front Door Standard or Premium: azurerm_cdn_frontdoor_profile with "
                    "azurerm_cdn_frontdoor_endpoint, _origin_group, _origin and _route (Microsoft's tier migration "
                    "keeps the endpoints)"
                ),
                "add_region": (
                    "Add a backend in a second region (an app deployed there) to the backend pool, with its "
                    "health probe enabled"
                ),
            },
            pools="backend_pool",
            pool_name="name",
            backends="backend",
            backend_address="address",
            backend_enabled="enabled",
        ),
    ),
)

FRONT_DOOR_ORIGINS = Family(
    "Front Door origin",
    (
        terraform(
            "azurerm_cdn_frontdoor_origin",
            "front_door_origin",
            group="cdn_frontdoor_origin_group_id",
            enabled=("enabled", "health_probes_enabled"),
            host="host_name",
        ),
    ),
)

APIS = Family(
    "API",
    (
        terraform("aws_api_gateway_rest_api", "rest_api"),
        cloudformation("AWS::ApiGateway::RestApi", "rest_api"),
        terraform("aws_apigatewayv2_api", "http_api"),
        cloudformation("AWS::ApiGatewayV2::Api", "http_api"),
    ),
)

TRAFFIC_MANAGERS = Family(
    "Traffic Manager profile",
    (
        terraform(
            "azurerm_traffic_manager_profile",
            "traffic_manager",
            words={
                "add_region": (
                    "Add an azurerm_traffic_manager_azure_endpoint (or _external_endpoint) in a second region to "
                    "the profile, and keep monitor_config probing both"
                ),
            },
            ttl="dns_config.ttl",
        ),
    ),
)

TRAFFIC_MANAGER_ENDPOINTS = Family(
    "Traffic Manager endpoint",
    (
        # `enabled` defaults to true in each (azurerm trafficmanager schemas).
        terraform(
            "azurerm_traffic_manager_azure_endpoint",
            "azure_endpoint",
            profile="profile_id",
            enabled="enabled",
            target="target_resource_id",
        ),
        terraform(
            "azurerm_traffic_manager_external_endpoint",
            "external_endpoint",
            profile="profile_id",
            enabled="enabled",
            target="target",
            location="endpoint_location",
        ),
        # The one endpoint resource of azurerm before 3.0: its `type` says which kind it is, and
        # `endpoint_status` ("Enabled", "Disabled") whether Traffic Manager answers with it.
        terraform(
            "azurerm_traffic_manager_endpoint",
            "legacy_endpoint",
            profile="profile_name",
            enabled="endpoint_status",
            endpoint_type="type",
            target="target_resource_id",
            location="endpoint_location",
        ),
        terraform(
            "azurerm_traffic_manager_nested_endpoint",
            "nested_endpoint",
            profile="profile_id",
            enabled="enabled",
            target="target_resource_id",
            location="endpoint_location",
        ),
    ),
)

_ADD_TF_GROUP = (
    "Add an aws_globalaccelerator_endpoint_group for the listener in a second region (endpoint_group_region), "
    "with endpoints there; a group with traffic_dial_percentage = 0 still takes traffic when the first region fails"
)
_ADD_CFN_GROUP = (
    "Add an AWS::GlobalAccelerator::EndpointGroup for the listener in a second region (EndpointGroupRegion), "
    "with endpoints there; a group with TrafficDialPercentage: 0 still takes traffic when the first region fails"
)

# Custom routing accelerators map each user to one chosen destination (session pinning), not to
# the nearest healthy region: they are left out.
ACCELERATORS = Family(
    "Global Accelerator",
    (
        terraform("aws_globalaccelerator_listener", "listener", words={"add_region": _ADD_TF_GROUP}, accelerator="accelerator_arn"),
        cloudformation(
            "AWS::GlobalAccelerator::Listener", "listener", words={"add_region": _ADD_CFN_GROUP}, accelerator="AcceleratorArn"
        ),
        terraform(
            "aws_globalaccelerator_endpoint_group",
            "endpoint_group",
            listener="listener_arn",
            region="endpoint_group_region",
            endpoints="endpoint_configuration",
        ),
        cloudformation(
            "AWS::GlobalAccelerator::EndpointGroup",
            "endpoint_group",
            listener="ListenerArn",
            region="EndpointGroupRegion",
            endpoints="EndpointConfigurations",
        ),
    ),
)

# Google Cloud's global load-balancing chain, as far as a public name follows it to Cloud CDN:
# a global address or forwarding rule, its target proxy, the proxy's URL map, and the backend
# service or bucket the URL map sends to by default, which serves through Cloud CDN when
# `enable_cdn` is true (false by default).
GOOGLE_EDGE = Family(
    "Google Cloud load balancing",
    (
        terraform("google_compute_global_address", "global_address"),
        terraform("google_compute_global_forwarding_rule", "forwarding_rule", target="target", address="ip_address"),
        terraform("google_compute_target_http_proxy", "target_proxy", url_map="url_map"),
        terraform("google_compute_target_https_proxy", "target_proxy", url_map="url_map"),
        terraform("google_compute_url_map", "url_map", default="default_service", redirect="default_url_redirect"),
        terraform("google_compute_backend_service", "backend_service", cdn="enable_cdn"),
        terraform("google_compute_backend_bucket", "backend_bucket", cdn="enable_cdn"),
    ),
)

_AZURE_EDGE = {"vendor": "Azure Front Door"}

# Host names a public DNS name can point at that belong to an edge network: an Azure Front Door
# endpoint or custom domain (their host names end in azurefd.net) and Azure CDN endpoints, which
# run on the same fabric.
EDGE_ENDPOINTS = Family(
    "edge endpoint",
    (
        terraform("azurerm_cdn_frontdoor_endpoint", "front_door_endpoint", words=_AZURE_EDGE),
        terraform("azurerm_cdn_frontdoor_custom_domain", "front_door_custom_domain", words=_AZURE_EDGE),
        terraform("azurerm_cdn_endpoint", "azure_cdn_endpoint", words=_AZURE_EDGE),
    ),
)
