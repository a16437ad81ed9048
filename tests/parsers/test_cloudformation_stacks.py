"""CloudFormation beyond one file: nested stacks read with their parent's parameter values,
StackSets deploying a local template, samconfig and CDK manifests; parameter values from
outside; SAM resources as what they deploy; language-extension loops; zones by suffix and key;
and where a value comes from (provenance)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.discover import discover
from resilint.model import Project, Unit, Unknown, UnknownZone
from resilint.parsers import ParseOptions, build_project
from resilint.parsers.cloudformation import parse_template
from resilint.parsers.cloudformation.parameters import (
    GivenValues,
    ParameterFileError,
    parse_overrides,
    read_parameter_file,
)
from resilint.sources import SourceFile
from tests.conftest import write


def project(root: Path, files: dict[str, str], options: ParseOptions | None = None) -> Project:
    write(root, files)
    found = discover([root])
    return build_project(found.files, found.problems, options or ParseOptions())


def parse(text: str, regions: tuple[str, ...] = ()) -> Unit:
    unit = parse_template(SourceFile(Path("t.yaml"), "t.yaml", "cloudformation", text), regions)
    assert isinstance(unit, Unit)
    return unit


PARENT = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./network.yaml
  Data:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: stacks/data.yaml
      Parameters:
        MultiAZ: false
        Name: !Sub "${Env}-orders"
        Subnets: !GetAtt Network.Outputs.Subnets
"""
NETWORK = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
Outputs:
  Subnets:
    Value: !Join [",", [!Ref SubnetA, !Ref SubnetB]]
"""
DATA = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  MultiAZ: {Type: String, Default: "true"}
  Name: {Type: String}
  Subnets: {Type: List<AWS::EC2::Subnet::Id>}
Resources:
  Group:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: db
      SubnetIds: !Ref Subnets
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      DBName: !Ref Name
      MultiAZ: !Ref MultiAZ
      DBSubnetGroupName: !Ref Group
"""


def test_nested_stacks_join_their_parent_with_the_values_it_passes(tmp_path: Path) -> None:
    found = project(tmp_path, {"main.yaml": PARENT, "network.yaml": NETWORK, "stacks/data.yaml": DATA})
    assert [u.id.rsplit("/", 1)[-1] for u in found.units] == ["main.yaml"], "children are judged in their parent"
    (unit,) = found.units
    assert [f.rsplit("/", 1)[-1] for f in unit.files] == ["main.yaml", "network.yaml", "data.yaml"]
    db = unit.resource("Data.Database")
    assert db is not None and db.unit == unit.id
    assert db.location.path.endswith("stacks/data.yaml") and db.location.line == 12
    assert db.attributes["MultiAZ"] == "false", "a YAML false passed by the parent is the string false"
    assert db.attributes["DBName"] == "prod-orders"
    assert db.provenance["MultiAZ"].startswith("parameter MultiAZ from parent stack Data (")
    group = unit.resource("Data.Group")
    assert group is not None
    subnets = group.attributes["SubnetIds"]
    assert [s.refs for s in subnets] == [("Network.SubnetA",), ("Network.SubnetB",)], "outputs keep their edges"
    assert {r.target for r in db.references} == {"Data.Group"}


def test_a_nested_stack_that_cannot_be_read_is_a_note(tmp_path: Path) -> None:
    found = project(tmp_path, {"main.yaml": PARENT, "stacks/data.yaml": "Resources: [broken"})
    (unit,) = [u for u in found.units if u.id.endswith("main.yaml")]
    messages = sorted(n.message for n in unit.notes)
    assert messages[0] == "nested stack Data: " + unit.id.rsplit("/", 1)[0] + "/stacks/data.yaml cannot be read (did not find expected ',' or ']'); its resources are not judged"
    assert messages[1] == "nested stack Network: template ./network.yaml not found; its resources are not judged"


