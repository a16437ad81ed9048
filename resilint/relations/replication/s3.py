"""S3 buckets: replication rules, multi-region access points, and the purposes that make a bucket secondary data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal

from resilint.arguments import block_instances, is_set_or_computed, nested
from resilint.model import Resource, Unknown, UnknownAttribute, UnknownDocument, UnknownText, unknown_text
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.names import s3_bucket_name, s3_bucket_name_key
from resilint.relations.replication.store import WEBSITE_PURPOSE, Copy, Store

_LOG_DELIVERY_SERVICES = frozenset(
    {
        "logging.s3.amazonaws.com",
        "delivery.logs.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "config.amazonaws.com",
        "logdelivery.elasticloadbalancing.amazonaws.com",
    }
)


_REPLICA_BY_POLICY = "\0replica"  # a marker, turned into Store.replica_of


_LOG_DELIVERY_GROUP = "http://acs.amazonaws.com/groups/s3/LogDelivery"


def _grants_log_delivery(grants: Any) -> bool:
    """Whether ACL grants give the S3 log delivery group access (server access logging)."""
    blocks = block_instances(grants)
    if isinstance(blocks, Unknown):
        return False
    for grant in blocks:
        uri = nested(grant, "uri")
        if not isinstance(uri, str):
            uri = nested(grant, "grantee", "uri")
        if isinstance(uri, str) and uri.rstrip("/") == _LOG_DELIVERY_GROUP:
            return True
    return False


# The canonical user of the `awslogsdelivery` account that writes CloudFront standard logs: a
# bucket that grants it access is a CloudFront log bucket (the loader gives
# `data.aws_cloudfront_log_delivery_canonical_user_id` this value when the region is known).
_CLOUDFRONT_LOG_DELIVERY_IDS = frozenset(
    {
        "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0",
        "a52cb28745c0c06e84ec548334e44bfa7fc2a85c54af20cd59e4969344b7af56",  # the China partition
    }
)


_CLOUDFRONT_LOGS = "grants CloudFront's log delivery account access: it receives CloudFront logs"


def _grants_cloudfront_log_delivery(grants: Any) -> bool:
    """Whether ACL grants give CloudFront's log delivery account access (`grant { id }` of the
    provider v3 bucket, `access_control_policy.grant.grantee.id` of `aws_s3_bucket_acl`)."""
    found = block_instances(grants)
    if isinstance(found, Unknown):
        return False
    for grant in found:
        grantee = nested(grant, "id")
        if grantee is None:
            grantee = nested(grant, "grantee", "id")
        if isinstance(grantee, str) and grantee.strip().lower() in _CLOUDFRONT_LOG_DELIVERY_IDS:
            return True
    return False


def _allows_action(policy: Any, action: str) -> bool:
    if not isinstance(policy, dict):
        return False
    statements = policy.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action")
        for value in actions if isinstance(actions, list) else [actions]:
            if isinstance(value, str) and value.lower() == action.lower():
                return True
    return False


def _service_principals(policy: Any, bucket: Any = None) -> Iterator[str]:
    """The services a policy lets in; with `bucket`, leaving out statements that let a service
    in only on behalf of that bucket itself (`aws:SourceArn` naming it): S3 delivers a bucket's
    access logs where its own logging configuration says, so a bucket does not receive logs by
    a grant for its own (the compliance modules that put such a grant on every bucket)."""
    if not isinstance(policy, dict):
        return
    statements = policy.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if bucket is not None and _only_for_itself(statement.get("Condition"), bucket):
            continue
        principal = statement.get("Principal")
        service = principal.get("Service") if isinstance(principal, dict) else None
        for value in service if isinstance(service, list) else [service]:
            if isinstance(value, str):
                yield value


_SOURCE_KEYS = ("aws:sourcearn", "aws:sourcebucket")


def _only_for_itself(condition: Any, bucket: Any) -> bool:
    """Whether a statement's condition limits its source to `bucket` alone (every
    `aws:SourceArn`/`aws:SourceBucket` value names that bucket, by name or ARN, built from the
    same parts)."""
    if not isinstance(condition, dict):
        return False
    own = s3_bucket_name_key(bucket)
    if not own:
        return False
    sources: list[Any] = []
    for operator in condition.values():
        if not isinstance(operator, dict):
            continue
        for key, value in operator.items():
            if isinstance(key, str) and key.lower() in _SOURCE_KEYS:
                sources.extend(value if isinstance(value, list) else [value])
    return bool(sources) and all(s3_bucket_name_key(source) == own for source in sources)


def build(builder: StoreBuilder) -> None:
    buckets: dict[str, Store] = {}
    for bucket in builder.unit.of_type("aws_s3_bucket"):
        buckets[bucket.address] = builder.add(bucket, "S3 bucket")
    for bucket in builder.unit.of_type("AWS::S3::Bucket"):
        buckets[bucket.address] = builder.add(bucket, "S3 bucket")
    def name_of(bucket: Resource) -> Any:
        return bucket.attributes.get("bucket") if bucket.type == "aws_s3_bucket" else bucket.attributes.get("BucketName")

    names = builder.by_name(("aws_s3_bucket", "AWS::S3::Bucket"), name_of)
    named_by_parts = builder.by_text(("aws_s3_bucket", "AWS::S3::Bucket"), name_of)
    unattributed: list[str] = []

    def bucket_targets(value: Any) -> list[Resource] | None | Literal["outside"]:
        found = builder.targets(value, ("aws_s3_bucket", "AWS::S3::Bucket"))
        if found is not None:
            return found
        if isinstance(value, str):
            name = s3_bucket_name(value)
            if name is None:
                return None
            return names.get(name) or "outside"
        if isinstance(value, Unknown):
            # Not known, but the bucket named from the same parts is this one; no such bucket
            # is not "outside": the value may still turn out to name a bucket of this unit.
            key = s3_bucket_name_key(value)
            return named_by_parts.get(key) if key else None
        return None

    def rules(source: Store, rule_blocks: Any, via: Resource, rule_key: str) -> None:
        blocks = block_instances(rule_blocks)
        if isinstance(blocks, Unknown):
            source.undecided = source.undecided or f"the replication rules of {via.address} are not known"
            return
        for index, rule in enumerate(blocks):
            destination = nested(rule, "destination", "bucket") if not builder.cloudformation else nested(rule, "Destination", "Bucket")
            found = bucket_targets(destination)
            for target in found if isinstance(found, list) else []:
                # A destination holds a copy even while the rule is paused: not primary data.
                if target.address in buckets and target.address != source.address:
                    buckets[target.address].replica_of = source.address
            status = nested(rule, "status" if not builder.cloudformation else "Status")
            if isinstance(status, Unknown):
                source.undecided = source.undecided or f"the status of {via.address} {rule_key}[{index}] is not known"
                continue
            if isinstance(status, str) and status.lower() != "enabled":
                continue
            label = f"{via.address} {rule_key}[{index}]" if via is not source.resource else f"{rule_key}[{index}]"
            if found == "outside":
                # A bucket of another deployment: ARNs carry no region, so where is unknown.
                source.copies.append(Copy(region=None, via=f"{label} (bucket {s3_bucket_name(str(destination))})"))
                continue
            if not found:
                # The source is known and the destination refers to no bucket of this unit
                # (a variable, a literal ARN of no bucket here): only the source's copy is
                # undecided, the unit's other buckets are not its destination.
                source.undecided = source.undecided or f"the destination of {label} is not known"
                continue
            for target in found:
                builder.link(source, target, label)

    def copies_of_foreign(source: str, rule_blocks: Any) -> None:
        """The unit's buckets that the enabled rules of another unit's bucket copy to: replicas
        of it (`across_units` tells that unit its bucket is replicated)."""
        blocks = block_instances(rule_blocks)
        for rule in blocks if not isinstance(blocks, Unknown) else []:
            status = nested(rule, "status")
            if not (isinstance(status, str) and status.lower() == "enabled"):
                continue
            found = bucket_targets(nested(rule, "destination", "bucket"))
            for target in found if isinstance(found, list) else []:
                if target.address in buckets:
                    buckets[target.address].replica_of = buckets[target.address].replica_of or source

    for store in list(buckets.values()):
        bucket = store.resource
        if bucket.type == "aws_s3_bucket":
            configuration = block_instances(bucket.attributes.get("replication_configuration"))
            if isinstance(configuration, Unknown):
                store.undecided = "its replication_configuration is not known"
                unattributed.append(bucket.address)
                continue
            for block in configuration:
                rules(store, nested(block, "rules") if isinstance(block, dict) else block, bucket, "replication_configuration.rules")
        else:
            declared = bucket.attributes.get("ReplicationConfiguration")
            if isinstance(declared, Unknown):
                store.undecided = "its ReplicationConfiguration is not known"
                unattributed.append(bucket.address)
            elif isinstance(declared, dict):
                rules(store, declared.get("Rules"), bucket, "ReplicationConfiguration.Rules")
    for replication in builder.unit.of_type("aws_s3_bucket_replication_configuration"):
        sources = bucket_targets(replication.attributes.get("bucket"))
        if not sources or sources == "outside":
            if sources != "outside":
                unattributed.append(replication.address)
            continue
        for source_bucket in sources:
            if source_bucket.address in buckets:
                rules(buckets[source_bucket.address], replication.attributes.get("rule"), replication, "rule")
            else:  # another unit's bucket, named through its remote state: the copies here are its
                copies_of_foreign(source_bucket.address, replication.attributes.get("rule"))
    for access_point in builder.unit.of_type("aws_s3control_multi_region_access_point", "AWS::S3::MultiRegionAccessPoint"):
        if access_point.type.startswith("AWS::"):
            entries = access_point.attributes.get("Regions")
            values = [e.get("Bucket") if isinstance(e, dict) else e for e in entries] if isinstance(entries, list) else entries
        else:
            regions = block_instances(nested(access_point.attributes.get("details"), "region"))
            values = regions if isinstance(regions, Unknown) else [nested(r, "bucket") for r in regions]
        if not isinstance(values, list):
            unattributed.append(access_point.address)
            continue
        members: list[Resource] = []
        for value in values:
            found = bucket_targets(value)
            if isinstance(found, list):
                members.extend(found)
        for member in members:
            for other in members:
                if other is not member and member.address in buckets:
                    builder.link(buckets[member.address], other, access_point.address)
    s3_purposes(builder, buckets, bucket_targets)
    for store in buckets.values():
        if store.purpose == _REPLICA_BY_POLICY:
            store.purpose = None
            store.replica_of = store.replica_of or "a bucket replicated to it (its policy allows s3:ReplicateObject)"
    builder.undecide_unlinked(buckets.values(), unattributed, "S3 replication")

# CloudWatch exports that a Firehose stream delivers to S3: a copy of telemetry CloudWatch keeps
# itself (a metric stream), or logs (a subscription filter), as a flow log bucket holds logs. By
# type, what each one exports, and the argument naming its destination.
_TELEMETRY_SOURCES = {
    "aws_cloudwatch_metric_stream": "the CloudWatch metrics of the metric stream",
    "AWS::CloudWatch::MetricStream": "the CloudWatch metrics of the metric stream",
    "aws_cloudwatch_log_subscription_filter": "the logs of the subscription filter",
    "AWS::Logs::SubscriptionFilter": "the logs of the subscription filter",
}
_TELEMETRY_DESTINATIONS = ("firehose_arn", "FirehoseArn", "destination_arn", "DestinationArn")
_FIREHOSES = ("aws_kinesis_firehose_delivery_stream", "AWS::KinesisFirehose::DeliveryStream")
# What may refer to a Firehose stream without writing other data into it: the telemetry sources
# themselves and the IAM that lets them write.
_TELEMETRY_NEUTRAL = ("aws_iam_", "AWS::IAM::")


def _telemetry_firehoses(builder: StoreBuilder, source: Resource) -> list[Resource]:
    """The Firehose streams of the unit a metric stream or log subscription filter delivers to,
    when nothing else of the unit refers to them (no application, no other source that may put
    other data into the stream); [] otherwise."""
    found: list[Resource] = []
    for name in _TELEMETRY_DESTINATIONS:
        for firehose in builder.targets(source.attributes.get(name), _FIREHOSES) or ():
            writers = [
                r
                for r in builder.unit.resources
                if r.address != firehose.address
                and any(t.address == firehose.address for ref in r.references for t in builder.unit.resolve(ref.target))
            ]
            if all(r.type in _TELEMETRY_SOURCES or r.type.startswith(_TELEMETRY_NEUTRAL) for r in writers):
                found.append(firehose)
    return found


def _firehose_buckets(attributes: Any) -> Iterator[Any]:
    """Every bucket a Firehose stream's configuration delivers to or backs up into
    (`extended_s3_configuration.bucket_arn`, an HTTP endpoint's `s3_configuration.bucket_arn`,
    CloudFormation's `BucketARN`)."""
    if isinstance(attributes, dict):
        for key, value in attributes.items():
            if key in ("bucket_arn", "BucketARN"):
                yield value
            else:
                yield from _firehose_buckets(value)
    elif isinstance(attributes, list):
        for item in attributes:
            yield from _firehose_buckets(item)


def _site_origin(
    config: Any, root_object: str, default_behavior: str, target: str, origins: str, origin_id: str, domain: str
) -> Any:
    """The domain name of the origin that serves a CloudFront distribution's website: the
    origin of its default cache behavior when the distribution has a default root object (the
    index document a website bucket would name), None otherwise. Whatever is not known (the
    root object, the target origin, which origin has that id) gives None."""
    if not isinstance(config, dict):
        return None
    index = config.get(root_object)
    wanted = nested(config, default_behavior, target)
    if not isinstance(index, str) or not index.strip() or not isinstance(wanted, str):
        return None
    entries = block_instances(config.get(origins))
    if isinstance(entries, Unknown):
        return None
    found = [entry for entry in entries if isinstance(entry, dict) and entry.get(origin_id) == wanted]
    return found[0].get(domain) if len(found) == 1 else None


def _site_purpose(distribution: str) -> str:
    return f"{WEBSITE_PURPOSE} through CloudFront (the origin of {distribution}'s default root object)"


_ATHENA_QUERY = ":states:::athena:startQueryExecution"
_SUBSTITUTION = re.compile(r"\$\{([^}]+)\}")


def _athena_output_locations(definition: Any, substitutions: Any) -> Iterator[Any]:
    """Where the Athena queries a Step Functions definition starts write their results: the
    `ResultConfiguration.OutputLocation` of each `athena:startQueryExecution` task (`Parameters`,
    or JSONata's `Arguments`), with CloudFormation's `DefinitionSubstitutions` put in. The
    definition may be a document, its JSON text, or a document with values not known."""
    if isinstance(definition, UnknownDocument):
        definition = definition.document
    elif isinstance(definition, str):
        try:
            definition = json.loads(definition)
        except ValueError:
            return
    for task in _walk_dicts(definition):
        resource = task.get("Resource")
        if not isinstance(resource, str) or _ATHENA_QUERY not in resource:
            continue
        for inputs in ("Parameters", "Arguments"):
            location = nested(task.get(inputs), "ResultConfiguration", "OutputLocation")
            if location is not None:
                yield _substituted(location, substitutions)


def _walk_dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk_dicts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_dicts(item)


def _substituted(text: Any, substitutions: Any) -> Any:
    """`text` with the `${Name}` placeholders that `substitutions` gives values for replaced by
    them (a text with an identity when a value is not known, as !Sub builds)."""
    if not isinstance(text, str) or not isinstance(substitutions, dict):
        return text
    parts: list[Any] = []
    at = 0
    for match in _SUBSTITUTION.finditer(text):
        if match.group(1) not in substitutions:
            continue
        parts.extend((text[at : match.start()], substitutions[match.group(1)]))
        at = match.end()
    parts.append(text[at:])
    built = unknown_text("a DefinitionSubstitutions value is not known", parts)
    if built is not None:
        return built
    refs = tuple(dict.fromkeys(r for p in parts if isinstance(p, Unknown) for r in p.refs))
    return Unknown("a DefinitionSubstitutions value is not known", refs)


def s3_purposes(builder: StoreBuilder, buckets: dict[str, Store], bucket_targets: Callable[[Any], Any]) -> None:
    """Buckets that hold logs, static websites or build artifacts (secondary data)."""
    if not buckets:  # no bucket of the unit to give a purpose to (most units)
        return

    def mark(value: Any, purpose: str) -> None:
        for candidate in value if isinstance(value, list) else [value]:
            found = bucket_targets(candidate)
            if isinstance(found, list):
                for bucket in found:
                    store = buckets.get(bucket.address)  # another unit's bucket: not judged here
                    if store is not None:
                        store.purpose = store.purpose or purpose

    for resource in (*builder.unit.resources, *builder.importing()):
        kind, attrs = resource.type, resource.attributes
        address = resource.address if resource.unit == builder.unit.id else f"{resource.address} in {resource.unit}"
        # The bucket itself when it is one of this unit's: a bucket of another unit (one that
        # reads this unit's outputs) is judged there, and says here only what it does with
        # this unit's buckets (it logs into one).
        own = buckets.get(address)
        if kind == "aws_s3_bucket":
            mark(nested(attrs.get("logging"), "target_bucket"), f"receives the access logs of {address}")
            if attrs.get("acl") == "log-delivery-write":
                _own_purpose(own, "has the log-delivery-write ACL")
            if is_set_or_computed(block_instances(attrs.get("website"))) is True:
                _own_purpose(own, WEBSITE_PURPOSE)
            if _grants_log_delivery(attrs.get("grant")):
                _own_purpose(own, "grants the S3 log delivery group write access")
            if _grants_cloudfront_log_delivery(attrs.get("grant")):
                _own_purpose(own, _CLOUDFRONT_LOGS)
            if attrs.get("policy") is not None and own is not None:  # the inline policy (provider v3; deprecated since)
                policy_purpose(builder, attrs.get("policy"), None, _purpose_setter(own))
        elif kind == "aws_s3_bucket_logging":
            mark(attrs.get("target_bucket"), f"receives the access logs of a bucket ({address})")
        elif kind == "aws_s3_bucket_acl" and attrs.get("acl") == "log-delivery-write":
            mark(attrs.get("bucket"), f"has the log-delivery-write ACL ({address})")
        elif kind == "aws_s3_bucket_website_configuration":
            mark(attrs.get("bucket"), f"{WEBSITE_PURPOSE} ({address})")
        elif kind in ("aws_lb", "aws_alb", "aws_elb"):
            mark(nested(attrs.get("access_logs"), "bucket"), f"receives the access logs of {address}")
            mark(nested(attrs.get("connection_logs"), "bucket"), f"receives the connection logs of {address}")
        elif kind == "aws_cloudfront_distribution":
            mark(nested(attrs.get("logging_config"), "bucket"), f"receives the access logs of {address}")
            site = _site_origin(attrs, "default_root_object", "default_cache_behavior", "target_origin_id", "origin", "origin_id", "domain_name")
            mark(site, _site_purpose(address))
        elif kind == "aws_cloudtrail":
            mark(attrs.get("s3_bucket_name"), f"receives the CloudTrail logs of {address}")
        elif kind == "aws_config_delivery_channel":
            mark(attrs.get("s3_bucket_name"), f"receives the AWS Config history of {address}")
        elif kind == "aws_flow_log":
            mark(attrs.get("log_destination"), f"receives the flow logs of {address}")
        elif kind == "aws_cloudwatch_log_delivery_destination":
            target = nested(attrs.get("delivery_destination_configuration"), "destination_resource_arn")
            mark(target, f"receives the logs delivered through {address}")
        elif kind == "aws_codepipeline":
            artifact_stores = block_instances(attrs.get("artifact_store"))
            for entry in artifact_stores if isinstance(artifact_stores, list) else []:
                mark(nested(entry, "location"), f"holds the build artifacts of {address}")
        elif kind == "aws_lambda_function":
            mark(attrs.get("s3_bucket"), f"holds the deployment package of {address}")
        elif kind in _TELEMETRY_SOURCES:
            what = _TELEMETRY_SOURCES[kind]
            for firehose in _telemetry_firehoses(builder, resource):
                for bucket_arn in _firehose_buckets(firehose.attributes):
                    mark(bucket_arn, f"receives {what} {address} (through {firehose.address})")
        elif kind == "aws_athena_workgroup":
            mark(nested(attrs.get("configuration"), "result_configuration", "output_location"), f"holds the query results of {address}")
        elif kind == "aws_s3_bucket_analytics_configuration":
            export = nested(attrs.get("storage_class_analysis"), "data_export", "destination", "s3_bucket_destination")
            mark(nested(export, "bucket_arn"), f"receives the analytics exports of {address}")
        elif kind == "aws_s3_bucket_acl":
            if _grants_log_delivery(nested(attrs.get("access_control_policy"), "grant")):
                mark(attrs.get("bucket"), f"grants the S3 log delivery group write access ({address})")
            if _grants_cloudfront_log_delivery(nested(attrs.get("access_control_policy"), "grant")):
                mark(attrs.get("bucket"), f"{_CLOUDFRONT_LOGS} ({address})")
        elif kind == "aws_s3_bucket_inventory":
            mark(nested(attrs.get("destination"), "bucket", "bucket_arn"), f"receives the inventory reports of {address}")
        elif kind == "aws_s3_bucket_policy":
            policy_purpose(builder, attrs.get("policy"), attrs.get("bucket"), mark)
        elif kind == "AWS::S3::Bucket":
            mark(nested(attrs.get("LoggingConfiguration"), "DestinationBucketName"), f"receives the access logs of {address}")
            inventories = attrs.get("InventoryConfigurations")
            for entry in inventories if isinstance(inventories, list) else []:
                mark(nested(entry, "Destination", "BucketArn"), f"receives the inventory reports of {address}")
            analytics = attrs.get("AnalyticsConfigurations")
            for entry in analytics if isinstance(analytics, list) else []:
                export = nested(entry, "StorageClassAnalysis", "DataExport", "Destination")
                mark(nested(export, "BucketArn"), f"receives the analytics exports of {address}")
            if attrs.get("AccessControl") == "LogDeliveryWrite":
                _own_purpose(own, "has the LogDeliveryWrite ACL")
            if is_set_or_computed(attrs.get("WebsiteConfiguration")) is True:
                _own_purpose(own, WEBSITE_PURPOSE)
        elif kind == "AWS::S3::BucketPolicy":
            policy_purpose(builder, attrs.get("PolicyDocument"), attrs.get("Bucket"), mark)
        elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            lb_attributes = attrs.get("LoadBalancerAttributes")
            for attribute in lb_attributes if isinstance(lb_attributes, list) else []:
                if isinstance(attribute, dict) and attribute.get("Key") == "access_logs.s3.bucket":
                    mark(attribute.get("Value"), f"receives the access logs of {address}")
        elif kind == "AWS::ElasticLoadBalancing::LoadBalancer":
            mark(nested(attrs.get("AccessLoggingPolicy"), "S3BucketName"), f"receives the access logs of {address}")
        elif kind == "AWS::CloudFront::Distribution":
            config = attrs.get("DistributionConfig")
            mark(nested(config, "Logging", "Bucket"), f"receives the access logs of {address}")
            site = _site_origin(config, "DefaultRootObject", "DefaultCacheBehavior", "TargetOriginId", "Origins", "Id", "DomainName")
            mark(site, _site_purpose(address))
        elif kind == "AWS::CloudTrail::Trail":
            mark(attrs.get("S3BucketName"), f"receives the CloudTrail logs of {address}")
        elif kind == "AWS::Config::DeliveryChannel":
            mark(attrs.get("S3BucketName"), f"receives the AWS Config history of {address}")
        elif kind == "AWS::EC2::FlowLog":
            mark(attrs.get("LogDestination"), f"receives the flow logs of {address}")
        elif kind == "AWS::Logs::DeliveryDestination":
            mark(attrs.get("DestinationResourceArn"), f"receives the logs delivered through {address}")
        elif kind in ("aws_sfn_state_machine", "AWS::StepFunctions::StateMachine"):
            if kind == "aws_sfn_state_machine":
                definition, substitutions = attrs.get("definition"), None
            else:
                definition = attrs.get("Definition", attrs.get("DefinitionString"))
                substitutions = attrs.get("DefinitionSubstitutions")
            for location in _athena_output_locations(definition, substitutions):
                mark(location, f"holds the query results of {address}")
        elif kind == "AWS::Athena::WorkGroup":
            results = nested(attrs.get("WorkGroupConfiguration"), "ResultConfiguration", "OutputLocation")
            mark(results, f"holds the query results of {address}")
        elif kind == "AWS::ARCRegionSwitch::Plan":
            # Where the plan's executions write their reports (ReportOutput: S3Configuration
            # BucketPath, "bucket" or "bucket/prefix").
            configuration = attrs.get("ReportConfiguration")
            outputs = configuration.get("ReportOutput") if isinstance(configuration, dict) else None
            for entry in outputs if isinstance(outputs, list) else []:
                path = nested(entry, "S3Configuration", "BucketPath")
                if isinstance(path, str) and not path.startswith("s3://"):
                    path = path.split("/", 1)[0]
                mark(path, f"receives the execution reports of {address}")
        elif kind == "AWS::CodePipeline::Pipeline":
            mark(nested(attrs.get("ArtifactStore"), "Location"), f"holds the build artifacts of {address}")
            stores_ = attrs.get("ArtifactStores")
            for entry in stores_ if isinstance(stores_, list) else []:
                mark(nested(entry, "ArtifactStore", "Location"), f"holds the build artifacts of {address}")
        elif kind == "AWS::Lambda::Function":
            mark(nested(attrs.get("Code"), "S3Bucket"), f"holds the deployment package of {address}")
        elif kind == "AWS::Serverless::Function":
            # SAM: CodeUri is "s3://bucket/key" or {Bucket, Key, Version}.
            code = attrs.get("CodeUri")
            mark(code.get("Bucket") if isinstance(code, dict) else code, f"holds the deployment package of {address}")


def _own_purpose(store: Store | None, purpose: str) -> None:
    if store is not None:
        store.purpose = store.purpose or purpose


def _purpose_setter(store: Store) -> Callable[[Any, str], None]:
    """A `mark` for a policy of the bucket itself (its inline `policy`)."""

    def mark(_: Any, purpose: str) -> None:
        store.purpose = store.purpose or purpose

    return mark


def policy_purpose(builder: StoreBuilder, policy: Any, bucket: Any, mark: Callable[[Any, str], None]) -> None:
    """A bucket policy that lets a log-delivery service write makes the bucket a log sink;
    one that lets another account's replication role write (`s3:ReplicateObject`) makes it
    the destination of a replication configured elsewhere."""
    if isinstance(policy, UnknownText):
        # a heredoc or template with unknown parts: each part stands as the value it names
        policy = "".join(part if isinstance(part, str) else _placeholder(part) for part in policy.parts)
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return
    elif isinstance(policy, UnknownDocument):
        policy = policy.document  # the account id or an ARN in it is not known; who may write is
    services = set(_service_principals(policy, bucket))
    delivering = sorted(services & _LOG_DELIVERY_SERVICES)
    if delivering:
        mark(bucket, f"receives logs from {delivering[0]} (bucket policy)")
    elif _lets_load_balancers_write(policy):
        mark(bucket, "receives load balancer access logs (its policy lets the Elastic Load Balancing account write)")
    if _allows_action(policy, "s3:ReplicateObject"):
        mark(bucket, _REPLICA_BY_POLICY)


_ELB_ACCOUNT = re.compile(r"(?:^|\.)data\.aws_elb_service_account\.[^.]+\.(?:arn|id)$")


def _placeholder(part: Any) -> str:
    """An unknown part of a policy's text as JSON string content: the attribute it is
    (`data.aws_elb_service_account.main.arn`), else a mark that names nothing."""
    named = f"{part.address}.{part.attribute}" if isinstance(part, UnknownAttribute) else "(not known)"
    return json.dumps(named)[1:-1]


def _lets_load_balancers_write(policy: Any) -> bool:
    """A policy that allows the account Elastic Load Balancing writes access logs from
    (`data.aws_elb_service_account`, as the provider's documentation writes the log bucket's
    policy) to put objects."""
    if not isinstance(policy, dict):
        return False
    statements = policy.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        accounts = principal.get("AWS") if isinstance(principal, dict) else None
        if not any(isinstance(a, str) and _ELB_ACCOUNT.search(a) for a in (accounts if isinstance(accounts, list) else [accounts])):
            continue
        actions = statement.get("Action")
        if any(isinstance(a, str) and a.lower() in ("s3:putobject", "s3:*") for a in (actions if isinstance(actions, list) else [actions])):
            return True
    return False
