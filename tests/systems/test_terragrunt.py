"""Terragrunt live trees: units, includes, inputs, generated providers, dependencies, systems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.config import Settings
from resilint.model import Project, Unknown
from resilint.parsers import ParseOptions
from resilint.scan import load_project
from tests.conftest import write

ROOT_HCL = '''locals {
  region_vars = read_terragrunt_config(find_in_parent_folders("region.hcl"))
  env_vars    = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  aws_region  = local.region_vars.locals.aws_region
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = "${local.aws_region}"
}
EOF
}

remote_state {
  backend = "s3"
  config = {
    bucket = "acme-tf-${local.env_vars.locals.env}"
    key    = "${path_relative_to_include()}/terraform.tfstate"
    region = local.aws_region
  }
}

inputs = merge(local.region_vars.locals, local.env_vars.locals)
'''

VPC_MODULE = 'variable "aws_region" {}\n\nresource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}\n\noutput "vpc_id" {\n  value = aws_vpc.this.id\n}\n'
APP_MODULE = '''variable "vpc_id" {}
variable "env" {}
variable "instance_type" {
  default = "t3.micro"
}

resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = var.instance_type
  tags = {
    Env = var.env
    Vpc = var.vpc_id
  }
}
'''
VPC_UNIT = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "../../../../modules//vpc"\n}\n'
APP_UNIT = '''include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "${get_terragrunt_dir()}/../../../../modules//app"
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = {
    vpc_id = "vpc-mock"
  }
}

inputs = {
  vpc_id        = dependency.vpc.outputs.vpc_id
  instance_type = "t3.large"
}
'''


def live_tree(root: Path, regions: dict[str, list[str]]) -> None:
    files = {"live/root.hcl": ROOT_HCL, "modules/vpc/main.tf": VPC_MODULE, "modules/app/main.tf": APP_MODULE}
    for env, env_regions in regions.items():
        files[f"live/{env}/env.hcl"] = f'locals {{\n  env = "{env}"\n}}\n'
        for region in env_regions:
            files[f"live/{env}/{region}/region.hcl"] = f'locals {{\n  aws_region = "{region}"\n}}\n'
            files[f"live/{env}/{region}/vpc/terragrunt.hcl"] = VPC_UNIT
            files[f"live/{env}/{region}/app/terragrunt.hcl"] = APP_UNIT
    write(root, files)


def project() -> Project:
    return load_project([Path(".")], Settings(), ParseOptions())


def test_units_inputs_generated_provider_backend_and_dependency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    live_tree(tmp_path, {"prod": ["us-east-1"]})
    loaded = project()
    assert loaded.problems == ()
    assert [u.id for u in loaded.units] == ["live/prod/us-east-1/app", "live/prod/us-east-1/vpc"]
    app = loaded.unit("live/prod/us-east-1/app")
    assert app is not None and app.backend is not None
    assert app.backend.address == "s3://acme-tf-prod/prod/us-east-1/app/terraform.tfstate"
    assert (app.backend.location.path, app.backend.location.line) == ("live/root.hcl", 17)
    # the generated provider, at its line inside the heredoc
    (provider,) = app.providers
    assert provider.region == "us-east-1" and provider.location is not None
    assert (provider.location.path, provider.location.line) == ("live/root.hcl", 11)
    (web,) = app.resources
    assert web.region == "us-east-1"
    # inputs: the child's instance_type, env from the root's merged inputs, vpc_id from the dependency
    assert web.attributes["instance_type"] == "t3.large" and web.attributes["tags"]["Env"] == "prod"
    assert isinstance(web.attributes["tags"]["Vpc"], Unknown)
    (vpc,) = app.resolve(web.attributes["tags"]["Vpc"].refs[0])
    assert (vpc.unit, vpc.type) == ("live/prod/us-east-1/vpc", "aws_vpc")
    assert "live/root.hcl" in app.files and "live/prod/us-east-1/app/terragrunt.hcl" in app.files


def test_mock_outputs_are_never_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    live_tree(tmp_path, {"prod": ["us-east-1"]})
    (tmp_path / "live/prod/us-east-1/vpc/terragrunt.hcl").unlink()  # the dependency is not in the scan
    app = project().unit("live/prod/us-east-1/app")
    assert app is not None
    (web,) = app.resources
    vpc_id = web.attributes["tags"]["Vpc"]
    assert isinstance(vpc_id, Unknown) and "mock_outputs are not real values" in vpc_id.reason


def test_systems_of_a_live_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    live_tree(tmp_path, {"prod": ["us-east-1", "us-west-2"], "dev": ["us-east-1"]})
    assert main(["systems", ".", "--format", "json", "--no-cache"]) == 0
    systems = json.loads(capsys.readouterr().out)["systems"]
    assert [(s["name"], [u["id"] for u in s["units"]], s["regions"]) for s in systems] == [
        ("live/dev/us-east-1/*", ["live/dev/us-east-1/app", "live/dev/us-east-1/vpc"], ["us-east-1"]),
        (
            "live/prod (4 units)",
            ["live/prod/us-east-1/app", "live/prod/us-east-1/vpc", "live/prod/us-west-2/app", "live/prod/us-west-2/vpc"],
            ["us-east-1", "us-west-2"],
        ),
    ]
    kinds = sorted((link["kind"], link["source"], link["target"]) for link in systems[1]["links"])
    assert kinds == [
        ("region-sibling", "live/prod/us-west-2/app", "live/prod/us-east-1/app"),
        ("region-sibling", "live/prod/us-west-2/vpc", "live/prod/us-east-1/vpc"),
        ("terragrunt-dependency", "live/prod/us-east-1/app", "live/prod/us-east-1/vpc"),
        ("terragrunt-dependency", "live/prod/us-west-2/app", "live/prod/us-west-2/vpc"),
    ]
    # dev runs in one region (flagged once, at the generated provider); prod in two
    main(["scan", ".", "--format", "json", "--no-cache", "--select", "RES101"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["path"], finding["line"], finding["unit"]) == ("live/root.hcl", 11, "live/dev/us-east-1/app")
    assert finding["message"].startswith("system live/dev/us-east-1/* serves only from us-east-1")


def test_a_remote_source_is_noted_not_fetched(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "live/app/terragrunt.hcl": 'terraform {\n  source = "git::git@github.com:acme/modules.git//app?ref=v1.0.0"\n}\n\ninputs = {\n  name = "x"\n}\n',
    })
    (unit,) = project().units
    assert unit.id == "live/app" and unit.resources == ()
    (note,) = unit.notes
    assert "git::git@github.com:acme/modules.git//app?ref=v1.0.0 is not fetched" in note.message
    assert (note.location.path, note.location.line) == ("live/app/terragrunt.hcl", 1)


def test_deep_merge_and_a_broken_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "live/common.hcl": 'inputs = {\n  tags = {\n    team = "core"\n  }\n  env = "prod"\n}\n',
        "live/app/terragrunt.hcl": 'include "common" {\n  path = find_in_parent_folders("common.hcl")\n  merge_strategy = "deep"\n}\n\n'
        'include "broken" {\n  path = "../broken.hcl"\n}\n\n'
        'terraform {\n  source = "../../modules/app"\n}\n\ninputs = {\n  tags = {\n    app = "web"\n  }\n}\n',
        "live/broken.hcl": "inputs = {\n",
        "modules/app/main.tf": 'variable "tags" {}\nvariable "env" {}\n\nprovider "aws" {\n  region = "eu-west-1"\n}\n\n'
        'resource "aws_instance" "web" {\n  ami  = "ami-1"\n  tags = merge(var.tags, { Env = var.env })\n}\n',
    })
    loaded = project()
    (unit,) = loaded.units
    (web,) = unit.resources
    assert web.attributes["tags"] == {"team": "core", "app": "web", "Env": "prod"}
    assert [p.location.path for p in loaded.problems] == ["live/broken.hcl"]


APP_WITH_PROVIDER = (
    'variable "env" {}\n\nresource "aws_instance" "web" {\n  ami  = "ami-1"\n  tags = { Env = var.env }\n}\n'
)


def test_no_merge_keeps_only_what_is_exposed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`merge_strategy = "no_merge"`: nothing of the included file is merged (its inputs, its
    generated provider, its backend), but what it exposes can be read."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "live/common.hcl": 'locals {\n  env = "prod"\n}\n\ninputs = {\n  env = "dev"\n}\n\n'
        'generate "provider" {\n  path      = "provider.tf"\n  if_exists = "overwrite"\n  contents  = "provider \\"aws\\" {\\n  region = \\"us-east-1\\"\\n}\\n"\n}\n',
        "live/app/terragrunt.hcl": 'include "common" {\n  path           = find_in_parent_folders("common.hcl")\n  expose         = true\n  merge_strategy = "no_merge"\n}\n\n'
        'terraform {\n  source = "../../modules/app"\n}\n\ninputs = {\n  env = include.common.locals.env\n}\n',
        "modules/app/main.tf": APP_WITH_PROVIDER,
    })
    (unit,) = project().units
    (web,) = unit.resources
    assert web.attributes["tags"] == {"Env": "prod"}, "the exposed local, not the included inputs"
    assert unit.providers == () and isinstance(web.region, Unknown), "the included generate block is not merged"


@pytest.mark.parametrize(("if_exists", "region"), [("skip", "eu-west-1"), ("overwrite", "us-east-1"), ("overwrite_terragrunt", "us-east-1")])
def test_generate_if_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, if_exists: str, region: str) -> None:
    """A generated file the module already has: skipped, or written over the module's own."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "live/app/terragrunt.hcl": f'terraform {{\n  source = "../../modules/app"\n}}\n\ninputs = {{\n  env = "prod"\n}}\n\n'
        f'generate "provider" {{\n  path      = "provider.tf"\n  if_exists = "{if_exists}"\n  contents  = <<EOF\nprovider "aws" {{\n  region = "us-east-1"\n}}\nEOF\n}}\n',
        "modules/app/main.tf": APP_WITH_PROVIDER,
        "modules/app/provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
    })
    (unit,) = project().units
    (provider,) = unit.providers
    assert provider.region == region
    assert unit.resources[0].region == region