def test_a_stack_that_nests_itself_is_read_once(tmp_path: Path) -> None:
    loop = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Again:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: ./a.yaml}\n'
    found = project(tmp_path, {"a.yaml": loop})
    (unit,) = found.units
    assert [r.address for r in unit.resources] == ["Again"]
    assert unit.notes[0].message.endswith("a.yaml nests itself; read once")


STACK_SET = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fleet:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: fleet
      PermissionModel: SELF_MANAGED
      TemplateURL: app.yaml
      Parameters:
        - {ParameterKey: MultiAZ, ParameterValue: "false"}
      StackInstancesGroup:
        - DeploymentTargets: {Accounts: ["123456789012"]}
          Regions: [eu-west-1, us-east-1]
"""
APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  MultiAZ: {Type: String, Default: "true"}
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ: !Ref MultiAZ
"""


def test_a_stack_set_deploys_its_local_template_in_its_regions(tmp_path: Path) -> None:
    found = project(tmp_path, {"org.yaml": STACK_SET, "app.yaml": APP})
    app = next(u for u in found.units if u.id.endswith("app.yaml"))
    assert app.deploy_regions == ("eu-west-1", "us-east-1")
    assert app.deployed_by is not None and app.deployed_by.startswith("StackSet Fleet (")
    (db,) = app.resources
    assert db.attributes["MultiAZ"] == "false" and db.region.__class__ is Unknown
    org = next(u for u in found.units if u.id.endswith("org.yaml"))
    assert org.resources[0].meta["TemplateFile"] == app.id


def test_samconfig_gives_the_region_and_the_values_every_environment_agrees_on(tmp_path: Path) -> None:
    samconfig = """\
version = 0.1
[default.deploy.parameters]
region = "eu-west-1"
parameter_overrides = "MultiAZ=false Name=\\"orders db\\" Size=small"
[prod.deploy.parameters]
region = "eu-west-1"
parameter_overrides = ["MultiAZ=false", "Name=orders db", "Size=large"]
"""
    template = APP.replace("MultiAZ: {Type: String, Default: \"true\"}", "MultiAZ: {Type: String, Default: \"true\"}\n  Name: {Type: String}\n  Size: {Type: String, Default: tiny}")
    template += "      DBName: !Ref Name\n      DBInstanceClass: !Ref Size\n"
    found = project(tmp_path, {"template.yaml": template, "samconfig.toml": samconfig})
    (unit,) = found.units
    assert unit.deploy_regions == ("eu-west-1",)
    (db,) = unit.resources
    assert db.region == "eu-west-1"
    assert db.attributes["MultiAZ"] == "false" and db.attributes["DBName"] == "orders db"
    assert isinstance(db.attributes["DBInstanceClass"], Unknown), "a value the environments disagree on is unknown"
    assert db.provenance["MultiAZ"] == "parameter MultiAZ from samconfig.toml [default, prod]"


def test_samconfig_environments_in_different_regions_declare_no_region(tmp_path: Path) -> None:
    samconfig = 'version = 0.1\n[default.deploy.parameters]\nregion = "eu-west-1"\n[dr.deploy.parameters]\nregion = "us-west-2"\n'
    found = project(tmp_path, {"template.yaml": APP, "samconfig.yaml": "x: 1\n", "samconfig.toml": samconfig})
    assert found.units[0].deploy_regions == ()


def test_a_cdk_manifest_gives_each_stack_its_region(tmp_path: Path) -> None:
    manifest = {
        "artifacts": {
            "East": {"type": "aws:cloudformation:stack", "environment": "aws://1/us-east-1", "properties": {"templateFile": "East.template.json"}},
            "Any": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "Any.template.json"}},
        }
    }
    body = json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}})
    found = project(tmp_path, {"cdk.out/manifest.json": json.dumps(manifest), "cdk.out/East.template.json": body, "cdk.out/Any.template.json": body})
    regions = {u.id.rsplit("/", 1)[-1]: u.deploy_regions for u in found.units}
    assert regions == {"Any.template.json": (), "East.template.json": ("us-east-1",)}


