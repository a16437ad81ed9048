"""What a deployment unit runs, by role: the serving footprint the region rules count.

Every regional resource falls in one class:

- `serving`: compute and entry points (instances, groups, containers, functions, load
  balancers, API gateways): where requests are answered. A unit's serving regions are theirs.
- `data`: stores and what protects them (databases, buckets, tables, file systems, keys,
  backups, secrets, registries). A region that holds only data (and support) is a *data-only*
  region: a replica, not a place the workload can serve from.
- `support`: networking and account plumbing (VPCs, subnets, security groups, route tables,
  NAT, log groups, alarms, CloudTrail, Config). A unit made of support alone runs no workload.
- `other`: anything else (queues, topics, streams...). Never assumed to be serving or not.

Pinned satellites are left out altogether: resources that must live in us-east-1 whatever the
workload's region because CloudFront uses them (ACM certificates, CLOUDFRONT-scope WAF,
Lambda@Edge functions, the Route 53 query-log group).

`footprint(unit)` is the one classification of a unit that the region rules and the systems
read, for Terraform, plans and CloudFormation alike: a role per resource in its unit (a bucket
that only receives logs, a function that only backs custom resources are support there), and
the unit's serving footprint. A unit with no serving footprint (data, alerting, keys, plumbing)
is not a deployment that can serve from a region: RES101 leaves it to RES103.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from resilint.model import Resource, Unit
from resilint.relations.placement import regional
from resilint.relations.replication import stores

Role = Literal["serving", "data", "support", "other"]

_SERVING = (
    # AWS, Terraform
    "aws_instance",
    "aws_spot_instance_request",
    "aws_spot_fleet_request",
    "aws_ec2_fleet",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_ecs_",
    "aws_eks_",
    "aws_lambda_",
    "aws_autoscaling_",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_api_gateway_",
    "aws_apigatewayv2_",
    "aws_apprunner_",
    "aws_elastic_beanstalk_",
    "aws_batch_",
    "aws_sfn_",
    "aws_appsync_",
    "aws_lightsail_instance",
    "aws_emr_",
    "aws_sagemaker_endpoint",
    "aws_transfer_server",
    "aws_vpclattice_service",
    "aws_amplify_",
    "aws_gamelift_fleet",
    "aws_glue_job",
    "aws_kinesisanalyticsv2_application",
    "aws_mwaa_environment",
    # AWS, CloudFormation (and SAM)
    "AWS::EC2::Instance",
    "AWS::EC2::SpotFleet",
    "AWS::EC2::EC2Fleet",
    "AWS::EC2::LaunchTemplate",
    "AWS::AutoScaling::",
    "AWS::ECS::",
    "AWS::EKS::",
    "AWS::Lambda::",
    "AWS::Serverless::Function",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::StateMachine",
    "AWS::ElasticLoadBalancingV2::",
    "AWS::ElasticLoadBalancing::",
    "AWS::ApiGateway::",
    "AWS::ApiGatewayV2::",
    "AWS::AppRunner::",
    "AWS::ElasticBeanstalk::",
    "AWS::Batch::",
    "AWS::StepFunctions::",
    "AWS::AppSync::",
    "AWS::Lightsail::Instance",
    "AWS::EMR::",
    "AWS::SageMaker::Endpoint",
    "AWS::Transfer::Server",
    "AWS::Amplify::",
    "AWS::Glue::Job",
    "AWS::KinesisAnalyticsV2::Application",
    "AWS::MWAA::Environment",
    # Azure
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
    "azurerm_orchestrated_virtual_machine_scale_set",
    "azurerm_kubernetes_cluster",
    "azurerm_kubernetes_automatic_cluster",
    "azurerm_container_app",
    "azurerm_container_group",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_function_app",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_app_service",
    "azurerm_service_plan",
    "azurerm_application_gateway",
    "azurerm_lb",
    "azurerm_api_management",
    "azurerm_spring_cloud_",
    "azurerm_batch_",
    "azurerm_static_web_app",
    "azurerm_signalr_service",
    "azurerm_web_pubsub",
    "azurerm_logic_app_standard",
    "azurerm_logic_app_workflow",
    "azurerm_dev_test_linux_virtual_machine",
    "azurerm_dev_test_windows_virtual_machine",
    "azurerm_machine_learning_compute_",
    "azurerm_machine_learning_inference_cluster",
    "azurerm_stream_analytics_job",
    "azurerm_data_factory",
    "azurerm_synapse_",
    "azurerm_databricks_workspace",
    "azurerm_search_service",
    "azurerm_cognitive_account",
    "azurerm_ai_services",
    "azurerm_iothub",
    "azurerm_notification_hub",
    "azurerm_analysis_services_server",
    # Google Cloud
    "google_compute_instance",
    "google_compute_node_",
    "google_compute_region_instance_group_manager",
    "google_compute_region_instance_template",
    "google_container_",
    "google_cloud_run_",
    "google_cloudfunctions",
    "google_compute_forwarding_rule",
    "google_compute_region_backend_service",
    "google_compute_backend_service",
    "google_app_engine_",
    "google_api_gateway_",
    "google_dataproc_cluster",
    "google_dataflow_job",
    "google_composer_environment",
    "google_workflows_workflow",
)

_DATA = (
    "aws_db_",
    "aws_rds_",
    "aws_dynamodb_",
    "aws_s3_",
    "aws_s3control_",
    "aws_s3tables_",
    "aws_s3vectors_",
    "aws_dsql_",
    "aws_ebs_volume",
    "aws_efs_",
    "aws_fsx_",
    "aws_elasticache_",
    "aws_memorydb_",
    "aws_docdb_",
    "aws_neptune_",
    "aws_redshift_",
    "aws_backup_",
    "aws_kms_",
    "aws_secretsmanager_",
    "aws_ssm_parameter",
    "aws_ecr_",
    "aws_glacier_",
    "aws_dax_",
    "aws_keyspaces_",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "AWS::RDS::",
    "AWS::DynamoDB::",
    "AWS::S3::",
    "AWS::S3Tables::",
    "AWS::S3Express::",
    "AWS::DSQL::",
    "AWS::EC2::Volume",
    "AWS::EFS::",
    "AWS::FSx::",
    "AWS::ElastiCache::",
    "AWS::MemoryDB::",
    "AWS::DocDB::",
    "AWS::Neptune::",
    "AWS::Redshift::",
    "AWS::Backup::",
    "AWS::KMS::",
    "AWS::SecretsManager::",
    "AWS::SSM::Parameter",
    "AWS::ECR::",
    "AWS::DAX::",
    "AWS::OpenSearchService::",
    "azurerm_storage_",
    "azurerm_cosmosdb_",
    "azurerm_mssql_",
    "azurerm_sql_",
    "azurerm_postgresql_",
    "azurerm_mysql_",
    "azurerm_mariadb_",
    "azurerm_redis_",
    "azurerm_key_vault",
    "azurerm_recovery_services_",
    "azurerm_backup_",
    "azurerm_data_protection_",
    "azurerm_container_registry",
    "google_storage_",
    "google_sql_",
    "google_spanner_",
    "google_bigtable_",
    "google_bigquery_",
    "google_firestore_",
    "google_redis_",
    "google_kms_",
    "google_secret_manager_",
    "google_alloydb_",
    "google_filestore_",
    "google_artifact_registry_",
)

_SUPPORT = (
    "aws_vpc",
    "aws_default_",
    "aws_subnet",
    "aws_security_group",
    "aws_route_table",
    "aws_route",
    "aws_main_route_table_association",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_nat_gateway",
    "aws_eip",
    "aws_network_acl",
    "aws_network_interface",
    "aws_flow_log",
    "aws_customer_gateway",
    "aws_vpn_",
    "aws_ec2_transit_gateway",
    "aws_ec2_managed_prefix_list",
    "aws_ec2_tag",
    "aws_key_pair",
    "aws_placement_group",
    "aws_cloudwatch_",
    "aws_cloudtrail",
    "aws_config_",
    "aws_guardduty_",
    "aws_securityhub_",
    "aws_acm_certificate",
    "aws_cloudformation_stack_set",
    "aws_ram_",
    "aws_ebs_default_kms_key",
    "aws_ebs_encryption_by_default",
    "aws_resourcegroups_",
    "aws_service_discovery_",
    "aws_appautoscaling_",
    "aws_codebuild_",
    "aws_codecommit_",
    "aws_codepipeline",
    "aws_codedeploy_",
    "aws_codestarconnections_",
    "aws_ssm_document",
    "aws_ssm_association",
    "aws_servicecatalog_",
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Route",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::EgressOnlyInternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkInterface",
    "AWS::EC2::FlowLog",
    "AWS::EC2::DHCPOptions",
    "AWS::EC2::CustomerGateway",
    "AWS::EC2::VPNGateway",
    "AWS::EC2::VPNConnection",
    "AWS::EC2::TransitGateway",
    "AWS::EC2::PrefixList",
    "AWS::EC2::KeyPair",
    "AWS::EC2::PlacementGroup",
    "AWS::Logs::",
    "AWS::CloudWatch::",
    "AWS::CloudTrail::",
    "AWS::Config::",
    "AWS::GuardDuty::",
    "AWS::SecurityHub::",
    "AWS::CertificateManager::",
    "AWS::CloudFormation::",
    "AWS::RAM::",
    "AWS::ServiceDiscovery::",
    "AWS::ApplicationAutoScaling::",
    "AWS::CodeBuild::",
    "AWS::CodeCommit::",
    "AWS::CodePipeline::",
    "AWS::CodeDeploy::",
    "AWS::CodeStarConnections::",
    "AWS::SSM::Document",
    "AWS::SSM::Association",
    "AWS::ServiceCatalog::",
    # Custom resources compute values while the stack deploys (a lookup, a generated name): they
    # run and store nothing once it is up; the function behind one is judged on its own.
    "Custom::",
    "azurerm_resource_group",
    "azurerm_virtual_network",
    "azurerm_subnet",
    "azurerm_network_",
    "azurerm_route",
    "azurerm_public_ip",
    "azurerm_nat_gateway",
    "azurerm_private_endpoint",
    "azurerm_log_analytics_",
    "azurerm_monitor_",
    "azurerm_application_insights",
    "azurerm_user_assigned_identity",
    "azurerm_role_",
    "azurerm_management_lock",
    "azurerm_firewall",
    "azurerm_bastion_host",
    "azurerm_policy_",
    "azurerm_express_route_",
    "azurerm_private_dns_",
    "azurerm_ip_group",
    "azurerm_virtual_network_gateway",
    "azurerm_local_network_gateway",
    "google_compute_network",
    "google_compute_subnetwork",
    "google_compute_firewall",
    "google_compute_router",
    "google_compute_address",
    "google_compute_route",
    "google_service_account",
    "google_project",
    "google_folder",
    "google_organization",
    "google_logging_",
    "google_monitoring_",
    "google_service_networking_connection",
    "google_vpc_access_connector",
)


# Settings objects of data services are plumbing too: subnet, parameter and option groups, and
# the settings of an S3 bucket (its policy, versioning, lifecycle...), which hold no data, and
# Cloud KMS Autokey's folder setting (no location, no key material).
_PLUMBING = re.compile(
    r"(_subnet_group|_parameter_group|_option_group|::(?:DB)?SubnetGroup|SubnetGroup$|ParameterGroup$"
    r"|OptionGroup$|^aws_s3_bucket_|^AWS::S3::BucketPolicy$|^google_kms_autokey_config$)"
)


# Settings and attachments of serving services that answer no request themselves: a layer, a
# permission or a version of a function, API Gateway's account-wide logging role, an ECS cluster
# before any service runs in it.
_SERVING_PLUMBING = re.compile(
    r"^(?:aws_lambda_(?:layer_version|permission|alias|provisioned_concurrency_config|function_event_invoke_config"
    r"|code_signing_config|invocation)"
    r"|AWS::Lambda::(?:LayerVersion|LayerVersionPermission|Permission|Version|Alias|EventInvokeConfig|CodeSigningConfig)"
    r"|AWS::ApiGateway::Account|aws_api_gateway_account"
    r"|AWS::ECS::(?:Cluster|ClusterCapacityProviderAssociations|PrimaryTaskSet)|aws_ecs_cluster(?:_capacity_providers)?)$"
)


# Azure resource types that serve, as an `azapi_resource` names them in its `type` (`...@version`).
_AZAPI_SERVING = (
    "microsoft.containerservice/managedclusters",
    "microsoft.compute/virtualmachines",
    "microsoft.compute/virtualmachinescalesets",
    "microsoft.web/sites",
    "microsoft.app/containerapps",
    "microsoft.containerinstance/containergroups",
    "microsoft.network/applicationgateways",
    "microsoft.network/loadbalancers",
    "microsoft.apimanagement/service",
)


def role(resource: Resource) -> Role:
    """The resource's class (see the module documentation)."""
    kind = resource.type
    if kind == "azapi_resource":
        azure_type = resource.attributes.get("type")
        if isinstance(azure_type, str) and azure_type.split("@", 1)[0].lower().startswith(_AZAPI_SERVING):
            return "serving"
        return "other"
    found = _ROLE_OF_TYPE.get(kind)
    if found is None:
        found = _ROLE_OF_TYPE[kind] = _role_of_type(kind)
    return found


