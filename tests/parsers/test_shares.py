"""Sharing a cold scan's Terraform folders out between workers before anything is parsed: the
module calls guessed from the text, and shares that keep a root with the modules it calls."""

from __future__ import annotations

from pathlib import Path

from resilint.parsers.shares import share
from resilint.parsers.terraform.call_guess import local_calls

HERE = Path("/repo/stacks/app")


def test_local_module_sources_are_guessed_from_the_text() -> None:
    hcl = (
        'module "net" {\n  source = "../../modules/net"\n}\n'
        'module "same" {\n  source  =  "./nested/queue"\n}\n'
        'module "registry" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
        'module "git" {\n  source = "git::https://example.com/x.git"\n}\n'
        'module "self" {\n  source = "./"\n}\n'
        'locals {\n  note = "source = \\"../elsewhere\\""\n}\n'
    )
    json = '{"module": {"db": {"source": "../../modules/db"}}}'
    found = local_calls(str(HERE), [("main.tf", hcl), ("db.tf.json", json), ("README.tf", "no calls")])
    assert found == ["/repo/modules/net", str(HERE / "nested" / "queue"), "/repo/modules/db"]


def _closure(root: Path, calls: dict[Path, set[Path]]) -> set[Path]:
    seen, pending = {root}, [root]
    while pending:
        for target in calls.get(pending.pop(), set()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def test_a_root_is_built_where_every_folder_it_reads_is_parsed() -> None:
    m = [Path(f"/r/modules/m{i}") for i in range(4)]
    a, b, c, d, e, f = (Path(f"/r/live/{name}") for name in "abcdef")
    calls = {
        a: {m[0]},
        b: {m[0], m[1]},
        c: {m[1]},
        m[0]: {m[1]},  # a module calling another
        d: {m[2]},
        e: {m[2], m[3]},
        f: {m[3]},
        m[2]: {m[3]},
    }
    sizes = {**dict.fromkeys(m, 1000), **dict.fromkeys((a, b, c, d, e, f), 200)}
    shares = share(sizes, calls, 2)
    assert set(shares.builder) == {a, b, c, d, e, f}, "modules others call are not roots"
    for root, worker in shares.builder.items():
        assert _closure(root, calls) <= set(shares.parse[worker]), root
    # Roots calling the same modules go together, so that each module is parsed once.
    assert shares.builder[a] == shares.builder[b] == shares.builder[c] != shares.builder[d] == shares.builder[e] == shares.builder[f]
    assert sorted(shares.parse[0] + shares.parse[1]) == sorted(sizes)
    assert share(sizes, calls, 2) == shares, "the same shares every time"


def test_a_module_every_root_calls_is_parsed_by_every_worker_that_builds() -> None:
    sizes = {Path("/r/modules/common"): 5000, **{Path(f"/r/live/{i}"): 1000 for i in range(4)}}
    calls = {Path(f"/r/live/{i}"): {Path("/r/modules/common")} for i in range(4)}
    shares = share(sizes, calls, 2)
    workers = set(shares.builder.values())
    assert workers == {0, 1}, "the roots' own folders still balance"
    for worker in workers:
        assert Path("/r/modules/common") in shares.parse[worker]


def test_modules_that_call_each_other_in_a_cycle_are_parsed_too() -> None:
    a, b, root = Path("/r/a"), Path("/r/b"), Path("/r/root")
    shares = share({a: 10, b: 10, root: 10}, {a: {b}, b: {a}}, 2)
    assert set().union(*shares.parse) == {a, b, root}
    assert shares.builder[root] in (0, 1)


def test_two_roots_are_swapped_when_no_single_move_balances_the_builds() -> None:
    """Each worker parses as much as the other, but one builds five times as much: moving one
    root over would unbalance the parsing more than it balances the building; swapping two
    balances both."""
    from resilint.parsers.shares import _Plan

    plan = _Plan(2, [100, 100, 100, 100], {root: (root,) for root in range(4)}, {0: 50.0, 1: 50.0, 2: 10.0, 3: 10.0})
    for root, worker in ((0, 0), (1, 0), (2, 1), (3, 1)):
        plan.add(root, worker)
    assert plan.cost() == 300
    assert not plan.improve()
    assert plan.swap()
    assert plan.cost() == 260 and plan.parsed == [200, 200] and plan.built == [60.0, 60.0]
