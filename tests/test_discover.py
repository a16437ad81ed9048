from __future__ import annotations

import os
from pathlib import Path

import pytest

from resilint.discover import discover, sniff
from tests.conftest import write

CFN = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n'


def kinds(root: Path) -> dict[str, str]:
    found = discover([root])
    return {os.path.relpath(f.path, root).replace(os.sep, "/"): f.kind for f in found.files}


def test_picks_up_terraform_cloudformation_and_plans(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_sqs_queue" "q" {}\n',
            "override.tf.json": "{}",
            "prod.tfvars": 'region = "eu-west-1"\n',
            "terraform.tfvars.json": "{}",
            "stack.yaml": CFN,
            "sam.yml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n",
            "legacy.template": '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
            "plan.json": '{"format_version": "1.2", "planned_values": {}}',
            "custom.json": '{"Resources": {"R": {"Type": "Custom::Thing"}}}',
        },
    )
    assert kinds(tmp_path) == {
        "main.tf": "terraform",
        "override.tf.json": "terraform",
        "prod.tfvars": "terraform-vars",
        "terraform.tfvars.json": "terraform-vars",
        "stack.yaml": "cloudformation",
        "sam.yml": "cloudformation",
        "legacy.template": "cloudformation",
        "plan.json": "terraform-plan",
        "custom.json": "cloudformation",
    }


def test_ignores_other_yaml_and_json_silently(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
            "package.json": '{"name": "x", "version": "1.0.0"}',
            "docker-compose.yaml": "services:\n  web:\n    image: nginx\n",
            "k8s.yaml": "apiVersion: v1\nkind: ConfigMap\n",
            "broken.yaml": "a: [\n",
            "notes.md": "Resources: AWS::S3::Bucket",
        },
    )
    found = discover([tmp_path])
    assert found.files == [] and found.problems == []


def test_skips_vendored_and_tool_folders(tmp_path: Path) -> None:
    tf = 'resource "aws_sqs_queue" "q" {}\n'
    write(
        tmp_path,
        {
            "app/main.tf": tf,
            ".git/x.tf": tf,
            ".terraform/modules/vpc/main.tf": tf,
            "node_modules/pkg/main.tf": tf,
            "cdk.out/asset.1234/main.tf": tf,
            "cdk.out/App.template.json": '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
            ".terragrunt-cache/x/main.tf": tf,
        },
    )
    assert set(kinds(tmp_path)) == {"app/main.tf", "cdk.out/App.template.json"}


def test_exclude_globs(tmp_path: Path) -> None:
    tf = 'resource "aws_sqs_queue" "q" {}\n'
    write(tmp_path, {"a/main.tf": tf, "b/main.tf": tf, "c/test.tf": tf})
    found = discover([tmp_path], exclude=["b", "test.tf"])
    assert [os.path.relpath(f.path, tmp_path) for f in found.files] == [os.path.join("a", "main.tf")]


