"""Deep nesting never crashes a reader or a rule (issue 11, hostile input).

For every kind of file that holds shell text and every nesting construct the readers know,
a tree with that construct nested 10, 100, 1,000 and 10,000 levels deep is linted with every
rule selected; so is every kind of structural nesting (YAML, JSON, Compose interpolation,
extends and include chains, make functions). Each run must end with exit code 0 or 1 (no
traceback, no internal error); a file may get its kind's parse-error finding
(DF000/DC000/DD000) at the deep construct, but nothing else goes missing: the plain findings
written before the deep text in the same file are still reported (a data file its format's
nesting limit refuses as a whole has that one finding), and so are those of the untouched
files of the run. Past the depth a reader follows, a construct
is unknown, as a value it cannot see.
"""

from __future__ import annotations

import json
import resource
import shlex
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from cli_helpers import run
from dockerlint.parsers.shell import MAX_NESTING, TextLocator, parse
from dockerlint.util.budget import MAX_NESTING as VAR_NESTING
from helpers import write_tree

DEPTHS = (10, 100, 1000, 10000)
# CPU seconds one run (a dozen files, each with one construct 10,000 deep) may take: CPU time,
# not wall-clock time, which other processes stretch at will (this failed at load 8-10). It is
# several times a linear run's cost; a super-linear walk takes minutes at 10,000.
BUDGET = 30.0


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its reaped children (the run's
    workers with --jobs): a load that stretches the wall clock hardly changes it."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# -- constructs: shell text (with real newlines where the construct needs them) --------------

# The innermost command: what rules of every kind look for (their cheap prefilters pass, so
# the deep text is parsed and walked).
CORE = "docker run --privileged -e DOCKER_HOST=tcp://10.0.0.1:2375 alpine:3.20 curl -k https://example.com"


def _backquotes(n: int) -> str:
    # A backquote ends at the next unescaped one, even inside ``$( )``: each level holds
    # one, and the levels nest with ``$( )``.
    return "echo " + "$(echo `echo a` " * n + "`" + CORE + "`" + ")" * n


def _escaped_backquotes(n: int) -> str:
    # Backquotes in backquotes: level d (from the outside) writes its backquote after
    # 2 ** d - 1 backslashes, so a file of a few megabytes nests at most twenty levels this
    # way (16 here: 2 ** 15 backslashes).
    n = min(n, 16)
    text = CORE
    for d in reversed(range(n)):
        tick = "\\" * (2**d - 1) + "`"
        text = f"echo {tick}{text}{tick}"
    return text


def _heredocs(n: int) -> str:
    opening = "".join(f"bash <<E{i}\n" for i in range(n))
    closing = "".join(f"E{i}\n" for i in reversed(range(n)))
    return f"{opening}{CORE}\n{closing}".rstrip("\n")


CONSTRUCTS: dict[str, Callable[[int], str]] = {
    "dollar-paren": lambda n: "echo " + "$(" * n + CORE + ")" * n,
    "backquotes": _backquotes,
    "escaped-backquotes": _escaped_backquotes,
    "subshell": lambda n: "( " * n + CORE + " )" * n,
    "brace-group": lambda n: "{ " * n + CORE + "; " + "}; " * (n - 1) + "}",
    "cond-parens": lambda n: "[[ " + "( " * n + "a" + " )" * n + " ]] && " + CORE,
    "cond-operators": lambda n: "[[ " + "a && ( " * n + "b" + " )" * n + " ]] && " + CORE,
    "if-fi": lambda n: "if true; then " * n + CORE + "; fi" * n,
    "while-done": lambda n: "while true; do " * n + CORE + "; done" * n,
    "case-esac": lambda n: "case x in x) " * n + CORE + " ;; esac" * n,
    "function-bodies": lambda n: "".join(f"f{i}() {{ " for i in range(n)) + CORE + "; " + "}; " * (n - 1) + "}",
    "param-default": lambda n: "echo " + "${a:-" * n + "x" + "}" * n + " && " + CORE,
    "arithmetic": lambda n: "echo $(( " + "( " * n + "1" + " )" * n + " )) && " + CORE,
    "process-substitution": lambda n: "cat " + "<(" * n + CORE + ")" * n,
    "heredocs": _heredocs,
    "quoted-substitutions": lambda n: "echo " + '"$(' * n + CORE + ')"' * n,
    "make-call": lambda n: "echo " + "$(call f," * n + CORE + ")" * n,
    "flow-collections": lambda n: "echo '" + "{a: [" * n + "1" + "]}" * n + "' && " + CORE,
}

