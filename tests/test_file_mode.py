"""Files named one by one (the pre-commit hook) report exactly what a scan of their repository
reports in them: checking only the units that touch the named files loses nothing."""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.scan import _inert

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
# Fixture folders with several files or units: where a finding could be located in a file other
# than the one its unit starts in (modules, stacks paired across files, tfvars).
CASES = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.glob("*/*")
    if p.is_dir() and sum(1 for f in p.rglob("*") if f.is_file()) > 1
)


Found = tuple[str, int, str, "str | None", str]
LOCATED_KINDS = ("terraform", "cloudformation", "terraform-plan")



def _repository_of(fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fixture copied into a repository of its own (cwd there, a cache folder of its own)."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / fixture, repo)
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    return repo

def _scan(capsys: pytest.CaptureFixture[str], *paths: str) -> list[Found]:
    return [found for found, _ in _scan_with_units(capsys, *paths)]


def _scan_with_units(capsys: pytest.CaptureFixture[str], *paths: str) -> list[tuple[Found, set[str]]]:
    """Findings, each with its unit and the roots it was merged from."""
    main(["scan", *paths, "--format", "json", "--no-cache", "--fail-on", "error"])
    document = json.loads(capsys.readouterr().out)
    return sorted(
        ((f["path"], f["line"], f["rule_id"], f["resource"], f["message"]), {f["unit"], *(f.get("callers") or ())} - {None})
        for f in document["findings"]
    )


class _Whole:
    """A whole scan's findings, and what naming one file must report of them: the findings
    located in it, and for an input (tfvars, a Terragrunt configuration, a Makefile, a samconfig:
    a file no finding is located in by kind) those of the units that read it; for the
    configuration file in effect, every finding."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        from resilint.config import CommandLine, resolve
        from resilint.discover import discover
        from resilint.parsers import BuildRecord, ParseOptions, build_project
        from resilint.registry import load_rules

        self.findings = _scan_with_units(capsys, ".")
        self.by_file: dict[str, list[Found]] = defaultdict(list)
        for finding, _ in self.findings:
            self.by_file[finding[0]].append(finding)
        settings = resolve(CommandLine(), None, Path("."), load_rules)
        self.config = Path(os.path.relpath(settings.config_file)).as_posix() if settings.config_file is not None else None
        found = discover([Path(".")], settings.exclude, settings.max_file_bytes)
        record = BuildRecord()
        build_project(found.files, found.problems, ParseOptions(record=record, parallel=False, cloudformation_regions=settings.regions_for))
        self.readers: dict[str, set[str]] = defaultdict(set)
        for unit, reads in record.reads.items():
            for read in reads:
                self.readers[Path(os.path.relpath(read)).as_posix()].add(unit)

    def __getitem__(self, name: str) -> list[Found]:
        return self.get(name)

    def get(self, name: str, default: object = None) -> list[Found]:
        """What naming `name` reports (as dict.get, which the tests used before inputs)."""
        from resilint.discover import discover

        if name == self.config:
            return [finding for finding, _ in self.findings]
        expected = set(self.by_file.get(name, []))
        named = discover([Path(name)]).files
        if not (named and named[0].kind in LOCATED_KINDS):
            readers = self.readers.get(name, set())
            expected.update(finding for finding, units in self.findings if units & readers)
        return sorted(expected)


@pytest.mark.parametrize("case", CASES)
def test_named_files_report_what_the_repository_scan_reports_in_them(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / case, tmp_path / "repo")
    (tmp_path / "repo" / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    whole = _Whole(capsys)
    files = sorted(p.relative_to(tmp_path / "repo").as_posix() for p in (tmp_path / "repo").rglob("*") if p.is_file() and not {".git", ".terraform"} & set(p.parts))
    for name in files:
        assert _scan(capsys, name) == whole.get(name), name


# The file index ---------------------------------------------------------------------------------
# With the parse cache on, a named file is answered from the file index: only the units that read
# it (and those their rules read: their systems, the units sharing a DNS name) are built. The
# findings must be exactly those of a whole scan, whatever changed since the index was written.


def _indexed_scan(capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[list[tuple[str, int, str, str | None, str]], list[str]]:
    """Findings of a cached scan of named files, and what the scan said about the index."""
    from resilint.config import CommandLine, resolve
    from resilint.parsers import ParseOptions
    from resilint.registry import load_rules
    from resilint.scan import scan

    said: list[str] = []
    from resilint.cache import ParseCache

    # The configuration the whole scan (`main`) reads too: a case may hold a .resilint.toml.
    settings = resolve(CommandLine(), None, Path("."), load_rules)
    # Its CloudFormation regions reach the parser through the options, as on the command line.
    options = ParseOptions(cache=ParseCache(), cloudformation_regions=settings.regions_for)
    result = scan([Path(p) for p in paths], settings, options, say=said.append)
    capsys.readouterr()
    found = sorted((f.path, f.line, f.rule_id, f.resource, f.message) for f in result.findings)
    return found, [s for s in said if "index" in s]


def _whole(capsys: pytest.CaptureFixture[str]) -> _Whole:
    return _Whole(capsys)


def _files(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file() and not {".git", ".terraform"} & set(p.parts))


@pytest.mark.parametrize("case", CASES)
def test_the_file_index_reports_what_the_repository_scan_reports(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repository_of(case, tmp_path, monkeypatch)
    whole = _whole(capsys)
    files = _files(repo)
    _indexed_scan(capsys, files[0])  # writes the index
    for name in files:
        found, said = _indexed_scan(capsys, name)
        assert found == whole.get(name, []), name
        # The configuration decides every unit: naming it scans the whole repository; a script
        # that deploys nothing is scanned as nothing.
        assert any(s.startswith("file index:") for s in said) == (name != whole.config and not _inert(Path(name))), (name, said)


MODULE_CALLER = """\
provider "aws" {
  region = "us-east-1"
}

module "db" {
  source = "../../modules/db"
}
"""

DB_MODULE = """\
resource "aws_db_instance" "main" {
  engine         = "postgres"
  instance_class = "db.t3.micro"
  multi_az       = %s
}
"""


def _monorepo(repo: Path) -> None:
    """Two roots calling one module, a third root on its own, a template."""
    (repo / ".git").mkdir(parents=True)
    for root in ("live/a", "live/b"):
        (repo / root).mkdir(parents=True)
        (repo / root / "main.tf").write_text(MODULE_CALLER)
    (repo / "live/c").mkdir(parents=True)
    (repo / "live/c/main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n\n' + DB_MODULE % "false")
    (repo / "modules/db").mkdir(parents=True)
    (repo / "modules/db/main.tf").write_text(DB_MODULE % "true")
    (repo / "stacks").mkdir()
    (repo / "stacks/db.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
        "    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      MultiAZ: false\n"
    )


def test_the_file_index_follows_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed module costs its callers; files that come or go, and changed module calls,
    send the scan back to the whole repository; the findings always match a whole scan."""
    repo = tmp_path / "repo"
    _monorepo(repo)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))

    def check(name: str, indexed: bool) -> None:
        whole = _whole(capsys)
        found, said = _indexed_scan(capsys, name)
        assert found == whole.get(name, []), (name, said)
        assert any(s.startswith("file index:") for s in said) == indexed, (name, said)

    _indexed_scan(capsys, "live/c/main.tf")  # writes the index
    check("modules/db/main.tf", True)
    check("live/c/main.tf", True)
    # The module loses Multi-AZ: both callers have a finding located in the module's file.
    (repo / "modules/db/main.tf").write_text(DB_MODULE % "false")
    check("modules/db/main.tf", True)
    assert _indexed_scan(capsys, "modules/db/main.tf")[1] == ["file index: 2 of 4 units built"]
    check("live/a/main.tf", True)
    # A tfvars file appears beside a root: a file came, the whole repository is read again.
    (repo / "live/c/terraform.tfvars").write_text("x = 1\n")
    check("live/c/main.tf", False)
    check("live/c/main.tf", True)
    # A root stops calling the module, and calls another folder.
    (repo / "modules/other").mkdir()
    (repo / "modules/other/main.tf").write_text(DB_MODULE % "true")
    check("live/a/main.tf", False)
    (repo / "live/a/main.tf").write_text(MODULE_CALLER.replace("modules/db", "modules/other"))
    check("live/a/main.tf", False)
    check("modules/other/main.tf", True)
    # A template changes.
    (repo / "stacks/db.yaml").write_text((repo / "stacks/db.yaml").read_text().replace("MultiAZ: false", "MultiAZ: true"))
    check("stacks/db.yaml", True)
    # A broken file (its module call is no longer read), then fixed; then a variable changes.
    (repo / "live/b/main.tf").write_text(MODULE_CALLER + "\nresource {\n")
    check("live/b/main.tf", False)
    (repo / "live/b/main.tf").write_text(MODULE_CALLER)
    check("live/b/main.tf", False)
    check("live/b/main.tf", True)
    (repo / "live/c/terraform.tfvars").write_text("x = 2\n")
    check("live/c/terraform.tfvars", True)
    check("live/c/main.tf", True)


