"""A third-party rule with its own documentation link (tests copy it into a rules folder)."""

from collections.abc import Iterator

from resilint.model import Project, Unit
from resilint.rule import Severity, Violation, rule


@rule(
    id="ACME101",
    name="queue-without-dead-letter",
    severity=Severity.WARNING,
    summary="An SQS queue has no dead-letter queue",
    fix="Add a redrive_policy that points at a dead-letter queue",
    help_uri="https://acme.example/rules/ACME101",
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags SQS queues without a dead-letter queue.

    ## Why is this bad?
    Poison messages are retried forever.

    ## Example
    A queue without `redrive_policy`.

    Use instead: a queue with one.

    ## References
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    """
    for queue in unit.of_type("aws_sqs_queue"):
        if queue.get("redrive_policy") is None:
            yield Violation(f"{queue.address} has no dead-letter queue", at=queue)