def test_command_line_values_win_and_parameter_files_take_the_cli_forms(tmp_path: Path) -> None:
    options = ParseOptions(cloudformation_values=GivenValues(command_line=(("MultiAZ", "false", "the command line"),)))
    found = project(tmp_path, {"template.yaml": APP}, options)
    (db,) = found.units[0].resources
    assert db.attributes["MultiAZ"] == "false" and db.provenance["MultiAZ"] == "parameter MultiAZ from the command line"
    forms = {
        "create.json": [{"ParameterKey": "A", "ParameterValue": "1"}, {"ParameterKey": "B", "UsePreviousValue": True}],
        "deploy.json": {"Parameters": {"A": "1"}},
        "plain.json": {"A": 1},
        "pairs.json": ["A=1"],
        # create-stack --cli-input-json: read as two parameters named StackName and Parameters
        "cli-input.json": {"StackName": "orders", "Parameters": [{"ParameterKey": "A", "ParameterValue": "1"}], "Capabilities": []},
    }
    for name, data in forms.items():
        (tmp_path / name).write_text(json.dumps(data))
        expected = {"A": "1", "B": None} if name == "create.json" else {"A": "1"}  # B: the stack's current value
        assert read_parameter_file(tmp_path / name) == expected, name
    (tmp_path / "bad.json").write_text('{"A": {"nested": 1}}')
    with pytest.raises(ParameterFileError, match="the value of A is not a string"):
        read_parameter_file(tmp_path / "bad.json")
    assert parse_overrides('A=1 B="two words"') == {"A": "1", "B": "two words"}


def test_parameters_are_strings_and_lists_are_split() -> None:
    unit = parse(
        """\
Parameters:
  Flag: {Type: String, Default: true}
  Count: {Type: Number, Default: 3}
  Names: {Type: CommaDelimitedList, Default: "a, b"}
  FromSsm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/multi-az}
  Placeholder: {Type: "List<AWS::EC2::Subnet::Id>", Default: subnet-0123456789abcdef0}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      Flag: !Ref Flag
      Count: !Ref Count
      Names: !Ref Names
      Length: !Length [a, b, c]
      Json: !ToJsonString {a: [1, true]}
      Ssm: !Ref FromSsm
      Subnets: !Ref Placeholder
"""
    )
    attrs = unit.resources[0].attributes
    assert (attrs["Flag"], attrs["Count"], attrs["Names"], attrs["Length"]) == ("true", "3", ["a", "b"], 3)
    assert attrs["Json"] == '{"a":[1,true]}'
    assert isinstance(attrs["Ssm"], Unknown), "the default of an SSM parameter type names the parameter, not its value"
    assert isinstance(attrs["Subnets"], Unknown), "a default listing one account's IDs is an example"


def test_for_each_makes_resources_outputs_and_conditions() -> None:
    unit = parse(
        """\
Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: "orders,users"}
  Unknown: {Type: CommaDelimitedList}
Conditions:
  Fn::ForEach::Flags:
    - Name
    - [blue, green]
    - Is${Name}: !Equals [!Ref Name, blue]
Resources:
  Fn::ForEach::Tables:
    - Name
    - !Ref Names
    - Table${Name}:
        Type: AWS::DynamoDB::Table
        Condition: Isblue
        Properties:
          TableName: !Sub "${Name}-table"
          Tags: [{Key: name, Value: !Ref Name}]
        Fn::ForEach::Never: [X, [], {}]
  Fn::ForEach::Queues:
    - Name
    - [dead-letter]
    - Queue&{Name}:
        Type: AWS::SQS::Queue
        Condition: Isgreen
  Fn::ForEach::Later:
    - Name
    - !Ref Unknown
    - Topic${Name}:
        Type: AWS::SNS::Topic
"""
    )
    tables = [r for r in unit.resources if r.type == "AWS::DynamoDB::Table"]
    assert [(t.address, t.attributes["TableName"], t.location.line) for t in tables] == [
        ("Tableorders", "orders-table", 14),
        ("Tableusers", "users-table", 14),
    ]
    assert tables[0].attributes["Tags"] == [{"Key": "name", "Value": "orders"}]
    assert not [r for r in unit.resources if r.type == "AWS::SQS::Queue"], "its condition Isgreen is false"
    assert [n.message for n in unit.notes] == [
        "Fn::ForEach::Later is not expanded (parameter Unknown has no default: its value is given at deploy time (give it with --parameter Unknown=VALUE)): what it makes is not judged"
    ]