# What the first line of each file reports on its own (the deep text follows it).
PRIVILEGED = "docker run --privileged alpine:3.20 true"


# -- file kinds: (path, text) for a shell text -------------------------------------------


def _one_line(shell: str) -> str:
    """A multi-line shell text as one line, for places that hold a single line."""
    return shell.replace("\n", "; ")


def _dockerfile(shell: str) -> str:
    body = "\\\n".join(shell.split("\n")) if "<<" not in shell else shell
    exec_form = json.dumps(["sh", "-c", shell])
    return f"FROM alpine:3.20\nUSER 1000\nRUN curl -k https://example.com/x\nRUN {body}\nRUN {exec_form}\n"


def _script(shell: str) -> str:
    return f"#!/bin/sh\n{PRIVILEGED}\n{shell}\n"


def _makefile(shell: str) -> str:
    recipe = shell.replace("$", "$$")
    if "\n" in recipe:  # each recipe line is its own shell; .ONESHELL keeps the heredocs together
        return ".ONESHELL:\nall:\n\t" + PRIVILEGED + "\n" + "".join(f"\t{line}\n" for line in recipe.split("\n"))
    return f"all:\n\t{PRIVILEGED}\n\t{recipe}\n"


def _github(shell: str) -> str:
    body = "".join(f"          {line}\n" for line in shell.split("\n"))
    return (
        f"on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {PRIVILEGED}\n"
        f"      - run: |\n{body}"
    )


def _gitlab(shell: str) -> str:
    body = "".join(f"      {line}\n" for line in shell.split("\n"))
    return f"job:\n  script:\n    - {PRIVILEGED}\n    - |\n{body}"


def _compose(shell: str) -> str:
    shell = shell.replace("$", "$$")  # for the shell, not Compose's interpolation
    command = json.dumps(["sh", "-c", shell])
    string = json.dumps(shell)  # the command string form, split by Compose's shlex
    return (
        "services:\n  a:\n    image: alpine:3.20\n    privileged: true\n"
        f"    command: {command}\n  b:\n    image: alpine:3.20\n    entrypoint: {string}\n"
    )


def _systemd(shell: str) -> str:
    line = _one_line(shell).replace("%", "%%").replace("$", "$$").replace("\\", "\\\\").replace('"', '\\"')
    return f'[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375 --label "{line}"\n'


def _quadlet(shell: str) -> str:
    """A Podman Quadlet unit: the text as a label its PodmanArgs= gives the container."""
    line = _one_line(shell).replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')
    return f'[Container]\nImage=alpine:3.20\nPodmanArgs=--privileged --label "x={line}"\n'


def _docker_run(shell: str) -> str:
    return (
        f"#!/bin/sh\n{PRIVILEGED}\ndocker run --rm alpine:3.20 sh -c {shlex.quote(shell)}\n"
        f'docker run --rm -e "A=$({shell}\n)" alpine:3.20\n'
    )


def _unit(shell: str) -> str:
    """A unit that is not Docker's own: read for what it runs, if a reader reads such units."""
    line = _one_line(shell).replace("%", "%%").replace("$", "$$").replace("\\", "\\\\").replace('"', '\\"')
    return f'[Service]\nExecStartPre=/usr/bin/docker run --privileged alpine:3.20\nExecStart=/bin/sh -c "{line}"\n'


