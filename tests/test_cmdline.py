"""``docker run`` command lines (parsers/cmdline.py): the flag grammar, the container model
it builds, the spans of its values, and the round trip through ``shlex.join``.

Spans are checked exactly: (line, col, end_line, end_col), 1-based, end exclusive.
"""

from __future__ import annotations

import dataclasses
import shlex
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.models.base import LStr, Span, is_model
from dockerlint.models.container import BuiltImage, ClientEnv, Container
from dockerlint.models.source import SourceFile
from dockerlint.parsers.cmdline import container_from_argv, expand_defaults
from dockerlint.parsers.script import parse as parse_script


def models(text: str, name: str = "run.sh", kind: str = "script") -> list[Any]:
    return parse_script(SourceFile(name, kind, text)).models


def containers(text: str) -> list[Container]:
    return [m for m in models(text) if isinstance(m, Container)]


def one(text: str) -> Container:
    (c,) = containers(text)
    return c


def pos(s: Span) -> tuple[int, int, int, int]:
    return s.line, s.col, s.end_line, s.end_col


def cut(text: str, span: Span) -> str:
    lines = text.split("\n")
    assert span.line == span.end_line
    return lines[span.line - 1][span.col - 1 : span.end_col - 1]


# -- which commands create a container --------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("docker run alpine:3.20", "docker run"),
        ("docker create alpine:3.20", "docker create"),
        ("docker container run alpine:3.20", "docker container run"),
        ("docker container create alpine:3.20", "docker container create"),
        ("podman run alpine:3.20", "podman run"),
        ("nerdctl run alpine:3.20", "nerdctl run"),
        ("sudo -E docker run alpine:3.20", "docker run"),
        ("exec /usr/bin/docker run alpine:3.20", "/usr/bin/docker run"),
        ("docker --context prod -H tcp://h:2376 --tlsverify run alpine:3.20", "docker run"),
        ("docker compose -f ci.yml --profile test run --rm web pytest", "docker compose run"),
        ("docker-compose -p x run web", "docker-compose run"),
        ("CID=$(docker run -d alpine:3.20 sleep 9)", "docker run"),
        ("sh -c 'docker run alpine:3.20'", "docker run"),
    ],
)
def test_invocations(line: str, name: str) -> None:
    assert one(line).name.value == name


@pytest.mark.parametrize(
    "line",
    [
        "docker ps",
        "docker build -t x .",
        "docker exec -it c sh",
        "docker image ls",
        "docker compose up -d",
        "docker run",
        "docker run --rm -it",
        "echo docker run --privileged x",
        "docker-compose up",
        "$DOCKER run --privileged x",
        "docker container ls",
        "docker run --help",
        "cat <<EOF\ndocker run --privileged x\nEOF",
    ],
)
def test_not_a_container(line: str) -> None:
    assert containers(line) == []


def test_names_and_spans() -> None:
    text = "set -e\n  sudo docker container run --rm alpine:3.20 echo hi\n"
    c = one(text)
    assert c.source == "script" and c.path == "run.sh"
    assert pos(c.name.span) == (2, 8, 2, 28) and cut(text, c.name.span) == "docker container run"
    assert pos(c.span) == (2, 3, 2, 53)
    assert c.image is not None and c.image.value == "alpine:3.20" and pos(c.image.span) == (2, 34, 2, 45)
    assert [w.value for w in c.command] == ["echo", "hi"]


# -- the flag grammar ----------------------------------------------------------------------------