# Any other resource's role is its type's: decided once per type (a few patterns and prefixes
# each time, for every resource of every unit several rules ask about).
_ROLE_OF_TYPE: dict[str, Role] = {}


def _role_of_type(kind: str) -> Role:
    if _SERVING_PLUMBING.match(kind):
        return "support"
    if kind.startswith(_SERVING):
        return "serving"
    if _PLUMBING.search(kind):
        return "support"
    if kind.startswith(_DATA):
        return "data"
    if kind.startswith(_SUPPORT) or "_iam_" in kind:
        return "support"
    return "other"


# The resources a message names first: what a reader recognises as "the servers".
_PRIMARY_SERVING = frozenset(
    {
        "aws_instance",
        "aws_autoscaling_group",
        "aws_ecs_service",
        "aws_eks_cluster",
        "aws_eks_node_group",
        "aws_lambda_function",
        "aws_lb",
        "aws_alb",
        "aws_elb",
        "aws_api_gateway_rest_api",
        "aws_apigatewayv2_api",
        "aws_apprunner_service",
        "aws_elastic_beanstalk_environment",
        "AWS::EC2::Instance",
        "AWS::AutoScaling::AutoScalingGroup",
        "AWS::ECS::Service",
        "AWS::EKS::Cluster",
        "AWS::Lambda::Function",
        "AWS::Serverless::Function",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGatewayV2::Api",
        "azurerm_linux_virtual_machine",
        "azurerm_windows_virtual_machine",
        "azurerm_linux_virtual_machine_scale_set",
        "azurerm_windows_virtual_machine_scale_set",
        "azurerm_kubernetes_cluster",
        "azurerm_container_app",
        "azurerm_linux_web_app",
        "azurerm_windows_web_app",
        "azurerm_application_gateway",
        "azurerm_lb",
        "google_compute_instance",
        "google_compute_region_instance_group_manager",
        "google_container_cluster",
        "google_cloud_run_v2_service",
        "google_cloud_run_service",
        "google_cloudfunctions2_function",
        "google_compute_forwarding_rule",
    }
)


