"""The span-keeping YAML layer: positions, YAML 1.1 scalars, anchors and merges, refusals."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.parsers import yaml_nodes as Y
from dockerlint.parsers.errors import ParseError
from helpers import dedent


def load(text: str) -> Y.YNode:
    node = Y.load(dedent(text))
    assert node is not None
    return node


def ymap(text: str) -> Y.YMap:
    node = load(text)
    assert isinstance(node, Y.YMap)
    return node


def pos(node: Y.YNode) -> tuple[int, int, int, int]:
    return (node.line, node.col, node.end_line, node.end_col)


def refused(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        Y.load(dedent(text))
    return info.value


def test_uses_the_c_loader_when_available() -> None:
    if yaml.__with_libyaml__:
        assert Y.LOADER is yaml.CSafeLoader
    else:
        assert Y.LOADER is yaml.SafeLoader


# -- positions ------------------------------------------------------------------------


def test_spans_are_one_based_and_end_exclusive() -> None:
    m = ymap("""
        services:
          web:
            image: "nginx:1.25"
        """)
    services = m.entry("services")
    assert services is not None
    assert pos(services.key) == (1, 1, 1, 9)
    web = services.value
    assert isinstance(web, Y.YMap)
    assert pos(web.entries[0].key) == (2, 3, 2, 6)
    image = web.get("web")
    assert isinstance(image, Y.YMap)
    img = image.get("image")
    assert isinstance(img, Y.YScalar)
    assert pos(img) == (3, 12, 3, 24)  # the quotes are part of the written text
    assert img.value == "nginx:1.25" and img.style == '"'


def test_block_collection_ends_with_its_last_child_not_at_the_next_token() -> None:
    m = ymap("""
        a:
          - x
          - yy

        # a comment
        b: 1
        """)
    a = m.get("a")
    assert isinstance(a, Y.YSeq)
    assert pos(a) == (2, 3, 3, 7)
    assert [pos(i) for i in a] == [(2, 5, 2, 6), (3, 5, 3, 7)]


def test_flow_collection_spans_include_brackets() -> None:
    m = ymap("a: [1, {b: c}]\n")
    a = m.get("a")
    assert isinstance(a, Y.YSeq) and a.flow
    assert pos(a) == (1, 4, 1, 15)
    inner = a.items[1]
    assert isinstance(inner, Y.YMap) and pos(inner) == (1, 8, 1, 14)


def test_empty_value_is_a_null_scalar() -> None:
    m = ymap("a:\nb: ~\n")
    for key in ("a", "b"):
        v = m.get(key)
        assert isinstance(v, Y.YScalar) and v.is_null


def test_empty_stream_is_none() -> None:
    assert Y.load("") is None
    assert Y.load("# only a comment\n") is None


# -- YAML 1.1 scalars -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, tag, value",
    [
        ("yes", Y.BOOL, True),
        ("On", Y.BOOL, True),
        ("off", Y.BOOL, False),
        ("true", Y.BOOL, True),
        ("'yes'", Y.STR, None),
        ("y", Y.STR, None),
    ],
)
def test_yaml11_booleans_are_visible(text: str, tag: str, value: bool | None) -> None:
    v = ymap(f"k: {text}\n").get("k")
    assert isinstance(v, Y.YScalar)
    assert v.tag == tag
    assert v.bool_value is value


def test_sexagesimal_keeps_the_written_text() -> None:
    m = ymap("p: 22:22\nq: 8080:80\nmode: 0440\n")
    p, q, mode = m.get("p"), m.get("q"), m.get("mode")
    assert isinstance(p, Y.YScalar) and isinstance(q, Y.YScalar) and isinstance(mode, Y.YScalar)
    # YAML 1.1 reads 22:22 as 22*60+22 = 1342; the text is what Compose means.
    assert p.tag == Y.INT and p.value == "22:22"
    assert q.tag == Y.STR and q.value == "8080:80"
    assert mode.tag == Y.INT and mode.value == "0440"


def test_nothing_is_constructed() -> None:
    m = ymap("d: 2024-01-01\nb: !!binary aGVsbG8=\nf: 1e3\n")
    assert all(isinstance(e.value, Y.YScalar) and isinstance(e.value.value, str) for e in m)


# -- anchors and merges -------------------------------------------------------------------


def test_alias_value_keeps_the_anchor_span() -> None:
    m = ymap("""
        x-vols: &vols
          - /var/run/docker.sock:/var/run/docker.sock
        services:
          a:
            volumes: *vols
        """)
    services = m.get("services")
    assert isinstance(services, Y.YMap)
    a = services.get("a")
    assert isinstance(a, Y.YMap)
    vols = a.get("volumes")
    assert isinstance(vols, Y.YSeq)
    assert pos(vols.items[0]) == (2, 5, 2, 46)
    assert vols is m.get("x-vols")  # shared, not copied


def test_merge_key_explicit_keys_win_and_record_the_merge_key() -> None:
    m = ymap("""
        base: &base
          image: alpine
          privileged: true
        svc:
          <<: *base
          image: busybox
        """)
    svc = m.get("svc")
    assert isinstance(svc, Y.YMap)
    assert svc.keys() == ["privileged", "image"]
    image = svc.entry("image")
    priv = svc.entry("privileged")
    assert image is not None and priv is not None
    assert isinstance(image.value, Y.YScalar) and image.value.value == "busybox"
    assert image.merged_by is None
    assert priv.merged_by is not None and pos(priv.merged_by) == (5, 3, 5, 5)
    assert pos(priv.key) == (3, 3, 3, 13)  # where it is written: in the anchor


def test_merge_list_earlier_mappings_win() -> None:
    m = ymap("""
        a: &a {x: 1, y: 1}
        b: &b {y: 2, z: 2}
        c:
          <<: [*a, *b]
          z: 3
        """)
    c = m.get("c")
    assert isinstance(c, Y.YMap)
    got = {e.key.value: e.value.value for e in c if isinstance(e.value, Y.YScalar)}
    assert got == {"x": "1", "y": "1", "z": "3"}


def test_nested_merges_are_flattened() -> None:
    m = ymap("""
        a: &a {x: 1}
        b: &b
          <<: *a
          y: 2
        c:
          <<: *b
        """)
    c = m.get("c")
    assert isinstance(c, Y.YMap)
    assert sorted(c.keys()) == ["x", "y"]


def test_merge_of_a_scalar_is_refused() -> None:
    e = refused("""
        a: &a 1
        b:
          <<: *a
        """)
    assert (e.line, e.col) == (1, 4)
    assert "merge key" in e.message


# -- refusals ---------------------------------------------------------------------------


def test_python_tags_are_refused_at_the_tag() -> None:
    e = refused("""
        services:
          web:
            image: !!python/object/apply:os.system ["id"]
        """)
    assert (e.line, e.col) == (3, 12)
    assert "python/object/apply" in e.message


def test_unknown_local_tag_is_refused() -> None:
    e = refused("a: !Ref thing\n")
    assert (e.line, e.col) == (1, 4)


def test_compose_tags_are_allowed() -> None:
    m = ymap("a: !reset []\nb: !override {}\n")
    a = m.get("a")
    assert a is not None and a.tag == "!reset"


def test_duplicate_key_is_refused_at_the_second_key() -> None:
    e = refused("""
        services:
          web:
            image: a
            image: b
        """)
    assert (e.line, e.col, e.end_col) == (4, 5, 10)
    assert "duplicate key 'image'" in e.message and "line 3" in e.message


def test_explicit_key_over_merged_key_is_not_a_duplicate() -> None:
    b = ymap("a: &a {x: 1}\nb:\n  <<: *a\n  x: 2\n").get("b")
    assert isinstance(b, Y.YMap)
    x = b.get("x")
    assert isinstance(x, Y.YScalar) and x.value == "2" and (x.line, x.col) == (4, 6)


def test_complex_keys_are_refused() -> None:
    e = refused("? [a, b]\n: 1\n")
    assert (e.line, e.col) == (1, 3)


def test_alias_bomb_is_refused() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        levels.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(ParseError) as info:
        Y.load("\n".join(levels) + "\n")
    assert "alias bomb" in info.value.message
    assert info.value.line == 5  # a4 is the first to expand past 100,000 nodes (111,111)


def test_expansion_limit_is_read_from_dockerlint_limits() -> None:
    from dockerlint.util import limits

    with limits.using(limits.Limits(max_alias_expansion=5)):
        Y.load("a: &a [1, 2, 3]\nb: [*a]\n")  # the alias adds 4 nodes
        with pytest.raises(ParseError) as info:
            Y.load("a: &a [1, 2, 3]\nb: [*a, *a]\n")  # 8
    assert "--max-alias-expansion" in info.value.message
    Y.load("a: &a [1, 2, 3]\nb: [*a, *a]\n")  # the defaults again outside the block


def test_a_large_document_without_aliases_is_not_an_alias_bomb() -> None:
    text = "services:\n" + "".join(
        f"  s{i}:\n    image: a{i}\n    ports: ['1:1', '2:2']\n" for i in range(Y.MAX_EXPANDED_NODES // 8)
    )
    node = Y.load(text)
    assert isinstance(node, Y.YMap) and node.weight > Y.MAX_EXPANDED_NODES


def test_recursive_alias_is_refused() -> None:
    e = refused("a: &a [1, *a]\n")
    assert "recursive" in e.message and (e.line, e.col) == (1, 4)


def test_deep_nesting_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        Y.load("[" * 5000 + "]" * 5000)
    with pytest.raises(ParseError):
        Y.load("[" * (Y.MAX_DEPTH + 5) + "]" * (Y.MAX_DEPTH + 5))


@pytest.mark.parametrize(
    "text, line, col",
    [
        ("a: [1, 2\n", 2, 1),
        ("a: b: c\n", 1, 5),
        ("a:\n  - x\n y: 1\n", 3, 2),
        ("a: *nope\n", 1, 4),
        ("a: 'x\n", 2, 1),
        ("a: \x07\n", 1, 4),
    ],
)
def test_syntax_errors_point_at_the_problem(text: str, line: int, col: int) -> None:
    with pytest.raises(ParseError) as info:
        Y.load(text)
    assert (info.value.line, info.value.col) == (line, col)
    assert info.value.message.startswith("invalid YAML")


def test_only_the_first_document_is_read() -> None:
    node = Y.load("a: 1\n---\nb: [unclosed\n")
    assert isinstance(node, Y.YMap) and node.keys() == ["a"]


# -- never anything but ParseError ------------------------------------------------------

_yamlish = st.text(alphabet=st.sampled_from(list("ab:-&*<>!|'\"[]{},#?%@` \n\t\\1.~=$")), max_size=80)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), _yamlish))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    try:
        Y.load(text)
    except ParseError:
        pass
