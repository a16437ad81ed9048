"""SAM `DefinitionUri` files: a state machine's local definition file is read as its
`Definition`, and the parse cache keys the template with that file's text."""

from __future__ import annotations

import shutil
from pathlib import Path

from resilint.cache import ParseCache
from resilint.config import Settings
from resilint.parsers import ParseOptions
from resilint.parsers.cloudformation.definitions import cache_content, named_files
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "no_cross_region_replication"


def test_the_files_definition_uri_values_name() -> None:
    text = (
        "Resources:\n  A:\n    Properties:\n      DefinitionUri: statemachine/a.asl.json\n"
        '  B:\n    Properties:\n      "DefinitionUri": "./b.asl.yaml"\n'
        "  C:\n    Properties:\n      DefinitionUri: s3://bucket/c.json\n"
        "  D:\n    Properties:\n      DefinitionUri:\n        Bucket: b\n        Key: d.json\n"
        "  E:\n    Properties:\n      DefinitionUri: !Sub '${Prefix}/e.json'\n"
    )
    assert named_files(text) == ("./b.asl.yaml", "statemachine/a.asl.json")
    assert named_files("Resources: {}") == ()


def test_the_definition_file_is_the_state_machines_definition() -> None:
    found = {(f.resource, f.line) for f in scan([FIXTURES / "fail_cfn_sam_state_machine_definition_uri"], Settings(select=("RES103", "RES001")), ParseOptions()).findings}
    # Results holds the query results the definition file names; Elsewhere's file is missing.
    assert found == {("Orders", 10), ("Elsewhere", 14)}
    unit = scan([FIXTURES / "fail_cfn_sam_state_machine_definition_uri"], Settings(select=("RES103",)), ParseOptions()).project.units[0]
    report = unit.resource("Report")
    assert report is not None and "DefinitionUri" not in report.attributes
    assert report.attributes["Definition"]["States"]["Query"]["Parameters"]["ResultConfiguration"] == {"OutputLocation": "s3://${ResultsBucket}/report/"}
    # The file is one the unit is built from: a change to it rebuilds the unit in file mode.
    assert len(unit.files) == 2 and unit.files[1].endswith("fail_cfn_sam_state_machine_definition_uri/statemachine/report.asl.json")
    (note,) = [n for n in unit.notes if "Missing" in n.message]
    assert note.message == "state machine Missing: DefinitionUri statemachine/missing.asl.yaml is not read (the file is not found); its definition is not judged"
    assert note.location.line == 26


def test_a_change_to_the_definition_file_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(FIXTURES / "pass_cfn_sam_state_machine_definition_uri_yaml", case)
    cache = ParseCache(tmp_path / "cache")

    def findings() -> set[str | None]:
        options = ParseOptions(cache=cache, parallel=False)
        return {f.resource for f in scan([case], Settings(select=("RES103",)), options).findings}

    assert findings() == set() and cache.misses == 1
    assert findings() == set() and cache.hits == 1  # warm: answered from the cache
    definition = case / "statemachine" / "report.asl.yaml"
    definition.write_text(definition.read_text().replace("s3://${ResultsBucket}/daily/", "s3://elsewhere/daily/"))
    assert findings() == {"Results"} and cache.misses == 2  # the results go elsewhere: Results is data
    content = cache_content(case / "template.yaml", (case / "template.yaml").read_text(), 1 << 20)
    assert "s3://elsewhere/daily/" in content
