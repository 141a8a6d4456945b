"""Per-scan and per-model caches are methods of the scan and of the rule context (issue 13
WP2.1), not module globals: ``Scan.cached`` and ``RuleContext.memo``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dockerlint.api import Hit, RuleContext, ScanView, Severity, rule
from dockerlint.core.registry import Registry
from dockerlint.core.scan import Scan
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common import builds, daemons
from helpers import lint_tree, write_tree

calls: list[Any] = []


def _count_models(scan: Any) -> int:
    calls.append(scan)
    return len(scan.models)


def _other(scan: Any) -> str:
    calls.append("other")
    return "other"


def test_scan_cached_computes_once_per_version_keyed_by_the_function() -> None:
    calls.clear()
    scan = Scan(models=[1, 2])
    assert scan.cached(_count_models) == 2
    assert scan.cached(_count_models) == 2
    assert calls == [scan]
    assert scan.cached(_other) == "other"  # another function, another entry
    scan.add([3])  # the scan moved: computed again
    assert scan.cached(_count_models) == 3
    scan.replace([4])
    assert scan.cached(_count_models) == 1
    assert scan.cached(_count_models) == 1
    assert calls == [scan, "other", scan, scan]
    assert Scan().cached(_count_models) == 0  # each scan has its own


def test_scan_view_documents_cached_for_plugins() -> None:
    assert callable(getattr(ScanView, "cached", None))
    assert callable(getattr(RuleContext, "memo", None))


def test_rule_indexes_live_on_the_scan_not_in_a_module_global() -> None:
    """Two scans asked in turn keep their own index (a module global kept only the last)."""
    first, second = Scan(), Scan()
    a = builds._links(RuleContext(scan=first))
    b = builds._links(RuleContext(scan=second))
    assert a is not b
    assert builds._links(RuleContext(scan=first)) is a
    assert daemons.daemons(RuleContext(scan=first)) is daemons.daemons(RuleContext(scan=first))
    first.add([])
    assert builds._links(RuleContext(scan=first)) is not a
    assert not hasattr(builds, "_last") and not hasattr(daemons, "_last")


seen: list[tuple[str, int, str]] = []  # (rule, id of the memo dict, model path)


def _stage_count(build: ImageBuild) -> int:
    seen.append(("compute", 0, build.path))
    return len(build.stages)


def _memo_rule(rule_id: str) -> Any:
    @rule(id=rule_id, name=f"memo-{rule_id.lower()}", reads=ImageBuild, severity=Severity.INFO, summary="test")
    def check(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
        stages = ctx.memo(_stage_count)
        seen.append((rule_id, id(ctx.memos), build.path))
        yield Hit(build.stages[0].image.span, f"{stages} stages")

    return check


def test_the_rules_of_one_model_share_its_memo_and_the_next_model_starts_afresh(tmp_path: Path) -> None:
    reg = Registry.builtin()
    for r in (_memo_rule("TST201"), _memo_rule("TST202")):
        reg.add(r, origin="test", builtin=False)
    write_tree(tmp_path, {"a/Dockerfile": "FROM alpine:3\nFROM alpine:3\n", "b/Dockerfile": "FROM alpine:3\n"})
    seen.clear()
    result = lint_tree(tmp_path, select=["TST2"], rules=reg)
    assert sorted((f.rule_id, f.path, f.message) for f in result.findings) == [
        ("TST201", "a/Dockerfile", "2 stages"),
        ("TST201", "b/Dockerfile", "1 stages"),
        ("TST202", "a/Dockerfile", "2 stages"),
        ("TST202", "b/Dockerfile", "1 stages"),
    ]
    computed = [path for what, _, path in seen if what == "compute"]
    assert sorted(computed) == ["a/Dockerfile", "b/Dockerfile"]  # once per model, not once per rule
    memo_of = {}
    for what, memo, path in seen:
        if what != "compute":
            memo_of.setdefault(path, set()).add(memo)
    assert all(len(ids) == 1 for ids in memo_of.values())  # both rules of a model: one memo