def test_every_setting_and_its_span() -> None:
    text = (
        "docker run --privileged --read-only -u root --userns=host --net host --pid=host --ipc host "
        "--uts=host --cgroupns host --cap-add SYS_ADMIN --cap-drop=ALL --security-opt seccomp=unconfined "
        "--device /dev/mem --device-cgroup-rule 'a *:* rwm' -m 512m --pids-limit=100 --cpus 1.5 "
        "--cpu-shares 512 --cpu-quota=50000 --env-file .env --entrypoint /bin/sh alpine:3.20"
    )
    c = one(text)
    assert c.privileged is not None and c.privileged.value and cut(text, c.privileged.span) == "--privileged"
    assert c.read_only is not None and cut(text, c.read_only.span) == "--read-only"
    fields: dict[str, str] = {
        "user": "root",
        "userns_mode": "host",
        "network_mode": "host",
        "pid": "host",
        "ipc": "host",
        "uts": "host",
        "cgroup": "host",
        "mem_limit": "512m",
        "pids_limit": "100",
        "cpus": "1.5",
        "cpu_shares": "512",
        "cpu_quota": "50000",
    }
    for field, value in fields.items():
        got = getattr(c, field)
        assert got is not None and got.value == value, field
        assert cut(text, got.span) == value, field
    lists = {
        "cap_add": ["SYS_ADMIN"],
        "cap_drop": ["ALL"],
        "security_opt": ["seccomp=unconfined"],
        "devices": ["/dev/mem"],
        "env_files": [".env"],
        "entrypoint": ["/bin/sh"],
    }
    for field, values in lists.items():
        assert [v.value for v in getattr(c, field)] == values, field
        assert [cut(text, v.span) for v in getattr(c, field)] == values, field
    (rule,) = c.device_cgroup_rules
    assert rule.value == "a *:* rwm" and cut(text, rule.span) == "'a *:* rwm'"


@pytest.mark.parametrize(
    ("args", "user"),
    [
        ("-u root", "root"),
        ("-uroot", "root"),
        ("-u=root", "root"),
        ("--user root", "root"),
        ("--user=root", "root"),
        ("-itu root", "root"),
        ("-itdu0", "0"),
        ("-u 1000 --user 0", "0"),
        ("--user='0:0'", "0:0"),
        ('-u "root"', "root"),
    ],
)
def test_user_forms(args: str, user: str) -> None:
    text = f"docker run {args} alpine:3.20 ash"
    c = one(text)
    assert c.user is not None and c.user.value == user
    assert cut(text, c.user.span).strip("'\"") == user
    assert c.image is not None and c.image.value == "alpine:3.20"


def test_grouped_flags_take_the_next_word() -> None:
    c = one("docker run -itv /var/run/docker.sock:/var/run/docker.sock -p8080:80 alpine:3.20")
    (m,) = c.volumes
    assert m.type == "bind" and m.source is not None and m.source.value == "/var/run/docker.sock"
    (p,) = c.ports
    assert p.host_port is not None and p.host_port.value == "8080" and p.container_port.value == "80"


def test_unknown_flags_are_kept_out_but_not_fatal() -> None:
    c = one("docker run --frobnicate --gizmo=3 -Z --privileged alpine:3.20 ash")
    assert c.privileged is not None and c.image is not None and c.image.value == "alpine:3.20"


def test_value_flags_take_any_next_word() -> None:
    c = one("docker run --name --privileged --health-cmd 'curl -f x' alpine:3.20")
    assert c.privileged is None  # the value of --name
    assert c.image is not None and c.image.value == "alpine:3.20"


def test_double_dash_ends_options() -> None:
    c = one("docker run --rm -- alpine:3.20 --privileged")
    assert c.privileged is None and [w.value for w in c.command] == ["--privileged"]


def test_everything_after_the_image_is_the_command() -> None:
    c = one("docker run docker:27-dind --tls=false -v /:/x")
    assert list(c.volumes) == [] and [w.value for w in c.command] == ["--tls=false", "-v", "/:/x"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("--privileged", True),
        ("--privileged=true", True),
        ("--privileged=1", True),
        ("--privileged=false", False),
        ("--privileged=0", False),
    ],
)
def test_boolean_values(text: str, value: bool) -> None:
    c = one(f"docker run {text} alpine:3.20")
    assert c.privileged is not None and c.privileged.value is value


def test_invalid_boolean_is_ignored() -> None:
    assert one("docker run --privileged=maybe alpine:3.20").privileged is None


