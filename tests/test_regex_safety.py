"""No regular expression, and no rule, is super-linear on what a repository can write.

Three layers (issue 11, item 8):

- every pattern of ``src`` (:mod:`regex_inventory` collects them, module-level ones
  included) passes regexploit, a static ReDoS checker;
- every pattern is timed on long strings built from its own pieces, applied the way the
  code applies it (searched, or matched at one start);
- every rule (``--select ALL``) runs on files whose one long line is such a piece repeated,
  in each kind of file where the text can appear: under 2 s for 100 KB, and doubling the
  line at most triples the time.

Times are CPU times of this thread (``time.thread_time``), the least of a few tries when a
first try looks slow, and the ratio is only judged above a floor: the machine is shared. Not
``time.process_time``: while a process-wide CPU timer is armed (the give-up timer below),
Linux reads the process clock from its tick-driven group timer, so it moves in 4 ms steps;
a run below one step then read as 0 s, and a quarter of the linear cases looked quadratic
(0 s at n, 8 ms at 8n) and were measured at 100 KB for nothing.

The rewritten matchers keep the old patterns' results: property tests compare them with
the patterns they replace, on strings made of the characters that matter.
"""

from __future__ import annotations

import json
import os
import re
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import regex_inventory as inventory
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.cli import GC_THRESHOLDS
from dockerlint.core.engine import Engine
from dockerlint.core.options import Options
from dockerlint.discovery import Candidate
from dockerlint.parsers import dockerfile, dockerfile_run, systemd
from dockerlint.rules.container import dc117
from dockerlint.rules.image import df104
from dockerlint.rules.image.optional import df201, df202, df203, df204, df207, df208, df211, df212, df213, df214, df218
from dockerlint.util.textsearch import in_order
from helpers import registry

PATTERNS, UNKNOWN_SITES = inventory.patterns()
USES = inventory._uses()

# Patterns whose raw search is super-linear, applied only in a way that is not: where, why,
# and the function that applies it (timed instead of the pattern, and compared with the
# pattern by a property test below).
EXCEPTIONS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "dockerlint.parsers.systemd._BRACED": (
        (
            "searched only through systemd._braced, which stops the search at the last '}' (a '${' "
            "with no '}' after it cannot match) and looks for '$$' alone after it"
        ),
        systemd._braced,
    ),
}


class _TooSlow(BaseException):
    """Not an Exception: the engine turns a rule's exceptions into a notice and goes on."""


def _stop(*_: Any) -> None:
    raise _TooSlow


def _cpu(fn: Callable[[], Any], tries: int = 1, give_up: float = 20.0) -> float:
    """CPU seconds of ``fn`` in this thread (the least of ``tries``); infinity past ``give_up`` seconds of
    CPU time (a catastrophic case fails the test instead of hanging it; CPU time, not wall
    time, so that a loaded machine does not cut a run short)."""
    import signal

    best = float("inf")
    previous = signal.signal(signal.SIGPROF, _stop)
    try:
        for _ in range(tries):
            started = time.thread_time()
            signal.setitimer(signal.ITIMER_PROF, give_up)
            try:
                fn()
            except _TooSlow:
                return float("inf")
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
            best = min(best, time.thread_time() - started)
    finally:
        signal.signal(signal.SIGPROF, previous)
    return best


def _scaled(measure: Callable[[int], float], small: int, floor: float, limit: float) -> tuple[float, float]:
    """CPU time at ``small`` and ``2 * small``; measured again (the least of 3) when the first
    figures look super-linear or slow."""
    a, b = measure(small), measure(2 * small)
    if b == float("inf"):
        return a, b
    if b > limit or (b > floor and b > 3 * a):
        a, b = min(a, measure(small), measure(small)), min(b, measure(2 * small), measure(2 * small))
    return a, b


# -- the inventory -------------------------------------------------------------------------------


def test_every_pattern_is_found():
    """A pattern built at run time inside a function is invisible to both collections: each
    such site must be listed in regex_inventory.DYNAMIC with representative instances."""
    assert UNKNOWN_SITES == []
    assert len(PATTERNS) > 200
    where = {f.where for f in PATTERNS}
    assert "dockerlint.knowledge.secrets._PREFILTER" in where  # a module-level one
    assert any(w.startswith("rules/image/df105.py:") for w in where)  # one written in a call
    assert "rules/image/optional/df207.py:_last_deletion" in where  # a DYNAMIC one


