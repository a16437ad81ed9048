"""Module libraries: a folder made to be called, that nothing in the scan calls, is not judged on
its variables' defaults; examples that call their repository's submodule by registry address are
judged with the local code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from tests.conftest import write

POSTGRES = '''variable "project_id" {}

variable "availability_type" {
  default = "ZONAL"
}

resource "google_sql_database_instance" "default" {
  project          = var.project_id
  name             = "db"
  database_version = "POSTGRES_15"
  region           = "us-central1"
  settings {
    tier              = "db-custom-1-3840"
    availability_type = var.availability_type
  }
}
'''


def scan(capsys: pytest.CaptureFixture[str], root: Path) -> list[tuple[str, str]]:
    main(["scan", str(root), "--format", "json", "--no-cache"])
    return sorted((f["rule_id"], f["unit"]) for f in json.loads(capsys.readouterr().out)["findings"])


def test_a_library_that_nothing_calls_is_not_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"terraform-google-sql-db/modules/postgresql/main.tf": POSTGRES})
    assert scan(capsys, Path(".")) == []
    main(["systems", ".", "--format", "json", "--no-cache"])
    (system,) = json.loads(capsys.readouterr().out)["systems"]
    assert system["library"] is True
    # The simulation judges it where it is called too, not as a system that goes down on its own.
    main(["simulate", ".", "--fail", "gcp:us-central1", "--format", "json", "--no-cache"])
    assert json.loads(capsys.readouterr().out)["systems"] == []


def test_the_same_folder_deployed_as_a_root_is_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    provider = 'provider "google" {\n  region = "us-central1"\n}\n\n'
    write(tmp_path, {"db/main.tf": provider + POSTGRES})
    assert ("RES302", "db") in scan(capsys, Path("."))


def test_an_example_calling_a_submodule_by_registry_address_judges_the_local_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    example = (
        'provider "google" {\n  region = "us-central1"\n}\n\n'
        'module "pg" {\n  source     = "terraform-google-modules/sql-db/google//modules/postgresql"\n'
        '  version    = "~> 26.0"\n  project_id = "p"\n}\n'
    )
    write(tmp_path, {
        "terraform-google-sql-db/modules/postgresql/main.tf": POSTGRES,
        "terraform-google-sql-db/examples/postgresql-public/main.tf": example,
    })
    found = scan(capsys, Path("."))
    # judged once, in the example that calls it (ZONAL by default), never as a library of its own
    assert ("RES302", "terraform-google-sql-db/examples/postgresql-public") in found
    assert all(unit == "terraform-google-sql-db/examples/postgresql-public" for _, unit in found)


def test_a_checkout_under_another_name_resolves_submodules_by_its_git_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    example = (
        'provider "google" {\n  region = "us-central1"\n}\n\n'
        'module "pg" {\n  source     = "terraform-google-modules/sql-db/google//modules/postgresql"\n'
        '  project_id = "p"\n}\n\n'
        'module "vpc" {\n  source = "terraform-google-modules/network/google"\n}\n'
    )
    write(tmp_path, {
        "src/.git/HEAD": "ref: refs/heads/main\n",
        "src/modules/postgresql/main.tf": POSTGRES,
        "src/main.tf": 'resource "google_compute_network" "x" {\n  name = "x"\n}\n',
        "src/examples/postgresql-public/main.tf": example,
    })
    found = scan(capsys, Path("."))
    assert ("RES302", "src/examples/postgresql-public") in found
    # the top of the checkout is never taken for another repository's module
    main(["systems", ".", "--format", "json", "--no-cache"])
    ids = [u["id"] for s in json.loads(capsys.readouterr().out)["systems"] for u in s["units"]]
    assert "src" in ids