def test_opaque_options_are_skipped_not_taken_for_the_image() -> None:
    c = one('docker run $DOCKER_OPTS --privileged "$@" alpine:3.20')
    assert c.privileged is not None and c.image is not None and c.image.value == "alpine:3.20"
    c = one('docker run --privileged "$@"')  # the image is in "$@": still a container
    assert c.image is None and c.privileged is not None
    c = one('docker run --rm "$IMAGE" --privileged')  # quoted: the image
    assert c.image is not None and c.image.value == "$IMAGE" and c.privileged is None


def test_an_unquoted_command_substitution_before_options_may_stand_for_options() -> None:
    # The shell splits the output of ``$(...)`` / backticks into words like ``$OPTS``: taking
    # it for the image would read the socket mount after it as the container's command.
    for subst in ("$(extra_opts)", "`extra_opts`", "$(cat opts.txt | tr -d x)"):
        c = one(f"docker run {subst} -v /var/run/docker.sock:/var/run/docker.sock alpine:3.20")
        assert c.image is not None and c.image.value == "alpine:3.20"
        assert [m.source.value for m in c.volumes if m.source] == ["/var/run/docker.sock"]
    # Quoted, or with more text in the word, it is one word: the image.
    c = one('docker run "$(image_name)" -v /var/run/docker.sock:/var/run/docker.sock')
    assert c.image is not None and c.image.value == "$(image_name)" and not c.volumes
    c = one("docker run registry/$(name):1 -v /var/run/docker.sock:/var/run/docker.sock")
    assert c.image is not None and c.image.value == "registry/$(name):1" and not c.volumes


def test_network_mode_wins_over_network_names() -> None:
    assert one("docker run --network ci --network host x:1").network_mode.value == "host"  # type: ignore[union-attr]
    assert one("docker run --network=ci x:1").network_mode.value == "ci"  # type: ignore[union-attr]


# -- values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "kind", "source", "target", "ro", "options"),
    [
        (
            "/var/run/docker.sock:/var/run/docker.sock",
            "bind",
            "/var/run/docker.sock",
            "/var/run/docker.sock",
            False,
            [],
        ),
        ("/:/host:ro", "bind", "/", "/host", True, ["ro"]),
        ("/:/host:ro,rslave", "bind", "/", "/host", True, ["ro", "rslave"]),
        ("data:/data", "volume", "data", "/data", False, []),
        ("/data", "volume", None, "/data", False, []),
        ("/data:ro", "volume", None, "/data", True, ["ro"]),
        ("./src:/src", "bind", "./src", "/src", False, []),
        ("~/.ssh:/root/.ssh:ro", "bind", "~/.ssh", "/root/.ssh", True, ["ro"]),
        ("$(pwd):/src", "bind", "$(pwd)", "/src", False, []),
        ("${PWD}:/src:z", "bind", "${PWD}", "/src", False, ["z"]),
        ("C:\\data:/data", "bind", "C:\\data", "/data", False, []),
    ],
)
def test_volume_syntax(spec: str, kind: str, source: str | None, target: str, ro: bool, options: list[str]) -> None:
    c = one(f"docker run -v {shlex.quote(spec)} x:1")
    (m,) = c.volumes
    assert (m.type, m.source.value if m.source else None, m.target.value if m.target else None) == (
        kind,
        source,
        target,
    )
    assert m.read_only is ro and m.options == options


def test_volume_default_from_the_shell() -> None:
    c = one('docker run -v "${SOCK:-/var/run/docker.sock}:/var/run/docker.sock" x:1')
    (m,) = c.volumes
    assert m.source is not None and m.source.value == "${SOCK:-/var/run/docker.sock}"
    assert m.source.text == "/var/run/docker.sock"


def test_single_quotes_keep_dollar_literal() -> None:
    (m,) = one("docker run -v '${SOCK:-/var/run/docker.sock}:/x' x:1").volumes
    assert m.source is not None and m.source.expanded is None


