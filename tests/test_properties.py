"""Property tests for every parser, through the engine and on their own.

(a) Arbitrary input never takes anything but the parse-error path: through the engine
(decode, parse, every rule, suppressions) the result is the file's models or exactly one
``x000`` finding, never an internal error, and every finding's span lies inside the file.
(b) Generated valid input parses to the model that was written, and each value's span
covers the text that wrote it (the source sliced with the span reads back as the value).

The parsers' own test modules hold narrower properties (round trips with Python's json,
BuildKit's grammar, shell words against shlex); these are the cross-cutting ones. Each
test is bounded (``max_examples``, no deadline, no example database): the module runs in
well under a minute.
"""

from __future__ import annotations

import json
import os
import string
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dockerlint.core.engine import Engine
from dockerlint.core.findings import Result
from dockerlint.core.options import Options
from dockerlint.core.parsing import PARSE_ERROR_ID
from dockerlint.discovery import Candidate
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.parsers import compose, daemon_json, jsonpos, shell, systemd
from dockerlint.util.lines import text_between as span_text
from helpers import registry

# DOCKERLINT_PROPERTY_EXAMPLES raises the bound for a long hunt (the default keeps CI short).
EXAMPLES = int(os.environ.get("DOCKERLINT_PROPERTY_EXAMPLES", "500"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Engine kind and display path; the path matters (etc/default/docker is an environment file).
TARGETS = {
    "dockerfile": ("dockerfile", "Dockerfile"),
    "compose": ("compose", "compose.yaml"),
    "daemon": ("daemon", "etc/docker/daemon.json"),
    "unit": ("systemd", "etc/systemd/system/docker.service"),
    "envfile": ("systemd", "etc/default/docker"),
    "script": ("script", "deploy.sh"),
    "makefile": ("makefile", "Makefile"),
    "github": ("github", ".github/workflows/ci.yml"),
    "gitlab": ("gitlab", ".gitlab-ci.yml"),
}
ROOT = "/nonexistent-dockerlint-properties"  # never read: the bytes are given to the engine
_ENGINE: Engine | None = None


def engine() -> Engine:
    global _ENGINE  # noqa: PLW0603 -- built once for the whole session
    if _ENGINE is None:
        _ENGINE = Engine(registry(), Options(select=["ALL"]))  # off-by-default rules too
    return _ENGINE


def through_engine(target: str, data: bytes) -> Result:
    """Lint ``data`` as the file ``target`` names; check what holds for any input."""
    kind, path = TARGETS[target]
    abspath = f"{ROOT}/{path}"
    cand = Candidate(path, abspath, kind, explicit=True)
    eng = engine()
    result = eng.run([cand], contents={abspath: data})
    assert not result.internal_errors, result.internal_errors
    assert result.io_errors == 0
    read_back = eng.read(cand, Result()) if data else None
    lines = read_back.lines if read_back is not None else [""]
    for f in result.findings:
        assert f.rule_id in eng.registry, f
        s = f.span
        assert s.path == path
        assert 1 <= s.line <= s.end_line <= len(lines) + 1, (f, len(lines))
        assert s.col >= 1 and (s.end_line > s.line or s.end_col >= s.col), f
        # The lines a finding carries for reporters are the file's, from the span's first line.
        assert list(f.lines) == lines[s.line - 1 : s.line - 1 + len(f.lines)] and (
            f.lines or s.line > len(lines) or read_back is None
        ), f
        assert "nested too deeply" not in f.message or len(data) > 2000, f  # no RecursionError on small input
    # Models, or the one finding of the parse-error path.
    probe = Result()
    src = eng.read(cand, probe) if data else None
    if src is not None:
        out = eng.parse(src, probe)
        if out is None:
            assert [f.rule_id for f in probe.findings] == [PARSE_ERROR_ID[kind]], probe.findings
    elif data:
        assert [f.rule_id for f in probe.findings] == [PARSE_ERROR_ID[kind]], probe.findings
    return result


# -- (a) arbitrary input ---------------------------------------------------------------------

_FLAVOUR = {
    "dockerfile": list("FROMRUNCOPYADDENVARGUSER fromrun \\`$'\"{}[]<>=:-#\t\n\r/.01") + ["<<EOF", "\nEOF\n", "\u00a0"],
    "compose": list("ab:-&*<>!|'\"[]{},#?%@` \n\t\\1.~=$")
    + ["services:", "\n  web:\n    ", "image: ", "<<: *a", "privileged: true", "volumes: [", "!reset"],
    "daemon": list('{}[]",:.-+0123456789eE \n\t\\/') + ['"hosts"', '"tcp://0.0.0.0:2375"', "true", "null", '"icc"'],
    "unit": list("[]=#;\\\"' \n\t$%{}-")
    + [
        "[Service]\n",
        "ExecStart=",
        "/usr/bin/dockerd ",
        "-H ",
        "tcp://:2375",
        "Environment=",
        "DOCKER_OPTS",
        "\\\n",
        "[Socket]\nListenStream=",
    ],
    "envfile": list("AB_=#; \t\n\\\"'$-") + ["DOCKER_OPTS=", "-H tcp://0.0.0.0:2375", "export ", "${A}"],
    "script": list(" \t\n\\\"'$;|&()-=")
    + [
        "docker run ",
        "--privileged ",
        "-v /var/run/docker.sock:/s ",
        "-u 0 ",
        "nginx",
        "sh -c '",
        "sudo ",
        "$(",
        "<<EOF\n",
        "\nEOF\n",
    ],
    "makefile": list(" \t\n\\\"'$;|&():=-@")
    + ["build:\n\t", "docker run ", "--privileged ", "$(IMG)", "$$HOME ", "-v /:/host ", "define X\n", "endef\n"],
    "github": list("ab:-&*<>!|'\"[]{},#? \n\t\\1.$")
    + [
        "jobs:\n  b:\n    ",
        "runs-on: x\n",
        "steps:\n",
        "- run: docker run --privileged x\n",
        "container:",
        "options: --privileged",
        "services:",
        "${{ x }}",
    ],
    "gitlab": list("ab:-&*<>!|'\"[]{},#? \n\t\\1.$")
    + [
        "job:\n  ",
        "script:\n",
        "  - docker run -u 0 x\n",
        "services:\n",
        "- docker:dind\n",
        "variables:\n",
        "DOCKER_TLS_CERTDIR: ''\n",
        "extends: .x\n",
    ],
}


def _flavoured(target: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_FLAVOUR[target]), max_size=60).map("".join)


@BOUNDED
@given(
    st.sampled_from(sorted(TARGETS)).flatmap(
        lambda t: st.tuples(st.just(t), st.one_of(st.text(max_size=200), _flavoured(t)))
    )
)
def test_arbitrary_text_takes_only_the_parse_error_path(case: tuple[str, str]) -> None:
    target, text = case
    through_engine(target, text.encode("utf-8", "surrogatepass"))


@BOUNDED
@given(st.sampled_from(sorted(TARGETS)), st.binary(max_size=200))
def test_arbitrary_bytes_take_only_the_parse_error_path(target: str, data: bytes) -> None:
    through_engine(target, data)


_LINE_SOUPS = {
    "dockerfile": [
        "FROM a AS b",
        "FROM b",
        "RUN <<EOF",
        "EOF",
        "RUN a \\",
        "",
        "# c",
        'ENV A=1 B="2 3"',
        "COPY --from=b <<X /y",
        "X",
        "# escape=`",
        "USER root",
        "ARG B=${C:-d}",
        "ONBUILD RUN x",
        'HEALTHCHECK CMD ["a"]',
        "RUN --mount=type=secret,id=x cat /run/secrets/x",
        'SHELL ["sh"]',
        "# dockerlint: ignore[DF101] reason",
        'CMD ["a", ',
        "EXPOSE 2375/tcp",
    ],
    "compose": [
        "services:",
        "  web:",
        "    image: nginx:1",
        "    privileged: true",
        "    ports:",
        "      - 2375:2375",
        "    volumes:",
        "      - /var/run/docker.sock:/var/run/docker.sock",
        "    <<: *base",
        "x-base: &base",
        "  user: root",
        "    environment:",
        "      DOCKER_HOST: tcp://x:2375",
        "      - A=1",
        "    command: sh -c 'echo $$A'",
        "    cap_add: [ALL]",
        "  # dockerlint: ignore[DC102]",
        "    security_opt: [seccomp:unconfined]",
        "    network_mode: host",
        "    build: .",
        "  db: *base",
    ],
    "unit": [
        "[Unit]",
        "[Service]",
        "[Socket]",
        "ExecStart=",
        "ExecStart=/usr/bin/dockerd -H fd:// \\",
        "  --tls=false -H tcp://0.0.0.0:2375",
        "Environment=DOCKER_OPTS=--icc=true",
        "EnvironmentFile=-/etc/default/docker",
        "ExecStart=/usr/bin/dockerd $DOCKER_OPTS",
        "ListenStream=2375",
        "# c",
        "; c",
        "Service=docker.service",
        "ExecStart=-/usr/bin/dockerd --userns-remap=default",
        'Environment="A=1" B=${A}',
    ],
}


@BOUNDED
@given(
    st.sampled_from(sorted(_LINE_SOUPS)).flatmap(
        lambda t: st.tuples(
            st.just(t), st.lists(st.sampled_from(_LINE_SOUPS[t]), max_size=14), st.sampled_from(["\n", "\r\n", "\r"])
        )
    )
)
def test_soups_of_valid_lines_take_only_the_parse_error_path(case: tuple[str, list[str], str]) -> None:
    target, lines, newline = case
    through_engine(target, newline.join(lines).encode())


# -- (b) valid input: the model, and spans that point at the text ---------------------------


def _sliced(src: SourceFile, span: Span) -> str:
    return span_text(src.lines, span)


_WORD = st.text(alphabet=string.ascii_letters + string.digits + "_./:@%+-é😀", min_size=1, max_size=10)
_SQ = st.text(alphabet=string.ascii_letters + ' $"\\`;|&<>()#*é', min_size=0, max_size=10)
_DQ = st.text(alphabet=string.ascii_letters + " '\";|&<>()#*\\é", min_size=0, max_size=10)


@st.composite
def _shell_word(draw: st.DrawFn) -> tuple[str, str]:
    """(as written, value) of one literal shell word made of plain, '...' and "..." parts."""
    raw, value = "", ""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["plain", "single", "double"]))
        if kind == "plain":
            part = draw(_WORD)
            if part.startswith("#") or (not raw and part[0] in "~"):
                part = "x" + part
            raw, value = raw + part, value + part
        elif kind == "single":
            part = draw(_SQ)
            raw, value = raw + "'" + part + "'", value + part
        else:
            part = draw(_DQ)
            raw += '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
            value += part
    return raw, value