def is_primary_serving(resource: Resource) -> bool:
    return resource.type in _PRIMARY_SERVING


# Pinned satellites ------------------------------------------------------------------------------

_DISTRIBUTIONS = ("aws_cloudfront_distribution",)


def satellites(unit: Unit) -> frozenset[str]:
    """Addresses of the unit's pinned satellites (module documentation)."""
    return unit.derived("relations.footprint.satellites", _build_satellites)


def _build_satellites(unit: Unit) -> frozenset[str]:
    found: set[str] = set()
    for resource in unit.resources:
        if resource.type.startswith("aws_wafv2_") and resource.get("scope") == "CLOUDFRONT":
            found.add(resource.address)
    used_by_cloudfront: set[str] = set()
    for distribution in unit.of_type(*_DISTRIBUTIONS):
        for ref in distribution.references:
            used_by_cloudfront.update(r.address for r in unit.resolve(ref.target))
    # A certificate usually reaches the distribution through its validation resource.
    for address in list(used_by_cloudfront):
        validation = unit.resource(address)
        if validation is not None and validation.type == "aws_acm_certificate_validation":
            for ref in validation.references:
                used_by_cloudfront.update(r.address for r in unit.resolve(ref.target))
    for address in used_by_cloudfront:
        used = unit.resource(address)
        if used is not None and used.type in (
            "aws_acm_certificate",
            "aws_acm_certificate_validation",
            "aws_lambda_function",
            "aws_wafv2_web_acl",
        ):
            found.add(address)
    # CloudFormation: Lambda@Edge functions (through their versions) a distribution names.
    for distribution in unit.of_type("AWS::CloudFront::Distribution"):
        for ref in distribution.references:
            if "LambdaFunctionAssociations" not in ref.path:
                continue
            for used in unit.resolve(ref.target):
                found.add(used.address)
                if used.type == "AWS::Lambda::Version":
                    found.update(r.target for r in used.references if r.path.startswith("FunctionName"))
    for query_log in unit.of_type("aws_route53_query_log"):
        for ref in query_log.references:
            if ref.path.startswith("cloudwatch_log_group_arn"):
                found.update(r.address for r in unit.resolve(ref.target) if r.type == "aws_cloudwatch_log_group")
    return frozenset(found)


