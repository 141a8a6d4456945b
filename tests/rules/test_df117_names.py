"""DF117's name prefilter (``_names_may_hit``): the fast version answers as the first one did.

The first version found the secret words with a case-insensitive alternation and the word
around each through a list of every separator's offset; the current one finds the words in a
folded copy of the text and the word's ends with ``str.find``. Same answers, on any text.
"""

from __future__ import annotations

import re
import string
import time
from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.knowledge.secrets import SECRET_WORD_MARKS
from dockerlint.rules.image import df117

_REF_MARKS = re.compile("|".join(SECRET_WORD_MARKS), re.IGNORECASE)
_REF_SEPARATOR = re.compile(r"[ \t\n\r\f\v;&|()<>`]")


def _reference(glued: str) -> bool:
    """The first version of ``_names_may_hit``, kept as the reference."""
    separators: list[int] | None = None
    for m in _REF_MARKS.finditer(glued):
        p, e = m.span()
        if separators is None:
            separators = [s.start() for s in _REF_SEPARATOR.finditer(glued)]
        i = bisect_left(separators, p)
        start = separators[i - 1] + 1 if i > 0 else 0
        end = separators[i] if i < len(separators) else len(glued)
        if p - start > df117._WINDOW or end - e > df117._WINDOW:
            return True
        word = glued[start:end]
        eq = word.find("=", e - start)
        if eq < 0 and "-" not in word[: p - start]:
            continue
        cut = e - start
        ends = [eq if eq >= 0 else len(word)]
        while (cut := word.find("_", cut, ends[0])) >= 0:
            ends.append(cut)
            cut += 1
        if any(df117._may_name(word[:i]) for i in ends):
            return True
    return False


_PIECES = st.sampled_from(
    [
        "PASSWORD",
        "password",
        "Pass",
        "PW",
        "pw",
        "KEY",
        "key",
        "apt-key",
        "keyring",
        "SALT",
        "TOKEN",
        "Secret",
        "credential",
        "MASTERAUTH",
        "\u212aEY",
        "pa\u017f\u017f",
        "\u0130",
        "\u0131",
        "API_KEY",
        "DB_PASSWORD",
        "-D",
        "-P",
        "--",
        "-",
        "=",
        "_",
        "value",
        "x",
        "Hunter2",
        "é",
        "\u00df",
        "ǅ",
        " ",
        "\t",
        "\n",
        ";",
        "&",
        "|",
        "(",
        ")",
        "<",
        ">",
        "`",
        "\r",
        "\f",
        "\v",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_names_may_hit_answers_as_the_reference(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert df117._names_may_hit(text) == _reference(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=6), st.integers(200, 300), st.integers(200, 300), st.sampled_from(["a", "_", "-"]))
def test_names_may_hit_answers_as_the_reference_around_the_window(
    pieces: list[str], before: int, after: int, fill: str
) -> None:
    # Words of about _WINDOW characters either side of a secret word: the bounds of the search.
    text = fill * before + "".join(pieces) + "API_TOKEN=" + fill * after + " " + "".join(pieces)
    assert df117._names_may_hit(text) == _reference(text)


def test_names_may_hit_reference_cases() -> None:
    assert df117._names_may_hit("export API_TOKEN=abc")
    assert df117._names_may_hit("mvn -Dgpg.passphrase=x")
    assert df117._names_may_hit("tool --\u212aEY=x") == _reference("tool --\u212aEY=x")  # the Kelvin sign
    assert not df117._names_may_hit("apt-key add - && echo keyring")
    assert not df117._names_may_hit("")
    assert df117._names_may_hit("x" * 300 + "password")  # too long a word: admitted, not measured
    assert df117._names_may_hit("password" + "x" * 300)


def test_the_fold_table_is_what_ignorecase_reads_as_ascii_letters() -> None:
    # Every character re.IGNORECASE matches to an ASCII letter folds to that letter, and no other
    # character folds to one: the marks are found in the folded text exactly as the alternation did.
    assert all(m == m.lower() and set(m) <= set(string.ascii_lowercase) for m in SECRET_WORD_MARKS)
    letter = re.compile("[a-z]", re.IGNORECASE)
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        folded = ch.translate(df117._FOLD)
        if letter.fullmatch(ch):
            assert len(folded) == 1 and folded in string.ascii_lowercase and re.fullmatch(folded, ch, re.IGNORECASE)
        else:
            assert folded == ch


def test_names_may_hit_is_linear_on_a_hostile_text() -> None:
    for text, hit in (
        ("key" * 100_000, True),
        ("a-key" * 60_000, True),
        ("apt-keyring " * 50_000, False),
        (("x" * 250 + "-keyring ") * 1000, False),
    ):
        start = time.process_time()
        assert df117._names_may_hit(text) is hit
        assert time.process_time() - start < 2.0
