"""A data store and the copies of its data the code declares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from resilint.model import Resource

CopyKind = Literal["replica", "backup"]

# The purpose of a bucket or storage account that serves a static website: secondary data for
# RES103 (content rebuilt from source), and what a unit serves for RES101.
WEBSITE_PURPOSE = "hosts a static website"


@dataclass(frozen=True)
class Copy:
    """A copy of a store's data in another region."""

    region: str | None  # the copy's region; None when the code does not name it
    via: str  # what makes the copy, for messages: "replica block", "aws_db_instance.west"
    kind: CopyKind = "replica"  # "backup": restorable only, not a live replica


@dataclass(eq=False)
class Store:
    """A stateful resource and what the code says about copies of its data."""

    resource: Resource
    kind: str  # "DynamoDB table", "S3 bucket"...
    # The store's own region: a name, or Unknown. CloudFormation stores in one template share
    # one region even when it is not known (`same_stack` below).
    region: Any
    replica_of: str | None = None  # a copy itself: what it copies ("aws_s3_bucket.source")
    copies: list[Copy] = field(default_factory=list)  # in other regions
    same_region: list[str] = field(default_factory=list)  # copies in its own region, for messages
    undecided: str | None = None  # why cross-region replication cannot be decided
    purpose: str | None = None  # secondary data: "receives the access logs of aws_s3_bucket.app"
    multi_region: str | None = None  # the store itself spans regions: "multi-region location US"
    # Stores of other units this one copies to (`foreign_ref`s: a replication destination that a
    # remote state's output names).
    foreign_copies: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return self.resource.address

    @property
    def hosts_website(self) -> bool:
        return self.purpose is not None and self.purpose.startswith(WEBSITE_PURPOSE)

    @property
    def replicated(self) -> bool:
        return bool(self.copies) or self.multi_region is not None

    @property
    def replica_regions(self) -> tuple[str, ...]:
        """Known regions of live replicas (not backups), sorted."""
        return tuple(sorted({c.region for c in self.copies if c.region and c.kind == "replica"}))