def test_sam_resources_are_what_they_deploy() -> None:
    unit = parse(
        """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    VpcConfig: {SubnetIds: [subnet-1]}
Resources:
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: pk, Type: Number}
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: s3://packages/api.zip
      FunctionUrlConfig: {AuthType: NONE}
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
        Http: {Type: HttpApi}
        Queue: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
        Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day)}}
  Jobs:
    Type: AWS::SQS::Queue
  Child:
    Type: AWS::Serverless::Application
    Properties:
      Location: {ApplicationId: arn:aws:serverlessrepo:us-east-1:1:applications/x, SemanticVersion: 1.0.0}
"""
    )
    types = {r.address: r.type for r in unit.resources}
    assert types == {
        "Table": "AWS::DynamoDB::Table",
        "Api": "AWS::Lambda::Function",
        "Jobs": "AWS::SQS::Queue",
        "Child": "AWS::CloudFormation::Stack",
        "ServerlessRestApi": "AWS::ApiGateway::RestApi",
        "ServerlessHttpApi": "AWS::ApiGatewayV2::Api",
        "ApiQueue": "AWS::Lambda::EventSourceMapping",
        "ApiNightly": "AWS::Events::Rule",
        "ApiUrl": "AWS::Lambda::Url",
    }
    table = unit.resource("Table")
    assert table is not None and table.meta["Metadata"]["SamType"] == "AWS::Serverless::SimpleTable"
    assert table.attributes["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert table.attributes["BillingMode"] == "PAY_PER_REQUEST"
    api = unit.resource("Api")
    assert api is not None and api.attributes["Runtime"] == "python3.12" and api.attributes["VpcConfig"] == {"SubnetIds": ["subnet-1"]}
    assert api.attributes["Code"] == {"S3Bucket": "packages", "S3Key": "api.zip"}
    rest = unit.resource("ServerlessRestApi")
    assert rest is not None and rest.location.line == 18, "located at the event that makes it"
    mapping = unit.resource("ApiQueue")
    assert mapping is not None and {r.target for r in mapping.references} == {"Api", "Jobs"}


def test_zones_by_region_suffix_and_mapping_key_while_the_region_is_unknown() -> None:
    text = """\
Mappings:
  Zones:
    us-east-1: {A: us-east-1a, B: us-east-1b, Same: t3.micro}
    eu-west-1: {A: eu-west-1a, B: eu-west-1b, Same: t3.micro}
Resources:
  S:
    Type: AWS::EC2::Subnet
    Properties:
      Suffix: !Sub "${AWS::Region}a"
      Joined: !Join ["", [!Ref AWS::Region, a]]
      Mapped: !FindInMap [Zones, !Ref AWS::Region, B]
      Same: !FindInMap [Zones, !Ref AWS::Region, Same]
"""
    attrs = parse(text).resources[0].attributes
    assert isinstance(attrs["Suffix"], UnknownZone) and attrs["Suffix"] == attrs["Joined"]
    assert isinstance(attrs["Mapped"], UnknownZone) and attrs["Mapped"] != parse(text.replace("Region, B]", "Region, A]")).resources[0].attributes["Mapped"]
    assert attrs["Same"] == "t3.micro", "a value every region shares is known"
    several = parse(text, regions=("us-east-1", "eu-west-1")).resources[0].attributes
    assert isinstance(several["Suffix"], UnknownZone) and isinstance(several["Mapped"], UnknownZone)
    known = parse(text, regions=("eu-west-1",)).resources[0].attributes
    assert (known["Suffix"], known["Mapped"]) == ("eu-west-1a", "eu-west-1b")


def test_provenance_of_defaults_and_conditions() -> None:
    unit = parse(
        """\
Parameters:
  Env: {Type: String, Default: dev}
  MultiAZ: {Type: String, Default: "false"}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Condition: IsDev
    Properties:
      MultiAZ: !Ref MultiAZ
      StorageType: !If [IsProd, io2, gp3]
      Engine: postgres
"""
    )
    (db,) = unit.resources
    assert db.provenance == {
        "MultiAZ": "parameter MultiAZ's default",
        "StorageType": "condition IsProd (parameter Env's default)",
        "Condition": "condition IsDev (parameter Env's default)",
    }


def test_sub_texts_built_from_the_same_unknown_parts_are_the_same_text(tmp_path: Path) -> None:
    """`!Sub` of values with an identity (a resource's attribute, a parameter without a value,
    the stack's name or account) is a text whose parts decide what it equals; a nested stack's
    name and parameters are its own."""
    from resilint.model import UnknownText, same_value, spelled

    parent = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
  Other:
    Type: String
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      Parameters:
        Env: !Ref Env
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      Tags:
        a: !Sub "${AWS::StackName}-origin"
        b: !Sub ["${Name}-origin", {Name: !Ref AWS::StackName}]
        c: !Sub "${Bucket.Arn}/*"
        d: !Sub ["${Arn}/*", {Arn: !GetAtt Bucket.Arn}]
        e: !Sub "${Env}-${AWS::AccountId}-${AWS::Region}"
        f: !Sub "${Env}-${AWS::AccountId}-${AWS::Region}"
        g: !Sub "${Other}-${AWS::AccountId}-${AWS::Region}"
        h: !Sub ["${Imported}-x", {Imported: !ImportValue shared-name}]
        i: !Ref Env
        j: !Join ["", [!Ref "AWS::StackName", "-origin"]]
        k: !Join ["-", [!Ref Env, !Ref "AWS::AccountId", !Sub "${AWS::Region}"]]
        l: !Join ["-", [!Ref Env, !ImportValue shared-name]]
"""
    child = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Tags:
        a: !Sub "${AWS::StackName}-origin"
        e: !Sub "${Env}-${AWS::AccountId}-${AWS::Region}"
"""
    (unit,) = project(tmp_path, {"parent.yaml": parent, "child.yaml": child}).units
    queue, topic = unit.resource("Queue"), unit.resource("Child.Topic")
    assert queue is not None and topic is not None
    tags, inner = queue.attributes["Tags"], topic.attributes["Tags"]
    assert isinstance(tags["a"], UnknownText) and spelled(tags["a"]) == '"${AWS::StackName}-origin"'
    assert same_value(tags["a"], tags["b"]), "the stack's name, through a Sub variable"
    assert same_value(tags["c"], tags["d"]), "an attribute in the text or through a variable"
    assert same_value(tags["e"], tags["f"]), "a parameter without a value, the account and the region"
    assert not same_value(tags["e"], tags["g"]), "another parameter"
    assert not same_value(tags["h"], tags["h"]), "an imported value has no identity here"
    assert not same_value(tags["a"], inner["a"]), "a nested stack has a name of its own"
    assert same_value(tags["e"], inner["e"]), "the parent passes its parameter on; one account and region"
    assert isinstance(tags["i"], Unknown) and same_value(tags["i"], tags["i"])
    assert same_value(tags["a"], tags["j"]) and same_value(tags["e"], tags["k"]), "!Join builds the text !Sub does"
    assert not same_value(tags["l"], tags["l"]), "a part without an identity"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://s3.amazonaws.com/bucket/path/child.yaml", (("path", "child.yaml"), True)),
        ("https://s3.eu-west-1.amazonaws.com/bucket/child.json", (("child.json",), True)),
        ("https://s3-eu-west-1.amazonaws.com/bucket/a/b/child.template", (("a", "b", "child.template"), True)),
        ("https://bucket.s3.amazonaws.com/templates/child.yml?versionId=3", (("templates", "child.yml"), True)),
        ("https://bucket.s3.cn-north-1.amazonaws.com.cn/child.yaml", (("child.yaml",), True)),
        ("s3://bucket/stacks/child.yaml", (("stacks", "child.yaml"), True)),
        ("https://example.com/templates/child.yaml", None),  # not S3
        ("https://s3.amazonaws.com/bucket/templates/child.zip", None),  # not a template
        ("https://s3.amazonaws.com/bucket/../child.yaml", None),
    ],
)
def test_the_s3_object_key_a_template_url_names(url: str, expected: object) -> None:
    from resilint.parsers.cloudformation.uploaded_templates import object_key

    assert object_key(url) == expected