def test_the_file_index_on_a_generated_monorepo(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/synth.py's monorepo: one team's files named one by one, answered from the index
    with a fraction of the units built, report what the whole scan reports in them."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    repo = tmp_path / "repo"
    generate(repo, 1)
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    whole = _whole(capsys)
    names = [n for n in _files(repo) if n.startswith("team003/")]
    assert len(names) > 10
    _indexed_scan(capsys, names[0])
    for name in names:
        found, said = _indexed_scan(capsys, name)
        assert found == whole.get(name, []), name
        (message,) = said
        built, total = (int(n) for n in message.removeprefix("file index: ").removesuffix(" units built").split(" of "))
        assert built * 4 <= total, message
    assert any(whole.get(n) for n in names), "the team's files have findings to compare"


def test_the_file_index_follows_a_state_read_from_another_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A root that reads another root's state is one system with it: naming either builds
    both, and a change to the root it reads is a change to the reader."""
    repo = _repository_of("single_region_deployment/pass_remote_state_dr_root", tmp_path, monkeypatch)
    _indexed_scan(capsys, "dr/main.tf")  # writes the index
    for name, region in (("primary/main.tf", "us-west-2"), ("dr/main.tf", "us-east-1"), ("primary/main.tf", "us-east-1")):
        dr = repo / "dr/main.tf"
        dr.write_text(dr.read_text().replace('region = "us-west-2"', f'region = "{region}"'))
        whole = _whole(capsys)
        found, said = _indexed_scan(capsys, name)
        assert found == whole.get(name, []), name
        assert said == ["file index: 2 of 2 units built"], said
    assert whole.get("dr/main.tf"), "the same region in both roots is a finding (located at the system's first unit)"


def test_the_file_index_follows_an_import_that_comes_or_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stacks linked by Fn::ImportValue are one system: a stack that starts or stops importing
    another's export changes the systems, so the index reads the whole repository again (it
    answered from the old systems before: one finding per stack instead of the system's)."""
    repo = _repository_of("single_region_deployment/fail_cfn_import_value_one_finding", tmp_path, monkeypatch)
    service = repo / "service.yaml"
    imported = service.read_text()
    literal = imported.replace('Fn::ImportValue: !Sub "${ClusterStack}-Listener"', "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/x/1/2")
    assert literal != imported
    service.write_text(literal)
    _indexed_scan(capsys, "cluster.yaml")  # writes the index: two systems
    for text in (imported, literal, imported):
        service.write_text(text)
        whole = _whole(capsys)
        for name in ("service.yaml", "cluster.yaml"):
            found, said = _indexed_scan(capsys, name)
            assert found == whole.get(name, []), (name, said)
    assert whole.get("cluster.yaml") and not whole.get("service.yaml"), "one system: one finding, at its first stack"


def test_the_file_index_follows_a_sam_definition_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A SAM state machine's DefinitionUri file is one its template's unit is built from (the
    index watches it), and naming the template after a change to it reports what a whole scan
    reports."""
    from resilint.discover import discover
    from resilint.parsers import BuildRecord, ParseOptions, build_project

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "no_cross_region_replication/pass_cfn_sam_state_machine_definition_uri_yaml", repo)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    record = BuildRecord()
    found_files = discover([Path(".")])
    build_project(found_files.files, found_files.problems, ParseOptions(record=record, parallel=False))
    assert record.reads["template.yaml"] == frozenset({str(repo / "template.yaml"), str(repo / "statemachine/report.asl.yaml")})
    _indexed_scan(capsys, "template.yaml")  # writes the index
    found, said = _indexed_scan(capsys, "template.yaml")
    assert [f for f in found if f[2] == "RES103"] == [] and any(s.startswith("file index:") for s in said), said
    definition = repo / "statemachine/report.asl.yaml"
    definition.write_text(definition.read_text().replace("s3://${ResultsBucket}/daily/", "s3://elsewhere/daily/"))
    found, said = _indexed_scan(capsys, "template.yaml")
    assert [(f[0], f[2], f[3]) for f in found if f[2] == "RES103"] == [("template.yaml", "RES103", "Results")], said
    assert found == _whole(capsys)["template.yaml"]


def _check_named(capsys: pytest.CaptureFixture[str], name: str, indexed: bool | None = True) -> list[Found]:
    """Naming `name` from the index reports what a whole scan gives for it, as a cold scan of
    it (no cache, no index) does; returns the findings. `indexed`: whether the index answered
    (None: either)."""
    whole = _whole(capsys)
    found, said = _indexed_scan(capsys, name)
    assert found == whole.get(name), (name, said)
    if indexed is not None:
        assert any(s.startswith("file index:") for s in said) == indexed, (name, said)
    assert _scan(capsys, name) == found, name
    return found


def test_a_makefile_named_reports_the_templates_it_deploys_and_follows_its_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Makefile deploying a template as one stack in two regions gives it copies; naming it
    (a commit that changes it) reports the template's findings, and an edit that drops a region
    is seen by the index as by a cold scan: the template's RES101 appears, whichever is named."""
    repo = _repository_of("single_region_deployment/pass_cfn_makefile_two_regions", tmp_path, monkeypatch)
    makefile = repo / "Makefile"
    _indexed_scan(capsys, "stacks/app.yaml")  # writes the index
    assert _check_named(capsys, "Makefile") == []
    assert _check_named(capsys, "stacks/app.yaml") == []
    # A script that deploys nothing is scanned as nothing, quickly: no index, no repository.
    assert _indexed_scan(capsys, "scripts/test.sh") == ([], [])
    # YAML that is no template: the index answers, building no unit.
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/ci.yml").write_text("on: push\njobs: {}\n")
    _indexed_scan(capsys, "stacks/app.yaml")  # a file came: a new index
    assert _indexed_scan(capsys, ".github/workflows/ci.yml") == ([], ["file index: 0 of 1 units built"])
    # The standby region dropped. (A template's deployment is what a StackSet's finding reads of
    # it, a link between units: the index reads the whole repository again when it changes.)
    makefile.write_text(makefile.read_text().replace("STANDBY_REGION = us-west-2", "STANDBY_REGION = us-east-1"))
    dropped = _check_named(capsys, "stacks/app.yaml", None)
    assert [(f[0], f[2]) for f in dropped] == [("stacks/app.yaml", "RES101")]
    assert _check_named(capsys, "Makefile") == dropped
    # Back to two regions: named the Makefile first this time.
    makefile.write_text(makefile.read_text().replace("STANDBY_REGION = us-east-1", "STANDBY_REGION = us-west-2"))
    assert _check_named(capsys, "Makefile", None) == []
    assert _check_named(capsys, "stacks/app.yaml") == []
    # A script beside the template that deploys nothing, then deploys it as another stack: two
    # stack names are two deployments, not copies.
    script = repo / "stacks/deploy.sh"
    script.write_text("#!/bin/sh\necho deploying\n")
    _check_named(capsys, "stacks/app.yaml", indexed=False)  # a file came: the whole repository
    script.write_text("#!/bin/sh\naws cloudformation deploy --template-file app.yaml --stack-name other --region eu-west-1\n")
    other = _check_named(capsys, "stacks/deploy.sh", None)
    assert [(f[0], f[2]) for f in other] == [("stacks/app.yaml", "RES101")]
    assert _check_named(capsys, "Makefile") == other
    assert _check_named(capsys, "stacks/app.yaml") == other
    # Edits that change no deployment's regions: answered from the index.
    script.write_text(script.read_text().replace("eu-west-1", "eu-west-2"))
    assert _check_named(capsys, "stacks/deploy.sh") == other
    makefile.write_text("# deploys the app\n" + makefile.read_text())
    assert _check_named(capsys, "stacks/app.yaml") == other
    # The files scanned: a Makefile that deploys something counts; one that deploys nothing does not.
    main(["scan", "Makefile", "scripts/test.sh", "--format", "json", "--fail-on", "error"])
    assert json.loads(capsys.readouterr().out)["summary"]["files_scanned"] == 1


def test_a_samconfig_named_reports_its_template_and_follows_its_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """samconfig.toml gives the template beside it its region: naming it reports the template's
    findings, and a changed region is seen by the index as by a cold scan."""
    repo = _repository_of("single_region_deployment/fail_sam_samconfig_region", tmp_path, monkeypatch)
    config = repo / "samconfig.toml"
    _indexed_scan(capsys, "template.yaml")  # writes the index
    before = _check_named(capsys, "samconfig.toml")
    assert [(f[0], f[2]) for f in before] == [("template.yaml", "RES101")] and "eu-central-1" in before[0][4]
    config.write_text(config.read_text().replace("eu-central-1", "eu-west-1"))
    after = _check_named(capsys, "template.yaml", None)
    assert "eu-west-1" in after[0][4]
    assert _check_named(capsys, "samconfig.toml") == after


def test_terragrunt_configurations_named_report_the_units_that_read_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A region.hcl or root.hcl read by Terragrunt units reports their findings."""
    _repository_of("single_region_deployment/fail_terragrunt_live_one_region", tmp_path, monkeypatch)
    _indexed_scan(capsys, "live/root.hcl")  # writes the index
    found = _check_named(capsys, "live/prod/us-east-1/region.hcl")
    assert [f[2] for f in found] == ["RES101"]
    assert _check_named(capsys, "live/prod/us-east-1/app/terragrunt.hcl") == found


def test_the_configuration_named_reports_every_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """.resilint.toml decides every unit's findings (its ignore list, its regions): naming it
    reports them all; a pyproject.toml without resilint's table is scanned as nothing."""
    repo = tmp_path / "repo"
    _monorepo(repo)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (repo / ".resilint.toml").write_text('ignore = ["RES103"]\n')
    assert _indexed_scan(capsys, "pyproject.toml") == ([], [])
    everything = _scan(capsys, ".")
    assert len(everything) == 2 and not any(f[2] == "RES103" for f in everything)
    assert _scan(capsys, ".resilint.toml") == everything
    assert _indexed_scan(capsys, ".resilint.toml")[0] == everything


def test_a_tfbackend_file_named_reports_its_root_and_its_edits_reach_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partial backend block takes its state's address from a *.tfbackend file: the cached
    unit's key covers the file, and the index watches it, so a changed key (the state another
    root reads) splits the system warm as cold; named, the file reports its root's findings."""
    repo = tmp_path / "repo"
    lb = 'provider "aws" {\n  region = "us-east-1"\n}\n\nresource "aws_lb" "%s" {\n  name    = "%s"\n  subnets = ["subnet-1", "subnet-2"]\n}\n'
    reader = 'data "terraform_remote_state" "net" {\n  backend = "s3"\n  config = {\n    bucket = "acme-state"\n    key    = "net/terraform.tfstate"\n  }\n}\n'
    (repo / ".git").mkdir(parents=True)
    (repo / "network").mkdir()
    (repo / "app").mkdir()
    (repo / "network/main.tf").write_text('terraform {\n  backend "s3" {}\n}\n\n' + lb % ("web", "web"))
    tfbackend = repo / "network/prod.s3.tfbackend"
    tfbackend.write_text('bucket = "acme-state"\nkey    = "net/terraform.tfstate"\n')
    (repo / "app/main.tf").write_text(reader + "\n" + lb % ("app", "app"))
    monkeypatch.chdir(repo)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    _scan_with_units(capsys, ".")
    main(["scan", ".", "--format", "json"])  # fills the parse cache
    capsys.readouterr()
    _indexed_scan(capsys, "app/main.tf")  # writes the index
    one_system = _check_named(capsys, "network/prod.s3.tfbackend")
    assert [(f[0], f[2]) for f in one_system] == [("app/main.tf", "RES101")] and "system app + network" in one_system[0][4]
    tfbackend.write_text(tfbackend.read_text().replace("net/", "other/"))
    apart = _check_named(capsys, "network/prod.s3.tfbackend", None)
    # app reads the state network keeps: it read the file too.
    assert [(f[0], f[2]) for f in apart] == [("app/main.tf", "RES101"), ("network/main.tf", "RES101")]
    main(["scan", ".", "--format", "json"])  # a warm whole scan: two systems
    assert len(json.loads(capsys.readouterr().out)["findings"]) == 2