def test_regexploit_finds_no_redos():
    """regexploit reports backtracking that grows polynomially or exponentially with the input
    (its "starriness": 2 for quadratic, 3 for cubic…). None is allowed."""
    from regexploit.ast.sre import SreOpParser
    from regexploit.redos import find

    found = []
    for f in PATTERNS:
        pattern = f.pattern.decode("latin-1") if isinstance(f.pattern, bytes) else f.pattern
        flags = f.flags & ~re.UNICODE if isinstance(f.pattern, bytes) else f.flags
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                parsed = SreOpParser().parse_sre(pattern, flags)
            except AttributeError:  # regexploit predates atomic groups (fnmatch.translate's)
                assert "(?>" in pattern, pattern  # which never backtrack; timed below all the same
                continue
        found += [(f.where, pattern, r.starriness, r.example()) for r in find(parsed) if r.starriness >= 2]
    assert found == []


def test_regexploit_sees_the_patterns_that_were_fixed():
    """The checker is live: DF204's old pattern (32 s on 50 KB) is reported."""
    from regexploit.ast.sre import SreOpParser
    from regexploit.redos import find

    old = r"(?i)(?<![\w-])-[a-z]*[ysd][a-z]*\b|(?<![\w-])-[a-z]*q[a-z]*\b.*(?<![\w-])-[a-z]*q"
    assert any(r.starriness >= 2 for r in find(SreOpParser().parse_sre(old)))


@pytest.mark.parametrize("found", PATTERNS, ids=lambda f: f.where)
def test_every_pattern_is_linear_on_its_own_pieces(found):
    compiled = re.compile(found.pattern, found.flags)
    how = inventory.methods(found, USES)
    exception = EXCEPTIONS.get(found.where)

    def apply(text: Any) -> None:
        if exception is not None:
            exception[1](text)
            return
        if "search" in how:
            for _ in compiled.finditer(text):
                pass
        if "match" in how:
            compiled.match(text)
        if "fullmatch" in how:
            compiled.fullmatch(text)

    for piece in inventory.pieces(found):

        def measure(size: int, piece: str = piece) -> float:
            text: Any = inventory.line(piece, size)
            if isinstance(found.pattern, bytes):
                text = text.encode("utf-8")
            return _cpu(lambda: apply(text))

        # The ratio is judged above 25 ms: below, a loaded machine's noise decides it (a
        # linear pattern measured 3.9 ms and 11.7 ms, the least of three, under load 6).
        small, big = _scaled(measure, 25_000, floor=0.025, limit=0.25)
        assert big < 0.25 and (big <= 0.025 or big <= 3 * small), (found.where, piece, small, big)


# -- the rewritten matchers keep the old patterns' results ----------------------------------------


def _texts(*tokens: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(tokens), max_size=14).map("".join)


_OLD_DC117 = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*)://([^\s:/@]*):([^\s/@]+)@")


@settings(max_examples=400, deadline=None)
@given(_texts("a", "Z", "1", "-", ".", "+", "://", ":", "@", "/", " ", "é", "_", "\n", "x:y@"))
def test_dc117_url_credentials_as_the_old_pattern(text):
    m = _OLD_DC117.search(text)
    want = None if m is None else (m.start(), m.end(), m.group(1), m.group(2), m.group(3))
    assert dc117._url_credentials(text) == want
    assert dc117._mask_url(text) == _OLD_DC117.sub(lambda m: f"{m.group(1)}://{m.group(2)}:****@", text)


_OLD_ACTION = re.compile(
    r"\bapt(?:-get)?\b.*\b(?:install|upgrade|dist-upgrade|full-upgrade|remove|purge|autoremove|"
    r"autopurge|build-dep|reinstall)\b"
)
_OLD_ANSWERED = re.compile(
    r"(?i)(?<![\w-])-[a-z]*[ysd][a-z]*\b|--yes|--assume-yes|--trivial-only|--assume-no|"
    r"--force-yes|--simulate|--just-print|--dry-run|--recon|--no-act|--download-only|"
    r"--print-uris|assume-yes|(?<![\w-])-[a-z]*q[a-z]*\b.*(?<![\w-])-[a-z]*q|-qq|-q=|--quiet="
)


