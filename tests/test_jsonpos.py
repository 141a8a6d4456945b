"""The position-keeping JSON reader: Go-strict, exact error positions, exact spans."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.parsers import jsonpos
from dockerlint.parsers.errors import ParseError


def test_values_and_spans():
    doc = jsonpos.parse('{\n  "a": [1, 2.5, true, null],\n  "b": {"c": "x"}\n}')
    root = doc.root
    assert root is not None
    assert root.py() == {"a": [1, 2.5, True, None], "b": {"c": "x"}}
    assert (root.line, root.col, root.end_line, root.end_col) == (1, 1, 4, 2)
    a = root.members("a")[0]
    assert (a.key_node.line, a.key_node.col, a.key_node.end_col) == (2, 3, 6)
    assert (a.value.line, a.value.col, a.value.end_col) == (2, 8, 28)
    item = a.value.value[2]
    assert item.kind == "bool" and (item.line, item.col, item.end_col) == (2, 17, 21)
    assert isinstance(a.value.value[0].value, int) and isinstance(a.value.value[1].value, float)


def test_duplicate_keys_kept_in_order_last_wins():
    doc = jsonpos.parse('{"icc": false, "x": 1, "icc": true}')
    root = doc.root
    assert [m.key for m in root.members()] == ["icc", "x", "icc"]
    assert [m.value.value for m in root.members("icc")] == [False, True]
    assert root.get("icc").value is True
    assert root.py() == {"icc": True, "x": 1}


@pytest.mark.parametrize("text", ["", "   \n\t \n", "\ufeff", "\ufeff  \n"])
def test_empty_and_whitespace_only(text):
    assert jsonpos.parse(text).root is None


def test_bom_is_skipped_and_columns_ignore_it():
    doc = jsonpos.parse('\ufeff{"debug": true}')
    assert doc.root.py() == {"debug": True}
    assert (doc.root.line, doc.root.col) == (1, 1)


@pytest.mark.parametrize(
    ("text", "line", "col", "part"),
    [
        ('{\n  "a": 1, // note\n  "b": 2\n}', 2, 11, "comments are not allowed in daemon.json (dockerd rejects them)"),
        ('{\n  /* block */ "a": 1\n}', 2, 3, "comments are not allowed"),
        ("# comment\n{}", 1, 1, "comments are not allowed"),
        ('{"a": 1,\n}', 1, 8, "trailing comma before '}'"),
        ('{"a": [1, 2, ]}', 1, 12, "trailing comma before ']'"),
        ("{'a': 1}", 1, 2, "double quotes"),
        ("{a: 1}", 1, 2, 'object keys must be double-quoted strings in daemon.json: write "a"'),
        ('{"a": True}', 1, 7, "True is not a JSON value (write true)"),
        ('{"a": NaN}', 1, 7, "NaN is not a JSON value"),
        ('{"a": 1', 1, 8, "ends unexpectedly"),
        ('{"a" 1}', 1, 6, "expected ':'"),
        ('{"a": 1 "b": 2}', 1, 9, "expected ',' or '}'"),
        ("[1 2]", 1, 4, "expected ',' or ']'"),
        ('{"a": 01}', 1, 8, "expected ',' or '}'"),
        ('{"a": "x\ny"}', 1, 7, "not closed before the end of the line"),
        ('{"a": "C:\\path"}', 1, 10, "invalid escape"),
        ('{"a": "\\u12"}', 1, 8, "four hexadecimal digits"),
        ('{"a": "\t"}', 1, 8, "a tab is not allowed inside a string"),
        ("{} {}", 1, 4, "after the end of the JSON value"),
        ("{}\n// trailing comment", 2, 1, "comments are not allowed"),
        ('{"a": -}', 1, 7, "invalid number"),
        ('{"a": tru}', 1, 7, "unexpected word 'tru'"),
    ],
)
def test_errors_at_exact_positions(text, line, col, part):
    with pytest.raises(ParseError) as info:
        jsonpos.parse(text, what="daemon.json")
    err = info.value
    assert (err.line, err.col) == (line, col), err.message
    assert part in err.message


@pytest.mark.parametrize(
    ("text", "col"),
    [
        ("[", 2),
        ('{"a": ', 7),
        ("[1, ", 5),
        ('{"a": [', 8),
        ('{"a": {"b": [1,\n', 1),
    ],
)
def test_a_document_cut_where_a_value_should_be_ends_unexpectedly(text, col):
    """At the end of the text, where a value should start, the reader says the file ends (it
    once read the missing character as an opening bracket, up to the depth limit)."""
    line = text.count("\n") + 1
    for read in (jsonpos.parse, jsonpos.parse_jsonc):
        with pytest.raises(ParseError) as info:
            read(text, what="daemon.json")
        err = info.value
        assert "daemon.json ends unexpectedly: expected a value" in err.message, err.message
        assert (err.line, err.col) == (line, col)


def test_depth_limit_is_a_parse_error_not_a_recursion_error():
    with pytest.raises(ParseError) as info:
        jsonpos.parse("[" * 5000 + "]" * 5000)
    assert f"nested more than {jsonpos.MAX_DEPTH} levels" in info.value.message
    ok = jsonpos.parse("[" * jsonpos.MAX_DEPTH + "]" * jsonpos.MAX_DEPTH)
    assert ok.root is not None and ok.root.py() is not None  # py() recurses: the limit must leave room


def test_depth_limit_is_read_from_dockerlint_limits():
    from dockerlint.util import limits

    with limits.using(limits.Limits(max_depth=3)):
        jsonpos.parse("[[[]]]")
        with pytest.raises(ParseError) as info:
            jsonpos.parse("[[[[]]]]")
    assert "nested more than 3 levels" in info.value.message and "--max-depth" in info.value.message
    assert jsonpos.parse("[[[[]]]]").root is not None  # the defaults again outside the block


def test_string_escapes_and_decoded_spans():
    doc = jsonpos.parse('{"h": "tc\\u0070://0.0.0.0:2375", "e": "\\ud83d\\ude00\\ud800x"}')
    h = doc.root.get("h")
    assert h.value == "tcp://0.0.0.0:2375"
    span = doc.string_span(h, "f", 14, 18)  # the port
    assert (span.line, span.col, span.end_col) == (1, 27, 31)
    span = doc.string_span(h, "f", 2, 3)  # 'p' written as \u0070
    assert (span.col, span.end_col) == (10, 16)
    assert doc.root.get("e").value == "\U0001f600\ufffdx"  # lone surrogate -> U+FFFD, as Go


def test_agrees_with_python_json_on_valid_documents():
    text = json.dumps({"a": [1, -2.5e3, 'ü\n"', None, {"b": False}], "c": {}, "d": []}, indent=2)
    assert jsonpos.parse(text).root.py() == json.loads(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_round_trip_with_python_json(value, pretty):
    text = json.dumps(value, indent=2 if pretty else None, ensure_ascii=False)
    assert jsonpos.parse(text).root.py() == value


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}[]\",:.-+0123456789eEtrufalsn \n\t\\/#*'ab\u00e9")), max_size=60))
def test_arbitrary_text_only_raises_parse_error(text):
    try:
        jsonpos.parse(text)
    except ParseError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_unicode_only_raises_parse_error(text):
    try:
        doc = jsonpos.parse(text)
    except ParseError as err:
        assert err.line >= 1 and err.col >= 1
    else:
        if doc.root is not None:
            assert doc.root.py() == json.loads(text.removeprefix("\ufeff"))