@pytest.mark.parametrize(
    ("spec", "kind", "source", "target", "ro", "prop"),
    [
        (
            "type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock",
            "bind",
            "/var/run/docker.sock",
            "/var/run/docker.sock",
            False,
            None,
        ),
        ("type=bind,src=/,dst=/host,readonly", "bind", "/", "/host", True, None),
        (
            "type=bind,source=/,destination=/host,ro=true,bind-propagation=rshared",
            "bind",
            "/",
            "/host",
            True,
            "rshared",
        ),
        ("target=/data", "volume", None, "/data", False, None),
        ('type=bind,"source=/a,b",target=/c', "bind", "/a,b", "/c", False, None),
        ("type=tmpfs,destination=/run", "tmpfs", None, "/run", False, None),
    ],
)
def test_mount_syntax(spec: str, kind: str, source: str | None, target: str, ro: bool, prop: str | None) -> None:
    (m,) = one(f"docker run --mount {shlex.quote(spec)} x:1").volumes
    assert m.type == kind and (m.source.value if m.source else None) == source
    assert m.target is not None and m.target.value == target and m.read_only is ro
    assert (m.propagation.value if m.propagation else None) == prop


def test_tmpfs() -> None:
    (m,) = one("docker run --tmpfs /run:rw,size=64m x:1").volumes
    assert m.type == "tmpfs" and m.target is not None and m.target.value == "/run"


@pytest.mark.parametrize(
    ("spec", "ip", "host", "container", "proto"),
    [
        ("80", None, None, "80", "tcp"),
        ("8080:80", None, "8080", "80", "tcp"),
        ("127.0.0.1:8080:80/udp", "127.0.0.1", "8080", "80", "udp"),
        ("127.0.0.1::80", "127.0.0.1", None, "80", "tcp"),
        ("[::1]:2375:2375", "::1", "2375", "2375", "tcp"),
        ("8000-8010:8000-8010", None, "8000-8010", "8000-8010", "tcp"),
    ],
)
def test_port_syntax(spec: str, ip: str | None, host: str | None, container: str, proto: str) -> None:
    (p,) = one(f"docker run -p {spec} x:1").ports
    assert (
        p.host_ip.value if p.host_ip else None,
        p.host_port.value if p.host_port else None,
        p.container_port.value,
        p.protocol,
    ) == (ip, host, container, proto)


def test_environment_and_its_spans() -> None:
    text = "docker run -e A=1 --env B --env=C= -eD=x=y x:1"
    env = one(text).environment
    assert [(v.name.value, v.value.value if v.value else None) for v in env] == [
        ("A", "1"),
        ("B", None),
        ("C", ""),
        ("D", "x=y"),
    ]
    a = env[0]
    assert cut(text, a.span) == "A=1" and cut(text, a.name.span) == "A"
    assert a.value is not None and cut(text, a.value.span) == "1"
    assert env[3].value is not None and cut(text, env[3].value.span) == "x=y"


def test_use_api_socket() -> None:
    (m,) = one("docker run --use-api-socket x:1").volumes
    assert "use_api_socket" in m.options


def test_compose_run_flags() -> None:
    c = one("docker compose run --rm -v /:/host -u 0 -e K=v -p 80:80 --cap-add NET_ADMIN web ash -c 'id'")
    assert c.image is None and list(c.command) == []
    assert c.user is not None and c.user.value == "0"
    assert [m.source.value for m in c.volumes if m.source] == ["/"]
    assert [x.value for x in c.cap_add] == ["NET_ADMIN"] and len(c.ports) == 1 and len(c.environment) == 1
    assert c.managed_by == "the Compose service 'web'"
    assert one("docker run --rm alpine:3.20 id").managed_by is None


def test_podman_value_flags() -> None:
    c = one("podman run --pod mypod --userns keep-id --secret s1 --privileged fedora:40")
    assert c.privileged is not None and c.image is not None and c.image.value == "fedora:40"