@settings(max_examples=600, deadline=None)
@given(
    _texts(
        "apt",
        "apt-get",
        "aptitude",
        "install",
        "remove",
        " ",
        "-",
        "-y",
        "-q",
        "-qq",
        "q",
        "Q",
        "y",
        "s",
        "x",
        "1",
        "_",
        "=",
        "--yes",
        "--quiet=1",
        "é",
        "-qx",
        "-Y",
    )
)
def test_df204_prefilter_as_the_old_patterns(piece):
    assert df204._action_piece(piece) == (_OLD_ACTION.search(piece) is not None)
    assert df204._answered(piece) == (_OLD_ANSWERED.search(piece) is not None)


_OLD_WORD, _OLD_PACKAGES = re.compile(r"\b(curl|wget)\b"), re.compile(r"\b(?:install|add)\b")


@settings(max_examples=400, deadline=None)
@given(_texts("curl", "wget", "install", "add", " ", ";", "&&", "|", "\n", "x", "(", "`", "adds"))
def test_df214_commands_as_before(text):
    from dockerlint.rules.image._hygiene import piece_start

    old = {
        m.group()
        for m in _OLD_WORD.finditer(text)
        if _OLD_PACKAGES.search(text, piece_start(text, m.start()), m.start()) is None
    }
    assert df214._commands(text) == old


@settings(max_examples=400, deadline=None)
@given(_texts("apk", " add", " del", " --virtual", " .deps", " x", " .deps-2", ";", "&&", "\n", " -t", "=1", "'"))
def test_df207_prefilter_as_before(text):
    def old(text: str) -> bool:
        if "apk" not in text or "add" not in text:
            return False
        for piece in df207.pieces(text, df207.APK):
            add = re.search(r"\bapk\b.*?\badd\b", piece.group())
            if add is None:
                continue
            if (piece.group().count('"') % 2 or piece.group().count("'") % 2) or df207._bare_operand(
                piece.group()[add.end() :]
            ):
                virtual = df207._VIRTUAL.search(piece.group())
                if (
                    virtual is None
                    or re.search(
                        r"\bapk\b[^;&|\n]*\bdel\b[^;&|\n]*" + re.escape(virtual.group(1)) + r"(?![\w.-])",
                        text[piece.end() :],
                    )
                    is None
                ):
                    return True
        return False

    assert df207._mentions(text) == old(text)


_OLD_DF104 = re.compile(
    r"\|&?\s*(?:(?:sudo|env|exec|nice|command|doas)\b(?:\s+-\S+)*\s+(?:\S+=\S*\s+)*)?"
    r"(?:/[\w./-]*/)?(?:sh|bash|dash|ash|zsh|ksh|mksh|fish|busybox|python[0-9.]*|pypy[0-9.]*|perl|"
    r"ruby|php[0-9.]*|node|nodejs|lua|source|eval)\b|"
    r"(?:<\(|\$\(|`|<<<)\s*(?:\S+=\S*\s+)*(?:sudo\s+)?(?:curl|wget|fetch)\b|\beval\b"
)


@settings(max_examples=600, deadline=None)
@given(
    _texts(
        "|",
        "|&",
        " ",
        "sudo",
        "env",
        " -x",
        "A=1 ",
        "/usr/bin/",
        "sh",
        "bash",
        "python3",
        "$(",
        "`",
        "<(",
        "<<<",
        "curl",
        "wget",
        "eval",
        "x",
        "=",
        ";",
    )
)
def test_df104_prefilter_passes_what_the_old_pattern_passed(text):
    if _OLD_DF104.search(text) is not None:
        assert df104._mentions(text)


_OLD_DF208_CLEAN = re.compile(r"\brm\b[^;&|\n]*/var/cache/apk[\"']?/?[\"']?\*?(?=[\s\"';&|)]|$)")
_OLD_DF208_PIECE = re.compile(r"\bapk\b.*\b(?:add|update|upgrade)\b")


@settings(max_examples=600, deadline=None)
@given(
    _texts(
        "apk",
        " add",
        " update",
        " rm",
        " -rf",
        " /var/cache/apk",
        "/*",
        ";",
        "&&",
        "\n",
        " x",
        " --no-cache",
        "rm",
        "'",
    )
)
def test_df208_prefilter_passes_what_the_old_patterns_passed(text):
    starts = [m.start() for m in _OLD_DF208_CLEAN.finditer(text)]
    assert df208._cleaned(text) <= (starts[-1] if starts else -1)  # a lower bound: never fewer texts
    line = text.split("\n")[0]
    assert df208._action_piece(line) == (_OLD_DF208_PIECE.search(line) is not None)