def _make_functions(n: int) -> str:
    """GNU make functions in make functions, around the shell text ``$(shell …)`` runs."""
    names = ("call f,", "foreach x,a b,", "if 1,", "strip ")
    inner = "$(shell " + CORE + ")"
    return "".join(f"$({names[i % len(names)]}" for i in range(n)) + inner + ")" * n


def _jenkinsfile(shell: str) -> str:
    groovy = shell.replace("\\", "\\\\").replace("'", "\\'")  # in a ''' string, \\ and \' are escapes
    return (
        f"pipeline {{\n  agent any\n  stages {{\n    stage('a') {{\n      steps {{\n        sh '{PRIVILEGED}'\n"
        f"        sh '''{groovy}'''\n      }}\n    }}\n  }}\n}}\n"
    )


KINDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "dockerfile": ("Dockerfile", _dockerfile),
    "script": ("build.sh", _script),
    "makefile": ("Makefile", _makefile),
    "github": (".github/workflows/ci.yml", _github),
    "gitlab": (".gitlab-ci.yml", _gitlab),
    "compose": ("compose.yaml", _compose),
    "systemd": ("docker.service", _systemd),
    "docker-run": ("run.sh", _docker_run),
    "unit": ("app.service", _unit),
    "quadlet": ("web.container", _quadlet),
    "jenkinsfile": ("Jenkinsfile", _jenkinsfile),
}
# The finding each file reports from its plain lines, whatever follows them.
EXPECTED = {
    "Dockerfile": "DF105",
    "build.sh": "DC102",
    "Makefile": "DC102",
    ".github/workflows/ci.yml": "DC102",
    ".gitlab-ci.yml": "DC102",
    "Jenkinsfile": "DC102",
    "compose.yaml": "DC102",
    "docker.service": "DD101",
    "run.sh": "DC102",
    "functions.mk": "DC102",
    "web.container": "DC102",
}
PARSE_ERRORS = {"DF000", "DC000", "DD000"}
# Untouched files of the same run, and the finding each must still report.
CANARIES = {
    "other/Dockerfile": ("FROM alpine:3.20\nUSER 1000\nRUN curl -k https://example.com/x\n", "DF105"),
    "other/compose.yaml": ("services:\n  c:\n    image: alpine:3.20\n    privileged: true\n", "DC102"),
    "other/deploy.sh": (f"{PRIVILEGED}\n", "DC102"),
}


def tree(construct: str, depth: int) -> dict[str, str]:
    shell = CONSTRUCTS[construct](depth)
    files = {path: make(shell) for path, make in KINDS.values()}
    if construct == "make-call":  # make's own nesting, read by the Makefile reader
        files["functions.mk"] = f"all:\n\t{PRIVILEGED}\n\techo {_make_functions(depth)}\n"
    files.update({path: text for path, (text, _) in CANARIES.items()})
    return files


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("construct", sorted(CONSTRUCTS))
def test_deep_nesting_never_crashes_and_hides_nothing(tmp_path: Path, construct: str, depth: int) -> None:
    files = tree(construct, depth)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    start = cpu_seconds()
    code, out, err = run(["--no-color", "--select", "ALL", "--format", "json", "."], tmp_path)
    elapsed = cpu_seconds() - start
    assert "Traceback" not in err and "internal error" not in err and "crashed" not in err, err[-2000:]
    assert code in (0, 1), (code, err[-2000:])
    findings = json.loads(out)["findings"]
    by_path: dict[str, set[str]] = {}
    for f in findings:
        by_path.setdefault(f["path"], set()).add(f["rule_id"])
    for path, rule_id in EXPECTED.items():
        if path not in files:
            continue
        got = by_path.get(path, set())
        assert rule_id in got, (path, sorted(got))
        refused = [f for f in findings if f["path"] == path and f["rule_id"] in PARSE_ERRORS]
        assert not refused, (path, refused)
    for path, (_, rule_id) in CANARIES.items():
        assert rule_id in by_path.get(path, set()), (path, sorted(by_path.get(path, set())))
    assert elapsed < BUDGET, f"{construct} x {depth}: {elapsed:.1f} CPU seconds"
    if depth <= MAX_NESTING and construct != "make-call":
        # Within the depth the readers follow, the innermost command is read as well.
        inner = [f for f in findings if f["path"] == "build.sh" and f["rule_id"] == "DC102"]
        assert len(inner) == 2, inner


