"""Systems from CloudFormation: a StackSet and the local template it deploys, the stacks of one
CDK app; what `resilint systems` shows of them and how RES101 judges them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from tests.conftest import write

STACK_SET = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fleet:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: fleet
      PermissionModel: SELF_MANAGED
      TemplateURL: app.yaml
      StackInstancesGroup:
        - DeploymentTargets: {Accounts: ["123456789012"]}
          Regions: [eu-west-1, us-east-1]
"""
APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: app.handler}
"""


def systems(capsys: pytest.CaptureFixture[str], root: Path) -> list[dict]:
    assert main(["systems", str(root), "--format", "json", "--no-cache"]) == 0
    found: list[dict] = json.loads(capsys.readouterr().out)["systems"]
    return found


def res101(capsys: pytest.CaptureFixture[str], root: Path) -> list[dict]:
    main(["scan", str(root), "--format", "json", "--no-cache", "--select", "RES101"])
    found: list[dict] = json.loads(capsys.readouterr().out)["findings"]
    return found


def test_a_stack_set_links_its_stack_to_the_template_it_deploys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"org.yaml": STACK_SET, "app.yaml": APP})
    (system,) = systems(capsys, Path("."))
    assert [u["id"] for u in system["units"]] == ["app.yaml", "org.yaml"]
    assert system["regions"] == ["eu-west-1", "us-east-1"]
    (link,) = system["links"]
    assert (link["kind"], link["source"], link["target"]) == ("stack-set", "org.yaml", "app.yaml")
    assert link["reason"] == "StackSet Fleet deploys app.yaml to eu-west-1, us-east-1"
    assert (link["path"], link["line"]) == ("org.yaml", 3)
    assert main(["systems", ".", "--no-cache"]) == 0
    assert "link stack-set org.yaml -> app.yaml: StackSet Fleet deploys app.yaml to eu-west-1, us-east-1 (org.yaml:3)" in capsys.readouterr().out
    assert res101(capsys, Path(".")) == []


def test_a_stack_set_to_one_region_is_one_finding_at_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"org.yaml": STACK_SET.replace("[eu-west-1, us-east-1]", "[eu-west-1]"), "app.yaml": APP})
    (finding,) = res101(capsys, Path("."))
    assert finding["path"] == "app.yaml" and finding["line"] == 1
    assert "system " in finding["message"] and "app.yaml in eu-west-1" in finding["message"]
    assert "org.yaml serves nothing" in finding["message"]


def _cdk(regions: dict[str, str]) -> dict[str, str]:
    artifacts = {
        name: {"type": "aws:cloudformation:stack", "environment": f"aws://1/{region}", "properties": {"templateFile": f"{name}.template.json"}}
        for name, region in regions.items()
    }
    artifacts["Assets"] = {"type": "cdk:asset-manifest", "properties": {"file": "Assets.json"}}
    body = json.dumps({"Resources": {"Api": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "a.b"}}}})
    files = {f"cdk.out/{name}.template.json": body for name in regions}
    files["cdk.out/manifest.json"] = json.dumps({"version": "36.0.0", "artifacts": artifacts})
    return files


def test_the_stacks_of_one_cdk_app_are_one_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, _cdk({"AppEast": "us-east-1", "AppWest": "us-west-2"}))
    (system,) = systems(capsys, Path("."))
    assert system["regions"] == ["us-east-1", "us-west-2"]
    (link,) = system["links"]
    assert (link["kind"], link["source"], link["target"]) == ("deployment-config", "cdk.out/AppWest.template.json", "cdk.out/AppEast.template.json")
    assert link["reason"] == "stacks of one CDK app: cdk.out/manifest.json lists both"
    assert res101(capsys, Path(".")) == [], "the app serves from two regions"


def test_a_cdk_app_in_one_region_is_one_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, _cdk({"Api": "eu-west-1", "Worker": "eu-west-1"}))
    (finding,) = res101(capsys, Path("."))
    assert finding["path"] == "cdk.out/Api.template.json"
    assert "serves only from eu-west-1" in finding["message"]
    assert "cdk.out/Api.template.json in eu-west-1; cdk.out/Worker.template.json in eu-west-1" in finding["message"]


def test_an_environment_agnostic_stack_belongs_to_its_app_and_keeps_it_from_being_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = _cdk({"Api": "eu-west-1", "Any": "unknown-region"})
    files["cdk.out/manifest.json"] = files["cdk.out/manifest.json"].replace("aws://1/unknown-region", "aws://unknown-account/unknown-region")
    write(tmp_path, files)
    (system,) = systems(capsys, Path("."))
    assert {u["id"]: u["regions"] for u in system["units"]} == {"cdk.out/Any.template.json": [], "cdk.out/Api.template.json": ["eu-west-1"]}
    assert res101(capsys, Path(".")) == [], "the region of the other stack is chosen when it is deployed"


def test_a_stack_set_body_embedded_by_rain_deploys_that_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`TemplateBody: !Rain::Embed app.yaml` (`rain pkg` puts the file there), in YAML and JSON."""
    monkeypatch.chdir(tmp_path)
    embedded = STACK_SET.replace("TemplateURL: app.yaml", "TemplateBody: !Rain::Embed app.yaml")
    write(tmp_path, {"org.yaml": embedded, "app.yaml": APP})
    (system,) = systems(capsys, Path("."))
    assert [link["kind"] for link in system["links"]] == ["stack-set"]
    assert system["units"] == [
        {"id": "app.yaml", "regions": ["eu-west-1", "us-east-1"], "copies": ["eu-west-1", "us-east-1"]},
        {"id": "org.yaml", "regions": [], "copies": []},
    ]
    assert res101(capsys, Path(".")) == [], "the template is deployed to two regions"
    as_json = {
        "Resources": {
            "Fleet": {
                "Type": "AWS::CloudFormation::StackSet",
                "Properties": {
                    "StackSetName": "fleet",
                    "TemplateBody": {"Rain::Embed": "app.yaml"},
                    "StackInstancesGroup": [{"DeploymentTargets": {"Accounts": ["1"]}, "Regions": ["eu-west-1"]}],
                },
            }
        }
    }
    (tmp_path / "org.yaml").unlink()
    write(tmp_path, {"org.json": json.dumps(as_json)})
    (finding,) = res101(capsys, Path("."))
    assert finding["path"] == "app.yaml" and "app.yaml in eu-west-1" in finding["message"]