_IN_ORDER = [  # (the pattern replaced, the pieces in_order is given)
    (r"\bapt(?:-get)?\b.*\binstall\b", df201._APT_WORD, df201._INSTALL_WORD, "\n"),
    (r"\bapt(?:-get)?\b.*\bupdate\b", df203._APT_WORD, df203._UPDATE_WORD, "\n"),
    (r"\bapt(?:-get)?\b.*\binstall\b", df202._APT_WORD, df202._INSTALL_WORD, "\n"),
    (r"\bpip[0-9.]*\b.*\binstall\b", df212._PIP_WORD, df212._INSTALL_WORD, "\n"),
    (r"\b(?:ln|cp|mv)\s[^;&|\n]*/(?:usr/)?bin/sh(?![\w.-])", df218._COPY_WORD, df218._SHELL_PATH, ";&|\n"),
    (
        r"\b(?:docker|podman|nerdctl)(?:-compose)?\b[^\n;&|]*?\b(?:run|create)\b",
        dockerfile_run._CLIENT_WORD,
        dockerfile_run._RUN_WORD,
        "\n;&|",
    ),
]


@settings(max_examples=800, deadline=None)
@given(
    _texts(
        "apt",
        "apt-get",
        "aptx",
        " install",
        "installer",
        " update",
        "ln ",
        "cp\n",
        "mv",
        " /bin/sh",
        "/usr/bin/sh",
        "/bin/shx",
        "docker",
        "docker-compose",
        " run",
        " create",
        ";",
        "&",
        "|",
        "\n",
        " ",
        "x",
    )
)
def test_in_order_as_the_patterns_it_replaces(text):
    for old, first, second, stops in _IN_ORDER:
        assert in_order(text, first, second, stops) == (re.search(old, text) is not None), old


_OLD_DF213 = re.compile(
    r"\bnpm\b.*\b(?:install|i|add|in|ins|inst|insta|instal|isnt|isnta|isntal|isntall)"
    r"\s+(?:-\S+\s+)*[^-\s]"
)
_OLD_DF211 = re.compile(r"\bpip[0-9.]*\b.*?\binstall\b(.*)")


@settings(max_examples=600, deadline=None)
@given(_texts("npm", "npmx", " i", " install", " -g", " a", "pip", "pip3", "pip3.1", ".", " ", "x", "-", "install"))
def test_npm_and_pip_prefilters_as_before(piece):
    if _OLD_DF213.search(piece) is not None:
        assert df213._mentions(piece)  # a superset: the operand is left to the rule
    m = _OLD_DF211.search(piece)
    assert df211._after_install(piece) == (None if m is None else m.group(1))


_OLD_DF116 = [
    (r"\s*(?:\$|\d+|/[^/]*/)?\s*[aic]\\?\s+(.+)$", "_SED_APPEND", "match"),
    (r"[ \t]*,[ \t]*", "_commas", "sub"),
    (r"[ \t]*:[ \t]*(?=[^=,:()]*=)", "_HOST_SEPARATOR", "split"),
]


@settings(max_examples=600, deadline=None)
@given(_texts(" ", "\t", ",", ":", "=", "a", "1", "$", "/x/", "i", "\\", "(", "ALL"))
def test_df116_patterns_as_before(text):
    from dockerlint.rules.image import df116

    for old, name, how in _OLD_DF116:
        new = getattr(df116, name)
        if how == "match":
            a, b = re.match(old, text), new.match(text)
            assert (a and a.group(1)) == (b and b.group(1)), name
        elif how == "sub":
            assert df116._commas(text) == re.sub(old, ",", text), name
        else:
            assert new.split(text) == re.split(old, text), name


_OLD_DIRECTIVE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*")


@settings(max_examples=600, deadline=None)
@given(_texts("a", "Z", "1", "=", " ", "\t", "\n", "x", "-", "\r", "syntax"))
def test_dockerfile_directive_as_the_old_pattern(body):
    m = _OLD_DIRECTIVE.fullmatch(body)
    assert dockerfile._directive_parts(body) == (None if m is None else (m.start(1), m.end(1), m.start(2), m.end(2)))