@BOUNDED
@given(
    st.lists(st.lists(_shell_word(), min_size=1, max_size=4), min_size=1, max_size=4),
    st.lists(st.sampled_from([" && ", " || ", "; ", " | ", "\n", " \\\n  "]), min_size=3, max_size=3),
)
def test_shell_words_parse_back_and_point_at_their_text(commands: list[list[tuple[str, str]]], ops: list[str]) -> None:
    names = ["echo", "curl", "apt-get", "tar"]
    text, expected = "", []
    for k, words in enumerate(commands):
        if k:
            text += ops[k - 1] if ops[k - 1] != " \\\n  " else " && "
        text += names[k]
        expected.append([(names[k], names[k])])
        for raw, value in words:
            text += " " + raw
            expected[-1].append((raw, value))
    script = shell.parse(text, shell.TextLocator("run.sh", text))
    assert not script.issues, script.issues
    got = [
        [(_sliced(SourceFile("run.sh", "dockerfile", text), w.span), w.value) for w in step.command.words]
        for step in script.walk()
    ]
    assert got == expected


_NAME = st.text(alphabet=string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=8)
_VALUE = st.one_of(
    st.text(alphabet=string.printable.replace("\x0b", "").replace("\x0c", "").replace("\r", ""), max_size=12),
    st.sampled_from(["yes", "on", "1:2", "0o7", "~", "null", "22:22", "${A:-b}", "é😀", "- x"]),
)