def test_explicit_files_and_overlapping_paths_are_scanned_once(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    found = discover([tmp_path, tmp_path / "main.tf"])
    assert len(found.files) == 1


def test_order_is_stable(tmp_path: Path) -> None:
    tf = 'resource "aws_sqs_queue" "q" {}\n'
    write(tmp_path, {f"m{i}/main.tf": tf for i in (3, 1, 2)})
    displays = [f.display for f in discover([tmp_path]).files]
    assert displays == sorted(displays)


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    write(tmp_path, {"a/main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    os.symlink(tmp_path / "self.tf", tmp_path / "self.tf")
    found = discover([tmp_path])
    assert [Path(f.path).name for f in found.files] == ["main.tf"]
    assert [p.message for p in found.problems] == ["symbolic link loop or dangling link"]


def test_dangling_values_file_awaits_the_user(tmp_path: Path) -> None:
    # terraform-example-foundation links each root's common.auto.tfvars to ../../common.auto.tfvars,
    # which the user creates from an example file: not a broken file, its values are unknown.
    write(tmp_path, {"envs/prod/main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    os.symlink("../../common.auto.tfvars", tmp_path / "envs" / "prod" / "common.auto.tfvars")
    os.symlink("../../gone.tf", tmp_path / "envs" / "prod" / "gone.tf")
    os.symlink(tmp_path / "loop.tfvars", tmp_path / "loop.tfvars")
    found = discover([tmp_path])
    assert [Path(f.path).name for f in found.files] == ["main.tf"]
    assert sorted((Path(p.location.path).name, p.message) for p in found.problems) == [
        ("gone.tf", "symbolic link loop or dangling link"),
        ("loop.tfvars", "symbolic link loop or dangling link"),
    ]


def test_sniff() -> None:
    assert sniff(CFN, "x.yaml") == "cloudformation"
    assert sniff('{"format_version":"1.2","resource_changes":[]}', "p.json") == "terraform-plan"
    assert sniff("Resources:\n  X:\n    Type: Foo\n", "x.yaml") is None


def test_a_terraform_file_linked_into_folders_is_read_in_each(tmp_path: Path) -> None:
    """Terraform reads a linked file as part of the folder the link is in (a shared
    variables.tf linked into every root); a template is one stack wherever it is linked."""
    write(tmp_path, {"variables.tf": 'variable "region" {}\n', "eu/main.tf": "", "us/main.tf": "", "stack.yaml": CFN})
    for folder in ("eu", "us"):
        os.symlink("../variables.tf", tmp_path / folder / "variables.tf")
        os.symlink("../stack.yaml", tmp_path / folder / "stack.yaml")
    assert kinds(tmp_path) == {
        "variables.tf": "terraform",
        "eu/main.tf": "terraform",
        "eu/variables.tf": "terraform",
        "us/main.tf": "terraform",
        "us/variables.tf": "terraform",
        "stack.yaml": "cloudformation",
    }


def test_a_link_leaving_the_scanned_tree_is_still_skipped(tmp_path: Path) -> None:
    write(tmp_path, {"shared/variables.tf": 'variable "region" {}\n', "repo/app/main.tf": ""})
    os.symlink(tmp_path / "shared" / "variables.tf", tmp_path / "repo" / "app" / "variables.tf")
    found = discover([tmp_path / "repo"])
    assert [os.path.relpath(f.path, tmp_path / "repo") for f in found.files] == [os.path.join("app", "main.tf")]
    assert found.problems == []


def test_a_link_to_elsewhere_in_the_repository_is_read_when_one_folder_is_scanned(tmp_path: Path) -> None:
    """The repository's code wherever the scan starts (`resilint scan terraform/aws/network` of
    a repository whose roots link its shared terraform/variables.tf); out of it: skipped."""
    write(tmp_path, {"outside.tf": "", "repo/.git/HEAD": "", "repo/terraform/variables.tf": "", "repo/terraform/aws/network/main.tf": ""})
    network = tmp_path / "repo" / "terraform" / "aws" / "network"
    os.symlink("../../variables.tf", network / "variables.tf")
    os.symlink(tmp_path / "outside.tf", network / "outside.tf")
    assert sorted(p.name for p in (f.path for f in discover([network]).files)) == ["main.tf", "variables.tf"]


def test_a_linked_folder_and_its_target_are_not_read_twice(tmp_path: Path) -> None:
    write(tmp_path, {"a/main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    os.symlink(tmp_path / "a", tmp_path / "b")  # folder links are not followed
    found = discover([tmp_path, tmp_path / "b" / "main.tf"])
    assert [os.path.relpath(f.path, tmp_path) for f in found.files] == [os.path.join("a", "main.tf")]


def test_a_file_that_cannot_be_read_is_not_told_to_fix_its_syntax(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """RES001's fix said "Fix the syntax at the reported line" for a dangling link, a binary file
    or one too large, where there is no syntax to fix."""
    import json

    from resilint.cli import main

    os.symlink(tmp_path / "gone.tf", tmp_path / "link.tf")
    (tmp_path / "utf16.tf").write_bytes("resource {}".encode("utf-16"))
    main(["scan", str(tmp_path), "--no-cache", "--format", "json"])
    fixes = {f["message"]: f["fix"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert len(fixes) == 2
    assert all(not fix.startswith("Fix the syntax") and "exclude the file" in fix for fix in fixes.values())
