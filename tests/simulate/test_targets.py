"""Targets as written on the command line, and scenarios."""

from __future__ import annotations

import pytest

from resilint.simulate.exposure import Failures
from resilint.simulate.scenarios import SCENARIOS, check_word
from resilint.simulate.targets import TargetError, catalogue, parse


@pytest.mark.parametrize(
    ("text", "kind", "cloud", "name", "region", "zone_kind"),
    [
        ("aws:us-east-1", "region", "aws", "us-east-1", "us-east-1", "name"),
        ("azure:westeurope", "region", "azure", "westeurope", "westeurope", "name"),
        ("gcp:us-central1", "region", "gcp", "us-central1", "us-central1", "name"),
        ("aws:us-east-1a", "zone", "aws", "us-east-1a", "us-east-1", "name"),
        ("aws:use1-az1", "zone", "aws", "use1-az1", "us-east-1", "id"),
        ("aws:euw1-az2", "zone", "aws", "euw1-az2", "eu-west-1", "id"),
        ("gcp:us-central1-a", "zone", "gcp", "us-central1-a", "us-central1", "name"),
        ("azure:westeurope-1", "zone", "azure", "1", "westeurope", "name"),
        ("aws:route53", "service", "aws", "route53", None, "name"),
        ("aws:cloudfront", "service", "aws", "cloudfront", None, "name"),
        ("azure:front-door", "service", "azure", "front-door", None, "name"),
        ("gcp:cloud-dns", "service", "gcp", "cloud-dns", None, "name"),
        ("aws:route53-control-plane", "control-plane", "aws", "route53-control-plane", "us-east-1", "name"),
        ("cloudflare", "provider", "cloudflare", "cloudflare", None, "name"),
        ("NS1", "provider", "ns1", "ns1", None, "name"),
        ("akamai", "provider", "akamai", "akamai", None, "name"),
    ],
)
def test_each_kind_of_target(text: str, kind: str, cloud: str, name: str, region: str | None, zone_kind: str) -> None:
    target = parse(text)
    assert (target.kind, target.cloud, target.name, target.region, target.zone_kind) == (kind, cloud, name, region, zone_kind)
    assert target.text == text.lower()


@pytest.mark.parametrize("text", ["aws:nowhere", "mars:us-east-1", "bogus", "azure:front_door", "gcp:us_central1"])
def test_unknown_targets_say_what_is_accepted(text: str) -> None:
    with pytest.raises(TargetError, match="unknown target"):
        parse(text)


def test_a_us_east_1_failure_takes_the_control_planes_homed_there() -> None:
    failures = Failures.of([parse("aws:us-east-1")])
    assert set(failures.control_planes) == {
        "aws:route53-control-plane",
        "aws:cloudfront-control-plane",
        "aws:acm-cloudfront-control-plane",
        "aws:iam-control-plane",
    }
    assert not Failures.of([parse("aws:us-west-2")]).control_planes


def test_catalogue_lists_every_service_and_provider() -> None:
    listed = {t for t, _ in catalogue()}
    assert {"aws:route53", "azure:front-door", "gcp:cloud-dns", "cloudflare", "ns1", "akamai", "azure:<region>-<n>"} <= listed


def test_scenarios_cite_their_sources() -> None:
    aws = SCENARIOS["aws-us-east-1-2025-10-20"]
    assert aws.source == "https://aws.amazon.com/message/101925/"
    assert [t.text for t in aws.parsed()][:2] == ["aws:us-east-1", "aws:route53-control-plane"]
    azure = SCENARIOS["azure-front-door-2025-10-29"]
    assert azure.source == "https://azure.status.microsoft/status/history/?trackingId=YKYN-BWZ"
    assert "azure:front-door" in azure.targets


def test_objective_words() -> None:
    for word in ("any-region", "any-zone", "any-dns-provider", "aws-us-east-1-2025-10-20", "aws:us-east-1"):
        assert check_word(word) is None
    assert "any-region" in (check_word("every-region") or "")