@settings(max_examples=600, deadline=None)
@given(_texts("$", "{", "}", "a", ":-", ":+", "1", " ", "$$", "${a}", "${a:-"))
def test_systemd_braced_as_the_old_search(value):
    def spans(matches: Any) -> list[tuple[Any, ...]]:
        return [(m.span(), m.group(0), m.groups() if m.group(0) != "$$" else ()) for m in matches]

    assert spans(systemd._braced(value)) == spans(systemd._BRACED.finditer(value))


# -- every rule on long adversarial lines ----------------------------------------------------------

_CONTAINER_KINDS = ("compose", "compose-command", "script", "github")
# Where each module's text comes from (the kinds of file whose content reaches it).
_KINDS_OF: dict[str, tuple[str, ...]] = {
    "rules.container": _CONTAINER_KINDS,
    "rules.common.builds": _CONTAINER_KINDS,
    "rules.common.image": ("dockerfile", "compose"),
    "rules.daemon": ("daemon", "systemd"),
    "rules.client": ("daemon", "systemd", "client"),
    "rules.common.daemons": ("daemon", "systemd"),
    "rules.image._shell": ("dockerfile", "script"),
    "rules.image": ("dockerfile",),
    "parsers.dockerfile": ("dockerfile",),
    "parsers.shell": ("dockerfile", "script"),
    "parsers.compose": ("compose", "compose-command"),
    "parsers.dotenv": ("compose",),
    "parsers.expansion": ("compose", "script"),
    "parsers.cmdline": ("script", "github"),
    "parsers.script": ("script", "makefile"),
    "parsers.ci_gitlab": ("gitlab",),
    "parsers.ci_github": ("github",),
    "parsers.daemon": ("systemd",),
    "parsers.daemon_json": ("daemon",),
    "parsers.jsonpos": ("daemon", "devcontainer", "client"),
    "parsers.systemd": ("systemd", "quadlet"),
    "parsers.quadlet": ("quadlet",),
    "core.suppressions": ("dockerfile", "compose"),
    "core.reading": ("script",),
    "util.shellwords": ("compose-command",),
    "parsers.yaml_text": ("compose", "github"),
    "fixes": ("dockerfile", "compose"),
    "knowledge.secrets": ("dockerfile", *_CONTAINER_KINDS),
    "rules.common.tree": ("dockerfile",),
    "parsers.inline": ("compose",),
    "parsers.unit_words": ("systemd",),
    "parsers.devcontainer": ("devcontainer",),
    "parsers.client": ("client",),
    # dockerlint inspect's masking sees every kind's values, but no lint run reaches it: its
    # patterns are screened on long adversarial values in tests/test_inspect.py.
    "cli.inspect": (),
    "parsers.groovy": ("jenkinsfile",),
    "parsers.jenkinsfile": ("jenkinsfile",),
}
# Modules whose patterns never see a linted file's content: the configuration file (read
# before linting, one small file), file names, rule docs, the report.
_NOT_CONTENT = (
    "config",
    "discovery",
    "util.mdterm",
    "registry",
    "core.registry",
    "reporters.",
    "baseline",
    "util.safetext",
)
# The language server's own patterns (line breaks, where a suppression comment goes) see an
# open document's text, but outside the engine: linting a file never reaches them, so the
# rule screen below has nothing to time; regexploit and the per-pattern timing cover them.
_OUTSIDE_THE_ENGINE = ("server.",)


def _yaml_block(text: str, indent: int) -> str:
    return "|-\n" + " " * indent + text.replace("\n", " ").lstrip() + "\n"