EXPORTER = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
Outputs:
  Bucket:
    Value: !Ref Bucket
    Export:
      Name: {name}
"""
IMPORTER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DataStack:
    Type: String
Resources:
  Reader:
    Type: AWS::SQS::Queue
    Properties:
      QueueName:
        Fn::ImportValue: {name}
"""


@pytest.mark.parametrize(
    ("exported", "imported", "shown"),
    [
        ("shared-bucket", "shared-bucket", "shared-bucket"),
        ('!Sub "${AWS::StackName}-Bucket"', '!Sub "${DataStack}-Bucket"', "<stack name>-Bucket"),
        ("!Join [':', [!Ref AWS::StackName, Bucket]]", "!Join [':', [!Ref DataStack, Bucket]]", "<stack name>:Bucket"),
    ],
    ids=["literal", "stack-name-sub", "stack-name-join"],
)
def test_an_import_links_the_stack_to_the_one_that_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, exported: str, imported: str, shown: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"data.yaml": EXPORTER.format(name=exported), "reader.yaml": IMPORTER.format(name=imported)})
    (system,) = systems(capsys, Path("."))
    (link,) = system["links"]
    assert (link["kind"], link["source"], link["target"]) == ("import-value", "reader.yaml", "data.yaml")
    assert link["reason"] == f"Reader imports {shown}, which data.yaml exports"
    assert (link["path"], link["line"]) == ("reader.yaml", 6)


