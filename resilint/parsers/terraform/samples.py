"""Functions of values that are unknown but of a known form: a zone chosen by position.

`element(var.azs, count.index)` over `slice(data.aws_availability_zones.x.names, 0, 3)` is a
zone whose name is decided at apply, but it is a zone *name*: `regexall("^[a-z]{2}-", zone)`
finds one match whatever the zone is, so `length(...) > 0` is true (terraform-aws-modules/vpc
tells names from IDs this way). A pure function whose only unknown arguments are such zones is
called once for every form a zone name (or ID) takes, across AWS partitions, Local and Wavelength
Zones, and Google Cloud; what all the calls agree on is known: the same value, or lists of the
same length, or objects with the same keys, whose differing parts are unknown.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from resilint.model import Unknown, UnknownZone

# Every form of zone name and ID the data sources return (standard zones of each partition,
# Local Zones, Wavelength Zones). A predicate that tells these apart is unknown.
_AWS_NAMES = (
    "us-east-1a", "us-west-2d", "eu-west-1b", "eu-central-2c", "ap-southeast-2c", "ap-northeast-1a",
    "sa-east-1a", "ca-central-1b", "ca-west-1a", "me-central-1a", "af-south-1c", "il-central-1a",
    "mx-central-1a", "us-gov-west-1a", "cn-north-1b", "cn-northwest-1a", "us-iso-east-1a",
    "us-isob-east-1a", "us-west-2-lax-1a", "us-east-1-bos-1a", "us-east-1-wl1-bos-wlz-1",
    "ap-northeast-1-wl1-kix-wlz-1",
)  # fmt: skip
_AWS_IDS = (
    "use1-az1", "usw2-az4", "euw1-az2", "euc2-az3", "apse2-az3", "apne1-az4", "sae1-az1", "cac1-az2",
    "mec1-az1", "afs1-az3", "ilc1-az1", "usgw1-az1", "cnn1-az1", "cnnw1-az2", "usw2-lax1-az1",
    "use1-bos1-az1", "use1-wl1-bos-wlz1", "apne1-wl1-kix-wlz1",
)  # fmt: skip
_GOOGLE_NAMES = (
    "us-central1-a", "us-east4-c", "europe-west1-b", "europe-west12-a", "asia-northeast1-c",
    "asia-south2-b", "me-central2-a", "northamerica-northeast1-a", "southamerica-east1-b",
    "africa-south1-a", "australia-southeast1-b",
)  # fmt: skip
MAX_CALLS = 64  # combinations of zone forms tried for one call


def forms(zone: UnknownZone) -> tuple[str, ...]:
    """The forms the zone's value may take."""
    if "google_compute_zones" in zone.source:
        return _GOOGLE_NAMES
    return _AWS_IDS if zone.kind == "id" else _AWS_NAMES


def call_over_forms(name: str, function: Callable[..., Any], args: list[Any]) -> Any | None:
    """`function(*args)` decided over every form of the zones in `args`, or None when `args`
    hold other unknowns (or too many zones to try)."""
    zones: list[UnknownZone] = []
    if not _collect(args, zones):
        return None
    choices = [forms(zone) for zone in zones]
    total = 1
    for options in choices:
        total *= len(options)
    if not zones or total > MAX_CALLS:
        return None
    results = []
    for picked in itertools.product(*choices):
        chosen = dict(zip(zones, picked, strict=True))
        if _impossible(chosen):
            continue
        try:
            results.append(function(*_substituted(args, chosen)))
        except Exception:  # some form is an error for this function: not decided
            return None
    if not results:
        return None
    return _agreed(results, f"{name}() depends on which zone {zones[0].label} is", zones[0].refs)


def _collect(value: Any, zones: list[UnknownZone]) -> bool:
    """The zones in `value`, in order, once each; False when it holds any other unknown."""
    if isinstance(value, UnknownZone):
        if value not in zones:
            zones.append(value)
        return True
    if isinstance(value, Unknown):
        return False
    if isinstance(value, dict):
        return all(_collect(v, zones) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_collect(v, zones) for v in value)
    return not hasattr(value, "as_unknown")  # a resource object is unknown too


def _impossible(chosen: dict[UnknownZone, str]) -> bool:
    """Two positions of one zone list are two different zones."""
    seen: dict[tuple[str, str, str], int] = {}
    for zone, form in chosen.items():
        key = (zone.source, zone.kind, form)
        if key in seen and seen[key] != zone.index:
            return True
        seen[key] = zone.index
    return False


def _substituted(value: Any, chosen: dict[UnknownZone, str]) -> Any:
    if isinstance(value, UnknownZone):
        return chosen[value]
    if isinstance(value, dict):
        return {k: _substituted(v, chosen) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_substituted(v, chosen) for v in value]
    return value


def _agreed(results: list[Any], reason: str, refs: tuple[str, ...]) -> Any:
    """What every result has in common; the rest unknown."""
    first = results[0]
    if all(repr(r) == repr(first) for r in results):
        return first
    if all(isinstance(r, list) for r in results) and len({len(r) for r in results}) == 1:
        return [_agreed([r[i] for r in results], reason, refs) for i in range(len(first))]
    if all(isinstance(r, dict) for r in results) and len({tuple(sorted(r)) for r in results}) == 1:
        return {k: _agreed([r[k] for r in results], reason, refs) for k in first}
    return Unknown(reason, refs)
