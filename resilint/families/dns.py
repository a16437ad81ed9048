"""DNS: zones, records, health checks, domain registrations (and Traffic Manager, in
`families.edge`).

Kinds of `DNS_ZONES`: `zone` (each spelling's `service` is the DNS provider family of
`relations.dns_providers`: "route53", "cloudflare"...; role `name`, every spelling of the
zone's domain argument; Route 53 zones: `accelerated_recovery`, inside the block of role
`features` where the source has one, and the word `enable_recovery`). Kinds of `DNS_RECORDS`: `route53_record`, `route53_record_group`.
Kinds of `HEALTH_CHECKS`: `route53_health_check` (roles `disabled`, `type`, `alarm_region`,
`insufficient_data`, `routing_control`, `children` (of a CALCULATED check), read with
`health_check_setting`; word
`unhealthy_without_data`). Kinds of `RECOVERY_CONTROLS`: `routing_control` (Route 53 ARC),
`region_switch_plan` (ARC Region switch). Kinds of `DNS_STEERING`: `cloudflare_load_balancer`
(roles `name`, `zone`). Kinds of `DOMAIN_REGISTRATIONS`:
`registration` (its `service` is the registrar's DNS provider family; role `domain`; word
`registrar`; word `name_servers`: "blocks" for `name_server { name }`
blocks, else the path of the list of host names; word `add_name_servers`: how a fix says to
add one).

The record relations (`relations.dns`) read Route 53 records through their own spelling of the
routing arguments; the words here are what messages say in each source.
"""

from __future__ import annotations

from typing import Any

from resilint.arguments import DEFAULT
from resilint.families.base import Family, Member, cloudformation, terraform
from resilint.model import Unknown

DNS_ZONES = Family(
    "DNS zone",
    (
        terraform(
            "aws_route53_zone",
            "zone",
            service="route53",
            words={"enable_recovery": "enable_accelerated_recovery = true"},
            name="name",
            accelerated_recovery="enable_accelerated_recovery",
        ),
        cloudformation(
            "AWS::Route53::HostedZone",
            "zone",
            service="route53",
            # CloudFormation has no resource of another DNS provider: the second one is declared to resilint.
            words={
                "second_provider": (
                    "CloudFormation manages Route 53 only: host {domain} at a second DNS provider too, "
                    "declare that provider in resilint's configuration (external DNS providers), and list "
                    "both providers' name servers at the registrar"
                ),
                "enable_recovery": "HostedZoneFeatures: {EnableAcceleratedRecovery: true}",
            },
            name="Name",
            # read inside the `features` block
            features="HostedZoneFeatures",
            accelerated_recovery="EnableAcceleratedRecovery",
        ),
        terraform("azurerm_dns_zone", "zone", service="azure", name="name"),
        terraform("google_dns_managed_zone", "zone", service="clouddns", name="dns_name"),
        # Cloudflare provider v5 renamed `zone` to `name` (docs/guides/version-5-upgrade.md).
        terraform("cloudflare_zone", "zone", service="cloudflare", name=("name", "zone")),
        terraform("ns1_zone", "zone", service="ns1", name="zone"),
        terraform("dnsimple_zone", "zone", service="dnsimple", name="name"),
        terraform("akamai_dns_zone", "zone", service="akamai", name="zone"),
        terraform("digitalocean_domain", "zone", service="digitalocean", name="name"),
    ),
)

_TF_CHECK = "aws_route53_health_check"
_CFN_CHECK = "AWS::Route53::HealthCheck"

HEALTH_CHECKS = Family(
    "health check",
    (
        terraform(
            _TF_CHECK,
            "route53_health_check",
            words={"unhealthy_without_data": 'insufficient_data_health_status = "Unhealthy"'},
            disabled="disabled",
            type="type",
            alarm_region="cloudwatch_alarm_region",
            insufficient_data="insufficient_data_health_status",
            routing_control="routing_control_arn",
            children="child_healthchecks",
        ),
        cloudformation(
            _CFN_CHECK,
            "route53_health_check",
            words={"unhealthy_without_data": "HealthCheckConfig.InsufficientDataHealthStatus: Unhealthy"},
            disabled="Disabled",
            # read inside the `config` block; the alarm's region inside `alarm` there
            config="HealthCheckConfig",
            type="Type",
            alarm="AlarmIdentifier",
            alarm_region="Region",
            insufficient_data="InsufficientDataHealthStatus",
            routing_control="RoutingControlArn",
            children="ChildHealthChecks",
        ),
    ),
)