def test_an_s3_key_whose_start_is_not_known_keeps_its_whole_segments() -> None:
    from resilint.model import UnknownInput, unknown_text
    from resilint.parsers.cloudformation.uploaded_templates import object_key

    bucket, prefix = UnknownInput("b", "Bucket"), UnknownInput("p", "Prefix")
    assert object_key(unknown_text("t", ["https://", bucket, ".s3.amazonaws.com/templates/child.yaml"])) == (("templates", "child.yaml"), True)
    assert object_key(unknown_text("t", ["https://s3.amazonaws.com/", bucket, "/", prefix, "templates/child.yaml"])) == (("child.yaml",), False)
    assert object_key(unknown_text("t", ["https://s3.amazonaws.com/", bucket, "/", prefix, "/templates/child.yaml"])) == (("templates", "child.yaml"), False)
    assert object_key(unknown_text("t", ["https://s3.amazonaws.com/", bucket, "/templates/", prefix])) is None
    assert object_key(Unknown("a plain unknown")) is None


MAKEFILE = """\
PRIMARY_REGION=us-east-1
STANDBY_REGION ?= us-west-2
ENV ?= -dev

deploy: primary standby

primary:
\t@aws cloudformation deploy --template ./app.yaml --region ${PRIMARY_REGION} \\
\t--stack-name app$(ENV) --capabilities CAPABILITY_IAM

standby:
\t@aws cloudformation deploy --template-file=app.yaml --region $(STANDBY_REGION) --stack-name app$(ENV)
"""