def test_a_deep_tree_is_read_the_same_with_two_jobs(tmp_path: Path) -> None:
    """Models cross process boundaries with --jobs: a deep model must not break pickling."""
    files = tree("dollar-paren", 5000)
    files.update(
        {
            f"more{i}/{path}": text
            for i in range(3)
            for path, text in tree("subshell", 5000).items()
            if path.endswith((".sh", "Dockerfile", "Makefile"))
        }
    )
    write_tree(tmp_path, files)
    outputs = {
        jobs: run(["--no-color", "--select", "ALL", "--format", "json", "--jobs", str(jobs), "."], tmp_path)
        for jobs in (1, 2)
    }
    code, _, err = outputs[1]
    assert code in (0, 1) and "crashed" not in err and "Traceback" not in err, err[-2000:]
    assert outputs[2] == outputs[1]


# -- the shell reader's bound, directly ------------------------------------------------------


def _commands(text: str) -> tuple[list[str | None], list[str]]:
    script = parse(text, TextLocator("x.sh", text))
    return [step.command.name for step in script.walk()], [i.message for i in script.issues]


SHELL_NESTING = {
    "dollar-paren": lambda n: "echo " + "$(" * n + "inner" + ")" * n,
    "backquote-in-dollar-paren": lambda n: "echo " + "$(" * n + "`inner`" + ")" * n,
    "process-substitution": lambda n: "cat " + "<(" * n + "inner" + ")" * n,
    "subshell": lambda n: "( " * n + "inner" + " )" * n,
    "brace-group": lambda n: "{ " * n + "inner; " + "}; " * (n - 1) + "}",
    "if-fi": lambda n: "if true; then " * n + "inner" + "; fi" * n,
    "case-esac": lambda n: "case x in x) " * n + "inner" + " ;; esac" * n,
    "sh-c-in-substitution": lambda n: "echo " + '$(sh -c "$(' * n + "inner" + ')")' * n,
    "heredocs": lambda n: (
        "".join(f"bash <<E{i}\n" for i in range(n)) + "inner\n" + "".join(f"E{i}\n" for i in reversed(range(n)))
    ),
}


