"""Where ``docker run`` lines come from: shell scripts, Makefiles, GitHub workflows, GitLab CI,
Dockerfile RUN. Each must give the finding its Compose equivalent gives, at the exact line and
column of the flag in the original file; bad input must never crash, hang or lose findings.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dockerlint.discovery import classify_name, discover, sniff
from helpers import check, dedent, lint, lint_tree, write_tree

# -- the seed command lines, in every source kind ------------------------------------------------

# Each renders a script body (lines of shell, no '$') into a file of one source kind; gives the
# files, the path, and (line, column) of the body's first character.
Render = Callable[[list[str]], tuple[dict[str, str], str, int, int]]


def as_script(lines: list[str]) -> tuple[dict[str, str], str, int, int]:
    return {"run.sh": "#!/bin/sh\nset -eu\n" + "".join(f"{ln}\n" for ln in lines)}, "run.sh", 3, 1


def as_makefile(lines: list[str]) -> tuple[dict[str, str], str, int, int]:
    return {"Makefile": ".PHONY: all\nall:\n" + "".join(f"\t@{ln}\n" for ln in lines)}, "Makefile", 3, 3


def as_github(lines: list[str]) -> tuple[dict[str, str], str, int, int]:
    head = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
    body = "      - run: |\n" + "".join(f"          {ln}\n" for ln in lines)
    return {".github/workflows/ci.yml": head + body}, ".github/workflows/ci.yml", 8, 11


def as_gitlab(lines: list[str]) -> tuple[dict[str, str], str, int, int]:
    body = "test:\n  image: docker:27-cli\n  script:\n" + "".join(f"    - {ln}\n" for ln in lines)
    return {".gitlab-ci.yml": body}, ".gitlab-ci.yml", 4, 7


SOURCES: dict[str, Render] = {"script": as_script, "makefile": as_makefile, "github": as_github, "gitlab": as_gitlab}

# (rule, command line, the text the finding points at; None: no finding)
SEEDS = [
    (
        "DC101",
        "docker run --rm -v /var/run/docker.sock:/var/run/docker.sock docker:19.03.3 docker ps",
        "/var/run/docker.sock:/var/run/docker.sock",
    ),
    ("DC102", "docker run -d --privileged docker:19.03.3-dind", "--privileged"),
    ("DD101", "docker run -d --privileged docker:19.03.3-dind", None),
    ("DC103", "docker run -it --rm -v /:/host alpine ash", "/:/host"),
    ("DC105", "docker run -it --user 1000:1000 alpine ash", None),
    ("DC105", "docker run -it --user root alpine ash", "root"),
    ("DD101", "docker run -d --privileged -e DOCKER_TLS_CERTDIR= docker:27-dind", "DOCKER_TLS_CERTDIR="),
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("rule_id", "line", "target"), SEEDS)
def test_seed_command_lines(source: str, rule_id: str, line: str, target: str | None) -> None:
    files, path, first_line, first_col = SOURCES[source]([line])
    expect = [] if target is None else [(path, first_line, first_col + line.index(target))]
    found = check(rule_id, files, expect)
    if target is not None:
        assert found[0].snippet == target


def test_seed_compose_equivalents_agree() -> None:
    """The command lines find what their Compose equivalents find (same rules, same count)."""
    compose = dedent("""
        services:
          a:
            image: docker:19.03.3
            volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
          b:
            image: docker:19.03.3-dind
            privileged: true
          c:
            image: alpine
            volumes: ["/:/host"]
          d:
            image: alpine
            user: "1000:1000"
        """)
    lines = [line for _, line, _ in SEEDS[:5] if "--user root" not in line]
    lines = list(dict.fromkeys(lines))
    want = sorted(f.rule_id for f in lint({"compose.yaml": compose}).findings)
    for render in SOURCES.values():
        files, _, _, _ = render(lines)
        got = sorted(f.rule_id for f in lint(files).findings)
        assert got == want, (render.__name__, got, want)


CLIENT_SEED_TLS = ["export DOCKER_HOST=tcp://dockerd.example.com:2376", "export DOCKER_TLS_VERIFY=1", "docker ps"]
CLIENT_SEED_PLAIN = ["export DOCKER_HOST=tcp://docker:2375", "docker ps"]


@pytest.mark.parametrize("source", ["script", "github", "gitlab"])
def test_client_seed(source: str) -> None:
    files, path, line, col = SOURCES[source](CLIENT_SEED_TLS)
    check("DD104", files, [])
    files, path, line, col = SOURCES[source](CLIENT_SEED_PLAIN)
    check("DD104", files, [(path, line, col + len("export "), "DOCKER_TLS_VERIFY is not set")])


def test_client_seed_makefile() -> None:
    # Each recipe line is its own shell: a Makefile gives recipes variables with export.
    check(
        "DD104",
        {
            "Makefile": """
        export DOCKER_HOST := tcp://dockerd.example.com:2376
        export DOCKER_TLS_VERIFY := 1
        all:
        \tdocker ps
        """
        },
        [],
    )
    check(
        "DD104",
        {
            "Makefile": """
        export DOCKER_HOST = tcp://docker:2375
        all:
        \tdocker ps
        """
        },
        [("Makefile", 1, 8)],
    )
    check("DD104", {"Makefile": "all:\n\tDOCKER_HOST=tcp://docker:2375 docker ps\n"}, [("Makefile", 2, 2)])


def test_client_settings_from_ci_variables() -> None:
    check(
        "DD104",
        {
            ".gitlab-ci.yml": """
        variables:
          DOCKER_HOST: tcp://docker:2375
        build:
          services: [docker:27-dind]
          script: [docker build .]
        test:
          variables:
            DOCKER_TLS_VERIFY: "1"
          script: [docker ps]
        """
        },
        [(".gitlab-ci.yml", 2, 3, "job 'build'"), (".gitlab-ci.yml", 2, 3, "port 2375")],
    )
    check(
        "DD104",
        {
            ".github/workflows/ci.yml": """
        on: push
        env:
          DOCKER_HOST: tcp://docker:2375
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "DOCKER_TLS_VERIFY=1" >> "$GITHUB_ENV"
              - run: docker ps
        """
        },
        [(".github/workflows/ci.yml", 3, 3, "port 2375")],
    )


# -- shell scripts ----------------------------------------------------------------------------------


def test_script_positions_through_continuations_and_substitutions() -> None:
    check(
        "DC102",
        {
            "deploy.sh": """
        #!/usr/bin/env bash
        CID=$(docker run -d \\
              --privileged \\
              docker:27-dind)
        if [ -n "$CID" ]; then sudo sh -c 'docker run --privileged alpine:3.20 true'; fi
        """
        },
        [("deploy.sh", 3, 7), ("deploy.sh", 5, 47)],
    )


def test_script_with_other_interpreter_is_skipped() -> None:
    check("DC102", {"tool.sh": "#!/usr/bin/env python3\nos.system('docker run --privileged x:1')\n"}, [])


def test_script_without_docker_is_not_parsed() -> None:
    result = lint({"build.sh": "#!/bin/sh\necho 'unterminated\n"})
    assert result.findings == [] and result.files_checked == 1


def test_explicit_extensionless_script_is_sniffed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"bin/dind": "#!/bin/bash\ndocker run --privileged docker:27-dind\n"})
    walked = lint_tree(tmp_path, select=["DC102"])
    assert walked.findings == []  # not found when walking: names only
    named = lint_tree(tmp_path, select=["DC102"], paths=["bin/dind"])
    assert [(f.path, f.span.line, f.span.col) for f in named.findings] == [("bin/dind", 2, 12)]


def test_dockerfile_run() -> None:
    check(
        "DC101",
        {
            "Dockerfile": """
        FROM docker:27-cli
        RUN docker run --rm -v /var/run/docker.sock:/var/run/docker.sock alpine:3.20 true \\
         && docker run --rm \\
              --volume=/run/docker.sock:/run/docker.sock alpine:3.20 true
        USER 1000
        """
        },
        [("Dockerfile", 2, 24), ("Dockerfile", 4, 16)],
    )
    check(
        "DC102",
        {
            "Dockerfile": """
        FROM docker:27-cli
        RUN ["docker", "run", "--privileged", "alpine:3.20"]
        RUN <<EOF
        set -e
        docker run --privileged alpine:3.20 true
        EOF
        USER 1000
        """
        },
        [("Dockerfile", 2, 23), ("Dockerfile", 5, 12)],
    )


def test_dockerfile_without_docker_gets_no_containers() -> None:
    from dockerlint.models.container import Container
    from dockerlint.models.source import SourceFile
    from dockerlint.parsers.dockerfile import parse

    out = parse(SourceFile("Dockerfile", "dockerfile", "FROM alpine:3.20\nRUN echo docker\nUSER 1\n"))
    assert not [m for m in out.models if isinstance(m, Container)]


# -- Makefiles ----------------------------------------------------------------------------------------


def test_makefile_recipes() -> None:
    check(
        "DC101",
        {
            "Makefile": """
        IMAGE ?= alpine:3.20
        SOCK = /var/run/docker.sock
        define HELP
        \tdocker run -v /var/run/docker.sock:/var/run/docker.sock x:1
        endef

        .PHONY: test lint
        test: build
        \t@echo testing
        ifeq ($(CI),true)
        \t-docker run --rm -v $$(pwd):/src \\
        \t    -v /var/run/docker.sock:/var/run/docker.sock $(IMAGE) make check
        endif
        lint: ; docker run -v /run/docker.sock:/run/docker.sock $(IMAGE)
        VAR = docker run -v /var/run/docker.sock:/var/run/docker.sock x:1
        \tdocker run -v /var/run/docker.sock:/var/run/docker.sock x:1
        """
        },
        [("Makefile", 12, 9), ("Makefile", 14, 23)],
    )


def test_makefile_variables_stay_opaque() -> None:
    (f,) = check(
        "DC105", {"Makefile": "run:\n\tdocker run -u $(USER_ID) --user 0 $(shell echo 'x:1')\n"}, [("Makefile", 2, 34)]
    )
    assert f.snippet == "0"


def test_makefile_oneshell() -> None:
    check(
        "DD104",
        {
            "Makefile": """
        .ONESHELL:
        all:
        \texport DOCKER_HOST=tcp://dockerd.example.com:2376
        \texport DOCKER_TLS_VERIFY=1
        \tdocker ps
        """
        },
        [],
    )


# -- GitHub workflows --------------------------------------------------------------------------------


def test_github_job_container_and_services() -> None:
    files = {
        ".github/workflows/ci.yml": """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            container:
              image: docker:27-cli
              options: --user root --volume /var/run/docker.sock:/var/run/docker.sock
            services:
              docker:
                image: docker:27-dind
                options: >-
                  --privileged
                  --cap-add=SYS_ADMIN
                env:
                  DOCKER_TLS_CERTDIR: ""
                ports: ["2375:2375"]
                volumes:
                  - /:/host
            steps:
              - run: docker ps
        """
    }
    check("DC105", files, [(".github/workflows/ci.yml", 7, 23, "container of job 'build'")])
    check("DC101", files, [(".github/workflows/ci.yml", 7, 37)])
    check("DC102", files, [(".github/workflows/ci.yml", 12, 11, "service 'docker' of job 'build'")])
    check("DC110", files, [(".github/workflows/ci.yml", 13, 21)])
    check("DC103", files, [(".github/workflows/ci.yml", 18, 13)])
    check("DD101", files, [(".github/workflows/ci.yml", 15, 11), (".github/workflows/ci.yml", 16, 17)])


def test_github_non_posix_shells_are_skipped() -> None:
    check(
        "DC102",
        {
            ".github/workflows/w.yaml": """
        on: push
        jobs:
          win:
            runs-on: windows-latest
            steps:
              - run: docker run --privileged x:1
              - shell: bash
                run: docker run --privileged x:1
          lin:
            runs-on: ubuntu-latest
            defaults:
              run:
                shell: pwsh
            steps:
              - run: docker run --privileged x:1
              - shell: sh -e {0}
                run: |
                  docker run \\
                    --privileged x:1
        """
        },
        [(".github/workflows/w.yaml", 8, 25), (".github/workflows/w.yaml", 19, 13)],
    )


def test_github_folded_and_quoted_scalars() -> None:
    check(
        "DC102",
        {
            ".github/workflows/ci.yml": """
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: >
                  docker run -d
                  --privileged docker:27-dind
              - run: "docker run --privileged x:1"
              - run: 'echo ''hi'' && docker run --privileged x:1'
        """
        },
        [
            (".github/workflows/ci.yml", 8, 11),
            (".github/workflows/ci.yml", 9, 26),
            (".github/workflows/ci.yml", 10, 41),
        ],
    )


# -- GitLab CI ----------------------------------------------------------------------------------------


def test_gitlab_dind_service_with_tls_off() -> None:
    files = {
        ".gitlab-ci.yml": """
        variables:
          DOCKER_HOST: tcp://docker:2375
          DOCKER_TLS_CERTDIR: ""
        default:
          services:
            - docker:24.0.5-dind
        build:
          image: docker:24.0.5
          script:
            - docker build -t app .
        test:
          image: docker:24.0.5
          script:
            - docker run app:1 pytest
        """
    }
    check("DD101", files, [(".gitlab-ci.yml", 3, 3, "service 'docker:24.0.5-dind'")])
    check("DD104", files, [(".gitlab-ci.yml", 2, 3)])


def test_gitlab_service_forms() -> None:
    files = {
        ".gitlab-ci.yml": """
        .dind: &dind
          services:
            - name: docker:27-dind
              alias: docker
              variables:
                DOCKER_TLS_CERTDIR: ""
              command: ["--tls=false"]
        a:
          <<: *dind
          script: [docker info]
        b:
          <<: *dind
          script:
            - !reference [.setup, script]
            - docker info
        """
    }
    check("DD101", files, [(".gitlab-ci.yml", 6, 9), (".gitlab-ci.yml", 7, 17)])


def test_compose_run_lines_leave_service_options_to_the_service() -> None:
    """security_opt, resource limits and read_only have no 'compose run' flag: a line that
    runs a service is not told to set them (its definition is linted where it is written);
    what the line itself adds (-v, --cap-add, -u) is judged as on a 'docker run' line."""
    script = {
        "ci.sh": "#!/bin/sh\ndocker compose run --rm web ./manage.py migrate\n"
        "docker compose run -v /var/run/docker.sock:/var/run/docker.sock web sh\n"
    }
    result = lint(script, select=["DC113", "DC119", "DC120", "DC101"])
    assert [(f.rule_id, f.span.line) for f in result.findings] == [("DC101", 3)]
    run_line = {"ci.sh": "#!/bin/sh\ndocker run --rm alpine:3.20 id\n"}
    got = {f.rule_id for f in lint(run_line, select=["DC113", "DC119", "DC120"]).findings}
    assert got == {"DC113", "DC119", "DC120"}  # a docker run line can set them, and does not


ROOT_IMAGE = 'FROM debian:12\nCMD ["app"]\n'  # final stage without USER: the container runs as root


def test_docker_build_tag_links_run_lines_in_any_file_of_the_scan() -> None:
    files = {
        "Dockerfile": ROOT_IMAGE,
        "scripts/build.sh": "#!/bin/sh\ndocker build -t acme/app:ci .\n",
        ".github/workflows/test.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: docker run --rm acme/app:ci\n",
        "Makefile": "test:\n\tdocker run --rm --user 1000 acme/app:ci\n",
    }
    for jobs in (1, 2):
        got = [(f.path, f.span.line, f.span.col) for f in lint(files, select=["DC122"], jobs=jobs).findings]
        assert got == [(".github/workflows/test.yml", 6, 30)], jobs  # at the image word


def test_docker_build_tag_is_not_linked_when_the_dockerfile_is_ambiguous() -> None:
    """``docker build .`` in scripts/ builds scripts/Dockerfile when run from there and
    ./Dockerfile when run from the top: with both in the tree, no image is assumed."""
    files = {
        "Dockerfile": ROOT_IMAGE,
        "scripts/Dockerfile": ROOT_IMAGE,
        "scripts/ci.sh": "#!/bin/sh\ndocker build -t app .\ndocker run app\n",
    }
    assert lint(files, select=["DC122"]).findings == []
    del files["scripts/Dockerfile"]
    assert [(f.path, f.span.line) for f in lint(files, select=["DC122"]).findings] == [("scripts/ci.sh", 3)]


def test_gitlab_scripts_shared_by_anchor_are_reported_once() -> None:
    check(
        "DC102",
        {
            ".gitlab-ci.yml": """
        .run: &run
          - docker run --privileged docker:27-dind
        a:
          script: *run
        b:
          before_script: *run
          script: [echo]
        """
        },
        [(".gitlab-ci.yml", 2, 16)],
    )


def test_gitlab_multiline_script_item() -> None:
    check(
        "DC103",
        {
            "ci/deploy.gitlab-ci.yml": """
        deploy:
          script:
            - |
              docker run --rm \\
                -v /:/host alpine:3.20 chroot /host true
        """
        },
        [("ci/deploy.gitlab-ci.yml", 5, 12)],
    )


# -- bad input ----------------------------------------------------------------------------------------


def test_unbalanced_quote_is_dc000_and_other_findings_stay() -> None:
    result = lint(
        {
            "run.sh": "#!/bin/sh\ndocker run --privileged x:1\necho 'unterminated\n",
            "compose.yaml": "services:\n  a:\n    image: x:1\n    privileged: true\n",
        },
        select=["DC000", "DC102"],
    )
    got = sorted((f.rule_id, f.path, f.span.line, f.span.col) for f in result.findings)
    assert got == [("DC000", "run.sh", 3, 6), ("DC102", "compose.yaml", 4, 5), ("DC102", "run.sh", 2, 12)]
    dc000 = next(f for f in result.findings if f.rule_id == "DC000")
    assert "unterminated single quote" in dc000.message


def test_binary_script_is_dc000() -> None:
    result = lint(
        {"x.sh": b"\x7fELF\x00\x00docker run", "compose.yaml": "services:\n  a:\n    image: x:1\n"}, select=["DC000"]
    )
    assert [(f.rule_id, f.path) for f in result.findings] == [("DC000", "x.sh")]
    assert "binary" in result.findings[0].message


def test_invalid_workflow_yaml_is_dc000() -> None:
    result = lint(
        {".github/workflows/ci.yml": "jobs: [\n", "run.sh": "docker run --privileged x:1\n"}, select=["DC000", "DC102"]
    )
    assert sorted((f.rule_id, f.path) for f in result.findings) == [
        ("DC000", ".github/workflows/ci.yml"),
        ("DC102", "run.sh"),
    ]


def test_no_image_is_skipped() -> None:
    check("DC102", {"run.sh": "docker run --privileged\ndocker run --rm -it \\\n"}, [])


def test_big_script_is_fast() -> None:
    lines = []
    for i in range(10_000):
        lines.append(f"docker run --rm -v /data/{i}:/data alpine:3.20 echo {i} && echo 'ok $i' | tee -a log")
    text = "#!/bin/sh\n" + "\n".join(lines) + "\ndocker run --privileged x:1\n"
    start = time.perf_counter()
    result = lint({"big.sh": text}, select=["DC102"])
    assert time.perf_counter() - start < 30
    assert [(f.span.line, f.span.col) for f in result.findings] == [(10_002, 12)]


def test_build_line_precheck_stays_linear_on_hostile_lines() -> None:
    """The look for build lines (done on every script's bytes) must not backtrack: one 3 MB
    line of 'docker build ' without a -t took minutes with a single regular expression."""
    text = "#!/bin/sh\necho " + "docker build " * 250_000 + "\ndocker run --privileged x:1\n"
    start = time.perf_counter()
    result = lint({"hostile.sh": text}, select=["DC102"])
    assert time.perf_counter() - start < 60
    assert [(f.span.line, f.span.col) for f in result.findings] == [(3, 12)]


@pytest.mark.parametrize(
    "text",
    [
        "docker run '",
        'docker run "$(',
        "docker run <<EOF\n",
        "docker run -v",
        "docker run --mount",
        "docker run -e",
        "docker run $(docker run --privileged",
        "docker run ${",
        "docker run `x",
        "docker run -p [:::",
        'docker run --mount type=bind,source="',
        "((((((((((docker run x:1",
        "docker compose run",
        "docker container",
        "sudo docker",
        "docker -H",
        "docker --host=",
        "docker build",
        "docker build -t",
        "docker build -t x",
        "docker build -t x -f",
        "docker build -tx --tag=",
        "docker buildx build -t x \\",
        "docker image",
        "docker image build -t x -f '' .",
        "docker build -t= .",
    ],
)
def test_truncated_command_lines_never_crash(text: str) -> None:
    for name in ("run.sh", "Makefile"):
        body = text if name == "run.sh" else "all:\n\t" + text
        result = lint({name: body})
        assert not result.internal_errors, result.internal_errors


# -- discovery ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("run.sh", "script"),
        ("scripts/ci.bash", "script"),
        ("Makefile", "makefile"),
        ("GNUmakefile", "makefile"),
        ("makefile", "makefile"),
        ("build/docker.mk", "makefile"),
        (".github/workflows/ci.yml", "github"),
        ("sub/.github/workflows/release.yaml", "github"),
        (".gitlab-ci.yml", "gitlab"),
        ("ci/build.gitlab-ci.yml", "gitlab"),
        (".gitlab-ci.yaml", "gitlab"),
        (".github/dependabot.yml", None),
        (".github/workflows/sub/x.yml", None),
        ("run.shx", None),
        ("Makefile.am", None),
        ("gitlab-ci.yml", None),
    ],
)
def test_classify(path: str, kind: str | None) -> None:
    assert classify_name(path) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("#!/bin/sh\ndocker ps\n", "script"),
        ("#!/usr/bin/env bash\n", "script"),
        ("#!/bin/bash -e\n", "script"),
        ("#!/usr/bin/env -S bash -e\n", "script"),
        ("#!/usr/bin/env python3\n", None),
        ("#!/bin/zsh\n", None),
    ],
)
def test_sniff_shebang(text: str, kind: str | None) -> None:
    assert sniff(text) == kind


def test_walk_finds_dot_folders(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".github/workflows/ci.yml": "on: push\n",
            ".gitlab-ci.yml": "a:\n  script: [x]\n",
            "scripts/run.sh": "true\n",
            "Makefile": "all:\n",
        },
    )
    old = Path.cwd()
    import os

    os.chdir(tmp_path)
    try:
        cands, _ = discover(["."])
    finally:
        os.chdir(old)
    assert sorted((c.path, c.kind) for c in cands) == [
        (".github/workflows/ci.yml", "github"),
        (".gitlab-ci.yml", "gitlab"),
        ("Makefile", "makefile"),
        ("scripts/run.sh", "script"),
    ]


# -- rule docs ------------------------------------------------------------------------------------------

_DOCS = Path(__file__).resolve().parents[1] / "rules"
_SH_BLOCK = re.compile(r"^```sh[ \t]+(\S+)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _doc_cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for path in sorted(_DOCS.glob("D[CD]*.md")):
        text = path.read_text(encoding="utf-8")
        parts = re.split(r"^## (.+?)\s*$", text, flags=re.MULTILINE)
        sections = {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}
        for section in ("Example", "Use instead"):
            for name, body in _SH_BLOCK.findall(sections.get(section, "")):
                cases.append((path.stem, section, name, body))
    return cases


@pytest.mark.parametrize(("rule_id", "section", "name", "body"), _doc_cases())
def test_doc_command_line_examples_alone(rule_id: str, section: str, name: str, body: str) -> None:
    """The command-line examples of the rule docs are right by themselves, not only next to
    the Compose example they are shown with."""
    fired = [f for f in lint({name: body}, select=[rule_id]).findings if f.rule_id == rule_id]
    assert bool(fired) == (section == "Example"), [(f.span.line, f.message) for f in fired]
