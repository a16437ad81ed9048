"""The engine's own rules (RES0xx). Their findings come from the engine, not from a check over
the model, but they are documented, listed and configured like every other rule."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Project, Unit
from resilint.rule import Rule, Severity, Violation, rule
from resilint.rule_ids import INTERNAL_ERROR_ID, MALFORMED_SUPPRESSION_ID, PARSE_ERROR_ID, UNUSED_SUPPRESSION_ID


def _nothing(unit: Unit, project: Project) -> Iterator[Violation]:
    return iter(())


PARSE_ERROR = rule(
    id=PARSE_ERROR_ID,
    name="parse-error",
    severity=Severity.ERROR,
    summary="A file could not be read or parsed",
    fix="Correct what the message names at the reported line (syntax, encoding, size, a broken link or permissions), or exclude the file from the scan",
    tags=("engine",),
    doc="""
    ## What it does
    Reports a Terraform, CloudFormation or plan file that could not be read or parsed: a syntax
    error, a file that is not text, a file too large or too deeply nested to analyse safely. The
    finding names the file, the line and column where known, and what was wrong.

    ## Why is this bad?
    resilint cannot check what it cannot read: a broken file hides every resource in it, and with
    them every finding they would raise. The scan goes on with the other files, and the exit code
    is 2 so that a broken file never passes a check unnoticed.

    ## Example
    ```hcl
    resource "aws_db_instance" "main" {
      multi_az =
    }
    ```

    Use instead:
    ```hcl
    resource "aws_db_instance" "main" {
      multi_az = true
    }
    ```

    ## References
    - https://developer.hashicorp.com/terraform/language/syntax/configuration
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html
    """,
)(_nothing)

INTERNAL_ERROR = rule(
    id=INTERNAL_ERROR_ID,
    name="internal-error",
    severity=Severity.ERROR,
    summary="A rule or plugin failed while checking",
    fix="Report the failure to the rule's authors; the other rules' findings are kept",
    tags=("engine",),
    doc="""
    ## What it does
    Reports a rule that raised an exception while checking a deployment unit, or a rule plugin
    that could not be loaded (an import error, malformed metadata, an id another rule already
    uses). The other rules still run and their findings are all reported.

    ## Why is this bad?
    A rule that crashed checked nothing: the resources it should have examined are unverified.
    The finding makes that visible instead of passing silently.

    ## Example
    A plugin rule `ACME101` raising `KeyError: 'tags'` on a resource without tags is reported as
    `RES002 rule ACME101 failed on unit infra/app: KeyError: 'tags'`.

    Use instead: fix the rule (use `resource.get("tags", {})`), or deselect it with
    `--ignore ACME101` until it is fixed.

    ## References
    - https://github.com/resilint/resilint#writing-rules
    """,
)(_nothing)

UNUSED_SUPPRESSION = rule(
    id=UNUSED_SUPPRESSION_ID,
    name="unused-suppression",
    severity=Severity.NOTE,
    summary="An inline suppression matched no finding",
    fix="Remove the suppression, or correct the rule id it names",
    tags=("engine",),
    doc="""
    ## What it does
    Reports an inline suppression (`# resilint:ignore=RES302`) or a CloudFormation
    `Metadata: {resilint: {ignore: [...]}}` entry that suppressed nothing.

    ## Why is this bad?
    A stale suppression documents a risk that no longer exists, or names the wrong rule and so
    hides nothing while giving the impression that a decision was made.

    ## Example
    ```hcl
    # resilint:ignore=RES302 reporting replica
    resource "aws_db_instance" "reporting" {
      multi_az = true
    }
    ```

    Use instead:
    ```hcl
    resource "aws_db_instance" "reporting" {
      multi_az = true
    }
    ```

    ## References
    - https://github.com/resilint/resilint#suppressing-findings
    """,
)(_nothing)

MALFORMED_SUPPRESSION = rule(
    id=MALFORMED_SUPPRESSION_ID,
    name="malformed-suppression",
    severity=Severity.WARNING,
    summary="A comment or Metadata entry looks like a suppression but is not one",
    fix="Write it as resilint:ignore=RULE_ID reason, in a # or // comment, or fix the Metadata key",
    tags=("engine",),
    doc="""
    ## What it does
    Reports text that looks like a resilint suppression but is not one, and so silences nothing:

    - a bare `# resilint:ignore`, which names no rule;
    - `# resilint: ignore=RES302` (a space after the colon), `# resilint-ignore=RES302`,
      `# resilint:ignroe=RES302`, `# Resilint:ignore=RES302`;
    - `/* resilint:ignore=RES302 */`: only `#` and `//` line comments are read;
    - a rule id that is not a rule (`RES999`, `RES30`);
    - an `until=` date that is not a date (`until=next-year`; write `until=2027-03-31`);
    - in CloudFormation, a misspelt Metadata key (`Resilint`, `resilint-ignore`, `ignroe`,
      an entry key other than `id`, `reason` and `until`).

    The finding points at the line of the comment (for Metadata, at the resource or the template)
    and says what is wrong.

    ## Why is this bad?
    A suppression that is not read leaves the finding it was meant for in place, or, worse, looks
    like a decision that was made while silencing nothing. Tools that ignore malformed
    suppressions quietly let a typo stand for years.

    ## Example
    ```hcl
    # resilint: ignore=RES302 reporting replica
    resource "aws_db_instance" "reporting" {
      engine = "postgres"
    }
    ```

    Use instead:
    ```hcl
    # resilint:ignore=RES302 reporting replica
    resource "aws_db_instance" "reporting" {
      engine = "postgres"
    }
    ```

    ## References
    - https://github.com/resilint/resilint#suppressing-findings
    """,
)(_nothing)

ENGINE_RULES: tuple[Rule, ...] = (PARSE_ERROR, INTERNAL_ERROR, UNUSED_SUPPRESSION, MALFORMED_SUPPRESSION)
