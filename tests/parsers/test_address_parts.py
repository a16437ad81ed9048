"""One splitter of Terraform addresses for the loader and the plan reader."""

from __future__ import annotations

import pytest

from resilint.parsers.terraform.address_parts import split_address, strip_key, without_keys


def test_dots_and_brackets_inside_keys_do_not_split() -> None:
    assert split_address('module.a["x.y"].aws_s3_bucket.b[0]') == ["module", 'a["x.y"]', "aws_s3_bucket", "b[0]"]
    assert split_address('module.a["q]."].b') == ["module", 'a["q]."]', "b"]


@pytest.mark.parametrize(
    ("address", "call"),
    [
        ('module.app["a"].module.vpc', "module.app.module.vpc"),
        ('module.a["x.y"].aws_s3_bucket.b[0]', "module.a.aws_s3_bucket.b"),
        ("aws_s3_bucket.b", "aws_s3_bucket.b"),
        ("", ""),
    ],
)
def test_without_keys(address: str, call: str) -> None:
    assert without_keys(address) == call


def test_strip_key() -> None:
    assert strip_key('a["x"]') == "a"
    assert strip_key("b[0]") == "b"
    assert strip_key("c") == "c"