def test_a_generated_file_terraform_does_not_read_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "live/app/terragrunt.hcl": 'terraform {\n  source = "../../modules/app"\n}\n\ninputs = {\n  env = "prod"\n}\n\n'
        'generate "provider" {\n  path      = "extra/provider.tf"\n  if_exists = "overwrite"\n  contents  = "provider \\"aws\\" {\\n  region = \\"us-east-1\\"\\n}\\n"\n}\n'
        'generate "disabled" {\n  path      = "disabled.tf"\n  if_exists = "overwrite"\n  disable   = true\n  contents  = "provider \\"aws\\" {\\n  region = \\"us-west-2\\"\\n}\\n"\n}\n',
        "modules/app/main.tf": APP_WITH_PROVIDER,
    })
    (unit,) = project().units
    assert unit.providers == ()


def test_a_dependencies_block_links_the_units(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    unit = 'terraform {{\n  source = "../../modules/app"\n}}\n\ninputs = {{\n  env = "{name}"\n}}\n'
    write(tmp_path, {
        "live/db/terragrunt.hcl": unit.format(name="db"),
        "live/app/terragrunt.hcl": unit.format(name="app") + '\ndependencies {\n  paths = ["../db"]\n}\n',
        "modules/app/main.tf": APP_WITH_PROVIDER,
    })
    assert main(["systems", ".", "--format", "json", "--no-cache"]) == 0
    (system,) = json.loads(capsys.readouterr().out)["systems"]
    (link,) = system["links"]
    assert (link["kind"], link["source"], link["target"]) == ("terragrunt-dependency", "live/app", "live/db")
    assert link["reason"] == "Terragrunt dependencies block: deployed after live/db"
    assert (link["path"], link["line"]) == ("live/app/terragrunt.hcl", 9)


def test_terragrunt_hcl_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = {
        "locals": {"region": "eu-west-1"},
        "generate": {"provider": {"path": "provider.tf", "if_exists": "overwrite", "contents": 'provider "aws" {\n  region = "eu-west-1"\n}\n'}},
        "inputs": {"env": "prod"},
    }
    child = {
        "include": {"path": "${find_in_parent_folders()}"},
        "terraform": {"source": "../../modules//app"},
        "dependency": {"db": {"config_path": "../db"}},
    }
    db = {"include": {"root": {"path": "${find_in_parent_folders()}"}}, "terraform": {"source": "../../modules//app"}}
    write(tmp_path, {
        "live/terragrunt.hcl.json": json.dumps(root, indent=2),
        "live/app/terragrunt.hcl.json": json.dumps(child, indent=2),
        "live/db/terragrunt.hcl.json": json.dumps(db, indent=2),
        "modules/app/main.tf": APP_WITH_PROVIDER,
    })
    loaded = project()
    assert loaded.problems == ()
    assert [u.id for u in loaded.units] == ["live/app", "live/db"]
    for unit in loaded.units:
        (web,) = unit.resources
        assert web.region == "eu-west-1" and web.attributes["tags"] == {"Env": "prod"}
    assert main(["systems", ".", "--format", "json", "--no-cache"]) == 0
    (system,) = json.loads(capsys.readouterr().out)["systems"]
    assert [link["kind"] for link in system["links"]] == ["terragrunt-dependency"]


LIVE_FIXTURES = ("fail_terragrunt_live_one_region", "pass_terragrunt_live_two_regions")


def _copy_live_fixtures(target: Path) -> None:
    import shutil

    for name in LIVE_FIXTURES:
        shutil.copytree(Path("fixtures/single_region_deployment") / name, target / name)


def _scan_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, workers: int, *argv: str) -> str:
    monkeypatch.setenv("RESILINT_WORKERS", str(workers))
    main(["scan", ".", "--exit-zero", "--severity", "error,warning,note", *argv])
    return capsys.readouterr().out


