"""Patterns compiled on first use behave as compiled patterns."""

from __future__ import annotations

import re

from dockerlint.util.lazyre import compile_later


def test_a_later_pattern_is_the_compiled_pattern_once_used() -> None:
    later = compile_later(r"(?P<k>[a-z]+)=(\d+)", re.IGNORECASE)
    assert "search" not in vars(later)  # nothing compiled yet
    m = later.search("x AB=12")
    assert m is not None and m.group("k") == "AB" and m.group(2) == "12"
    assert "search" in vars(later)  # bound: later calls skip the stand-in
    assert later.pattern == r"(?P<k>[a-z]+)=(\d+)" and later.flags & re.IGNORECASE
    assert later.sub(r"\g<k>", "a=1 b=2") == "a b"
    assert [x.group(0) for x in later.finditer("a=1,b=2")] == ["a=1", "b=2"]
    assert later.fullmatch("a=1") is not None and later.match("-a=1") is None
    assert later.groupindex == {"k": 1}


def test_every_method_works_as_the_first_use() -> None:
    for method, args, want in [("match", ("ab",), "ab"), ("fullmatch", ("ab",), "ab"),
                               ("findall", ("ab cd",), ["ab", "cd"]), ("split", ("ab cd",), ["", " ", ""]),
                               ("subn", ("x", "ab cd"), ("x x", 2))]:
        got = getattr(compile_later(r"[a-z]+"), method)(*args)
        got = got.group(0) if isinstance(got, re.Match) else got
        assert got == want, method
