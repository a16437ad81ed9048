"""resilint's built-in rules. Installed as `resilint_rules`; loaded through the `resilint.rules`
entry point like any third-party plugin."""

from . import (
    azure_front_door_classic,
    azure_location_mismatch,
    cdn_without_origin_failover,
    database_without_multi_az,
    failover_ttl_too_long,
    failover_without_health_check,
    incomplete_dns_failover,
    no_cross_region_replication,
    single_az_compute,
    single_az_load_balancer,
    single_az_placement,
    single_endpoint_dns,
    single_nat_gateway,
    single_provider_dns,
    single_provider_nameservers,
    single_region_deployment,
    sts_pinned_to_us_east_1,
    unresolved_region,
)

RULES = (
    single_region_deployment.check,
    unresolved_region.check,
    no_cross_region_replication.check,
    single_az_placement.check,
    single_provider_dns.check,
    failover_without_health_check.check,
    failover_ttl_too_long.check,
    single_provider_nameservers.check,
    incomplete_dns_failover.check,
    database_without_multi_az.check,
    single_nat_gateway.check,
    single_az_compute.check,
    single_az_load_balancer.check,
    cdn_without_origin_failover.check,
    single_endpoint_dns.check,
    sts_pinned_to_us_east_1.check,
    azure_location_mismatch.check,
    azure_front_door_classic.check,
)