def test_an_export_named_after_its_stack_is_matched_only_when_one_stack_has_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two stacks export `${AWS::StackName}-Bucket`: which one the parameter names is decided at
    deploy time, so neither is linked (a literal name is unique in a region, and links both)."""
    monkeypatch.chdir(tmp_path)
    pattern = '!Sub "${AWS::StackName}-Bucket"'
    write(tmp_path, {
        "a.yaml": EXPORTER.format(name=pattern),
        "b.yaml": EXPORTER.format(name=pattern),
        "reader.yaml": IMPORTER.format(name='!Sub "${DataStack}-Bucket"'),
    })
    assert all(s["links"] == [] for s in systems(capsys, Path(".")))
    write(tmp_path, {"reader.yaml": IMPORTER.format(name='!Sub "${DataStack}-Other"')})
    (tmp_path / "b.yaml").unlink()
    assert all(s["links"] == [] for s in systems(capsys, Path("."))), "another name: no link"


NESTING = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  Data:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./stacks/data.yaml
      Parameters:
        MultiAZ: "false"
        Env: !Ref Env
        Subnets: !GetAtt Network.Outputs.SubnetIds
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/network.yaml
"""
DATA = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  MultiAZ: {Type: String}
  Env: {Type: String}
  Subnets: {Type: CommaDelimitedList}
Resources:
  Cache:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: cache.yaml
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MultiAZ: !Ref MultiAZ
"""
NETWORK = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
Outputs:
  SubnetIds:
    Value: !Ref Vpc
"""
CACHE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Topic:
    Type: AWS::SNS::Topic
