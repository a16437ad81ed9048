"""SARIF: valid against the official 2.1.0 schema, shaped for GitHub code scanning."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import jsonschema
import pytest

from resilint.cli import main
from resilint.reporters.sarif import FINGERPRINT_KEY, artifact_uri

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)


def sarif(*paths: str) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        main(["scan", *paths, "--format", "sarif", "--no-cache"])
    return json.loads(out.getvalue())


def test_whole_fixture_tree_is_valid_and_well_formed() -> None:
    log = sarif("fixtures")
    assert list(VALIDATOR.iter_errors(log)) == []
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["informationUri"]) == ("resilint", "https://github.com/resilint/resilint")
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted({r["ruleId"] for r in run["results"]}), "rules: exactly those with results"
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["markdown"].startswith(f"# {rule['id']} ")
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["security-severity"], str)
        float(rule["properties"]["security-severity"])
        assert "resilience" in rule["properties"]["tags"]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        (location,) = result["locations"]
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:", "http", "git::")) and "\\" not in uri
        assert (REPO / uri).is_file(), uri
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        fingerprint = result["partialFingerprints"][FINGERPRINT_KEY]
        assert len(fingerprint) == 32
    assert any(r["ruleId"] == "RES001" for r in run["results"]), "parse failures are results too"
    assert any("logicalLocations" in r["locations"][0] for r in run["results"])


@pytest.mark.parametrize("case", sorted(p.relative_to(REPO).as_posix() for p in (REPO / "fixtures").glob("*/*") if p.is_dir()))
def test_every_fixture_case_is_valid_sarif(case: str) -> None:
    assert list(VALIDATOR.iter_errors(sarif(case))) == []


def test_same_input_same_bytes() -> None:
    assert json.dumps(sarif("fixtures")) == json.dumps(sarif("fixtures"))


@pytest.mark.parametrize(
    "path, uri",
    [
        ("infra/main.tf", "infra/main.tf"),
        ("infra\\db\\main.tf", "infra/db/main.tf"),
        ("infra/my stack.yaml", "infra/my%20stack.yaml"),
        ("/abs/infra/main.tf", "abs/infra/main.tf"),
        ("git::https://example.com/mod.git//main.tf", "example.com/mod.git/main.tf"),
        ("https://registry.example/x.tf", "registry.example/x.tf"),
    ],
)
def test_uris_are_always_relative(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri
