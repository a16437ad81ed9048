"""bench/corpus.py: findings against labels, on a made-up corpus of our own (tests/data/corpus)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "corpus"


def load_corpus_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = load_corpus_script()


def finding(rule: str, resource: str = "-", unit: str = "app", path: str = "app/main.tf", repository: str = "example/shop") -> object:
    return corpus.Finding(repository, rule, "warning", unit, resource, path, 1, "message")


def label(rule: str, verdict: str, resource: str = "-", unit: str = "app", path: str = "app/main.tf", commit: str = "1111111", row: int = 2) -> object:
    return corpus.Label("example/shop", commit, rule, unit, resource, path, verdict, "why", row)


SHOP = corpus.Repository("example/shop", "1111111111111111111111111111111111111111")


def test_each_verdict_counts_for_its_rule_and_debatable_stays_out_of_precision() -> None:
    findings = [finding("RES103", "aws_s3_bucket.a"), finding("RES103", "aws_s3_bucket.b"), finding("RES103", "aws_s3_bucket.c"), finding("RES101")]
    labels = [
        label("RES103", "true", "aws_s3_bucket.a"),
        label("RES103", "false", "aws_s3_bucket.b"),
        label("RES103", "debatable", "aws_s3_bucket.c"),
        label("RES101", "true"),
    ]
    result = corpus.compare(findings, labels, [SHOP])
    res103 = result.per_rule["RES103"]
    assert (res103.true, res103.false, res103.debatable, res103.unlabelled) == (1, 1, 1, 0)
    assert res103.precision() == 0.5
    assert res103.lower_bound() == pytest.approx(1 / 3)
    overall = result.overall()
    assert (overall.true, overall.false, overall.debatable) == (2, 1, 1)
    assert overall.precision() == pytest.approx(2 / 3)
    assert not result.unlabelled and not result.stale and not result.commit_mismatch


def test_a_label_is_for_one_unit_and_resource_and_a_resourceless_finding_is_known_by_its_file() -> None:
    findings = [
        finding("RES103", "module.db.aws_db_instance.this", unit="examples/one", path="main.tf"),
        finding("RES103", "module.db.aws_db_instance.this", unit="examples/two", path="main.tf"),
        finding("RES001", unit="broken.tf", path="broken.tf"),
    ]
    labels = [
        label("RES103", "true", "module.db.aws_db_instance.this", unit="examples/one", path="main.tf"),
        label("RES001", "true", unit="broken.tf", path="other.tf"),
    ]
    result = corpus.compare(findings, labels, [SHOP])
    assert [(f.rule, f.unit) for f in result.unlabelled] == [("RES103", "examples/two"), ("RES001", "broken.tf")]
    assert [lab.rule for lab in result.stale] == ["RES001"]


def test_labels_without_a_finding_are_stale_and_labels_of_another_commit_are_said() -> None:
    labels = [label("RES302", "false", "aws_db_instance.gone"), label("RES101", "true", commit="abcdef0", row=3)]
    result = corpus.compare([finding("RES101")], labels, [SHOP])
    assert [lab.resource for lab in result.stale] == ["aws_db_instance.gone"]
    assert [lab.row for lab in result.commit_mismatch] == [3]
    assert result.per_rule["RES101"].true == 1


def test_labels_of_repositories_outside_the_manifest_are_not_stale() -> None:
    other = corpus.Label("someone/else", "1234567", "RES101", "app", "-", "main.tf", "true", "why", 2)
    assert corpus.compare([], [other], [SHOP]).stale == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("example/shop\t1111111\tRES101\tapp\t-\tapp/main.tf\tmaybe\twhy", "verdict 'maybe'"),
        ("example/shop\t1111111\tRES101\tapp\t-\tapp/main.tf\ttrue", "7 columns"),
        ("example/shop\t1111111\tRES101\tapp\t-\tapp/main.tf\ttrue\t ", "one line of why"),
    ],
)
def test_bad_labels_are_said_with_their_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "labels.tsv"
    path.write_text("\t".join(corpus.LABEL_COLUMNS) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=f":2: .*{message}"):
        corpus.load_labels(path)


def test_the_same_finding_labelled_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.tsv"
    row = "example/shop\t1111111\tRES101\tapp\t-\tapp/main.tf\ttrue\twhy\n"
    path.write_text(row + row, encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=r"labels.tsv:2: same finding as .*labels.tsv:1"):
        corpus.load_labels(path)


def test_a_labels_folder_reads_every_tsv_file_and_refuses_a_finding_labelled_in_two(tmp_path: Path) -> None:
    row = "example/shop\t1111111\tRES101\tapp\t-\tapp/main.tf\ttrue\twhy\n"
    other = "example/shop\t1111111\tRES103\tapp\tdata\tapp/main.tf\tfalse\twhy\n"
    (tmp_path / "a.tsv").write_text(row, encoding="utf-8")
    (tmp_path / "b.tsv").write_text(other, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not labels", encoding="utf-8")
    assert [label.rule for label in corpus.load_labels(tmp_path)] == ["RES101", "RES103"]
    (tmp_path / "c.tsv").write_text(row, encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=r"c.tsv:1: same finding as .*a.tsv:1"):
        corpus.load_labels(tmp_path)


def test_a_manifest_folder_reads_every_toml_file_and_refuses_a_repository_listed_twice(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[[repository]]\nname = "a/b"\ncommit = "1"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[[repository]]\nname = "c/d"\ncommit = "2"\n', encoding="utf-8")
    assert [repository.name for repository in corpus.load_manifest(tmp_path)] == ["a/b", "c/d"]
    (tmp_path / "c.toml").write_text('[[repository]]\nname = "a/b"\ncommit = "3"\n', encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match="listed twice: a/b"):
        corpus.load_manifest(tmp_path)


def test_the_repository_labels_and_manifest_load() -> None:
    """The real corpus files in bench/corpus stay well-formed (they are edited by hand)."""
    repositories = corpus.load_manifest(ROOT / "bench" / "corpus" / "manifest")
    labels = corpus.load_labels(ROOT / "bench" / "corpus" / "labels")
    names = {repository.name for repository in repositories}
    assert len(names) >= 15
    assert {lab.repository for lab in labels} <= names


def test_scanning_the_made_up_corpus_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repos"
    shutil.copytree(DATA / "repos", root)
    saved = tmp_path / "findings.json"
    status = corpus.main([str(root), "--manifest", str(DATA / "manifest.toml"), "--labels", str(DATA / "labels.tsv"), "--save-findings", str(saved)])
    out = capsys.readouterr().out
    assert status == 1  # one finding has no label, one label has no finding
    assert "| RES101 | 2 | 1 | 1 | 0 | 0 | 50.0 % | 50.0 % |" in out
    assert "| RES103 | 3 | 1 | 0 | 1 | 1 | 100.0 % | 50.0 % |" in out
    assert "| RES001 | 1 | 1 | 0 | 0 | 0 | 100.0 % | 100.0 % |" in out
    assert "| **overall** | 7 | 4 | 1 | 1 | 1 | 80.0 % | 66.7 % |" in out
    assert "| all warnings | 6 | 3 | 1 | 1 | 1 | 75.0 % | 60.0 % |" in out
    assert "| all errors | 1 | 1 | 0 | 0 | 0 | 100.0 % | 100.0 % |" in out
    assert "| all Terraform | 4 | 3 | 0 | 1 | 0 | 100.0 % | 75.0 % |" in out
    assert "| all CloudFormation | 3 | 1 | 1 | 0 | 1 | 50.0 % | 50.0 % |" in out
    assert "findings with no label (1):\n  example/stacks\tRES103\tqueue.yaml\tTable\tqueue.yaml:3\t" in out
    assert "labels that match no finding any more (1)" in out and "OldDatabase" in out
    assert "example/stacks\tRES101\tqueue.yaml\t-\tqueue.yaml:1\t" in out.split("false positives (1):")[1]
    # the saved findings give the same comparison without scanning again
    again = corpus.main(["--findings", str(saved), "--manifest", str(DATA / "manifest.toml"), "--labels", str(DATA / "labels.tsv"), "--markdown"])
    table = capsys.readouterr().out
    assert again == 1
    assert table.splitlines()[-1] == "| **overall** | 7 | 4 | 1 | 1 | 1 | 80.0 % | 66.7 % |"


def test_a_repository_that_was_not_fetched_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = corpus.main([str(tmp_path), "--manifest", str(DATA / "manifest.toml"), "--labels", str(DATA / "labels.tsv")])
    assert status == 2
    assert "example+shop: not found (fetch example/shop at 1111111111111111111111111111111111111111 there)" in capsys.readouterr().err