def test_multi_line_command_spans() -> None:
    text = "docker run --rm \\\n  -v /var/run/docker.sock:/var/run/docker.sock \\\n  docker:19.03.3 docker ps\n"
    c = one(text)
    (m,) = c.volumes
    assert pos(m.span) == (2, 6, 2, 47)
    assert pos(c.span) == (1, 1, 3, 27)


def test_expand_defaults() -> None:
    assert expand_defaults("${A:-x}/${B-y}/${C:=z}/${D}/$E/${F:+w}") == "x/y/z/${D}/$E/${F:+w}"
    assert expand_defaults("${A:-${B:-deep}}") == "deep"
    assert expand_defaults("${{ matrix.image }}") == "${{ matrix.image }}"
    assert expand_defaults("${unclosed") == "${unclosed"


# -- client settings ---------------------------------------------------------------------------


def client_envs(text: str, name: str = "run.sh", kind: str = "script") -> list[ClientEnv]:
    return [m for m in models(text, name, kind) if isinstance(m, ClientEnv)]


def test_export_and_use() -> None:
    (env,) = client_envs("export DOCKER_HOST=tcp://docker:2375\ndocker ps\n")
    host = env.variables["DOCKER_HOST"]
    assert host.value is not None and host.value.value == "tcp://docker:2375" and pos(host.span) == (1, 8, 1, 37)
    assert env.scope == "script"


def test_settings_judged_where_first_used() -> None:
    text = "export DOCKER_HOST=tcp://d:2376\ndocker ps\nexport DOCKER_TLS_VERIFY=1\ndocker ps\n"
    (env,) = client_envs(text)
    assert "DOCKER_TLS_VERIFY" not in env.variables


def test_settings_set_together_before_use() -> None:
    text = "export DOCKER_HOST=tcp://d:2376\nexport DOCKER_TLS_VERIFY=1\ndocker ps\n"
    (env,) = client_envs(text)
    assert set(env.variables) == {"DOCKER_HOST", "DOCKER_TLS_VERIFY"}


def test_unset_and_prefix_assignment_and_host_flag() -> None:
    assert client_envs("export DOCKER_HOST=tcp://d:2375\nunset DOCKER_HOST\ndocker ps\n") == []
    (env,) = client_envs("DOCKER_HOST=tcp://d:2375 docker ps\n")
    assert env.variables["DOCKER_HOST"].value.value == "tcp://d:2375"  # type: ignore[union-attr]
    (env,) = client_envs("docker -H tcp://d:2375 --tlsverify ps\n")
    assert set(env.variables) == {"DOCKER_HOST", "DOCKER_TLS_VERIFY"}
    assert pos(env.variables["DOCKER_HOST"].span) == (1, 11, 1, 23)


def test_container_environment_is_a_client_scope() -> None:
    (env,) = client_envs("docker run -e DOCKER_HOST=tcp://docker:2375 docker:27-cli docker ps\n")
    assert env.scope == "docker run"


# -- the round trip ------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12)
_SAFE = st.text(string.ascii_letters + string.digits + "_@%+=:,./-", min_size=1, max_size=10)
_VALUE_FLAGS = [
    "-u",
    "--user",
    "-e",
    "--env",
    "-v",
    "--volume",
    "--mount",
    "-p",
    "--publish",
    "--network",
    "--net",
    "--pid",
    "--ipc",
    "--uts",
    "--userns",
    "--cgroupns",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--device",
    "--device-cgroup-rule",
    "-m",
    "--memory",
    "--pids-limit",
    "--cpus",
    "--name",
    "--env-file",
    "--entrypoint",
    "--tmpfs",
    "-w",
    "--label",
    "--add-host",
]
_BOOL_FLAGS = [
    "--privileged",
    "--read-only",
    "-d",
    "-i",
    "-t",
    "--rm",
    "--init",
    "-P",
    "--use-api-socket",
    "--privileged=false",
    "--read-only=true",
]