"""


def test_nested_stacks_are_shown_as_links_from_the_template_that_nests_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template's nested stacks are part of its unit; `resilint systems` shows each parent ->
    child link with the TemplateURL and the parameter values passed, in text and JSON."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.yaml": NESTING, "stacks/data.yaml": DATA, "stacks/network.yaml": NETWORK, "stacks/cache.yaml": CACHE})
    (system,) = systems(capsys, Path("."))
    assert [u["id"] for u in system["units"]] == ["main.yaml"]
    links = [(link["kind"], link["source"], link["target"], link["reason"], link["path"], link["line"]) for link in system["links"]]
    assert links == [
        (
            "nested-stack",
            "main.yaml",
            "stacks/data.yaml",
            "stack Data reads its template from TemplateURL ./stacks/data.yaml and passes Env=prod, MultiAZ=false, "
            "Subnets=(known at deploy time)",
            "main.yaml",
            7,
        ),
        ("nested-stack", "main.yaml", "stacks/network.yaml", "stack Network reads its template from TemplateURL stacks/network.yaml and passes no parameters", "main.yaml", 15),
        # the nested stack's own nested stack, linked from the template that nests it
        ("nested-stack", "stacks/data.yaml", "stacks/cache.yaml", "stack Data.Cache reads its template from TemplateURL cache.yaml and passes no parameters", "stacks/data.yaml", 7),
    ]
    assert main(["systems", ".", "--no-cache"]) == 0
    text = capsys.readouterr().out
    assert "system main.yaml (found; no known region)\n  unit main.yaml (no known region)\n" in text
    assert (
        "  link nested-stack main.yaml -> stacks/data.yaml: stack Data reads its template from TemplateURL ./stacks/data.yaml "
        "and passes Env=prod, MultiAZ=false, Subnets=(known at deploy time) (main.yaml:7)\n"
    ) in text
    assert "  link nested-stack stacks/data.yaml -> stacks/cache.yaml: stack Data.Cache" in text
    assert text.endswith("1 system, 1 unit\n")


def test_a_stack_set_link_names_its_parameters_and_unknown_regions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with_values = STACK_SET + "      Parameters:\n        - ParameterKey: Env\n          ParameterValue: prod\n"
    unknown_regions = STACK_SET.replace("[eu-west-1, us-east-1]", "!Ref Regions").replace(
        "Resources:", "Parameters:\n  Regions: {Type: CommaDelimitedList}\nResources:"
    )
    write(tmp_path, {"org.yaml": with_values, "other/org.yaml": unknown_regions, "other/app.yaml": APP, "app.yaml": APP})
    first, second = systems(capsys, Path("."))
    (link,) = first["links"]
    assert link["reason"] == "StackSet Fleet deploys app.yaml to eu-west-1, us-east-1 and passes Env=prod"
    # regions not known: the two are still deployed together, and the template is not judged as
    # one stack in one region
    assert [u["id"] for u in second["units"]] == ["other/app.yaml", "other/org.yaml"]
    (link,) = second["links"]
    assert link["reason"] == "StackSet Fleet deploys other/app.yaml to regions not known here (StackInstancesGroup)"
    assert [f["unit"] for f in res101(capsys, Path("."))] == []


def test_an_import_named_by_a_parameter_value_reads_the_one_stack_that_fits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`!Sub "${ClusterStack}-Listener"` with ClusterStack's default (or a given value) names a
    stack: it reads the export `${AWS::StackName}-Listener` of the one stack of the scan that
    exports names of that form; a stack exporting the whole name wins; two that fit are unknown."""
    monkeypatch.chdir(tmp_path)
    fixture = Path(__file__).resolve().parents[2] / "fixtures/single_region_deployment/fail_cfn_import_value_named_by_default"
    cluster = (fixture / "cluster.yaml").read_text()
    service = (fixture / "service.yaml").read_text()
    write(tmp_path, {"a/cluster.yaml": cluster, "a/service.yaml": service})

    def links(*argv: str) -> list[tuple[str, str, str]]:
        assert main(["systems", ".", "--format", "json", "--no-cache", *argv]) == 0
        found = json.loads(capsys.readouterr().out)["systems"]
        return [(link["source"], link["target"], link["reason"]) for s in found for link in s["links"]]

    assert links() == [("a/service.yaml", "a/cluster.yaml", "Rule imports shared-cluster-Listener (<stack name>-Listener), which a/cluster.yaml exports")]
    assert links("--parameter", "ClusterStack=blue") == [
        ("a/service.yaml", "a/cluster.yaml", "Rule imports blue-Listener (<stack name>-Listener), which a/cluster.yaml exports")
    ]
    # a stack exporting the whole name is the one read
    literal = cluster.replace('!Sub "${AWS::StackName}-Listener"', "shared-cluster-Listener")
    write(tmp_path, {"b/cluster.yaml": literal})
    assert ("a/service.yaml", "b/cluster.yaml", "Rule imports shared-cluster-Listener, which b/cluster.yaml exports") in links()
    assert all(target != "a/cluster.yaml" for _, target, _ in links())
    # two stacks whose exports fit: which one is read is not known
    (tmp_path / "b/cluster.yaml").unlink()
    write(tmp_path, {"c/cluster.yaml": cluster})
    assert links() == []


def test_systems_show_the_region_samconfig_gives_a_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """samconfig links no units: it says where its template is deployed, which `resilint
    systems` shows as the unit's region and RES101 names."""
    monkeypatch.chdir(tmp_path)
    samconfig = 'version = 0.1\n[default.deploy.parameters]\nregion = "eu-west-1"\n[prod.deploy.parameters]\nregion = "eu-west-1"\n'
    write(tmp_path, {"svc/template.yaml": APP, "svc/samconfig.toml": samconfig})
    (system,) = systems(capsys, Path("."))
    assert (system["units"], system["links"]) == ([{"id": "svc/template.yaml", "regions": ["eu-west-1"], "copies": []}], [])
    (finding,) = res101(capsys, Path("."))
    assert "is deployed by samconfig.toml [default, prod] to one region (eu-west-1)" in finding["message"]