def _file(kind: str, text: str) -> tuple[str, str]:
    """A file of ``kind`` whose one long line holds ``text``."""
    flat = text.replace("\n", " ")
    if kind == "dockerfile":
        return "Dockerfile", f"FROM alpine:3.20\nRUN {flat}\n"
    if kind == "compose":
        return "compose.yaml", "services:\n  web:\n    image: nginx:1\n    environment:\n      X: " + _yaml_block(
            flat, 8
        )
    if kind == "compose-command":
        return "compose.yaml", "services:\n  web:\n    image: nginx:1\n    command: " + _yaml_block(flat, 6)
    if kind == "script":
        return "run.sh", f"docker run -e X={flat} nginx:1 {flat[:64]}\n"
    if kind == "makefile":
        return "Makefile", f"all:\n\tdocker run -e X={flat} nginx:1\n"
    if kind == "github":
        return ".github/workflows/ci.yml", (
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n"
            "      X: " + _yaml_block(flat, 8) + "    steps:\n      - run: docker run -e X nginx:1\n"
        )
    if kind == "gitlab":
        return ".gitlab-ci.yml", "job:\n  script:\n    - " + _yaml_block(f"docker run -e X={flat} nginx:1", 6)
    if kind == "daemon":
        return "daemon.json", json.dumps({"labels": [flat], "hosts": [flat]}) + "\n"
    if kind == "client":  # a Docker CLI config.json with an inline login
        return ".docker/config.json", json.dumps({"auths": {flat: {"auth": flat}}, "credsStore": flat}) + "\n"
    if kind == "devcontainer":  # JSONC: a comment and a trailing comma around the long values
        return ".devcontainer/devcontainer.json", (
            "// dev\n"
            + json.dumps({"image": "nginx:1", "runArgs": [f"--label={flat}", flat], "containerEnv": {"X": flat}})[:-1]
            + ",}\n"
        )
    if kind == "quadlet":  # a Podman Quadlet unit: PodmanArgs= and Environment= hold the line
        unit = flat.replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')
        return "web.container", (
            f'[Container]\nImage=nginx:1\nPodmanArgs=--label "x={unit}"\n'
            f'Environment="X={unit}"\nVolume={unit.replace(" ", "")}:/x\n'
        )
    if kind == "jenkinsfile":  # the line in an agent's args, a GString and a sh step
        return "Jenkinsfile", (
            "pipeline {\n  agent { docker { image 'nginx:1'; args '-e X=" + flat + "' } }\n"
            "  stages { stage('a') { steps {\n    sh \"docker run -e X=${A}" + flat + ' nginx:1"\n'
            "    sh '''docker run -e X=" + flat + " nginx:1'''\n  } } }\n}\n"
        )
    assert kind == "systemd"
    return "docker.service", f"[Service]\nExecStart=/usr/bin/dockerd --label={flat.replace('%', '%%')}\n"


def _cases() -> list[tuple[str, str]]:
    """(kind, piece) for every piece of every pattern whose text can come from a file."""
    out: dict[tuple[str, str], None] = {}
    for f in PATTERNS:
        module = f.module.replace("dockerlint.", "").removesuffix(".py").replace("/", ".")
        if module.startswith(_NOT_CONTENT) or module.startswith(_OUTSIDE_THE_ENGINE):
            continue
        kinds = next((k for prefix, k in _KINDS_OF.items() if module.startswith(prefix)), None)
        assert kinds is not None, f"which files reach {module}? add it to _KINDS_OF"
        for piece in inventory.pieces(f):
            for kind in kinds:
                out[(kind, piece)] = None
    return list(out)


CASES = _cases()


# The screen: each case is linted at n and 8n characters. What grows with the line (the
# run's time less that of a one-character line) grows 8 times from n to 8n when it is
# linear, 64 times when quadratic: a cost a·n + c·n² grows (8 + 64x) / (1 + x) times, x
# being c·n / a. A case that grows more than 12 times (x above 0.07) is measured again, the
# least of three; still above, it is judged at the sizes.
#
# n per kind: what a plain line costs, all rules selected, in µs a character (a): a
# Dockerfile RUN line 2.7, a docker run line in a script 2.9, in a Makefile 3.6, in
# .gitlab-ci.yml 2.4, an ExecStart= line 6.7, a Compose command 1.6, a Compose environment
# value 0.4, a workflow's env and daemon.json labels next to nothing. A quadratic term
# that breaks the rule costs 2 s at 100 KB (c = 2e-10 s a character squared);
# the screen sees c from about 0.07·a / n: at these sizes, c from 2.7e-10 in a Dockerfile
# (3 s at 100 KB), and the test stays near 20 s of CPU for 2,000 cases.
_SCREEN = {
    "dockerfile": 700,
    "compose-command": 1_000,
    "script": 700,
    "makefile": 600,
    "gitlab": 700,
    "systemd": 400,
    "compose": 4_000,
    "github": 8_000,
    "daemon": 8_000,
    "devcontainer": 8_000,
    "client": 8_000,
    "quadlet": 400,
    "jenkinsfile": 700,
}
_RATIO = 12.0
_NOISE = 0.004  # seconds: growth below this at 8n is not judged (timer and scheduling noise)
# The rule, judged on a flagged case: at 100 KB under 2 s, and above a quarter of a
# second, doubling the line (50 KB to 100 KB) at most triples the time.
_JUDGED, _LIMIT, _FLOOR = 50_000, 2.0, 0.25


