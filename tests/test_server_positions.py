"""Engine columns (code points, 1-based) to LSP positions and back, in each encoding."""

from __future__ import annotations

import pytest

from dockerlint.server.positions import UTF8, UTF16, UTF32, split_lines, to_client, to_engine


def test_lines_break_where_an_lsp_client_breaks_them() -> None:
    # CRLF, LF and a lone CR end lines; a form feed and U+2028 do not (str.splitlines would).
    assert split_lines("a\r\nb\nc\rd\x0ce\u2028f") == ["a", "b", "c", "d\x0ce\u2028f"]


@pytest.mark.parametrize(("encoding", "units"), [(UTF16, 2), (UTF8, 4), (UTF32, 1)])
def test_a_character_outside_the_bmp_counts_in_the_negotiated_units(encoding: str, units: int) -> None:
    lines = ["x😀y"]
    assert to_client(lines, 1, 3, encoding) == (0, 1 + units)  # 'y'
    assert to_engine(lines, 0, 1 + units, encoding) == (1, 3)


def test_spans_past_the_text_are_clamped() -> None:
    lines = ["ab", "c"]
    assert to_client(lines, 1, 99, UTF16) == (0, 2)
    assert to_client(lines, 5, 1, UTF16) == (1, 1)
    assert to_client([], 1, 1, UTF16) == (0, 0)
    assert to_engine(lines, 9, 9, UTF16) == (2, 2)