def test_a_makefile_deploying_one_stack_in_two_regions_gives_the_template_both(tmp_path: Path) -> None:
    # The Makefile at the repository's root deploys stacks/app.yaml (paths from its own folder).
    at_root = MAKEFILE.replace("./app.yaml", "./stacks/app.yaml").replace("=app.yaml", "=stacks/app.yaml")
    found = project(tmp_path, {".git/HEAD": "", "Makefile": at_root, "stacks/app.yaml": APP})
    (unit,) = found.units
    assert unit.deploy_regions == ("us-east-1", "us-west-2")
    assert unit.deployed_by is not None and unit.deployed_by.endswith("Makefile (stack app$(ENV) in us-east-1, us-west-2)")
    # ./app.yaml read from the root's folder is not stacks/app.yaml
    found = project(tmp_path, {"Makefile": MAKEFILE})
    assert (found.units[0].deploy_regions, found.units[0].deployed_by) == ((), None)


@pytest.mark.parametrize(
    "change",
    [
        ("--stack-name app$(ENV)\n", "--stack-name app-prod\n"),  # two stack names: two deployments, not copies
        ("--stack-name app$(ENV)\n", "--stack-name app$(ENV) --profile prod\n"),  # another account
        ("STANDBY_REGION ?= us-west-2", "STANDBY_REGION ?= $(shell aws configure get region)"),  # a region not known
        ("\t@aws cloudformation deploy --template-file", "\t@cd stacks && aws cloudformation deploy --template-file"),  # paths from elsewhere
        ("--region ${PRIMARY_REGION}", "--region ${STANDBY_REGION}"),  # one region only
        ("./app.yaml", "./$(TEMPLATE)"),  # a template path with a variable
    ],
)
def test_a_makefile_gives_regions_only_to_one_stack_in_known_regions(tmp_path: Path, change: tuple[str, str]) -> None:
    old, new = change
    assert old in MAKEFILE
    found = project(tmp_path, {"Makefile": MAKEFILE.replace(old, new), "app.yaml": APP})
    (unit,) = found.units
    assert (unit.deploy_regions, unit.deployed_by) == ((), None)


