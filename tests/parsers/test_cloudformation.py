"""CloudFormation templates: line numbers, intrinsics (short and long form), unknown values."""

from __future__ import annotations

from pathlib import Path

from resilint.model import Problem, Unit, Unknown
from resilint.parsers.cloudformation import parse_template
from resilint.sources import SourceFile

YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  Secret:
    Type: String
Mappings:
  Sizes:
    prod: {Class: db.m6g.large}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: !FindInMap [Sizes, !Ref Env, Class]
      MultiAZ: !If [IsProd, true, false]
      DBName: !Sub "${Env}-orders-${AWS::Region}"
      MasterUserPassword: !Ref Secret
      VPCSecurityGroups:
        - !GetAtt Sg.GroupId
      Port: !Join ["", ["54", "32"]]
      Tags:
        - Key: x
          Value: !Ref AWS::NoValue
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
  DevOnly:
    Type: AWS::SQS::Queue
    Condition: IsDev
"""


def parse(text: str, name: str = "t.yaml", regions: tuple[str, ...] = ()) -> Unit | Problem | None:
    return parse_template(SourceFile(Path(name), name, "cloudformation", text), regions)


def test_resources_lines_and_intrinsics() -> None:
    unit = parse(YAML)
    assert isinstance(unit, Unit)
    assert [r.address for r in unit.resources] == ["Db", "Sg"], "a resource whose condition is false is not created"
    db = unit.resources[0]
    assert (db.location.line, db.location.end_line) == (15, 27)
    assert db.attribute_lines["MultiAZ"] == 19
    assert db.attributes["DBInstanceClass"] == "db.m6g.large"
    assert db.attributes["MultiAZ"] is True
    assert db.attributes["Port"] == "5432"
    assert db.attributes["Tags"] == [{"Key": "x"}]
    assert isinstance(db.attributes["DBName"], Unknown), "AWS::Region is unknown until deploy"
    assert isinstance(db.attributes["MasterUserPassword"], Unknown)
    (sg,) = db.attributes["VPCSecurityGroups"]
    assert isinstance(sg, Unknown) and sg.refs == ("Sg",)
    assert [(r.target, r.attribute, r.path) for r in db.references] == [("Sg", "GroupId", "VPCSecurityGroups[0]")]


def test_region_comes_from_declared_deploy_regions() -> None:
    unit = parse(YAML, regions=("eu-west-1",))
    assert isinstance(unit, Unit)
    db = unit.resources[0]
    assert db.region == "eu-west-1"
    assert db.attributes["DBName"] == "prod-orders-eu-west-1"
    undeclared = parse(YAML)
    assert isinstance(undeclared, Unit) and isinstance(undeclared.resources[0].region, Unknown)


def test_json_templates() -> None:
    text = '{\n  "Resources": {\n    "B": {\n      "Type": "AWS::S3::Bucket",\n      "Properties": {"BucketName": {"Fn::Sub": "x-${AWS::URLSuffix}"}}\n    }\n  }\n}\n'
    unit = parse(text, "t.json")
    assert isinstance(unit, Unit)
    (bucket,) = unit.resources
    assert bucket.location.line == 3 and bucket.attributes["BucketName"] == "x-amazonaws.com"


def test_global_types_have_no_region() -> None:
    unit = parse('Resources:\n  R:\n    Type: AWS::IAM::Role\n  Q:\n    Type: AWS::SQS::Queue\n', regions=("us-east-1",))
    assert isinstance(unit, Unit)
    assert {r.address: r.region for r in unit.resources} == {"R": None, "Q": "us-east-1"}


def test_not_a_template_is_ignored_and_broken_template_is_a_problem() -> None:
    assert parse("Resources:\n  X:\n    Type: Something\n") is None
    broken = parse('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q: [\n')
    assert isinstance(broken, Problem) and broken.location.line == 4
    not_mapping = parse('AWSTemplateFormatVersion: "2010-09-09"\nResources: [1, 2]\n')
    assert isinstance(not_mapping, Problem) and "mapping" in not_mapping.message
