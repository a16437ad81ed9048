"""Names in ARNs, URLs and zone names: which bucket, which region."""

from __future__ import annotations

import re

from resilint.placement import aws_zone_region, gcp_zone_region


def s3_bucket_name(value: str) -> str | None:
    """The bucket an S3 ARN, URL or host name names; the value itself when it is a bare name."""
    text = value.strip()
    for pattern in (
        r"^arn:aws[a-z-]*:s3:::([^/]+)",
        r"^s3://([^/]+)",
        r"^([a-z0-9][a-z0-9.-]*[a-z0-9])\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$",
    ):
        match = re.match(pattern, text)
        if match:
            return match.group(1)
    if re.match(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", text):
        return text
    return None


def arn_part(value: str, service: str) -> tuple[str | None, str] | None:
    """(region, resource) of an ARN of `service`; None when `value` is not such an ARN."""
    match = re.match(rf"^arn:aws[a-z-]*:{service}:([a-z0-9-]*):[0-9]*:(.+)$", value.strip())
    if not match:
        return None
    return (match.group(1) or None), match.group(2)


def gcs_bucket_name(value: str) -> str | None:
    text = value.strip()
    for pattern in (r"^gs://([^/]+)", r"^storage\.googleapis\.com/([^/]+)", r"^([a-z0-9][a-z0-9._-]*[a-z0-9])$"):
        match = re.match(pattern, text)
        if match:
            return match.group(1)
    return None


def zone_region(zone: str) -> str | None:
    return aws_zone_region(zone) or gcp_zone_region(zone)