def test_a_deploy_script_that_changes_folder_is_not_read(tmp_path: Path) -> None:
    script = "aws cloudformation deploy --template-file app.yaml --region us-east-1 --stack-name app\n" + (
        "aws cloudformation create-stack --template-body file://app.yaml --region eu-west-1 --stack-name app\n"
    )
    assert project(tmp_path, {"deploy.sh": script, "app.yaml": APP}).units[0].deploy_regions == ("eu-west-1", "us-east-1")
    assert project(tmp_path, {"deploy.sh": "cd infra\n" + script}).units[0].deploy_regions == ()


LOOP_SCRIPT = """\
#!/bin/sh
set -e
for region in us-east-1 eu-west-1; do
  echo "deploying to $region"
  aws cloudformation deploy --template-file app.yaml --region $region --stack-name app-$region
done
"""


@pytest.mark.parametrize(
    "script",
    [
        LOOP_SCRIPT,
        LOOP_SCRIPT.replace("; do\n", "\ndo\n"),  # `do` on a line of its own
        LOOP_SCRIPT.replace("for region in us-east-1 eu-west-1", 'REGIONS="us-east-1 eu-west-1"\nfor region in $REGIONS'),
        LOOP_SCRIPT.replace("for region in us-east-1 eu-west-1", 'REGIONS=(us-east-1 "eu-west-1")\nfor region in "${REGIONS[@]}"'),
        LOOP_SCRIPT.replace("for region in us-east-1 eu-west-1", "A=us-east-1\nfor region in $A eu-west-1"),
        "for r in us-east-1 eu-west-1; do aws cloudformation deploy --template-file app.yaml --region $r --stack-name app; done\n",
    ],
)
def test_a_script_loop_over_regions_deploys_the_stack_in_each(tmp_path: Path, script: str) -> None:
    (unit,) = project(tmp_path, {"deploy.sh": script, "app.yaml": APP}).units
    assert unit.deploy_regions == ("eu-west-1", "us-east-1")


def test_a_makefile_recipe_loops_over_regions_with_its_shell_variable(tmp_path: Path) -> None:
    makefile = (
        "REGIONS := us-east-1 us-west-2\n\ndeploy:\n"
        "\tfor r in $(REGIONS); do \\\n"
        "\t  aws cloudformation deploy --template-file app.yaml --stack-name app --region $$r; \\\n"
        "\tdone\n"
    )
    (unit,) = project(tmp_path, {"Makefile": makefile, "app.yaml": APP}).units
    assert unit.deploy_regions == ("us-east-1", "us-west-2")
    assert unit.deployed_by is not None and unit.deployed_by.endswith("Makefile (stack app in us-east-1, us-west-2)")


@pytest.mark.parametrize(
    "change",
    [
        ("for region in us-east-1 eu-west-1", "for region in $REGIONS"),  # a list from the environment
        ("for region in us-east-1 eu-west-1", "for region in us-east-1 $(other)"),  # a word not known
        ("for region in us-east-1 eu-west-1", "for region in us-east-1"),  # one region
        ("--stack-name app-$region", "--stack-name app-$env"),  # (with the loop below) one name for two stacks
        ("\ndone\n", "\ndone\naws cloudformation deploy --template-file app.yaml --region $region --stack-name app-$region\n"),
    ],
)
def test_a_script_loop_gives_regions_only_over_known_regions_of_one_stack(tmp_path: Path, change: tuple[str, str]) -> None:
    old, new = change
    assert old in LOOP_SCRIPT
    script = LOOP_SCRIPT.replace(old, new)
    if "$env" in new:
        script = script.replace("for region", "for env in dev prod; do\nfor region") + "done\n"
    (unit,) = project(tmp_path, {"deploy.sh": script, "app.yaml": APP}).units
    assert unit.deploy_regions == ()
