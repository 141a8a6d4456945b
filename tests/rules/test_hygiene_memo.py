"""rules/image/_hygiene.py: what the DF2xx prefilters compute for a build is per build
(``ctx.memo``), shared by the rules that read it, and kept by no module global."""

from __future__ import annotations

from typing import Any

import pytest

from dockerlint.rules.image import _hygiene
from helpers import lint

_DOCKERFILE = """\
FROM debian:12 AS build
RUN apt-get update && apt-get install -y curl && pip install flask
FROM alpine:3.20
RUN apk add curl && useradd -u 100000 app
"""
_RULES = ["DF201", "DF202", "DF203", "DF204", "DF207", "DF208", "DF211", "DF212", "DF214", "DF215"]


def test_each_build_is_read_once_for_all_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []
    original = _hygiene._BuildRuns.__init__

    def counting(self: _hygiene._BuildRuns, build: Any) -> None:
        built.append(build)
        original(self, build)

    monkeypatch.setattr(_hygiene._BuildRuns, "__init__", counting)
    result = lint({"Dockerfile": _DOCKERFILE, "sub/Dockerfile": _DOCKERFILE}, select=_RULES)
    assert result.findings  # the rules ran and read the RUNs
    assert len(built) == 2 and built[0] is not built[1]  # one per build, for all ten rules


def test_no_module_global_keeps_a_build() -> None:
    lint({"Dockerfile": _DOCKERFILE}, select=_RULES)
    kept = [
        name
        for name, value in vars(_hygiene).items()
        if isinstance(value, _hygiene._BuildRuns)
        or (isinstance(value, list) and any(isinstance(v, _hygiene._BuildRuns) for v in value))
    ]
    assert kept == []