# Plumbing functions -----------------------------------------------------------------------------

# Where a function is named by something that calls it for the template's own sake: a custom
# resource's service token, a macro, a Config rule.
_PLUMBING_USES = {
    "ServiceToken": ("Custom::", "AWS::CloudFormation::CustomResource"),
    "FunctionName": ("AWS::CloudFormation::Macro",),
    "Source": ("AWS::Config::ConfigRule",),
}
# What else may name such a function without making it serve: its permissions, versions, log
# group, IAM, alarms.
_NEUTRAL_USERS = re.compile(
    r"^(?:AWS::Lambda::(?:Permission|Version|Alias|EventInvokeConfig)|AWS::Logs::|AWS::IAM::|AWS::CloudWatch::"
    r"|AWS::CloudFormation::(?:WaitCondition|WaitConditionHandle)|Custom::|AWS::CloudFormation::CustomResource$"
    r"|AWS::CloudFormation::Macro$|AWS::Config::ConfigRule$)"
)


def plumbing_functions(unit: Unit) -> frozenset[str]:
    """Functions that only back custom resources, macros or Config rules of the template: they
    run when the stack is deployed or audited, never for a request. So do functions that only
    such functions use (a macro's function that names the function of the custom resource the
    macro adds, in an environment variable)."""
    return unit.derived("relations.footprint.plumbing_functions", _build_plumbing_functions)


