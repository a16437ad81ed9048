"""Named historical outages: what failed, and where the provider said so.

A scenario is a list of targets and the public post-incident summary it is drawn from. It
models the lasting effect on customers' designs, not the minute-by-minute timeline: the regional
services of us-east-1 (DynamoDB first, then EC2 launches, Network Load Balancer, Lambda, ECS,
STS...) and the control planes homed there; or Azure Front Door (and Azure CDN, which shares its
fabric) everywhere.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from resilint.simulate.targets import Target, TargetError, parse

# Words an objective's `survive` list may use besides scenario names and targets.
WORDS = ("any-region", "any-zone", "any-dns-provider")


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    targets: tuple[str, ...]
    source: str  # the provider's own post-incident summary
    summary: str

    def parsed(self) -> list[Target]:
        return [parse(t) for t in self.targets]


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            name="aws-us-east-1-2025-10-20",
            title="AWS us-east-1, 19-20 October 2025",
            targets=(
                "aws:us-east-1",
                "aws:route53-control-plane",
                "aws:cloudfront-control-plane",
                "aws:acm-cloudfront-control-plane",
                "aws:iam-control-plane",
            ),
            source="https://aws.amazon.com/message/101925/",
            summary=(
                "An empty DNS record for DynamoDB's regional endpoint (a race in its DNS automation) "
                "stopped new connections to DynamoDB in us-east-1; EC2 launches, Network Load "
                "Balancer health checks, Lambda, ECS, EKS, Fargate and STS failed in turn, from "
                "23:48 PDT on 19 October to 14:20 PDT on 20 October. The control planes homed in "
                "us-east-1 (IAM changes, Route 53 record and health-check changes, CloudFront "
                "configuration, ACM for CloudFront) could not be relied on to make changes."
            ),
        ),
        Scenario(
            name="azure-front-door-2025-10-29",
            title="Azure Front Door, 29-30 October 2025",
            targets=("azure:front-door", "azure:cdn"),
            source="https://azure.status.microsoft/status/history/?trackingId=YKYN-BWZ",
            summary=(
                "An inadvertent configuration change to Azure Front Door's control plane made edge "
                "nodes fail to load; customers and Microsoft services behind Azure Front Door and "
                "Azure CDN saw timeouts and DNS resolution errors worldwide from 15:41 UTC on 29 "
                "October to 00:05 UTC on 30 October 2025."
            ),
        ),
    )
}


def check_word(word: str) -> str | None:
    """Why a `survive` word is not understood, or None."""
    if word in WORDS or word in SCENARIOS:
        return None
    try:
        parse(word)
    except TargetError as exc:
        close = difflib.get_close_matches(word, [*WORDS, *SCENARIOS], n=1, cutoff=0.8)
        if close:  # `any-regio`: a word misspelt, not a target
            return f"unknown word {word!r}; did you mean {close[0]}?"
        return f"{exc}; or one of {', '.join(WORDS)} or a scenario ({', '.join(SCENARIOS)})"
    return None
