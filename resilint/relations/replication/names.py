"""Names in ARNs, URLs and zone names: which bucket, which region."""

from __future__ import annotations

import re
from typing import Any

from resilint.model import Symbol, UnknownText, text_key, unknown_text
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


def s3_bucket_name_key(value: Any) -> tuple[str | Symbol, ...] | None:
    """The bucket an S3 ARN or URL names, or a bare name, as a `text_key`: for a string that is
    not known but built from parts with an identity (`"arn:aws:s3:::replica-${random_pet.x.id}"`)
    too, so that it matches a bucket whose name is built from the same parts
    (`"replica-${random_pet.x.id}"`). None when it cannot be told."""
    if isinstance(value, str):
        name = s3_bucket_name(value)
        return None if name is None else text_key(name)
    if not isinstance(value, UnknownText):
        return text_key(value)  # an unknown with an identity is a bare name, or None
    parts = list(value.parts)
    if len(parts) > 2 and parts[0] == "arn:" and text_key(parts[1]) == (("input", "AWS::Partition"),):
        if not isinstance(parts[2], str) or not parts[2].startswith(":s3:::"):
            return None
        parts = [parts[2][len(":s3:::") :], *parts[3:]]  # arn:${AWS::Partition}:s3:::NAME
    if isinstance(parts[0], str):
        prefix = re.match(r"^\s*(?:arn:aws[a-z-]*:s3:::|s3://)", parts[0])
        if prefix:
            parts[0] = parts[0][prefix.end() :]
        elif re.search(r"[/:]", parts[0]):
            return None  # a URL or host name of a form not read here
    kept: list[Any] = []
    for part in parts:
        if isinstance(part, str) and "/" in part:
            kept.append(part.split("/", 1)[0])  # a key after the bucket: bucket names hold no "/"
            break
        kept.append(part)
    return text_key(unknown_text(value.reason, kept))


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