def _build_plumbing_functions(unit: Unit) -> frozenset[str]:
    functions = {r.address for r in unit.of_type("AWS::Lambda::Function")}
    if not functions:
        return frozenset()
    backing: set[str] = set()
    users: dict[str, set[str]] = {function: set() for function in functions}

    def used(function: str, resource: Resource, path: str, user: str) -> None:
        head = path.split(".", 1)[0].split("[", 1)[0]
        plumbing_users = _PLUMBING_USES.get(head)
        if plumbing_users is not None and resource.type.startswith(plumbing_users):
            backing.add(function)
        elif not _NEUTRAL_USERS.match(resource.type):
            users[function].add(user)

    for resource in unit.resources:
        for ref in resource.references:
            if ref.target in functions and ref.target != resource.address:
                used(ref.target, resource, ref.path, resource.address)
    # A function the stack exports is used by the stacks that import it (a custom resource's
    # service token in another stack: `ServiceToken: !ImportValue ...`).
    for name, addresses in unit.exports.items():
        for function in functions.intersection(addresses):
            for importer, ref in unit.importers(name):
                used(function, importer, ref.path, f"{importer.unit}//{importer.address}")
    plumbing = {function for function in backing if not users[function]}
    while True:
        more = {f for f in functions - plumbing if users[f] and users[f] <= plumbing}
        if not more:
            return frozenset(plumbing)
        plumbing |= more


