"""The Compose parser: normalization into Container models, spans, validation (DC000)."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from dockerlint.models.container import ClientEnv, Container, Mount, PortBinding
from dockerlint.models.source import SourceFile
from dockerlint.parsers import compose
from dockerlint.parsers.compose import InvalidTemplate, expand_defaults
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput
from helpers import dedent, lint


def parse(text: str) -> ParseOutput:
    return compose.parse(SourceFile("compose.yaml", "compose", dedent(text)))


def containers(text: str) -> list[Container]:
    out = parse(text)
    assert not out.problems, [p.message for p in out.problems]
    return [m for m in out.models if isinstance(m, Container)]


def one(text: str) -> Container:
    got = containers(text)
    assert len(got) == 1
    return got[0]


def at(x: Any) -> tuple[int, int, int, int]:
    s = x.span
    return (s.line, s.col, s.end_line, s.end_col)


def problems(text: str) -> list[tuple[int, int, str]]:
    return [(p.span.line, p.span.col, p.message) for p in parse(text).problems]


# -- the document ---------------------------------------------------------------------


def test_service_name_and_body_spans() -> None:
    c = one("""
        services:
          web:
            image: nginx:1.25
            user: app
        """)
    assert c.source == "compose" and c.path == "compose.yaml"
    assert c.name.value == "web" and at(c.name) == (2, 3, 2, 6)
    assert at(c) == (3, 5, 4, 14)
    assert c.label == "service 'web'"
    assert c.image is not None and c.image.value == "nginx:1.25" and at(c.image) == (3, 12, 3, 22)


def test_no_services_is_fine() -> None:
    assert parse("include:\n  - other.yaml\nnetworks:\n  front: {}\n").models == []
    assert parse("services:\n").models == []


@pytest.mark.parametrize(
    "text, line, col, part",
    [
        ("- a\n- b\n", 1, 1, "top level"),
        ("just a string\n", 1, 1, "top level"),
        ("services:\n  - web\n", 2, 3, "'services' must be a mapping"),
        ("services: nginx\n", 1, 11, "'services' must be a mapping"),
        ("", 1, 1, "empty"),
        ("services:\n  web:\n    image: [\n", 4, 1, "invalid YAML"),
    ],
)
def test_fatal_errors(text: str, line: int, col: int, part: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert (info.value.line, info.value.col) == (line, col)
    assert part in info.value.message


def test_unknown_service_key_is_a_problem_with_a_suggestion() -> None:
    out = parse("""
        services:
          web:
            image: nginx
            privilaged: true
            x-custom: anything
        x-anchors: {}
        volumez: {}
        """)
    got = [(p.rule_id, p.span.line, p.span.col, p.span.end_col, p.message) for p in out.problems]
    assert got[0][:4] == ("DC000", 4, 5, 15)
    assert "'privilaged'" in got[0][4] and "did you mean 'privileged'?" in got[0][4]
    assert got[1][:3] == ("DC000", 7, 1) and "did you mean 'volumes'?" in got[1][4]
    assert len(got) == 2
    # The rest of the service is still read.
    assert [m.name.value for m in out.models if isinstance(m, Container)] == ["web"]


def test_service_that_is_not_a_mapping_is_a_problem() -> None:
    assert [(line, col) for line, col, _ in problems("services:\n  web: nginx\n  db:\n")] == [(2, 8), (3, 3)]


def test_invalid_service_name() -> None:
    got = problems("services:\n  'my web':\n    image: x\n")
    assert got[0][:2] == (2, 3) and "invalid service name" in got[0][2]


def test_extension_services_and_reset_are_skipped() -> None:
    c = one("""
        services:
          web:
            image: nginx
            privileged: !reset true
          x-template:
            image: nope
        """)
    assert c.privileged is None


def test_service_keys_equal_the_compose_specification_schema() -> None:
    """Our hand-written list against the official schema shipped with check-jsonschema."""
    path = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    defs = schema.get("$defs") or schema["definitions"]

    def props(d: dict[str, Any]) -> set[str]:
        keys = set(d.get("properties", {}))
        for part in d.get("allOf", []):
            ref = part.get("$ref", "")
            keys |= props(defs[ref.rsplit("/", 1)[1]]) if ref else props(part)
        return keys

    # Documented exceptions: keys we accept that the schema does not know, or the reverse.
    exceptions: set[str] = set()
    if Version(importlib.metadata.version("check-jsonschema")) < Version("0.39"):
        # check-jsonschema 0.38.x, the newest for Python 3.10, vendors a Compose specification from
        # before `umask` (a service key Compose reads) was added; 0.39 has it.
        exceptions.add("umask")
    assert props(defs["service"]) ^ compose.SERVICE_KEYS <= exceptions
    assert set(schema["properties"]) ^ compose.TOP_LEVEL_KEYS <= exceptions


def test_only_the_first_document_is_used() -> None:
    out = parse("services:\n  a:\n    image: x\n---\nservices:\n  b:\n    privileged: maybe\n")
    assert [m.name.value for m in out.models] == ["a"] and not out.problems


# -- anchors --------------------------------------------------------------------------


def test_values_from_a_merge_key_point_at_the_anchor() -> None:
    c = one("""
        x-ci: &ci
          privileged: true
          volumes:
            - /var/run/docker.sock:/var/run/docker.sock
        services:
          runner:
            <<: *ci
            image: gitlab/gitlab-runner:v17.0.0
        """)
    assert c.privileged is not None and c.privileged.value
    assert at(c.privileged) == (2, 3, 2, 13)
    assert at(c.volumes[0]) == (4, 7, 4, 48)
    assert at(c.name) == (6, 3, 6, 9)


# -- booleans -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, value",
    [
        ("true", True),
        ('"true"', True),
        ("'TRUE'", True),
        ("yes", True),
        ("on", True),
        ('"y"', True),
        ("false", False),
        ('"false"', False),
        ("no", False),
        ('"${PRIV:-true}"', True),
    ],
)
def test_privileged_values(written: str, value: bool) -> None:
    c = one(f"services:\n  a:\n    privileged: {written}\n")
    assert c.privileged is not None
    assert c.privileged.value is value
    assert at(c.privileged) == (3, 5, 3, 15)  # the key


def test_privileged_from_an_unset_variable_is_unknown() -> None:
    assert one('services:\n  a:\n    privileged: "${PRIV}"\n').privileged is None


@pytest.mark.parametrize("written", ['"maybe"', "1", "[true]"])
def test_invalid_boolean_is_a_problem(written: str) -> None:
    got = problems(f"services:\n  a:\n    privileged: {written}\n")
    assert len(got) == 1 and got[0][:2] == (3, 17) and "boolean" in got[0][2]


def test_read_only_and_build() -> None:
    c = one(
        """
        services:
          a:
            read_only: true
            build:
              context: ./app
              dockerfile: Dockerfile.prod
              target: final
              privileged: true
          b:
            build: ./b
        """.replace("          b:\n            build: ./b\n", "")
    )
    assert c.read_only is not None and c.read_only.value and at(c.read_only) == (3, 5, 3, 14)
    b = c.build
    assert b is not None and b.context is not None and b.context.value == "./app"
    assert b.dockerfile is not None and b.dockerfile.value == "Dockerfile.prod"
    assert b.target is not None and b.target.value == "final"
    assert b.privileged is not None and b.privileged.value and at(b.privileged) == (8, 7, 8, 17)
    s = one("services:\n  b:\n    build: ./b\n").build
    assert s is not None and s.context is not None and s.context.value == "./b" and s.privileged is None


# -- volumes --------------------------------------------------------------------------


def mount_tuple(m: Mount) -> tuple[Any, ...]:
    return (
        m.type,
        m.source.text if m.source else None,
        m.target.text if m.target else None,
        m.read_only,
        m.propagation.value if m.propagation else None,
    )


def test_short_and_long_volume_syntax_normalize_to_the_same_mounts() -> None:
    short = one("""
        services:
          a:
            volumes:
              - /var/run/docker.sock:/var/run/docker.sock:ro
              - ./src:/app:rshared
              - data:/data
              - /anonymous
        volumes:
          data:
        """)
    long = one("""
        services:
          a:
            volumes:
              - type: bind
                source: /var/run/docker.sock
                target: /var/run/docker.sock
                read_only: true
              - type: bind
                source: ./src
                target: /app
                bind:
                  propagation: rshared
              - type: volume
                source: data
                target: /data
              - type: volume
                target: /anonymous
        volumes:
          data:
        """)
    assert [mount_tuple(m) for m in short.volumes] == [mount_tuple(m) for m in long.volumes]
    assert [at(m) for m in short.volumes] == [(4, 9, 4, 53), (5, 9, 5, 27), (6, 9, 6, 19), (7, 9, 7, 19)]
    assert at(long.volumes[0]) == (4, 9, 7, 24)
    assert mount_tuple(short.volumes[0]) == ("bind", "/var/run/docker.sock", "/var/run/docker.sock", True, None)


@pytest.mark.parametrize(
    "item, expect",
    [
        ("C:\\data:/data", ("bind", "C:\\data", "/data", False, None)),
        ("c:/data:/data:ro", ("bind", "c:/data", "/data", True, None)),
        ("~/.ssh:/root/.ssh:ro,z", ("bind", "~/.ssh", "/root/.ssh", True, None)),
        (
            "'${SOCK:-/var/run/docker.sock}:/var/run/docker.sock'",
            ("bind", "/var/run/docker.sock", "/var/run/docker.sock", False, None),
        ),
        ("${DATA_DIR}:/data", ("bind", "${DATA_DIR}", "/data", False, None)),
        ("${VOL}:/data", ("volume", "${VOL}", "/data", False, None)),
        ("cache:/cache:nocopy", ("volume", "cache", "/cache", False, None)),
        ("/:/host:ro", ("bind", "/", "/host", True, None)),
        (
            "'\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine'",
            ("bind", "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", False, None),
        ),
    ],
)
def test_short_volume_forms(item: str, expect: tuple[Any, ...]) -> None:
    c = one(f"services:\n  a:\n    volumes:\n      - {item}\nvolumes:\n  ${{VOL}}:\n")
    assert mount_tuple(c.volumes[0]) == expect


def test_interpolated_volume_keeps_the_written_text() -> None:
    c = one('services:\n  a:\n    volumes:\n      - "${SOCK:-/var/run/docker.sock}:/sock"\n')
    src = c.volumes[0].source
    assert src is not None
    assert src.value == "${SOCK:-/var/run/docker.sock}" and src.expanded == "/var/run/docker.sock"


@pytest.mark.parametrize("item, part", [("/a::/b", "empty part"), ("/a:/b:ro:x", "too many colons")])
def test_invalid_short_volume(item: str, part: str) -> None:
    got = problems(f"services:\n  a:\n    volumes:\n      - {item}\n")
    assert got[0][:2] == (4, 9) and part in got[0][2]


def test_use_api_socket_is_a_socket_bind_at_the_key() -> None:
    c = one("services:\n  a:\n    use_api_socket: true\n")
    m = c.volumes[0]
    assert mount_tuple(m)[:3] == ("bind", "/var/run/docker.sock", "/var/run/docker.sock")
    assert at(m) == (3, 5, 3, 19) and "use_api_socket" in m.options


# -- ports ----------------------------------------------------------------------------


def port_tuple(p: PortBinding) -> tuple[Any, ...]:
    return (
        p.host_ip.text if p.host_ip else None,
        p.host_port.text if p.host_port else None,
        p.container_port.text,
        p.protocol,
    )


@pytest.mark.parametrize(
    "item, expect",
    [
        ("80", (None, None, "80", "tcp")),
        ("22:22", (None, "22", "22", "tcp")),  # YAML 1.1 would read the integer 1342
        ('"8080:80"', (None, "8080", "80", "tcp")),
        ('"127.0.0.1:8080:80/udp"', ("127.0.0.1", "8080", "80", "udp")),
        ('"127.0.0.1::80"', ("127.0.0.1", None, "80", "tcp")),
        ('"[::1]:8080:80"', ("::1", "8080", "80", "tcp")),
        ('"::1:8080:80"', ("::1", "8080", "80", "tcp")),
        ('"9090-9091:8080-8081"', (None, "9090-9091", "8080-8081", "tcp")),
        ('"${PORT:-8080}:80"', (None, "8080", "80", "tcp")),
        ('"${BIND:-0.0.0.0}:${PORT:-2375}:2375"', ("0.0.0.0", "2375", "2375", "tcp")),
    ],
)
def test_short_ports(item: str, expect: tuple[Any, ...]) -> None:
    c = one(f"services:\n  a:\n    ports:\n      - {item}\n")
    assert port_tuple(c.ports[0]) == expect
    assert at(c.ports[0])[:2] == (4, 9)


def test_short_and_long_ports_normalize_to_the_same_binding() -> None:
    short = one('services:\n  a:\n    ports:\n      - "127.0.0.1:8080:80/udp"\n')
    long = one("""
        services:
          a:
            ports:
              - target: 80
                published: "8080"
                host_ip: 127.0.0.1
                protocol: udp
                mode: host
        """)
    assert port_tuple(short.ports[0]) == port_tuple(long.ports[0])
    assert at(long.ports[0]) == (4, 9, 8, 19)
    assert at(long.ports[0].container_port) == (4, 17, 4, 19)


# -- environment ----------------------------------------------------------------------


def env_tuple(c: Container) -> list[tuple[str, str | None]]:
    return [(v.name.value, v.value.text if v.value else None) for v in c.environment]


def test_environment_list_and_mapping_normalize_alike() -> None:
    as_list = one("""
        services:
          a:
            environment:
              - FOO=bar=baz
              - EMPTY=
              - PASSED
              - 'URL=${DB_URL:-postgres://u:p@db/x}'
        """)
    as_map = one("""
        services:
          a:
            environment:
              FOO: bar=baz
              EMPTY: ""
              PASSED:
              URL: ${DB_URL:-postgres://u:p@db/x}
        """)
    assert (
        env_tuple(as_list)
        == env_tuple(as_map)
        == [("FOO", "bar=baz"), ("EMPTY", ""), ("PASSED", None), ("URL", "postgres://u:p@db/x")]
    )
    assert [at(v) for v in as_list.environment][:2] == [(4, 9, 4, 20), (5, 9, 5, 15)]
    assert at(as_map.environment[0]) == (4, 7, 4, 19)
    assert at(as_map.environment[0].name) == (4, 7, 4, 10)
    var = as_list.env("URL")
    assert var is not None and var.value is not None and var.value.value == "${DB_URL:-postgres://u:p@db/x}"


def test_environment_scalar_types_keep_their_text() -> None:
    c = one("services:\n  a:\n    environment:\n      DEBUG: yes\n      N: 0o17\n      T: true\n")
    assert env_tuple(c) == [("DEBUG", "yes"), ("N", "0o17"), ("T", "true")]


def test_client_env_for_docker_client_variables() -> None:
    out = parse("""
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: tcp://docker:2375
              DOCKER_TLS_VERIFY: ""
              OTHER: x
          web:
            image: nginx
            environment: [A=1]
        """)
    envs = [m for m in out.models if isinstance(m, ClientEnv)]
    assert len(envs) == 1
    e = envs[0]
    assert e.scope == "service 'ci'" and (e.span.line, e.span.col) == (2, 3)
    assert sorted(e.variables) == ["DOCKER_HOST", "DOCKER_TLS_VERIFY"]
    host = e.variables["DOCKER_HOST"].value
    assert host is not None and host.value == "tcp://docker:2375"


# -- the rest -------------------------------------------------------------------------


def test_lists_commands_and_limits() -> None:
    c = one("""
        services:
          a:
            user: "1000:1000"
            userns_mode: host
            network_mode: host
            pid: host
            ipc: host
            uts: host
            cgroup: host
            cap_add: [NET_ADMIN, SYS_PTRACE]
            cap_drop: [ALL]
            security_opt: ["seccomp:unconfined", "no-new-privileges:true"]
            devices:
              - /dev/fuse
              - source: /dev/kvm
                target: /dev/kvm
                permissions: rwm
            device_cgroup_rules: ["a *:* rwm"]
            env_file: [.env, {path: ./secret.env, required: false}]
            command: sh -c 'echo "$$HOME"'
            entrypoint: ["/bin/tini", "--"]
            mem_limit: 512m
            deploy:
              resources:
                limits: {cpus: "0.5", pids: 100, memory: 1g}
            profiles: [debug]
        """)
    assert c.user is not None and c.user.value == "1000:1000"
    for key in ("userns_mode", "network_mode", "pid", "ipc", "uts", "cgroup"):
        assert getattr(c, key).value == "host"
    assert [x.value for x in c.cap_add] == ["NET_ADMIN", "SYS_PTRACE"]
    assert [x.value for x in c.cap_drop] == ["ALL"]
    assert [x.value for x in c.security_opt] == ["seccomp:unconfined", "no-new-privileges:true"]
    assert [x.value for x in c.devices] == ["/dev/fuse", "/dev/kvm:/dev/kvm:rwm"]
    assert [x.value for x in c.device_cgroup_rules] == ["a *:* rwm"]
    assert [x.value for x in c.env_files] == [".env", "./secret.env"]
    assert [x.value for x in c.command] == ["sh", "-c", 'echo "$$HOME"']
    assert [x.text for x in c.command][2] == 'echo "$HOME"'
    assert [x.value for x in c.entrypoint] == ["/bin/tini", "--"]
    assert c.mem_limit is not None and c.mem_limit.value == "512m"  # the service key wins
    assert c.cpus is not None and c.cpus.value == "0.5"
    assert c.pids_limit is not None and c.pids_limit.value == "100"
    assert c.profiles == ["debug"]
    assert at(c.cap_add[1]) == (10, 26, 10, 36)


def test_wrong_shapes_are_problems_not_crashes() -> None:
    got = problems("""
        services:
          a:
            volumes: /data:/data
            ports: {a: 1}
            environment: FOO=bar
            cap_add: NET_ADMIN
            user: [root]
            command: {a: b}
        """)
    assert [line for line, _, _ in got] == [3, 4, 5, 6, 7, 8]


# -- interpolation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expanded",
    [
        ("plain", "plain"),
        ("${A}", "${A}"),
        ("$A/x", "$A/x"),
        ("${A:-/var/run/docker.sock}", "/var/run/docker.sock"),
        ("${A-def}", "def"),
        ("${A:-${B:-nested}}/x", "nested/x"),
        ("${A:?must be set}", "${A:?must be set}"),
        ("${A:+alt}", "${A:+alt}"),
        ("$$HOME and $${A:-x}", "$HOME and ${A:-x}"),
        ("cost: 5$", "cost: 5$"),
        ("${A:-}", ""),
    ],
)
def test_expand_defaults(text: str, expanded: str) -> None:
    assert expand_defaults(text) == expanded


@pytest.mark.parametrize("text", ["${}", "${1A}", "${A", "${A:-x", "${A!}"])
def test_invalid_templates(text: str) -> None:
    with pytest.raises(InvalidTemplate):
        expand_defaults(text)


def test_invalid_template_is_a_problem() -> None:
    got = problems('services:\n  a:\n    image: "nginx:${TAG"\n')
    assert got[0][:2] == (3, 12) and "interpolation" in got[0][2]


# -- through the engine ---------------------------------------------------------------


def test_engine_reports_parse_errors_as_dc000() -> None:
    result = lint({"compose.yaml": "services:\n  web:\n    image: a\n    image: b\n"}, select=["DC000"])
    assert [(f.rule_id, f.span.line, f.span.col) for f in result.findings] == [("DC000", 4, 5)]
    result = lint({"compose.yaml": "services:\n  web:\n    imgae: a\n"}, select=["DC000"])
    assert [(f.rule_id, f.span.line, f.span.col) for f in result.findings] == [("DC000", 3, 5)]
    assert "did you mean 'image'?" in result.findings[0].message
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdef", "bcdefg")
    )
    for text, line, col in [
        ("services:\n  web:\n    image: !!python/object/apply:os.system [id]\n", 3, 12),
        ("services:\n  web: {image: nginx}\n" + bomb, 7, 4),
    ]:
        result = lint({"compose.yaml": text}, select=["DC000"])
        assert [(f.rule_id, f.span.line, f.span.col) for f in result.findings] == [("DC000", line, col)]


# -- never anything but ParseError ----------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.text(max_size=30),
    st.sampled_from(
        [
            "/var/run/docker.sock:/x:ro",
            "${A:-/}:/h",
            "[::1]:1:2/udp",
            "${",
            "a::b",
            "C:\\x:/y",
            "0:0",
            "host",
            "yes",
            "$$",
        ]
    ),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                sorted(compose.SERVICE_KEYS)
                + [
                    "type",
                    "source",
                    "target",
                    "x-a",
                    "bind",
                    "propagation",
                    "read_only",
                    "published",
                    "resources",
                    "limits",
                    "path",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["web", "x-a", "bad name"]),
        st.dictionaries(st.sampled_from(sorted(compose.SERVICE_KEYS)), _values, max_size=6),
        max_size=3,
    )
)
def test_arbitrary_services_never_crash(services: dict[str, Any]) -> None:
    import yaml

    text = yaml.safe_dump({"services": services})
    try:
        out = compose.parse(SourceFile("compose.yaml", "compose", text))
    except ParseError:
        return
    for m in out.models:
        assert isinstance(m, (Container, ClientEnv))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    try:
        compose.parse(SourceFile("compose.yaml", "compose", text))
    except ParseError:
        pass


# -- short syntax is interpolated first, then parsed (issue 12, B5) -------------------------


@pytest.mark.parametrize(
    "item, expect",
    [
        # a default that holds more than one field
        (
            '"${DOCKER_SOCK_MOUNT:-/var/run/docker.sock:/var/run/docker.sock:ro}"',
            ("bind", "/var/run/docker.sock", "/var/run/docker.sock", True, None),
        ),
        ('"${DATA:-./data:/var/lib/data}"', ("bind", "./data", "/var/lib/data", False, None)),
        (
            '"${SOCK:-/var/run/docker.sock}:/var/run/docker.sock"',
            ("bind", "/var/run/docker.sock", "/var/run/docker.sock", False, None),
        ),
        # a variable nothing resolves is kept whole, never split
        (
            '"${WATCHTOWER_DOCKER_SOCKET_PATH}:/var/run/docker.sock:ro"',
            ("bind", "${WATCHTOWER_DOCKER_SOCKET_PATH}", "/var/run/docker.sock", True, None),
        ),
        ('"${CFG:?set CFG to a:b}:/cfg"', ("bind", "${CFG:?set CFG to a:b}", "/cfg", False, None)),
    ],
)
def test_short_volume_is_interpolated_before_it_is_split(item: str, expect: tuple[Any, ...]) -> None:
    c = one(f"services:\n  a:\n    volumes:\n      - {item}\n")
    assert mount_tuple(c.volumes[0]) == expect
    assert at(c.volumes[0])[:2] == (4, 9)


def test_parts_of_an_interpolated_item_keep_the_text_that_wrote_them() -> None:
    c = one('services:\n  a:\n    ports:\n      - "${SQL_PORT:-127.0.0.1:13306}:3306"\n')
    p = c.ports[0]
    assert p.host_ip is not None and p.host_port is not None
    assert (p.host_ip.value, p.host_ip.text) == ("${SQL_PORT:-127.0.0.1:13306}", "127.0.0.1")
    assert (p.host_port.value, p.host_port.text) == ("${SQL_PORT:-127.0.0.1:13306}", "13306")
    assert (p.container_port.value, p.container_port.expanded) == ("3306", None)


@pytest.mark.parametrize(
    "item, expect",
    [
        ('"${SQL_PORT:-127.0.0.1:13306}:3306"', ("127.0.0.1", "13306", "3306", "tcp")),
        ('"${PUBLISH:-0.0.0.0:8080:80}"', ("0.0.0.0", "8080", "80", "tcp")),
        ('"${BIND:-[::1]:53}:53/udp"', ("::1", "53", "53", "udp")),
        ('"${HOST_PORT}:${CONTAINER_PORT}/udp"', (None, "${HOST_PORT}", "${CONTAINER_PORT}", "udp")),
    ],
)
def test_short_port_is_interpolated_before_it_is_split(item: str, expect: tuple[Any, ...]) -> None:
    c = one(f"services:\n  a:\n    ports:\n      - {item}\n")
    assert port_tuple(c.ports[0]) == expect


def test_dotenv_values_are_split_like_defaults() -> None:
    from dockerlint.parsers.compose import _ComposeParser
    from dockerlint.parsers.yaml_nodes import load

    text = 'services:\n  a:\n    ports:\n      - "${PUB}:80"\n    volumes:\n      - "${MNT}"\n'
    out = _ComposeParser("compose.yaml", {"PUB": "127.0.0.1:8080", "MNT": "/etc:/host/etc:ro"}).run(
        load(text, "compose.yaml")
    )
    c = out.models[0]
    assert port_tuple(c.ports[0]) == ("127.0.0.1", "8080", "80", "tcp")
    assert mount_tuple(c.volumes[0]) == ("bind", "/etc", "/host/etc", True, None)
    assert c.volumes[0].source is not None and c.volumes[0].source.value == "${MNT}"


def test_string_command_is_interpolated_before_it_is_split() -> None:
    out = parse("services:\n  a:\n    command: ${ARGS:---providers.docker --api.insecure=true} --log\n")
    assert not out.problems, [p.message for p in out.problems]  # not an unclosed ${ after a split
    c = out.models[0]
    assert [w.text for w in c.command] == ["--providers.docker", "--api.insecure=true", "--log"]
    assert c.command[0].value == "${ARGS:---providers.docker --api.insecure=true}"
    assert (c.command[2].value, c.command[2].expanded) == ("--log", None)
    quoted = one('services:\n  a:\n    command: sh -c "echo ${MSG:-hi there}"\n')
    assert [(w.value, w.text) for w in quoted.command] == [
        ("sh", "sh"),
        ("-c", "-c"),
        ("echo ${MSG:-hi there}", "echo hi there"),
    ]


def test_environment_item_is_interpolated_before_it_is_split() -> None:
    c = one("services:\n  a:\n    environment:\n      - ${KEY:-DOCKER_HOST}=tcp://d:2375\n      - A=${B:-c=d}\n")
    assert [(v.name.value, v.value.text if v.value else None) for v in c.environment] == [
        ("DOCKER_HOST", "tcp://d:2375"),
        ("A", "c=d"),
    ]


_pieces_text = st.text(st.sampled_from(list("ab:/$${}-?+")), max_size=24)


@settings(max_examples=2000, deadline=None)
@given(
    _pieces_text,
    st.dictionaries(st.sampled_from(["a", "b"]), st.text(st.sampled_from(list("x:$")), max_size=3), max_size=2),
)
def test_interpolating_pieces_is_interpolating_the_whole(text: str, env: dict[str, str]) -> None:
    from dockerlint.parsers.compose import Interpolated, interpolate

    try:
        whole = interpolate(text, env)
    except InvalidTemplate:
        with pytest.raises(InvalidTemplate):
            Interpolated(text, env)
        return
    iv = Interpolated(text, env)
    assert iv.expanded == whole
    for a, b in iv.split(":"):
        wa, wb = iv.written_range(a, b)
        assert 0 <= wa <= wb <= len(text)
        if iv.literal(a, b):
            assert text[wa:wb] == whole[a:b]


def test_init_is_read_with_its_key() -> None:
    c = one("services:\n  a:\n    image: x:1\n    init: true\n")
    assert c.init is not None and c.init.value is True and at(c.init) == (4, 5, 4, 9)
    assert one("services:\n  a:\n    image: x:1\n").init is None