def test_serial_parallel_and_warm_scans_of_a_live_tree_are_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terragrunt configurations are read in the worker processes and their units built there,
    as Terraform roots are; a warm scan reads them from the parse cache. Nothing a user sees
    changes."""
    from resilint.parsers import parallel

    _copy_live_fixtures(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    forked: list[int] = []
    real_build = parallel.build

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_build(*args, **kwargs)
        forked.append(-1 if result is None or result[0] is None else len(result[0].units))
        return result

    monkeypatch.setattr(parallel, "build", counting)
    for fmt in ("json", "sarif"):
        serial = _scan_output(capsys, monkeypatch, 1, "--format", fmt, "--no-cache")
        assert "RES101" in serial
        assert _scan_output(capsys, monkeypatch, 2, "--format", fmt, "--no-cache") == serial
        # six Terragrunt units and no plain root, built in workers
        assert forked[-1] == 6
        monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / f"cache-{fmt}"))
        assert _scan_output(capsys, monkeypatch, 2, "--format", fmt) == serial  # cold: the workers write the cache
        assert _scan_output(capsys, monkeypatch, 1, "--format", fmt) == serial  # warm
        assert _scan_output(capsys, monkeypatch, 2, "--format", fmt) == serial  # warm, forked
        monkeypatch.delenv("RESILINT_CACHE_DIR")


def test_a_warm_scan_builds_no_terragrunt_unit_until_what_it_reads_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Terragrunt unit's cache key holds its module's files, its inputs (the outputs of the
    units it depends on included) and its generated files: a change to any of them builds it
    again, with the same result as a scan without the cache."""
    from resilint.parsers.terraform import loader

    _copy_live_fixtures(tmp_path)
    monkeypatch.chdir(tmp_path / LIVE_FIXTURES[0])
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RESILINT_WORKERS", "1")
    builds: list[str] = []
    real_build_unit = loader._build_unit

    def counting(root, *args, **kwargs):  # type: ignore[no-untyped-def]
        builds.append(root.display)
        return real_build_unit(root, *args, **kwargs)

    monkeypatch.setattr(loader, "_build_unit", counting)

    def scan_json(*argv: str) -> str:
        main(["scan", ".", "--format", "json", "--exit-zero", *argv])
        return capsys.readouterr().out

    cold = scan_json()
    assert sorted(builds) == ["live/prod/us-east-1/app", "live/prod/us-east-1/network"]
    builds.clear()
    assert scan_json() == cold and builds == []
    changes = {
        # the region the generated provider names
        "live/prod/us-east-1/region.hcl": ('"us-east-1"', '"eu-west-1"'),
        # a dependency's output, read by the app through its inputs
        "modules/network/main.tf": ("aws_subnet.a.id", "aws_vpc.this.id"),
        # the generated file itself
        "live/root.hcl": ('"${local.region}"', '"us-west-2"'),
    }
    for path, (old, new) in changes.items():
        text = (tmp_path / LIVE_FIXTURES[0] / path).read_text()
        (tmp_path / LIVE_FIXTURES[0] / path).write_text(text.replace(old, new))
        builds.clear()
        warm = scan_json()
        assert "live/prod/us-east-1/app" in builds, path
        assert warm == scan_json("--no-cache"), path
    assert json.loads(warm)["findings"][0]["message"].startswith("system live/prod/us-east-1/* serves only from us-west-2")


