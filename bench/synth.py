"""Generate a synthetic infrastructure monorepo for scaling measurements.

    python bench/synth.py OUT_DIR --scale 4

Each unit of scale is one "team" with several Terraform root modules (providers with aliases,
variables with tfvars, local modules called with provider maps, count and for_each) and
CloudFormation stacks (YAML and JSON, intrinsics, parameters, conditions). The content is
deterministic: the same scale gives the same files.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

SERVICES_PER_TEAM = 4
TEAMS_PER_SCALE = 8
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")

NETWORK_MODULE = """\
variable "name" {
  type = string
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "azs" {
  type = list(string)
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags = {
    Name = var.name
  }
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
  availability_zone = var.azs[count.index]
  tags = {
    Name = "${var.name}-private-${count.index}"
  }
}

resource "aws_subnet" "public" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index + 100)
  availability_zone = var.azs[count.index]
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route" "egress" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this.id
}

resource "aws_route_table_association" "private" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}
"""

APP_MODULE = """\
variable "name" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "instance_type" {
  type    = string
  default = "t3.medium"
}

variable "settings" {
  type = map(string)
  default = {
    min = "2"
    max = "6"
  }
}

locals {
  tags = {
    Service = var.name
    Managed = "terraform"
  }
}

resource "aws_launch_template" "this" {
  name_prefix   = "${var.name}-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = var.instance_type
  tags          = local.tags
}

resource "aws_autoscaling_group" "this" {
  name                = var.name
  min_size            = tonumber(lookup(var.settings, "min", "1"))
  max_size            = tonumber(lookup(var.settings, "max", "3"))
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

resource "aws_lb" "this" {
  name               = substr(var.name, 0, 32)
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
  tags               = merge(local.tags, { Tier = "edge" })
}

resource "aws_lb_target_group" "this" {
  name     = substr("${var.name}-tg", 0, 32)
  port     = 8080
  protocol = "HTTP"
}

resource "aws_sqs_queue" "jobs" {
  for_each = toset(["high", "low"])
  name     = "${var.name}-${each.key}"
}

output "dns_name" {
  value = aws_lb.this.dns_name
}

output "zone_id" {
  value = aws_lb.this.zone_id
}
"""

DB_MODULE = """\
variable "name" {
  type = string
}

variable "multi_az" {
  type    = bool
  default = true
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_db_instance" "this" {
  identifier           = var.name
  engine               = "postgres"
  instance_class       = "db.m6g.large"
  allocated_storage    = 100
  multi_az             = var.multi_az
  db_subnet_group_name = aws_db_subnet_group.this.name
}

resource "aws_dynamodb_table" "state" {
  name         = "${var.name}-state"
  hash_key     = "pk"
  billing_mode = "PAY_PER_REQUEST"

  attribute {
    name = "pk"
    type = "S"
  }
}

output "endpoint" {
  value = aws_db_instance.this.endpoint
}
"""


def root_module(team: int, service: int) -> dict[str, str]:
    name = f"t{team}-svc{service}"
    primary = REGIONS[(team + service) % len(REGIONS)]
    standby = REGIONS[(team + service + 1) % len(REGIONS)]
    multi_region = service % 2 == 0
    main = f"""\
terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }}
  }}
}}

provider "aws" {{
  region = var.region
}}

provider "aws" {{
  alias  = "standby"
  region = "{standby}"
}}

locals {{
  name = "${{var.environment}}-{name}"
  azs  = [for suffix in ["a", "b", "c"] : "${{var.region}}${{suffix}}"]
}}

module "network" {{
  source = "../../modules/network"
  name   = local.name
  azs    = local.azs
}}

module "app" {{
  source            = "../../modules/app"
  name              = local.name
  subnet_ids        = module.network.private_subnet_ids
  public_subnet_ids = module.network.public_subnet_ids
}}

module "db" {{
  source     = "../../modules/db"
  name       = local.name
  subnet_ids = module.network.private_subnet_ids
  multi_az   = var.environment == "prod"
}}

resource "aws_route53_zone" "public" {{
  name = "{name}.example.org"
}}

resource "aws_route53_health_check" "primary" {{
  fqdn              = module.app.dns_name
  type              = "HTTPS"
  port              = 443
  failure_threshold = 3
}}