@st.composite
def flag_lists(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str | None]]]:
    """Words of ``docker run`` options, and the (flag, value) pairs they stand for."""
    words: list[str] = []
    pairs: list[tuple[str, str | None]] = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            flag = draw(st.sampled_from(_BOOL_FLAGS))
            words.append(flag)
            pairs.append((flag, None))
            continue
        flag = draw(st.sampled_from(_VALUE_FLAGS))
        value = draw(st.one_of(_TEXT, _SAFE))
        form = draw(st.sampled_from(["apart", "joined"]))
        if form == "joined" and flag.startswith("--"):
            words.append(f"{flag}={value}")
        elif form == "joined" and value and not value.startswith("="):
            words.append(f"{flag}{value}")
        else:
            words += [flag, value]
        pairs.append((flag, value))
    return words, pairs


def semantic(value: Any) -> Any:
    """A model as plain data without spans (what the container *is*, not where it is written)."""
    if isinstance(value, Span):
        return None
    if is_model(value):
        return {
            f.name: semantic(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not isinstance(getattr(value, f.name), Span)
        }
    if isinstance(value, (list, tuple)):
        return [semantic(v) for v in value]
    if isinstance(value, dict):
        return {k: semantic(v) for k, v in value.items()}
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flag_lists(), st.from_regex(r"[a-z][a-z0-9]{0,8}(:[a-z0-9.]{1,5})?", fullmatch=True), st.lists(_TEXT, max_size=3)
)
def test_shlex_join_round_trip(
    flags: tuple[list[str], list[tuple[str, str | None]]], image: str, command: list[str]
) -> None:
    words, pairs = flags
    argv = ["docker", "run", *words, image, *command]
    line = shlex.join(argv)
    from_shell = containers(line)
    from_argv = container_from_argv(argv, source="script", path="run.sh")
    assert from_argv is not None and len(from_shell) == 1
    c = from_shell[0]
    assert semantic(c) == semantic(from_argv)
    # The model says what the flags say.
    assert c.image is not None and c.image.value == image
    assert [w.value for w in c.command] == command
    users = [v for f, v in pairs if f in ("-u", "--user")]
    assert (c.user.value if c.user else None) == (users[-1] if users else None)
    assert [(e.name.value + ("=" + e.value.value if e.value else "")) for e in c.environment] == [
        v for f, v in pairs if f in ("-e", "--env")
    ]
    assert [x.value for x in c.cap_add] == [v for f, v in pairs if f == "--cap-add"]
    assert [x.value for x in c.security_opt] == [v for f, v in pairs if f == "--security-opt"]
    priv = [f for f, _ in pairs if f.startswith("--privileged")]
    assert (c.privileged.value if c.privileged else None) == (None if not priv else priv[-1] == "--privileged")
    # Values written without quotes are located exactly.
    for field in ("user", "pid", "ipc", "uts", "userns_mode", "cgroup", "mem_limit", "pids_limit", "cpus"):
        got: LStr | None = getattr(c, field)
        if (
            got is not None
            and got.value
            and all(ch in string.ascii_letters + string.digits + "_@%+=:,./-" for ch in got.value)
        ):
            assert cut(line, got.span) == got.value, field


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            _TEXT,
            st.sampled_from(
                ["-v", "--mount", "-p", "-e", "--", "-itd", "$X", '"$@"', "--privileged=", "-u=", "--env=", "'"]
            ),
        ),
        max_size=12,
    )
)
def test_any_words_never_crash(words: list[str]) -> None:
    line = "docker run " + " ".join(words)
    models(line)
    container_from_argv(["docker", "run", *words])


# -- positions inside YAML strings -----------------------------------------------------------------