RECOVERY_CONTROLS = Family(
    "data-plane failover control",
    (
        terraform("aws_route53recoverycontrolconfig_routing_control", "routing_control"),
        cloudformation("AWS::Route53RecoveryControl::RoutingControl", "routing_control"),
        terraform("aws_arcregionswitch_plan", "region_switch_plan"),
        cloudformation("AWS::ARCRegionSwitch::Plan", "region_switch_plan"),
    ),
)

# DNS names steered by a provider's own load balancer rather than by routing policies on records.
DNS_STEERING = Family(
    "DNS load balancer",
    (terraform("cloudflare_load_balancer", "cloudflare_load_balancer", name="name", zone="zone_id"),),
)


def health_check_setting(member: Member, role: str) -> Any:
    """A health check's setting by role, read where its source keeps it (CloudFormation keeps
    everything inside `HealthCheckConfig`, the alarm's region inside `AlarmIdentifier`): the
    value, `Unknown`, or `DEFAULT`."""
    within: dict[str, Any] | None = None
    if member.has("config"):
        config = member.value("config")
        if config is None:
            return DEFAULT
        if not isinstance(config, dict):
            return Unknown("HealthCheckConfig is not known")
        within = config
        if role == "alarm_region":
            alarm = member.value("alarm", within=config)
            if alarm is None:
                return DEFAULT
            if not isinstance(alarm, dict):
                return Unknown("AlarmIdentifier is not known")
            within = alarm
    return member.setting(role, within=within)[1]

_TF_RECORD_WORDS = {
    "target_health_off": "evaluate_target_health = false",
    "evaluate_target_health": "Set evaluate_target_health = true on the alias (load balancers, API Gateway)",
    "probe_distribution": f"health_check_id = {_TF_CHECK}.<name>.id",
    "attach_check": f"health_check_id = {_TF_CHECK}.<name>.id (an HTTPS or TCP check of the primary endpoint)",
    "same_set": "an aws_route53_record with the same zone_id, name and type, its own set_identifier",
    "failover_policy": 'failover_routing_policy { type = "%s" }',
    "remove_failover": "the failover policy",
}
_CFN_RECORD_WORDS = {
    "target_health_off": "EvaluateTargetHealth is false or not set",
    "evaluate_target_health": "Set AliasTarget.EvaluateTargetHealth: true (load balancers, API Gateway)",
    "probe_distribution": f"HealthCheckId: !Ref <{_CFN_CHECK}>",
    "attach_check": f"HealthCheckId: !Ref <an {_CFN_CHECK} of the primary endpoint>",
    "same_set": "a record set with the same HostedZoneId, Name and Type, its own SetIdentifier",
    "failover_policy": "Failover: %s",
    "remove_failover": "Failover",
}

DNS_RECORDS = Family(
    "DNS record",
    (
        terraform("aws_route53_record", "route53_record", words=_TF_RECORD_WORDS),
        cloudformation("AWS::Route53::RecordSet", "route53_record", words=_CFN_RECORD_WORDS),
        cloudformation("AWS::Route53::RecordSetGroup", "route53_record_group", words=_CFN_RECORD_WORDS),
    ),
)

DOMAIN_REGISTRATIONS = Family(
    "domain registration",
    (
        *(
            terraform(
                t,
                "registration",
                service="route53",
                words={
                    "name_servers": "blocks",
                    "add_name_servers": "Add name_server blocks for",
                    "registrar": "Route 53 Domains",
                },
                domain="domain_name",
            )
            for t in ("aws_route53domains_registered_domain", "aws_route53domains_domain")
        ),
        terraform(
            "dnsimple_domain_delegation",
            "registration",
            service="dnsimple",
            words={"name_servers": "name_servers", "add_name_servers": "Add to name_servers", "registrar": "DNSimple"},
            domain="domain",
        ),
        terraform(
            "google_clouddomains_registration",
            "registration",
            service="clouddns",
            words={
                "registrar": "Google Cloud Domains",
                "name_servers": "dns_settings.custom_dns.name_servers",
                "add_name_servers": "Add to dns_settings.custom_dns.name_servers",
            },
            domain="domain_name",
        ),
    ),
)