@pytest.mark.parametrize("construct", sorted(SHELL_NESTING))
def test_the_shell_reader_reads_within_the_bound_and_skips_past_it(construct: str) -> None:
    make = SHELL_NESTING[construct]
    names, issues = _commands(make(MAX_NESTING // 2) + "\necho after\n")
    assert "inner" in names and names[-1] == "echo" and issues == []
    for depth in (MAX_NESTING + 5, 5000):
        names, issues = _commands(make(depth) + "\necho after\n")
        # Past the bound the innermost command is unknown; nothing is an error, and the
        # command after the construct is read.
        assert "inner" not in names and names[-1] == "echo", names[-3:]
        assert issues == []


@pytest.mark.parametrize(
    "body",
    [
        "echo ')' \"(\" # a ) in a comment\n)",  # quotes and a comment hold parentheses
        "case a in a) echo x ;; esac)",  # a case pattern's ) closes nothing
        "echo ${a:-)} $(echo (x)) `echo )`)",  # ${…}, nested parentheses, backquotes
    ],
)
def test_a_substitution_past_the_bound_ends_where_bash_ends_it(body: str) -> None:
    text = "echo " + "$(" * (MAX_NESTING + 1) + body + ")" * MAX_NESTING + "; after\n"
    names, issues = _commands(text)
    assert names[-1] == "after" and issues == [], (names[-3:], issues)


def test_an_unclosed_construct_past_the_bound_is_still_an_error() -> None:
    """bash refuses a text whose construct never closes, however deep."""
    for text in ("echo " + "$(" * 100 + "x", "( " * 100 + "x", "if true; then " * 100 + "x"):
        _, issues = _commands(text)
        assert issues, text[:40]


def test_nested_heredocs_cost_linear_time_and_memory() -> None:
    """Each level of heredoc in heredoc holds the text of all the levels inside it: located
    line by line at every level, 5,000 levels (100 KB) cost 450 MB and 9 s."""
    text = SHELL_NESTING["heredocs"](5000)
    tracemalloc.start()
    start = cpu_seconds()
    try:
        names, issues = _commands(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = cpu_seconds() - start
    assert issues == [] and names.count("bash") == MAX_NESTING + 1
    assert peak < 60 * 1024 * 1024, peak
    assert elapsed < 5, f"{elapsed:.1f} CPU seconds"


def test_a_heredoc_read_by_a_shell_keeps_its_located_lines() -> None:
    """The bound on nested heredocs must not take the body lines of an ordinary one."""
    text = "bash <<EOF\necho 'x ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\n\ntrue\nEOF\n"
    script = parse(text, TextLocator("x.sh", text))
    (redirect,) = script.pipelines[0].commands[0].redirects
    assert redirect.script is not None
    assert [(b.value, b.span.line, b.span.col) for b in redirect.body_lines] == [
        ("echo 'x ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers", 2, 1),
        ("true", 4, 1),
    ]


def test_df105_reads_a_run_nested_400_levels_deep(tmp_path: Path) -> None:
    """The reported crash: DF105 parsing a RUN with 400 nested ``$(`` hit RecursionError."""
    nested = "$(" * 400 + "echo x" + ")" * 400
    write_tree(tmp_path, {"Dockerfile": f"FROM alpine:3.20\nUSER 1000\nRUN curl -k {nested} https://example.com\n"})
    code, out, err = run(["--no-color", "--select", "DF105", "--format", "json", "."], tmp_path)
    assert code == 1 and err == "", err
    assert [(f["rule_id"], f["line"], f["column"]) for f in json.loads(out)["findings"]] == [("DF105", 3, 10)]


# -- structural nesting: data formats, Compose chains, make functions ------------------------


def _compose_service(extra: str = "") -> str:
    return "services:\n  a:\n    image: alpine:3.20\n    privileged: true\n" + extra


def _yaml_block(n: int) -> str:
    n = min(n, 2000)  # block indentation grows with the depth: 2,000 levels are 4 MB
    return "x-deep:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(n)) + "  " * (n + 1) + "v: 1\n"


def _yaml_sequences(n: int) -> str:
    n = min(n, 2000)
    return "x-deep:\n" + "".join(" " * (2 * i + 2) + "-\n" for i in range(n)) + " " * (2 * n + 2) + "1\n"


def _extends_chain(n: int) -> dict[str, str]:
    services = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(n))
    return {"compose.yaml": f"services:\n{services}  s{n}:\n    image: alpine:3.20\n    privileged: true\n"}


def _extends_files(n: int) -> dict[str, str]:
    n = min(n, 300)  # one file per level
    files = {
        f"e{i}.yaml": f"services:\n  s:\n    extends:\n      file: e{i + 1}.yaml\n      service: s\n" for i in range(n)
    }
    files[f"e{n}.yaml"] = "services:\n  s:\n    image: alpine:3.20\n    privileged: true\n"
    files["compose.yaml"] = _compose_service("  b:\n    extends:\n      file: e0.yaml\n      service: s\n")
    return files


def _include_chain(n: int) -> dict[str, str]:
    n = min(n, 300)
    files = {
        f"c{i}.yaml": f"include:\n  - c{i + 1}.yaml\nservices:\n  s{i}:\n    image: alpine:3.20\n" for i in range(n)
    }
    files[f"c{n}.yaml"] = "services:\n  last:\n    image: alpine:3.20\n"
    files["compose.yaml"] = "include:\n  - c0.yaml\n" + _compose_service()[len("") :]
    return files


STRUCTURES: dict[str, Callable[[int], dict[str, str]]] = {
    "compose-yaml-block": lambda n: {"compose.yaml": _compose_service(_yaml_block(n))},
    "compose-yaml-sequences": lambda n: {"compose.yaml": _compose_service(_yaml_sequences(n))},
    "compose-yaml-flow": lambda n: {"compose.yaml": _compose_service("x-flow: " + "{a: [" * n + "1" + "]}" * n + "\n")},
    "compose-interpolation": lambda n: {
        "compose.yaml": _compose_service('  b:\n    image: "' + "${A:-" * n + "alpine" + "}" * n + '"\n')
    },
    "compose-extends-chain": _extends_chain,
    "compose-extends-files": _extends_files,
    "compose-include-chain": _include_chain,
    "github-yaml-flow": lambda n: {
        ".github/workflows/ci.yml": (
            "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: " + PRIVILEGED + "\n"
            "    env:\n      X: " + "[" * n + "1" + "]" * n + "\n"
        )
    },
    "daemon-json-arrays": lambda n: {
        "etc/docker/daemon.json": ('{"hosts": ["tcp://0.0.0.0:2375"], "x": ' + "[" * n + "1" + "]" * n + "}")
    },
    "daemon-json-objects": lambda n: {
        "etc/docker/daemon.json": ('{"hosts": ["tcp://0.0.0.0:2375"], "x": ' + '{"a": ' * n + "1" + "}" * n + "}")
    },
    "dockerfile-json": lambda n: {
        "Dockerfile": (
            "FROM alpine:3.20\nUSER 1000\nRUN curl -k https://example.com/x\nCMD " + "[" * n + '"a"' + "]" * n + "\n"
        )
    },
    "make-functions": lambda n: {"Makefile": f"all:\n\t{PRIVILEGED}\n\techo {_make_functions(n)}\n"},
    "jenkinsfile-closures": lambda n: {
        "Jenkinsfile": (f"node {{\n  sh '{PRIVILEGED}'\n  " + "stage('a') { " * n + "sh 'true'" + " }" * n + "\n}\n")
    },
    "jenkinsfile-interpolation": lambda n: {
        "Jenkinsfile": (
            f"node {{\n  sh '{PRIVILEGED}'\n  sh \"docker run " + '${"' * n + "x" + '"}' * n + ' alpine:3.20"\n}\n'
        )
    },
    "systemd-specifiers": lambda n: {
        "docker.service": (
            "[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375 --label " + "%%{" * n + "x" + "}" * n + "\n"
        )
    },
    "quadlet-continuations": lambda n: {
        "web.container": (
            "[Container]\nImage=alpine:3.20\nPodmanArgs=--privileged\nEnvironment=A=" + "%%{ \\\n" * n + "x\n"
        )
    },
}
# The finding the plain part of each structure's first file reports, whatever the deep part does.
STRUCTURE_EXPECTED = {
    "Jenkinsfile": "DC102",
    "compose.yaml": "DC102",
    ".github/workflows/ci.yml": "DC102",
    "etc/docker/daemon.json": "DD101",
    "Dockerfile": "DF105",
    "Makefile": "DC102",
    "docker.service": "DD101",
    "web.container": "DC102",
}


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_deep_structures_yield_at_most_one_finding_and_keep_the_rest(
    tmp_path: Path, structure: str, depth: int
) -> None:
    files = STRUCTURES[structure](depth)
    files.update({path: text for path, (text, _) in CANARIES.items()})
    write_tree(tmp_path, files)
    start = cpu_seconds()
    code, out, err = run(["--no-color", "--select", "ALL", "--format", "json", "."], tmp_path)
    elapsed = cpu_seconds() - start
    assert "Traceback" not in err and "internal error" not in err and "crashed" not in err, err[-2000:]
    assert code == 1, (code, err[-2000:])  # findings, and no error of the run itself
    findings = json.loads(out)["findings"]
    errors = [f for f in findings if f["rule_id"] in PARSE_ERRORS]
    # At most one parse-error finding per file for the deep construct (a chain across files:
    # one per limit of the reader it reaches, said once in the scan), never at 1:1 (the
    # backstop's place), and never a claim that a chain is circular.
    where = [(f["path"], f["line"], f["column"], f["message"]) for f in errors]
    assert len({f["path"] for f in errors}) == len(errors) and len(errors) <= 2, where
    assert all((f["line"], f["column"]) != (1, 1) and "circular" not in f["message"] for f in errors), where
    first = next(p for p in STRUCTURE_EXPECTED if p in files)
    got = {f["rule_id"] for f in findings if f["path"] == first}
    # A file the reader refuses as a whole (its format's nesting limit) has that one finding.
    refused = len(got) == 1 and got <= PARSE_ERRORS
    assert STRUCTURE_EXPECTED[first] in got or refused, (first, got)
    for path, (_, rule_id) in CANARIES.items():
        assert rule_id in {f["rule_id"] for f in findings if f["path"] == path}, path
    assert elapsed < BUDGET, f"{structure} x {depth}: {elapsed:.1f} CPU seconds"


def test_docker_run_defaults_are_applied_to_a_bound_and_never_recurse_past_it() -> None:
    from dockerlint.parsers.cmdline import MAX_DEFAULT_NESTING, expand_defaults

    assert expand_defaults("${A:-" * 10 + "x" + "}" * 10) == "x"
    bound = "${A:-" * MAX_DEFAULT_NESTING + "x" + "}" * MAX_DEFAULT_NESTING
    assert MAX_DEFAULT_NESTING == VAR_NESTING == 32 and expand_defaults(bound) == "x"
    # Past the bound the value is unknown, kept as written (the one expander's rule for every
    # dialect), not a RecursionError as before the bound.
    deep = "${A:-" * 10000 + "x" + "}" * 10000
    assert expand_defaults(deep) == deep


def test_compose_interpolation_past_the_bound_is_unknown_and_said_once(tmp_path: Path) -> None:
    """Compose has no nesting limit and accepts the file: past dockerlint's bound the value is
    unknown (kept as written), one notice on stderr names the file and the limit, and there is
    no error finding; the rest of the file is still checked."""
    write_tree(tmp_path, STRUCTURES["compose-interpolation"](5000))
    code, out, err = run(["--no-color", "--format", "json", "."], tmp_path)
    findings = json.loads(out)["findings"]
    assert code == 1 and not [f for f in findings if f["rule_id"] == "DC000"], findings
    assert "DC102" in {f["rule_id"] for f in findings}
    notices = [line for line in err.splitlines() if f"nest more than {VAR_NESTING} levels deep" in line]
    assert len(notices) == 1 and "compose.yaml" in notices[0], err


def test_a_long_extends_chain_is_cut_once_and_not_called_circular(tmp_path: Path) -> None:
    write_tree(tmp_path, _extends_chain(1000))
    code, out, _ = run(["--no-color", "--select", "DC000,DC102", "--format", "json", "."], tmp_path)
    errors = [(f["line"], f["message"]) for f in json.loads(out)["findings"] if f["rule_id"] == "DC000"]
    expected = (
        "'extends' of service 's21' is more than 20 services deep: service 's22' and what it extends are "
        "not read (said once in the scan)"
    )
    assert code == 1 and errors == [(45, expected)]


def test_a_long_include_chain_is_not_called_circular(tmp_path: Path) -> None:
    write_tree(tmp_path, _include_chain(100))
    code, out, _ = run(["--no-color", "--select", "DC000", "--format", "json", "."], tmp_path)
    assert code == 1
    messages = [f["message"] for f in json.loads(out)["findings"] if f["rule_id"] == "DC000"]
    assert messages and not any("circular" in m for m in messages), messages[:3]
    assert sum("included files in this project" in m for m in messages) <= 1