_RESERVED = {
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "while",
    "until",
    "do",
    "done",
    "case",
    "esac",
    "in",
    "select",
    "function",
    "time",
}
_YAML_WORD = st.text(string.ascii_letters + string.digits + "-=/:.,_@%+", min_size=1, max_size=12).filter(
    lambda w: not w.startswith(("-", ":", "@", "%")) and w not in _RESERVED
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_YAML_WORD, min_size=1, max_size=6), min_size=1, max_size=4),
    st.sampled_from([None, '"', "'", "|", ">"]),
    st.integers(10, 80),
)
def test_words_inside_yaml_strings_are_located(lines: list[list[str]], style: str | None, width: int) -> None:
    """Whatever quoting and folding a YAML emitter chooses, every shell word of the string is
    located at its own text in the file."""
    import yaml

    from dockerlint.parsers.yaml_nodes import YMap, YScalar, load
    from dockerlint.parsers.yaml_text import FileText, shell_script

    value = "\n".join(" ".join(words) for words in lines) + ("\n" if style in ("|", ">") else "")
    doc = yaml.dump({"steps": [{"run": value}]}, default_style=style, width=width, allow_unicode=True)
    root = load(doc)
    assert isinstance(root, YMap)
    steps = root.get("steps")
    node = steps.items[0].get("run")  # type: ignore[union-attr]
    assert isinstance(node, YScalar) and node.value == value
    script = shell_script(FileText("ci.yml", doc), node)
    words = [w for step in script.walk() for w in (*step.command.assignments, *step.command.words)]
    assert [w.value for w in words] == [w for ws in lines for w in ws]
    file_lines = doc.split("\n")
    for w in words:
        s = w.span
        if s.line == s.end_line:
            assert file_lines[s.line - 1][s.col - 1 : s.end_col - 1] == w.raw, (doc, w)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\x85\u2028\u2029\ufeff"), max_size=60
    ),
    st.sampled_from([None, '"', "'", "|", ">"]),
    st.integers(10, 80),
)
def test_yaml_string_alignment(value: str, style: str | None, width: int) -> None:
    """Every character of any YAML string is placed at its own text, or at the escape
    sequence that makes it; blanks may sit where folding made them."""
    import yaml

    from dockerlint.parsers.yaml_nodes import YMap, YScalar, load
    from dockerlint.parsers.yaml_text import FileText, scalar_locator

    doc = yaml.dump({"run": value}, default_style=style, width=width, allow_unicode=True)
    root = load(doc)
    assert isinstance(root, YMap)
    node = root.get("run")
    assert isinstance(node, YScalar) and node.value == value
    loc = scalar_locator(FileText("ci.yml", doc), node)
    starts = loc.starts
    assert len(starts) == len(value)
    assert starts == sorted(starts)
    for ch, start, end in zip(value, starts, loc.ends):
        if ch in " \t\n":
            continue
        written = doc[start:end]
        assert written == ch or (node.style == '"' and written.startswith("\\")), (doc, ch, written)


# -- docker build -t: the images a file builds under a name -------------------------------------


def built(text: str, name: str = "ci/build.sh", kind: str = "script") -> list[BuiltImage]:
    return [m for m in models(text, name, kind) if isinstance(m, BuiltImage)]


@pytest.mark.parametrize(
    ("line", "tags", "dockerfiles", "target"),
    [
        ("docker build -t acme/api:1 .", ["acme/api:1"], ["ci/Dockerfile", "Dockerfile"], None),
        ("docker build . -t acme/api:1", ["acme/api:1"], ["ci/Dockerfile", "Dockerfile"], None),  # options after
        (
            "docker build -t a:1 --tag=b:2 -f docker/api.Dockerfile --target=test src",
            ["a:1", "b:2"],
            ["ci/docker/api.Dockerfile", "docker/api.Dockerfile"],
            "test",
        ),  # -f: from the working directory
        (
            "docker buildx build --platform linux/amd64,linux/arm64 --push -tapp:2 --build-arg V=1 ..",
            ["app:2"],
            ["Dockerfile", "../Dockerfile"],
            None,
        ),
        (
            "docker image build --file=Dockerfile.prod -t app .",
            ["app"],
            ["ci/Dockerfile.prod", "Dockerfile.prod"],
            None,
        ),
        (
            "sudo podman build --layers=false -t localhost/app .",
            ["localhost/app"],
            ["ci/Dockerfile", "Dockerfile"],
            None,
        ),
        ("nerdctl build -t app -- .", ["app"], ["ci/Dockerfile", "Dockerfile"], None),
    ],
)
def test_build_lines(line: str, tags: list[str], dockerfiles: list[str], target: str | None) -> None:
    (b,) = built(line + "\n")
    assert [t.value for t in b.tags] == tags
    assert b.dockerfiles == dockerfiles
    assert (b.target.value if b.target is not None else None) == target
    assert pos(b.span)[:2] == (1, 1)