def test_a_sam_application_is_shown_as_a_nested_stack_with_its_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    parent = (
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n'
        "    Type: AWS::Serverless::Application\n    Properties:\n      Location: ./api/template.yaml\n"
        "      Parameters:\n        Stage: prod\n"
    )
    child = 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Stage: {Type: String}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n'
    write(tmp_path, {"template.yaml": parent, "api/template.yaml": child})
    (system,) = systems(capsys, Path("."))
    (link,) = system["links"]
    assert (link["kind"], link["source"], link["target"]) == ("nested-stack", "template.yaml", "api/template.yaml")
    assert link["reason"] == "application Api reads its template from Location ./api/template.yaml and passes Stage=prod"


def test_a_template_two_stack_sets_deploy_runs_in_the_regions_of_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Judged in one StackSet's regions only, it was one stack in one region (RES101); a value
    the StackSets do not agree on is unknown."""
    monkeypatch.chdir(tmp_path)
    app = (
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Tier: {Type: String, Default: small}\n  Env: {Type: String}\n'
        "Resources:\n  Api:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: app.handler\n      MemorySize: !Ref Tier\n      Description: !Ref Env\n"
    )

    def stack_set(region: str, tier: str) -> str:
        return STACK_SET.replace("[eu-west-1, us-east-1]", f"[{region}]") + (
            f"      Parameters:\n        - ParameterKey: Tier\n          ParameterValue: {tier}\n"
            "        - ParameterKey: Env\n          ParameterValue: prod\n"
        )

    write(tmp_path, {"east.yaml": stack_set("us-east-1", "large"), "west.yaml": stack_set("eu-west-1", "small"), "app.yaml": app})
    (system,) = systems(capsys, Path("."))
    assert [u for u in system["units"] if u["id"] == "app.yaml"] == [{"id": "app.yaml", "regions": ["eu-west-1", "us-east-1"], "copies": ["eu-west-1", "us-east-1"]}]
    assert sorted(link["source"] for link in system["links"]) == ["east.yaml", "west.yaml"]
    assert res101(capsys, Path(".")) == []
    from resilint.config import Settings
    from resilint.model import Unknown
    from resilint.parsers import ParseOptions
    from resilint.scan import load_project

    unit = load_project([Path(".")], Settings(), ParseOptions()).unit("app.yaml")
    assert unit is not None
    function = unit.resource("Api")
    assert function is not None
    assert function.attributes["Description"] == "prod"
    assert isinstance(function.attributes["MemorySize"], Unknown)


UPLOADING_PARENT = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TemplatesBucket:
    Type: String
  KeyPrefix:
    Type: String
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://${TemplatesBucket}.s3.${AWS::Region}.${AWS::URLSuffix}/templates/network.yaml
  Data:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://s3.amazonaws.com/${TemplatesBucket}/${KeyPrefix}templates/data.yaml
      Parameters:
        MultiAZ: "false"
  Elsewhere:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/shared-templates/other/cache.yaml
"""
DATA_CHILD = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  MultiAZ:
    Type: String
    Default: "true"
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      MultiAZ: !Ref MultiAZ
"""


def test_an_s3_template_url_links_the_template_its_key_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TemplateURL in S3 whose key's path is a file under the folder holding the parent (the
    folder synced to the bucket) is that file: read as the nested stack, with the values the
    parent passes. A key whose start is not known names the file of that name beside the parent;
    a key that names no file here (a cache.yaml elsewhere in the repository) links nothing."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "stacks/main.yaml": UPLOADING_PARENT,
            "stacks/templates/network.yaml": NETWORK,
            "stacks/data.yaml": DATA_CHILD,
            "stacks/other/templates/data.yaml": DATA_CHILD,  # not beside the parent: never taken for it
            "shared/cache.yaml": CACHE,
        },
    )
    found = systems(capsys, Path("."))
    assert [[u["id"] for u in s["units"]] for s in found] == [["shared/cache.yaml"], ["stacks/main.yaml"], ["stacks/other/templates/data.yaml"]]
    links = [(link["source"], link["target"], link["reason"]) for link in found[1]["links"]]
    assert links == [
        (
            "stacks/main.yaml",
            "stacks/data.yaml",
            'stack Data reads its template from TemplateURL "https://s3.amazonaws.com/${TemplatesBucket}/${KeyPrefix}templates/data.yaml" '
            "(its S3 key's file name data.yaml, beside it) and passes MultiAZ=false",
        ),
        (
            "stacks/main.yaml",
            "stacks/templates/network.yaml",
            'stack Network reads its template from TemplateURL "https://${TemplatesBucket}.s3.${AWS::Region}.amazonaws.com/templates/network.yaml" '
            "(its S3 key templates/network.yaml) and passes no parameters",
        ),
    ]
    main(["scan", ".", "--format", "json", "--no-cache", "--select", "RES302"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["resource"], finding["path"], finding["unit"]) == ("Data.Database", "stacks/data.yaml", "stacks/main.yaml")


def test_an_s3_key_that_fits_two_folders_links_neither(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    parent = UPLOADING_PARENT.split("  Data:")[0]
    write(
        tmp_path,
        {".git/HEAD": "", "app/stacks/main.yaml": parent, "app/stacks/templates/network.yaml": NETWORK, "app/templates/network.yaml": NETWORK},
    )
    found = systems(capsys, Path("app"))
    assert [[u["id"] for u in s["units"]] for s in found] == [["app/stacks/main.yaml"], ["app/stacks/templates/network.yaml"], ["app/templates/network.yaml"]]
    assert all(not s["links"] for s in found)
    main(["scan", "app", "--format", "json", "--no-cache", "--severity", "error,warning,note", "--select", "RES102"])
    notes = [f["message"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert (
        "nested stack Network: its S3 key templates/network.yaml names app/stacks/templates/network.yaml and "
        "app/templates/network.yaml alike, so neither is read as its template; its resources are not judged"
    ) in notes


BUILT_STACK_SET = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SecondaryRegion: {Type: String}
Mappings:
  SourceCode:
    General: {S3Bucket: solutions, KeyPrefix: app/v1}
Resources:
  Fleet:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: fleet
      PermissionModel: SELF_MANAGED
      StackInstancesGroup:
        - DeploymentTargets: {Accounts: [!Ref AWS::AccountId]}
          Regions: [!Ref AWS::Region, !Ref SecondaryRegion]
      TemplateURL: !Sub
        - "https://s3.amazonaws.com/${S3Bucket}-${AWS::Region}/${KeyPrefix}/app-instance.template"
        - S3Bucket: !FindInMap [SourceCode, General, S3Bucket]
          KeyPrefix: !FindInMap [SourceCode, General, KeyPrefix]
"""


def test_a_template_key_names_the_yaml_the_build_uploads_under_that_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS Solutions' build-s3-dist.sh uploads every X.yaml as X.template: a StackSet whose
    TemplateURL names app-instance.template deploys the app-instance.yaml beside it (here to the
    stack's region and a second one, not known here: not one stack in one region). A stem with
    both a YAML and a JSON file is not told apart: neither is linked."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"deployment/main.yaml": BUILT_STACK_SET, "deployment/app-instance.yaml": APP})
    (system,) = systems(capsys, Path("."))
    (link,) = system["links"]
    assert (link["source"], link["target"]) == ("deployment/main.yaml", "deployment/app-instance.yaml")
    assert link["reason"].startswith("StackSet Fleet deploys deployment/app-instance.yaml to regions not known here")
    assert res101(capsys, Path(".")) == []
    write(tmp_path, {"deployment/app-instance.json": json.dumps({"Resources": {"Api": {"Type": "AWS::Lambda::Function", "Properties": {}}}})})
    assert all(not s["links"] for s in systems(capsys, Path(".")))
    assert sorted(f["unit"] for f in res101(capsys, Path("."))) == ["deployment/app-instance.json", "deployment/app-instance.yaml"]
