"""Systems from Terraform: remote state by backend address, region folders, configuration, and
the layouts that are not one system (dev and prod)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from tests.conftest import write


def app(region: str, backend: str = "", extra: str = "") -> str:
    return f'{backend}\nprovider "aws" {{\n  region = "{region}"\n}}\n\nresource "aws_instance" "web" {{\n  ami = "ami-1"\n}}\n{extra}'


def s3_backend(key: str, bucket: str = "acme-state") -> str:
    return f'terraform {{\n  backend "s3" {{\n    bucket = "{bucket}"\n    key    = "{key}"\n    region = "us-east-1"\n  }}\n}}\n'


def systems(capsys: pytest.CaptureFixture[str], root: Path, *argv: str) -> list[dict]:
    assert main(["systems", str(root), "--format", "json", "--no-cache", *argv]) == 0
    found: list[dict] = json.loads(capsys.readouterr().out)["systems"]
    return found


def findings(capsys: pytest.CaptureFixture[str], root: Path, rule: str = "RES101") -> list[dict]:
    main(["scan", str(root), "--format", "json", "--no-cache", "--select", rule])
    found: list[dict] = json.loads(capsys.readouterr().out)["findings"]
    return found


def units(found: list[dict]) -> list[list[str]]:
    return [[u["id"] for u in s["units"]] for s in found]


READS_DR = '''
data "terraform_remote_state" "dr" {
  backend = "s3"
  config = {
    bucket = "acme-state"
    key    = "app/dr.tfstate"
    region = "us-east-1"
  }
}

output "dr_ip" {
  value = data.terraform_remote_state.dr.outputs.web_ip
}
'''


def test_remote_state_links_the_reader_to_the_unit_with_that_backend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "primary/main.tf": app("us-east-1", s3_backend("app/primary.tfstate"), READS_DR),
        "dr/main.tf": app("us-west-2", s3_backend("app/dr.tfstate")),
        "other/main.tf": app("us-east-1", s3_backend("other.tfstate")),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["dr", "primary"], ["other"]]
    (link,) = [link for link in found[0]["links"] if link["kind"] == "remote-state"]
    assert (link["kind"], link["source"], link["target"], link["path"], link["line"]) == ("remote-state", "primary", "dr", "primary/main.tf", 17)
    assert "s3://acme-state/app/dr.tfstate" in link["reason"] and "outputs web_ip" in link["reason"]
    assert found[0]["regions"] == ["us-east-1", "us-west-2"]
    # The system serves from two regions: no RES101 for either root; the unlinked root keeps its own.
    assert [(f["unit"], f["path"]) for f in findings(capsys, Path("."))] == [("other", "other/main.tf")]


def test_a_system_in_one_region_is_flagged_once_naming_each_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "primary/main.tf": app("us-east-1", s3_backend("app/primary.tfstate"), READS_DR),
        "dr/main.tf": app("us-east-1", s3_backend("app/dr.tfstate")),
    })
    (finding,) = findings(capsys, Path("."))
    assert (finding["path"], finding["line"], finding["unit"]) == ("dr/main.tf", 9, "dr")
    assert finding["message"].startswith("system dr + primary serves only from us-east-1:")
    assert "dr in us-east-1; primary in us-east-1" in finding["message"]


@pytest.mark.parametrize(
    ("backend", "reader"),
    [
        (
            'terraform {\n  backend "gcs" {\n    bucket = "acme-tf"\n    prefix = "network/"\n  }\n}\n',
            'data "terraform_remote_state" "x" {\n  backend = "gcs"\n  config = {\n    bucket = "acme-tf"\n    prefix = "network"\n  }\n}\n',
        ),
        (
            'terraform {\n  backend "azurerm" {\n    storage_account_name = "acme"\n    container_name = "tfstate"\n    key = "net.tfstate"\n    resource_group_name = "rg"\n  }\n}\n',
            'data "terraform_remote_state" "x" {\n  backend = "azurerm"\n  config = {\n    storage_account_name = "acme"\n    container_name = "tfstate"\n    key = "net.tfstate"\n  }\n}\n',
        ),
        (
            'terraform {\n  backend "remote" {\n    organization = "acme"\n    workspaces {\n      name = "network"\n    }\n  }\n}\n',
            'data "terraform_remote_state" "x" {\n  backend = "remote"\n  config = {\n    organization = "acme"\n    workspaces = {\n      name = "network"\n    }\n  }\n}\n',
        ),
        (
            'terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n      name = "network"\n    }\n  }\n}\n',
            'data "tfe_outputs" "x" {\n  organization = "acme"\n  workspace = "network"\n}\n',
        ),
        (
            "",  # no backend: the local state in the root's folder
            'data "terraform_remote_state" "x" {\n  backend = "local"\n  config = {\n    path = "../network/terraform.tfstate"\n  }\n}\n',
        ),
        (
            'terraform {\n  backend "local" {\n    path = "state/net.tfstate"\n  }\n}\n',
            'data "terraform_remote_state" "x" {\n  backend = "local"\n  config = {\n    path = "${path.module}/../network/state/net.tfstate"\n  }\n}\n',
        ),
        (
            'terraform {\n  backend "s3" {}\n}\n',  # partial: the rest in a .tfbackend file
            'locals {\n  bucket = "acme-state"\n}\n\ndata "terraform_remote_state" "x" {\n  backend = "s3"\n  config = {\n    bucket = local.bucket\n    key = "net/terraform.tfstate"\n  }\n}\n',
        ),
    ],
    ids=["gcs", "azurerm", "remote", "cloud-tfe-outputs", "local-default", "local-path", "s3-tfbackend"],
)
def test_remote_state_per_backend_kind(
    backend: str, reader: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "network/main.tf": backend + app("us-east-1"),
        "network/prod.s3.tfbackend": 'bucket = "acme-state"\nkey    = "net/terraform.tfstate"\n',
        "app/main.tf": app("us-west-2", extra=reader),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["app", "network"]]
    assert [(link["kind"], link["source"], link["target"]) for link in found[0]["links"]] == [("remote-state", "app", "network")]


def test_no_link_on_an_address_that_is_not_known_or_not_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    unknown = 'variable "bucket" {}\n\ndata "terraform_remote_state" "x" {\n  backend = "s3"\n  config = {\n    bucket = var.bucket\n    key = "other.tfstate"\n  }\n}\n'
    no_key = 'data "terraform_remote_state" "z" {\n  backend = "s3"\n  config = {\n    bucket = var.bucket\n    key = var.bucket\n  }\n}\n'
    other_key = 'data "terraform_remote_state" "y" {\n  backend = "s3"\n  config = {\n    bucket = "acme-state"\n    key = "elsewhere.tfstate"\n  }\n}\n'
    other_bucket = 'data "terraform_remote_state" "w" {\n  backend = "s3"\n  config = {\n    bucket = "other-state"\n    key = var.bucket\n  }\n}\n'
    write(tmp_path, {
        "network/main.tf": app("us-east-1", s3_backend("net.tfstate")),
        "app/main.tf": app("us-west-2", extra=unknown + no_key + other_key + other_bucket),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["app"], ["network"]]
    # What did not link is shown with why, so that a user can join what should be joined.
    declare = "give what it is built from a value (--var, a .tfvars file), or declare the system in configuration ([[systems]])"
    assert [(r["name"], r["line"], r["reason"]) for r in found[0]["unlinked_reads"]] == [
        (
            "data.terraform_remote_state.x", 11,
            "its address is not wholly known and what is known (key = other.tfstate) matches no scanned root's backend",
        ),
        ("data.terraform_remote_state.z", 18, f"the address of the state it reads is not known: {declare}"),
        ("data.terraform_remote_state.y", 25, "no scanned root has the backend s3://acme-state/elsewhere.tfstate"),
        (
            "data.terraform_remote_state.w", 32,
            "its address is not wholly known and what is known (bucket = other-state) matches no scanned root's backend",
        ),
    ]
    assert found[1]["unlinked_reads"] == []


def test_the_values_an_unlinked_read_asks_for_can_be_given_to_systems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unlinked read says "give ... a value (--var, a .tfvars file)": `resilint systems`
    refused --var and --var-file, so the advice could not be followed where it was given."""
    monkeypatch.chdir(tmp_path)
    reads = 'variable "bucket" {}\n\ndata "terraform_remote_state" "net" {\n  backend = "s3"\n  config = {\n    bucket = var.bucket\n    key = var.bucket\n  }\n}\n'
    write(tmp_path, {
        "network/main.tf": app("us-east-1", s3_backend("net.tfstate")),
        "app/main.tf": app("us-east-1", extra=reads),
        "app.tfvars": 'bucket = "acme-state"\n',
    })
    assert "acme-state" not in systems(capsys, Path("."))[0]["unlinked_reads"][0]["reason"]
    # bucket and key are both var.bucket: "acme-state" is no key, so nothing links, but the
    # value is read (the read's reason names what is known).
    for given in (("--var", "bucket=acme-state"), ("--var-file", "app.tfvars")):
        found = systems(capsys, Path("."), *given)
        assert units(found) == [["app"], ["network"]]
        assert "acme-state" in found[0]["unlinked_reads"][0]["reason"]
    assert main(["systems", ".", "--no-cache", "--var", "bucketz=acme-state"]) == 2
    assert 'no root module scanned declares a variable named "bucketz"; did you mean bucket?' in capsys.readouterr().err