@pytest.mark.parametrize(
    "line",
    [
        "docker build .",  # no name: nothing can run it by name
        'docker build -t "$IMAGE" .',  # a name only known at run time
        "docker build -t app a b",  # not a build docker accepts
        "docker compose build web",
    ],
)
def test_build_lines_that_name_nothing(line: str) -> None:
    assert built(line + "\n") == []


@pytest.mark.parametrize(
    "line",
    [
        "docker build -t app $CONTEXT",
        "docker build -t app https://github.com/acme/app.git#main",
        "docker build -t app - < Dockerfile",
        "docker build -t app -f - .",
        "docker build $BUILD_ARGS -t app .",  # options we cannot see
    ],
)
def test_build_lines_that_name_an_image_but_no_local_dockerfile(line: str) -> None:
    # The image is still built here (DF106/DC118 must not call it pulled); it is linked to
    # no Dockerfile (DC122 cannot judge its user).
    (b,) = built(line + "\n")
    assert [t.value for t in b.tags] == ["app"] and b.dockerfiles == []


@pytest.mark.parametrize(
    ("line", "dockerfiles"),
    [
        ("docker build -f ci/Buildfile .", ["ci/ci/Buildfile", "ci/Buildfile"]),
        ("docker buildx build --file=docker/prod.df --push .", ["ci/docker/prod.df", "docker/prod.df"]),
        ('docker build -t "$IMAGE" -f app.docker .', ["ci/app.docker", "app.docker"]),
        ("docker build -f - .", None),  # the Dockerfile comes from standard input
        ("docker build -f $DOCKERFILE .", None),
        ("docker build -f app.docker https://github.com/acme/app.git", None),  # a file of the remote context
    ],
)
def test_build_lines_without_a_name_that_name_their_dockerfile(line: str, dockerfiles: list[str] | None) -> None:
    """No image name, but -f: the file Docker runs, which the scan lints whatever its name."""
    got = built(line + "\n")
    if dockerfiles is None:
        assert got == []
        return
    (b,) = got
    assert b.tags == [] and b.dockerfiles == dockerfiles


def test_build_line_bases_follow_where_the_line_runs() -> None:
    line = "\tdocker build -t app -f docker/Dockerfile .\n"
    (mk,) = built("build:\n" + line, name="sub/Makefile", kind="makefile")
    assert mk.dockerfiles == ["sub/docker/Dockerfile"]  # make runs recipes in the Makefile's folder
    wf = (
        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: docker build -t app -f d/Dockerfile .\n"
    )
    from dockerlint.parsers import ci_github, dockerfile

    got = ci_github.parse(SourceFile(".github/workflows/ci.yml", "github", wf)).models
    (gh,) = [m for m in got if isinstance(m, BuiltImage)]
    assert gh.dockerfiles == ["d/Dockerfile"]  # the repository, not .github/workflows
    df = "FROM docker:27\nRUN docker build -t app . && docker run app\n"
    got = dockerfile.parse(SourceFile("Dockerfile", "dockerfile", df)).models
    assert [type(m).__name__ for m in got] == ["ImageBuild", "Container"]  # paths inside the image: no link


@pytest.mark.parametrize(("flag", "value"), [("--init", True), ("--init=true", True), ("--init=false", False)])
def test_init_is_read_with_its_span(flag: str, value: bool) -> None:
    text = f"docker run {flag} alpine:3.20"
    c = one(text)
    assert c.init is not None and c.init.value is value and cut(text, c.init.span) == flag
    assert one("docker run alpine:3.20").init is None