resource "aws_route53_record" "primary" {{
  zone_id         = aws_route53_zone.public.zone_id
  name            = "api"
  type            = "A"
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id

  failover_routing_policy {{
    type = "PRIMARY"
  }}

  alias {{
    name                   = module.app.dns_name
    zone_id                = module.app.zone_id
    evaluate_target_health = true
  }}
}}
"""
    if multi_region:
        main += f"""
module "network_standby" {{
  source    = "../../modules/network"
  providers = {{ aws = aws.standby }}
  name      = "${{local.name}}-standby"
  azs       = ["{standby}a", "{standby}b"]
}}

module "app_standby" {{
  source            = "../../modules/app"
  providers         = {{ aws = aws.standby }}
  name              = "${{local.name}}-standby"
  subnet_ids        = module.network_standby.private_subnet_ids
  public_subnet_ids = module.network_standby.public_subnet_ids
}}

resource "aws_route53_record" "secondary" {{
  zone_id        = aws_route53_zone.public.zone_id
  name           = "api"
  type           = "A"
  set_identifier = "secondary"

  failover_routing_policy {{
    type = "SECONDARY"
  }}

  alias {{
    name                   = module.app_standby.dns_name
    zone_id                = module.app_standby.zone_id
    evaluate_target_health = false
  }}
}}
"""
    variables = """\
variable "region" {
  type = string
}

variable "environment" {
  type    = string
  default = "dev"
}
"""
    tfvars = f'region      = "{primary}"\nenvironment = "{"prod" if service % 3 else "staging"}"\n'
    return {"main.tf": main, "variables.tf": variables, "terraform.tfvars": tfvars}


def stack_yaml(team: int, service: int) -> str:
    return f"""\
AWSTemplateFormatVersion: "2010-09-09"
Description: team {team} service {service}
Parameters:
  Environment:
    Type: String
    Default: prod
  InstanceClass:
    Type: String
    Default: db.m6g.large
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Mappings:
  Sizes:
    prod: {{Min: "2", Max: "6"}}
    dev: {{Min: "1", Max: "2"}}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.{service % 200}.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.{service % 200}.1.0/24
      AvailabilityZone: !Select [0, !GetAZs ""]
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.{service % 200}.2.0/24
      AvailabilityZone: !Select [1, !GetAZs ""]
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: !Ref InstanceClass
      AllocatedStorage: "100"
      MultiAZ: !If [IsProd, true, false]
      DBName: !Sub "svc${{AWS::StackName}}"
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: !FindInMap [Sizes, !Ref Environment, Min]
      MaxSize: !FindInMap [Sizes, !Ref Environment, Max]
      VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${{AWS::StackName}}-jobs"
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
"""


def stack_json(team: int, service: int) -> str:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": f"t{team}-s{service}-${{AWS::Region}}"}}},
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Cache": {
                "Type": "AWS::ElastiCache::ReplicationGroup",
                "Properties": {
                    "ReplicationGroupDescription": "cache",
                    "AutomaticFailoverEnabled": True,
                    "NumCacheClusters": 2,
                    "CacheNodeType": "cache.m6g.large",
                    "Engine": "redis",
                },
            },
        },
    }
    return json.dumps(template, indent=2) + "\n"


def generate(out: Path, scale: int) -> dict[str, int]:
    if out.exists():
        shutil.rmtree(out)
    modules = {"network": NETWORK_MODULE, "app": APP_MODULE, "db": DB_MODULE}
    files = 0
    for team in range(scale * TEAMS_PER_SCALE):
        team_dir = out / f"team{team:03d}"
        for module, text in modules.items():
            path = team_dir / "modules" / module / "main.tf"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            files += 1
        for service in range(SERVICES_PER_TEAM):
            root = team_dir / "live" / f"svc{service}"
            root.mkdir(parents=True, exist_ok=True)
            for name, text in root_module(team, service).items():
                (root / name).write_text(text)
                files += 1
            stacks = team_dir / "stacks"
            stacks.mkdir(parents=True, exist_ok=True)
            (stacks / f"svc{service}.yaml").write_text(stack_yaml(team, service))
            (stacks / f"svc{service}-data.json").write_text(stack_json(team, service))
            files += 2
    return {"teams": scale * TEAMS_PER_SCALE, "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.scale)))


if __name__ == "__main__":
    main()
