"""A system of two linked units: a primary root and a DR root that reads its state. The failover
record of the primary root points at the DR root's load balancer through the remote state, and
the simulation follows it across units."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.parsers import ParseOptions
from resilint.scan import load_project
from resilint.simulate.targets import parse
from resilint.simulate.verdicts import Simulation, simulate
from tests.conftest import write


def _backend(key: str) -> str:
    return f'terraform {{\n  backend "s3" {{\n    bucket = "acme-state"\n    key    = "{key}"\n  }}\n}}\n\n'


def _reads(name: str, key: str) -> str:
    return f'data "terraform_remote_state" "{name}" {{\n  backend = "s3"\n  config = {{\n    bucket = "acme-state"\n    key    = "{key}"\n  }}\n}}\n\n'


def _web(region: str) -> str:
    """A load balancer in two zones of the region, its listener, target group and the Auto
    Scaling group registered there."""
    return f'''provider "aws" {{
  region = "{region}"
}}

resource "aws_subnet" "a" {{
  availability_zone = "{region}a"
}}

resource "aws_subnet" "b" {{
  availability_zone = "{region}b"
}}

resource "aws_lb" "web" {{
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
}}

resource "aws_lb_target_group" "web" {{
  port = 443
}}

resource "aws_lb_listener" "web" {{
  load_balancer_arn = aws_lb.web.arn
  default_action {{
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }}
}}

resource "aws_autoscaling_group" "web" {{
  vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.b.id]
  target_group_arns   = [aws_lb_target_group.web.arn]
}}

output "lb_dns" {{
  value = aws_lb.web.dns_name
}}

output "lb_zone" {{
  value = aws_lb.web.zone_id
}}

'''


def _records(health_check: bool) -> str:
    check = "  health_check_id = aws_route53_health_check.web.id\n" if health_check else ""
    return f'''resource "aws_route53_zone" "public" {{
  name = "orders-shop.io"
}}

resource "aws_route53_health_check" "web" {{
  fqdn = aws_lb.web.dns_name
  type = "HTTPS"
}}

resource "aws_route53_record" "primary" {{
  zone_id        = aws_route53_zone.public.zone_id
  name           = "www"
  type           = "A"
  set_identifier = "primary"
{check}  failover_routing_policy {{
    type = "PRIMARY"
  }}
  alias {{
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = false
  }}
}}

resource "aws_route53_record" "secondary" {{
  zone_id        = aws_route53_zone.public.zone_id
  name           = "www"
  type           = "A"
  set_identifier = "dr"
  failover_routing_policy {{
    type = "SECONDARY"
  }}
  alias {{
    name                   = data.terraform_remote_state.dr.outputs.lb_dns
    zone_id                = data.terraform_remote_state.dr.outputs.lb_zone
    evaluate_target_health = true
  }}
}}
'''


def _simulated(root: Path, health_check: bool, *targets: str, linked: bool = True) -> Simulation:
    key = "dr.tfstate" if linked else "elsewhere.tfstate"
    write(root, {
        "primary/main.tf": _backend("primary.tfstate") + _reads("dr", key) + _web("us-east-1") + _records(health_check),
        "dr/main.tf": _backend("dr.tfstate") + _web("us-west-2"),
    })
    project = load_project([root], Settings(), ParseOptions())
    assert not project.problems, project.problems
    return simulate(project, [parse(t) for t in targets])


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # unit ids are the folders, relative to where the scan runs


def test_the_two_roots_are_judged_as_one_system() -> None:
    simulation = _simulated(Path("."), True, "aws:us-east-1")
    (system,) = simulation.systems
    assert [u.id for u in system.system.units] == ["dr", "primary"]
    (entry,) = system.entries
    assert entry.node.label == "www.orders-shop.io"
    assert entry.node.unit is not None and entry.node.unit.id == "primary"


def test_health_checked_failover_fires_into_the_dr_root() -> None:
    simulation = _simulated(Path("."), True, "aws:us-east-1")
    (system,) = simulation.systems
    assert system.verdict == "degraded"
    (entry,) = system.entries
    assert entry.status.because == (
        "www.orders-shop.io → aws_lb.web in dr (us-west-2) → degraded: fails over from aws_lb.web in primary "
        "(region us-east-1 failed) through failover records"
    )
    # the node the traffic moves to is the DR root's load balancer
    standby = system.graph.nodes["dr::aws_lb.web"]
    assert system.statuses[standby.key].state == "up"
    assert system.statuses["primary::aws_lb.web"].state == "down"


def test_without_a_health_check_the_failover_does_not_fire() -> None:
    simulation = _simulated(Path("."), False, "aws:us-east-1")
    (system,) = simulation.systems
    assert system.verdict == "down"
    (entry,) = system.entries
    assert entry.status.because.startswith("www.orders-shop.io → aws_lb.web in primary (us-east-1) → down: region us-east-1 failed; ")
    assert "failover records do not evaluate the health of aws_lb.web in primary, so traffic stays on it" in entry.status.because
    assert "only a record change moves it to aws_lb.web in dr" in entry.status.because
    assert "Route 53's control plane (us-east-1) is down, so no record can be changed" in entry.status.because


def test_a_failure_of_the_dr_region_leaves_the_primary_without_standby() -> None:
    simulation = _simulated(Path("."), True, "aws:us-west-2")
    (system,) = simulation.systems
    assert system.verdict == "degraded"
    assert "its standby is down" in system.because


def test_without_the_link_the_standby_is_not_known() -> None:
    simulation = _simulated(Path("."), True, "aws:us-east-1", linked=False)
    by_name = {s.system.name: s for s in simulation.systems}
    assert sorted(by_name) == ["dr", "primary"]
    # the state the primary reads is no root of the scan: where the standby runs is not known
    assert by_name["primary"].verdict == "unknown"
    assert by_name["dr"].verdict == "up"


def _own_record(role: str, zone: str) -> str:
    return f'''resource "aws_route53_health_check" "web" {{
  fqdn = aws_lb.web.dns_name
  type = "HTTPS"
}}

resource "aws_route53_record" "www" {{
  zone_id         = {zone}
  name            = "www.orders-shop.io"
  type            = "A"
  set_identifier  = "{role.lower()}"
  health_check_id = aws_route53_health_check.web.id
  failover_routing_policy {{
    type = "{role}"
  }}
  alias {{
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = true
  }}
}}
'''


ZONE = 'resource "aws_route53_zone" "public" {\n  name = "orders-shop.io"\n}\n\noutput "zone_id" {\n  value = aws_route53_zone.public.zone_id\n}\n\n'


def test_each_root_making_its_side_of_a_failover_pair_is_one_name(tmp_path: Path) -> None:
    """The PRIMARY record in the primary root, the SECONDARY in the DR root (which reads the
    primary's state for the zone): one name, failing over between the roots."""
    write(tmp_path, {
        "primary/main.tf": _backend("primary.tfstate") + _web("us-east-1") + ZONE + _own_record("PRIMARY", "aws_route53_zone.public.zone_id"),
        "dr/main.tf": _backend("dr.tfstate") + _reads("primary", "primary.tfstate") + _web("us-west-2")
        + _own_record("SECONDARY", "data.terraform_remote_state.primary.outputs.zone_id"),
    })
    project = load_project([Path(".")], Settings(), ParseOptions())
    assert not project.problems, project.problems
    (system,) = simulate(project, [parse("aws:us-east-1")]).systems
    assert [(j.node.label, j.status.because) for j in system.entries] == [
        (
            "www.orders-shop.io",
            "www.orders-shop.io → aws_lb.web in dr (us-west-2) → degraded: fails over from aws_lb.web in primary (region us-east-1 failed) through failover records",
        )
    ]
    # Both roots making the PRIMARY record: one of them has it, and which is not known.
    write(tmp_path, {"dr/main.tf": (tmp_path / "dr/main.tf").read_text().replace('type = "SECONDARY"', 'type = "PRIMARY"').replace('"secondary"', '"dr"')})
    project = load_project([Path(".")], Settings(), ParseOptions())
    (system,) = simulate(project, [parse("aws:us-east-1")]).systems
    (entry,) = system.entries
    assert (entry.status.state, entry.status.reason) == (
        "unknown",
        "region us-east-1 failed; whether the name answers with it is not known: a name has one PRIMARY failover record, and dr and primary "
        "each make one, so only one of them has it",
    )