def test_a_warm_scan_evaluates_no_terragrunt_configuration_until_what_it_observed_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A configuration's evaluation is cached with what it observed: the files it read (itself,
    its include, read_terragrunt_config()), what find_in_parent_folders() found where, and its
    dependencies' outputs. A change to any of them evaluates it again, with the bytes of a scan
    without the cache; nothing else does."""
    from resilint.parsers.terraform import terragrunt

    _copy_live_fixtures(tmp_path)
    repo = tmp_path / LIVE_FIXTURES[0]
    monkeypatch.chdir(repo)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RESILINT_WORKERS", "1")
    evaluated: list[str] = []
    real_read_config = terragrunt._read_config

    def counting(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        evaluated.append(path.parent.relative_to(repo).as_posix())
        return real_read_config(path, *args, **kwargs)

    monkeypatch.setattr(terragrunt, "_read_config", counting)

    def scan_json(*argv: str) -> str:
        evaluated.clear()
        main(["scan", ".", "--format", "json", "--exit-zero", *argv])
        return capsys.readouterr().out

    app, network = "live/prod/us-east-1/app", "live/prod/us-east-1/network"
    cold = scan_json()
    assert sorted(evaluated) == [app, network]
    assert scan_json() == cold and evaluated == []

    def change(path: str, old: str, new: str) -> None:
        target = repo / path
        text = target.read_text() if target.exists() else ""
        assert old in text
        target.write_text(text.replace(old, new, 1) if old else new)

    steps = [
        # read_terragrunt_config(): the region both units deploy to
        ("live/prod/us-east-1/region.hcl", '"us-east-1"', '"eu-west-1"', {app, network}),
        # the included file (its generated provider)
        ("live/root.hcl", '"${local.region}"', '"${local.region}" # pinned', {app, network}),
        # the dependency's outputs, which the app's inputs read
        ("modules/network/main.tf", "aws_subnet.a.id", "aws_vpc.this.id", {app}),
        # the child configuration itself
        (f"{app}/terragrunt.hcl", '"t3.large"', '"t3.xlarge"', {app}),
    ]
    for path, old, new, expected in steps:
        change(path, old, new)
        warm = scan_json()
        assert set(evaluated) == expected, path
        assert warm == scan_json("--no-cache"), path
        assert scan_json() == warm and evaluated == [], path
    # A nearer root.hcl: find_in_parent_folders() now finds another file, for both units.
    pinned = (repo / "live/root.hcl").read_text().replace('"${local.region}" # pinned', '"ap-south-1"')
    change("live/prod/root.hcl", "", pinned)
    warm = scan_json()
    assert set(evaluated) == {app, network}
    assert warm == scan_json("--no-cache")
    assert "ap-south-1" in warm
    # The same cache, scanned from another working directory: display paths follow it.
    monkeypatch.chdir(repo / "live")
    assert scan_json() == scan_json("--no-cache")
