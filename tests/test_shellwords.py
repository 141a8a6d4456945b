"""dockerlint.util.shellwords.split is shlex.split (POSIX) in linear time."""

from __future__ import annotations

import shlex
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.util.shellwords import split, split_spans

TRICKY = st.text(st.sampled_from(list("ab $'\"\\\n\t-=x")), max_size=40)


def _outcome(fn, text):
    try:
        return fn(text)
    except ValueError:
        return ValueError


@settings(max_examples=3000, deadline=None)
@given(TRICKY)
def test_same_words_as_shlex(text):
    assert _outcome(split, text) == _outcome(shlex.split, text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=8))
def test_round_trip_of_shlex_join(words):
    assert split(shlex.join(words)) == words


def test_long_token_is_linear():
    started = time.monotonic()
    assert split("'" + "x" * 2_000_000 + "' b") == ["x" * 2_000_000, "b"]
    assert time.monotonic() - started < 1.0


@settings(max_examples=1000, deadline=None)
@given(TRICKY)
def test_spans_locate_each_word_as_written(text):
    try:
        spans = split_spans(text)
    except ValueError:
        return
    for word, start, end in spans:
        # The written text of a word is that word alone when split again.
        assert split(text[start:end]) == [word]
    assert [w for w, _, _ in spans] == split(text)