def test_systems_reports_inputs_it_could_not_read_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It printed the systems of what it could read and exited 0, saying nothing of the rest."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"network/main.tf": app("us-east-1"), "app/main.tf": 'resource "aws_instance" "web" {\n  ami = \n}\n'})
    assert main(["systems", ".", "--no-cache"]) == 2
    out, err = capsys.readouterr()
    assert "unit network (us-east-1)" in out
    assert err == "app/main.tf:2: RES001 expected an expression after '=', found '}'\n"


def test_systems_of_a_folder_with_nothing_to_read_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As scan warns: "0 systems" for a mistyped folder (a README) passed in silence."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"docs/README.md": "# nothing here\n"})
    assert main(["systems", "docs", "--no-cache"]) == 0
    out, err = capsys.readouterr()
    assert out == "0 systems, 0 units\n"
    assert err == "resilint: warning: no Terraform or CloudFormation files under docs\n"


def test_a_named_file_shows_the_systems_it_concerns(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`resilint systems infra/a/main.tf` (and simulate) showed every system of the repository
    the file is in, as if the repository had been named."""
    repo = write(tmp_path / "repo", {
        "a/main.tf": app("us-east-1"),
        "a/terraform.tfvars": "\n",
        "b/main.tf": app("us-west-2"),
        "README.md": "# infra\n",
    })
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    assert units(systems(capsys, Path("a/main.tf"))) == [["a"]]
    assert units(systems(capsys, Path("a/terraform.tfvars"))) == [["a"]]
    assert units(systems(capsys, Path("b/main.tf"))) == [["b"]]
    assert main(["simulate", "b/main.tf", "--no-cache", "--fail", "aws:us-west-2"]) == 1
    out = capsys.readouterr().out
    assert "\nb: down\n" in out and "\na: " not in out and out.endswith("\n1 system: 0 up, 0 degraded, 1 down, 0 unknown\n")
    assert main(["simulate", "README.md", "--no-cache", "--fail", "aws"]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("0 systems: 0 up, 0 degraded, 0 down, 0 unknown\n")
    assert err == "resilint: warning: no deployment unit is in README.md or reads it\n"


BUCKET_UNKNOWN = """
variable "state_bucket" {}

data "terraform_remote_state" "primary" {
  backend = "s3"
  config = {
    bucket = var.state_bucket
    key    = "%s"
    region = "us-east-1"
  }
}

output "primary_ip" {
  value = data.terraform_remote_state.primary.outputs.web_ip
}
"""
PARTIAL_S3 = 'terraform {\n  backend "s3" {}\n}\n'


def test_a_read_whose_bucket_is_not_known_links_by_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bucket comes from a variable without a value; the key is the one backend's key."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "primary/main.tf": app("us-east-1", s3_backend("app/primary.tfstate")) + 'output "web_ip" {\n  value = aws_instance.web.private_ip\n}\n',
        "dr/main.tf": app("us-west-2", extra=BUCKET_UNKNOWN % "app/primary.tfstate"),
        "other/main.tf": app("us-east-1", s3_backend("other.tfstate")),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["dr", "primary"], ["other"]]
    (link,) = [link for link in found[0]["links"] if link["kind"] == "remote-state"]
    assert (link["source"], link["target"]) == ("dr", "primary")
    assert link["reason"] == (
        "data.terraform_remote_state.primary reads the state of primary: its bucket is not known, "
        "but its key app/primary.tfstate is that root's backend's; outputs web_ip"
    )


def test_a_key_left_to_terraform_init_is_matched_by_the_folder_it_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`backend "s3" {}` with bucket and key given to `terraform init -backend-config` by a
    script (QaysAlnajjad/aws-multi-region-wordpress-dr): the reader's key names the root's folder."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "environments/primary/app/main.tf": app("us-east-1", PARTIAL_S3),
        "environments/dr/app/main.tf": app("us-west-2", PARTIAL_S3, BUCKET_UNKNOWN % "environments/primary/app/terraform.tfstate"),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["environments/dr/app", "environments/primary/app"]]
    (link,) = [link for link in found[0]["links"] if link["kind"] == "remote-state"]
    assert (link["source"], link["target"]) == ("environments/dr/app", "environments/primary/app")
    assert "its key environments/primary/app/terraform.tfstate names that root's folder, whose backend leaves the key to terraform init" in link["reason"]


def test_a_key_that_names_several_folders_links_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`app/terraform.tfstate` may be either root's state: which one is not in the code. A key
    given by a *.tfbackend file is not left to the command line: no folder convention either."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "blue/app/main.tf": app("us-east-1", PARTIAL_S3),
        "green/app/main.tf": app("us-east-2", PARTIAL_S3),
        "net/main.tf": app("us-east-1", PARTIAL_S3),
        "net/prod.tfbackend": 'region = "us-east-1"\n',
        "reader/main.tf": app("us-west-2", extra=BUCKET_UNKNOWN % "app/terraform.tfstate"),
        "reader2/main.tf": app("us-west-2", extra=BUCKET_UNKNOWN % "net/terraform.tfstate"),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["blue/app"], ["green/app"], ["net"], ["reader"], ["reader2"]]
    (reader,) = found[3]["unlinked_reads"]
    assert reader["reason"] == (
        "its address is not wholly known and what is known (key = app/terraform.tfstate) matches 2 roots "
        "(blue/app, green/app): which one is not in the code; give what it is built from a value (--var, a "
        ".tfvars file), or declare the system in configuration ([[systems]])"
    )
    assert main(["systems", ".", "--no-cache"]) == 0
    assert (
        "  unlinked reader: data.terraform_remote_state.primary (reader/main.tf:12): its address is not wholly known"
        in capsys.readouterr().out
    )


MODULE = 'variable "name" {}\n\nresource "aws_instance" "web" {\n  ami = "ami-1"\n  tags = { Name = var.name }\n}\n'


def region_root(region: str) -> str:
    return f'provider "aws" {{\n  region = "{region}"\n}}\n\nmodule "app" {{\n  source = "../../../modules/app"\n  name   = "app"\n}}\n'


def test_region_folders_calling_one_module_are_one_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "modules/app/main.tf": MODULE,
        "deploy/prod/us-east-1/main.tf": region_root("us-east-1"),
        "deploy/prod/us-west-2/main.tf": region_root("us-west-2"),
    })
    (system,) = systems(capsys, Path("."))
    assert system["name"] == "deploy/prod/*"
    assert system["regions"] == ["us-east-1", "us-west-2"]
    (link,) = system["links"]
    assert link["kind"] == "region-sibling" and "modules/app" in link["reason"]
    assert findings(capsys, Path(".")) == []


def test_dev_and_prod_are_different_systems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "modules/app/main.tf": MODULE,
        "deploy/dev/us-east-1/main.tf": region_root("us-east-1"),
        "deploy/prod/us-west-2/main.tf": region_root("us-west-2"),
        # same region segment layout, but other code: not copies of one deployment
        "deploy/prod/eu-west-1/main.tf": app("eu-west-1"),
    })
    assert units(systems(capsys, Path("."))) == [["deploy/dev/us-east-1"], ["deploy/prod/eu-west-1"], ["deploy/prod/us-west-2"]]
    assert sorted(f["unit"] for f in findings(capsys, Path("."))) == ["deploy/dev/us-east-1", "deploy/prod/eu-west-1", "deploy/prod/us-west-2"]


def test_configured_systems(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        ".resilint.toml": '[[systems]]\nname = "checkout"\nunits = ["stacks/checkout-*"]\nregions = ["us-east-1", "us-west-2"]\n\n'
        '[[systems]]\nname = "search"\nunits = ["stacks/search-*"]\n',
        "stacks/checkout-api/main.tf": app("us-east-1"),
        "stacks/checkout-db/main.tf": app("us-east-1"),
        "stacks/search-a/main.tf": app("eu-west-1"),
        "stacks/search-b/main.tf": app("eu-west-1"),
    })
    found = systems(capsys, Path("."))
    assert [(s["name"], s["configured"], s["regions"]) for s in found] == [
        ("checkout", True, ["us-east-1", "us-west-2"]),
        ("search", True, ["eu-west-1"]),
    ]
    assert found[0]["links"][0]["reason"] == "configuration declares system 'checkout' in us-east-1, us-west-2"
    # checkout is declared in two regions; search runs in one, flagged once
    (finding,) = findings(capsys, Path("."))
    assert finding["unit"] == "stacks/search-a" and finding["message"].startswith("system search serves only from eu-west-1")


def test_systems_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "primary/main.tf": app("us-east-1", s3_backend("app/primary.tfstate"), READS_DR),
        "dr/main.tf": app("us-west-2", s3_backend("app/dr.tfstate")),
    })
    assert main(["systems", ".", "--no-cache"]) == 0
    assert capsys.readouterr().out == (
        "system dr + primary (found; us-east-1, us-west-2)\n"
        "  unit dr (us-west-2)\n"
        "  unit primary (us-east-1)\n"
        "  link region-sibling primary -> dr: the two sides of a failover pair: the folders differ only in the role "
        "(dr and primary) and they declare the same resources\n"
        "  link remote-state primary -> dr: data.terraform_remote_state.dr reads the state of dr "
        "(s3://acme-state/app/dr.tfstate, outputs web_ip) (primary/main.tf:17)\n"
        "\n"
        "1 system, 2 units\n"
    )


def test_bad_systems_configuration_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {".resilint.toml": '[[systems]]\nname = "x"\nunits = []\n', "main.tf": app("us-east-1")})
    assert main(["systems", str(tmp_path), "--no-cache"]) == 2
    assert "systems.0.units" in capsys.readouterr().err


def test_primary_and_dr_folders_running_the_same_modules_are_one_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "modules/app/main.tf": MODULE,
        "environments/primary/main.tf": region_root("us-east-1").replace("../../../modules", "../../modules"),
        "environments/dr/main.tf": region_root("us-west-2").replace("../../../modules", "../../modules"),
        "environments/dev/main.tf": region_root("us-east-1").replace("../../../modules", "../../modules"),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["environments/dr", "environments/primary"], ["environments/dev"]]
    assert "failover pair" in found[0]["links"][0]["reason"]
    assert [f["unit"] for f in findings(capsys, Path("."))] == ["environments/dev"]


def test_remote_state_read_in_a_called_module_links_the_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `terraform_remote_state` inside a local module the root calls reads a state as well as
    one in the root: the root is linked, and the other root's outputs flow into the module."""
    monkeypatch.chdir(tmp_path)
    module = READS_DR.replace("output \"dr_ip\"", "output \"standby\"") + (
        'variable "state_bucket" {}\n\nresource "aws_route53_record" "standby" {\n  zone_id = "Z1"\n  name    = "standby.example.com"\n'
        '  type    = "A"\n  ttl     = 60\n  records = [data.terraform_remote_state.dr.outputs.web_ip]\n}\n'
    ).replace("acme-state", "${var.state_bucket}")
    module = module.replace('bucket = "${var.state_bucket}"', "bucket = var.state_bucket")
    write(tmp_path, {
        "primary/main.tf": app("us-east-1", s3_backend("app/primary.tfstate"), 'module "dns" {\n  source       = "../modules/dns"\n  state_bucket = "acme-state"\n}\n'),
        "modules/dns/main.tf": module,
        "dr/main.tf": app("us-west-2", s3_backend("app/dr.tfstate"), 'output "web_ip" {\n  value = aws_instance.web.public_ip\n}\n'),
    })
    found = systems(capsys, Path("."))
    assert units(found) == [["dr", "primary"]]
    (link,) = found[0]["links"]
    assert (link["kind"], link["source"], link["target"], link["path"]) == ("remote-state", "primary", "dr", "modules/dns/main.tf")
    assert link["reason"].startswith("module.dns.data.terraform_remote_state.dr reads the state of dr (s3://acme-state/app/dr.tfstate")
    assert findings(capsys, Path(".")) == [], "the system serves from two regions"
    from resilint.config import Settings
    from resilint.parsers import ParseOptions
    from resilint.scan import load_project

    primary = load_project([Path(".")], Settings(), ParseOptions()).unit("primary")
    assert primary is not None
    (record,) = primary.of_type("aws_route53_record")
    (value,) = record.attributes["records"]
    assert [(r.unit, r.address) for ref in value.refs for r in primary.resolve(ref)] == [("dr", "aws_instance.web")]
