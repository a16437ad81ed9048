"""Google Cloud resource types by placement: which are global, which take the provider's zone,
which default to the `global` location. One list: the Terraform loader, the plan reader and the
relations all read it (before, the parser and the relations each kept one, and they disagreed
on `google_compute_network_endpoint_group`, which is zonal)."""

from __future__ import annotations

# Resources that have no region: global services (IAM, DNS, global load balancing, Pub/Sub,
# monitoring), and child resources that live wherever their parent is (a SQL database in its
# instance, an object in its bucket). Regional resources carry region/zone/location or take the
# provider's region. Prefixes end with `_` where a name continues (`google_dns_`); a full type
# name that is also the start of regional types (`google_compute_route` / `google_compute_router`)
# belongs in GLOBAL_TYPES, never here.
GLOBAL_PREFIXES = (
    "google_project",
    "google_folder",
    "google_organization",
    "google_billing",
    "google_service_account",
    "google_dns_",
    "google_compute_global_",
    "google_compute_firewall",
    "google_compute_network_firewall_policy",
    "google_compute_security_policy",
    "google_compute_shared_vpc_",
    "google_compute_project_",
    "google_compute_network_peering",
    "google_compute_backend_bucket",
    "google_compute_backend_service",
    "google_compute_url_map",
    "google_compute_target_http_proxy",
    "google_compute_target_https_proxy",
    "google_compute_target_ssl_proxy",
    "google_compute_target_tcp_proxy",
    "google_compute_target_grpc_proxy",
    "google_compute_ssl_certificate",
    "google_compute_managed_ssl_certificate",
    "google_compute_ssl_policy",
    "google_compute_image",
    "google_compute_instance_template",
    "google_service_networking_",
    "google_monitoring_",
    "google_logging_",
    "google_pubsub_",
    "google_secret_manager_secret",
    "google_iap_",
    "google_access_context_manager_",
    "google_identity_platform_",
    "google_tags_",
    "google_org_policy_",
    "google_essential_contacts_",
    "google_os_login_",
    "google_apikeys_",
    "google_resource_manager_",
    "google_storage_bucket_object",
    "google_storage_bucket_acl",
    "google_storage_default_object_",
    "google_storage_object_",
    "google_storage_notification",
    "google_storage_hmac_key",
    "google_kms_crypto_key",
    "google_endpoints_service",
    "google_gke_hub_fleet",
    "google_network_connectivity_hub",
    "google_certificate_manager_certificate_map",
)
GLOBAL_TYPES = frozenset(
    {
        "google_compute_network",
        "google_compute_route",
        "google_compute_health_check",
        "google_compute_http_health_check",
        "google_compute_https_health_check",
        "google_compute_snapshot",
        "google_sql_database",
        "google_sql_user",
        "google_sql_ssl_cert",
    }
)

# Resources whose `location` defaults to `global` when it is left out (the provider's region does
# not apply to them).
LOCATION_DEFAULTS_TO_GLOBAL = frozenset(
    {
        "google_gke_hub_membership",
        "google_gke_hub_feature",
        "google_certificate_manager_certificate",
        "google_certificate_manager_dns_authorization",
        "google_network_services_mesh",
        "google_network_services_http_route",
        "google_network_services_grpc_route",
        "google_network_services_tcp_route",
        "google_network_services_tls_route",
    }
)

# Resources whose `zone` defaults to the provider's zone when left out.
ZONE_FROM_PROVIDER = frozenset(
    {
        "google_compute_instance",
        "google_compute_instance_from_template",
        "google_compute_disk",
        "google_compute_instance_group",
        "google_compute_instance_group_manager",
        "google_compute_network_endpoint_group",
        "google_compute_node_group",
        "google_compute_reservation",
    }
)