class _Linter:
    """Lints the file of a kind that holds a line, in this process, with every rule selected."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.engine = Engine(registry(), Options(select=["ALL"]))
        self.fixed: dict[str, float] = {}  # what a run costs whatever the line (reading, rule dispatch)

    def seconds(self, kind: str, text: str, tries: int = 1, give_up: float = 5.0) -> float:
        """CPU seconds of the run (the least of ``tries``; infinite past ``give_up`` CPU seconds)."""
        name, content = _file(kind, text)
        path = self.where / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        cand = Candidate(f"{kind}/{name}", str(path), kind.split("-")[0])
        return _cpu(lambda: self.engine.run([cand]), tries, give_up)

    def growth(self, kind: str, piece: str, size: int, tries: int = 1) -> float:
        """:meth:`seconds` of the piece repeated to ``size``, less the fixed cost of ``kind``."""
        if kind not in self.fixed:
            self.fixed[kind] = self.seconds(kind, "a", tries=5)
        return max(self.seconds(kind, inventory.line(piece, size), tries) - self.fixed[kind], 0.0)


def _flagged(linter: _Linter, kind: str, piece: str, tries: int) -> tuple[float, float] | None:
    """The growth at n and 8n when it looks super-linear, else None."""
    n = _SCREEN[kind]
    big = linter.growth(kind, piece, 8 * n, tries)
    if big < _NOISE:
        return None
    small = linter.growth(kind, piece, n, tries)
    return (small, big) if big > _RATIO * max(small, 1e-4) else None


def _verdict(linter: _Linter, kind: str, piece: str) -> tuple[float, float] | None:
    """The case's seconds at 50 and 100 KB when it breaks the issue's rule, else None.

    Screened at n and 8n (:data:`_SCREEN`); a case that looks super-linear twice (the
    second time the least of three runs each) is measured at 50 KB and 100 KB, and breaks
    the rule when 100 KB takes 2 s or more, or, above a quarter of a second, more than three
    times 50 KB (a catastrophic case is cut at 10 s: infinite)."""
    if _flagged(linter, kind, piece, 1) is None or _flagged(linter, kind, piece, 3) is None:
        return None

    def measure(size: int) -> float:  # the least of three runs: one run under load misjudged '\\a ' (3.1x)
        return linter.seconds(kind, inventory.line(piece, size), tries=3, give_up=10.0)

    small, big = _scaled(measure, _JUDGED, floor=_FLOOR, limit=_LIMIT)
    if big >= _LIMIT or (big > _FLOOR and big > 3 * small):
        return small, big
    return None


def test_every_rule_on_long_adversarial_lines(tmp_path):
    """Every (kind, piece): the piece repeated to a long line, in each kind of file where its
    text can appear, linted with every rule selected, stays near-linear: screened at n and 8n
    characters, and a case that grows super-linearly there must still keep the issue's rule
    at 50 and 100 KB (see :func:`_verdict`).

    CPU times of runs in this process; the test's own objects are frozen out of the garbage
    collector's sight first (a collection of pytest's heap in the middle of a measurement
    costs tens of milliseconds)."""
    import gc

    assert len(CASES) > 500
    linter = _Linter(tmp_path)
    slow = []
    seen: set[tuple[str, str]] = set()
    old = os.getcwd()
    os.chdir(tmp_path)
    gc.collect()
    gc.freeze()
    # A run collects cycles as the CLI has it collect (rarely: GC_THRESHOLDS); with the
    # default thresholds a gen-2 pass over the run's own model objects, reached at one size
    # and not the other, made a linear case look super-linear (' ssl_verify : fals' in a
    # Dockerfile: 0.073/0.17/0.43 s at 50/100/200 KB, 0.068/0.14/0.29 s with the CLI's).
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        for kind, piece in CASES:
            key = (kind, inventory.line(piece, 8 * _SCREEN[kind]))
            if key in seen:  # "ab" and "abab" make the same lines
                continue
            seen.add(key)
            got = _verdict(linter, kind, piece)
            if got is not None:
                slow.append((kind, piece, round(got[0], 3), round(got[1], 3)))
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        os.chdir(old)
    assert len(seen) > 500
    assert slow == []