# A unit's footprint ----------------------------------------------------------------------------

UnitKind = Role | Literal["none"]


@dataclass(frozen=True)
class Footprint:
    """A unit's regional resources (pinned satellites left out) by role in that unit. Resources
    whose `count`/`for_each` (or CloudFormation condition) is unknown may not exist: they are in
    `maybe` only, never in `regional`."""

    regional: tuple[Resource, ...]  # sure to exist, in source order
    maybe: tuple[Resource, ...]
    roles: Mapping[str, Role]  # address -> role in the unit, for every resource of both

    def having(self, wanted: Role) -> tuple[Resource, ...]:
        return tuple(r for r in self.regional if self.roles[r.address] == wanted)

    @property
    def serving(self) -> tuple[Resource, ...]:
        """Entry points and compute, sure to exist: the serving footprint."""
        return self.having("serving")

    @property
    def may_serve(self) -> bool:
        """Something that serves may exist (only resources of unknown count serve)."""
        return any(self.roles[r.address] == "serving" for r in self.maybe)

    @property
    def kind(self) -> UnitKind:
        """What the unit is, by the strongest role it holds: `serving` (a deployment RES101
        judges), `data` (stores: RES103 judges them), `other` (queues, topics... without
        compute), `support` (networking and plumbing only), `none` (nothing regional)."""
        kinds: tuple[Role, ...] = ("serving", "data", "other", "support")
        return next((kind for kind in kinds if self.having(kind)), "none")


def footprint(unit: Unit) -> Footprint:
    """The unit's footprint (see `Footprint`), computed once per unit."""
    return unit.derived("relations.footprint.footprint", _build_footprint)


def role_in(unit: Unit, resource: Resource) -> Role:
    """The resource's role in its unit: a bucket or storage account that hosts a static website
    (itself, or as the origin CloudFront serves a website from) answers requests (an entry
    point, and the origin a CDN fetches from), so it serves;
    stores of other secondary data (a log bucket, a lock table) and functions that only back
    custom resources, macros or Config rules are support there."""
    return _role_among(resource, _websites(unit), _secondary(unit))


def _role_among(resource: Resource, websites: frozenset[str], secondary: frozenset[str]) -> Role:
    if resource.address in websites:
        return "serving"
    return "support" if resource.address in secondary else role(resource)


def _websites(unit: Unit) -> frozenset[str]:
    return unit.derived("relations.footprint.websites", lambda u: frozenset(s.address for s in stores(u) if s.hosts_website))


def _secondary(unit: Unit) -> frozenset[str]:
    return unit.derived(
        "relations.footprint.secondary",
        lambda u: frozenset({s.address for s in stores(u) if s.purpose is not None} | plumbing_functions(u)),
    )


def _build_footprint(unit: Unit) -> Footprint:
    pinned = satellites(unit)
    regional_resources = tuple(r for r in unit.resources if regional(r) and r.address not in pinned)
    websites, secondary = _websites(unit), _secondary(unit)
    roles = {r.address: _role_among(r, websites, secondary) for r in regional_resources}
    return Footprint(
        regional=tuple(r for r in regional_resources if not r.count_unknown),
        maybe=tuple(r for r in regional_resources if r.count_unknown),
        roles=roles,
    )