@st.composite
def _compose_file(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    services: dict[str, Any] = {}
    # Compose takes x-* keys under services for extensions, not services.
    for name in draw(st.lists(_NAME.filter(lambda n: not n.startswith("x-")), min_size=1, max_size=3, unique=True)):
        svc: dict[str, Any] = {"image": draw(_VALUE.filter(lambda v: v.strip() != "" and "$" not in v))}
        if draw(st.booleans()):
            svc["privileged"] = draw(st.booleans())
        if draw(st.booleans()):
            svc["command"] = draw(st.lists(_VALUE.filter(lambda v: "$" not in v), min_size=1, max_size=3))
        if draw(st.booleans()):
            svc["environment"] = draw(
                st.dictionaries(
                    st.text(alphabet=string.ascii_uppercase + "_", min_size=1, max_size=6),
                    _VALUE.filter(lambda v: "$" not in v),
                    max_size=3,
                )
            )
        services[name] = svc
    text = yaml.safe_dump(
        {"services": services},
        default_flow_style=draw(st.sampled_from([False, None, True])),
        indent=draw(st.sampled_from([2, 4])),
        allow_unicode=draw(st.booleans()),
        width=draw(st.sampled_from([20, 80, 10**6])),
    )
    return text, services


@BOUNDED
@given(_compose_file())
def test_compose_services_parse_back_and_point_at_their_text(case: tuple[str, dict[str, Any]]) -> None:
    text, services = case
    # PyYAML's emitter folds some long double-quoted scalars into text its own loader
    # (and libyaml) read differently: not ours to test.
    assume(yaml.safe_load(text) == {"services": services})
    src = SourceFile("compose.yaml", "compose", text)
    out = compose.parse(src)
    containers = {c.name.value: c for c in out.models if type(c).__name__ == "Container"}
    assert sorted(containers) == sorted(services)

    def reads_back(lstr: Any, value: str) -> None:
        assert lstr.value == value
        assert str(yaml.safe_load(_sliced(src, lstr.span))) == value, (lstr, _sliced(src, lstr.span))

    for name, svc in services.items():
        c = containers[name]
        reads_back(c.name, name)
        reads_back(c.image, svc["image"])
        if "privileged" in svc:
            assert c.privileged.value is svc["privileged"] and _sliced(src, c.privileged.span) == "privileged"
        for lstr, value in zip(c.command, svc.get("command", []), strict=True):
            reads_back(lstr, value)
        env = {e.name.value: e for e in c.environment}
        assert sorted(env) == sorted(svc.get("environment", {}))
        for key, value in svc.get("environment", {}).items():
            reads_back(env[key].name, key)
            reads_back(env[key].value, value)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


def _dumps(draw: st.DrawFn, value: Any) -> str:
    return json.dumps(
        value,
        indent=draw(st.sampled_from([None, 0, 2, "\t"])),
        ensure_ascii=draw(st.booleans()),
        separators=draw(st.sampled_from([None, (",", ":"), (" , ", " : ")])),
    )


@BOUNDED
@given(st.data())
def test_json_nodes_point_at_their_text(data: st.DataObject) -> None:
    value = data.draw(_JSON)
    text = _dumps(data.draw, value)
    doc = jsonpos.parse(text)
    src = SourceFile("daemon.json", "daemon", text)
    stack = [doc.root]
    while stack:
        node = stack.pop()
        written = text[node.start : node.end]
        assert _sliced(src, node.span("daemon.json")) == written
        assert json.loads(written) == node.py()
        if node.kind == "object":
            for m in node.value:
                assert json.loads(_sliced(src, m.key_node.span("daemon.json"))) == m.key
                stack.append(m.value)
        elif node.kind == "array":
            stack.extend(node.value)
    assert doc.root.py() == value


_DAEMON_VALUES = {
    "debug": st.booleans(),
    "icc": st.booleans(),
    "tls": st.booleans(),
    "live-restore": st.booleans(),
    "hosts": st.lists(
        st.sampled_from(
            ["tcp://0.0.0.0:2375", "unix:///var/run/docker.sock", "fd://", "tcp://127.0.0.1:2376", "0.0.0.0:5555"]
        ),
        max_size=3,
    ),
    "labels": st.lists(st.text(alphabet=string.ascii_letters + "=é", max_size=8), max_size=3),
    "log-opts": st.dictionaries(st.sampled_from(["max-size", "max-file"]), st.sampled_from(["10m", "3"])),
    "userns-remap": st.sampled_from(["default", "app"]),
    "x-unknown": _JSON,
}


@BOUNDED
@given(st.data())
def test_daemon_json_settings_point_at_their_text(data: st.DataObject) -> None:
    keys = data.draw(st.lists(st.sampled_from(sorted(_DAEMON_VALUES)), unique=True, max_size=6))
    value = {k: data.draw(_DAEMON_VALUES[k]) for k in keys}
    text = _dumps(data.draw, value)
    src = SourceFile("etc/docker/daemon.json", "daemon", text)
    part = daemon_json.parse(src).daemon_parts[0]
    assert [s.key for s in part.settings] == keys
    for s in part.settings:
        assert json.loads(_sliced(src, s.span)) == s.key
        assert json.loads(_sliced(src, s.value_span)) == value[s.key] == s.value
    tcp = [h for h in value.get("hosts", []) if h.startswith(("tcp://", "0.0.0.0"))]
    assert [(lst.host, lst.port) for lst in part.listeners if lst.scheme == "tcp"] == [
        (h.removeprefix("tcp://").rsplit(":", 1)[0], int(h.rsplit(":", 1)[1])) for h in tcp
    ]
    for lst in part.listeners:
        if lst.port_span is not None:
            assert _sliced(src, lst.port_span) == str(lst.port)


_FLAGS = [
    ("--icc", "icc", ["true", "false"]),
    ("--tls", "tls", ["true", "false"]),
    ("--label", "labels", ["a=b", "x"]),
    ("-H", "hosts", ["tcp://0.0.0.0:2375", "fd://", "unix:///r.sock"]),
    ("--userns-remap", "userns-remap", ["default"]),
    ("--log-opt", "log-opts", ["max-size=1m"]),
]


@BOUNDED
@given(st.data())
def test_unit_directives_and_dockerd_flags_point_at_their_text(data: st.DataObject) -> None:
    flags = data.draw(st.lists(st.sampled_from(range(len(_FLAGS))), max_size=6))
    words, expected = [], []
    for i in flags:
        flag, key, values = _FLAGS[i]
        value = data.draw(st.sampled_from(values))
        # A boolean flag takes its value only after '=' (pflag: "--icc false" is --icc and an argument).
        joined = key in ("icc", "tls") or (flag.startswith("--") and data.draw(st.booleans()))
        words.append(f"{flag}={value}" if joined else f"{flag} {value}")
        expected.append((key, flag, f"{flag}={value}" if joined else flag, value))
    seps = [data.draw(st.sampled_from([" ", "  ", " \\\n  ", "\t"])) for _ in words]
    comment = data.draw(st.sampled_from(["", "# a comment\n", "; another\n"]))
    text = (
        f"{comment}[Unit]\nDescription=Docker\n\n[Service]\nType=notify\n"
        "ExecStart=/usr/bin/dockerd" + "".join(sep + w for sep, w in zip(seps, words)) + "\n"
    )
    src = SourceFile("etc/systemd/system/docker.service", "systemd", text)
    unit = systemd.parse(src).daemon_parts[0]
    service = [d for sec in unit.sections for d in sec.directives if sec.name == "Service"]
    assert [(d.key, _sliced(src, d.key_span)) for d in service] == [("Type", "Type"), ("ExecStart", "ExecStart")]
    assert _sliced(src, service[0].value_span) == "notify"
    (cmd,) = unit.exec_starts
    got = [(s.key, s.written_key, _sliced(src, s.span), _sliced(src, s.value_span)) for s in cmd.settings]
    assert got == expected
