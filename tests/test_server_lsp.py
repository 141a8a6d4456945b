"""``dockerlint server`` end to end: a real LSP client (pytest-lsp's) drives the server in a
subprocess over stdio, as an editor does. The client's settings mirror the README's editor
configurations (command ``dockerlint server``, the workspace folder as root).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import textwrap
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, Union

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")  # the test extra installs it: CI runs these
from lsprotocol import types as t  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

TIMEOUT = 10.0
DEBOUNCE_MS = 10


def _caps(encodings: Sequence[str] | None = None, show_document: bool = True) -> t.ClientCapabilities:
    return t.ClientCapabilities(
        general=t.GeneralClientCapabilities(position_encodings=list(encodings)) if encodings else None,
        window=t.WindowClientCapabilities(show_document=t.ShowDocumentClientCapabilities(support=show_document)),
        workspace=t.WorkspaceClientCapabilities(
            did_change_watched_files=t.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
        ),
        text_document=t.TextDocumentClientCapabilities(
            publish_diagnostics=t.PublishDiagnosticsClientCapabilities(version_support=True)
        ),
    )


class Session:
    def __init__(self, client: Any, root: Path, init: t.InitializeResult) -> None:
        self.client = client
        self.root = root
        self.init = init
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.publishes: list[str] = []
        self.registrations: list[t.RegistrationParams] = []
        original = client.protocol.fm.features.get(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        def counted(params: t.PublishDiagnosticsParams) -> None:
            self.publishes.append(params.uri)
            client.diagnostics[params.uri] = params.diagnostics

        assert original is not None
        client.protocol.fm.features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = counted

    def uri(self, name: str) -> str:
        return str(from_fs_path(str(self.root / name)))

    def open(self, name: str, text: str | None = None, language: str = "dockerfile") -> str:
        uri = self.uri(name)
        text = (self.root / name).read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                text_document=t.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
            )
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def apply(self, edit: t.WorkspaceEdit) -> None:
        """Apply a workspace edit as an editor does, and tell the server (didChange)."""
        assert edit.document_changes
        for change in edit.document_changes:
            assert isinstance(change, t.TextDocumentEdit)
            uri = change.text_document.uri
            text = apply_edits(self.texts[uri], [e for e in change.edits if isinstance(e, t.TextEdit)])
            self.change(uri, text)

    async def diagnostics(self, uri: str, until: Callable[[list[t.Diagnostic]], bool]) -> list[t.Diagnostic]:
        async def wait() -> list[t.Diagnostic]:
            while True:
                got = self.client.diagnostics.get(uri)
                if got is not None and until(list(got)):
                    return list(got)
                await asyncio.sleep(0.01)

        return await asyncio.wait_for(wait(), TIMEOUT)


def apply_edits(text: str, edits: Sequence[t.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to ``text``, last first."""
    lines = text.split("\n")

    def offset(pos: t.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for k, ch in enumerate(line):
            if units >= pos.character:
                return before + k
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(line)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
        lines = text.split("\n")
    return text


@contextlib.asynccontextmanager
async def session(
    root: Path,
    encodings: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
    show_document: bool = True,
    debounce_ms: int = DEBOUNCE_MS,
) -> AsyncIterator[Session]:
    client = pytest_lsp.make_test_lsp_client()
    registrations: list[t.RegistrationParams] = []
    converter = client.protocol._converter

    # lsprotocol reads any code action with a "command" key as a bare Command, even when
    # that key holds a Command object (a CodeAction that edits, then runs a command).
    def action(obj: Any, _: type) -> t.Command | t.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, t.Command)
        return converter.structure(obj, t.CodeAction)

    converter.register_structure_hook(t.Command | t.CodeAction, action)
    converter.register_structure_hook(Union[t.Command, t.CodeAction], action)  # noqa: UP007 -- the key lsprotocol uses

    @client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(params: t.RegistrationParams) -> None:
        registrations.append(params)

    await client.start_io(
        sys.executable,
        "-m",
        "dockerlint",
        "server",
        "--debounce-ms",
        str(debounce_ms),
        env={**os.environ, **(env or {})},
    )
    try:
        init = await asyncio.wait_for(
            client.initialize_session(
                t.InitializeParams(
                    capabilities=_caps(encodings, show_document),
                    root_uri=str(from_fs_path(str(root))),
                    workspace_folders=[t.WorkspaceFolder(uri=str(from_fs_path(str(root))), name="ws")],
                )
            ),
            TIMEOUT,
        )
        s = Session(client, root, init)
        s.registrations = registrations
        yield s
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
        assert client._server.returncode == 0  # shutdown, then exit: a clean exit
    finally:
        server = client._server
        if server is not None and server.returncode is None:
            server.kill()  # a failed test must not leave the server behind
        await client.stop()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def codes(diags: Sequence[t.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diags)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


DOCKERFILE = "FROM alpine:3.19\nUSER root\nRUN echo hi\n"


def test_open_change_diagnostics_and_shutdown(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": DOCKERFILE})

    async def main() -> None:
        async with session(tmp_path) as s:
            caps = s.init.capabilities
            assert caps.position_encoding in (t.PositionEncodingKind.Utf16, "utf-16")
            assert caps.code_action_provider and caps.hover_provider
            uri = s.open("Dockerfile")
            diags = await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            d = next(d for d in diags if d.code == "DF101")
            r = d.range
            assert (r.start.line, r.start.character, r.end.line, r.end.character) == (1, 5, 1, 9)
            assert d.severity == t.DiagnosticSeverity.Error  # high
            assert d.source == "dockerlint"
            assert d.code_description is not None
            assert d.code_description.href.endswith("/rules/DF101.md")
            assert d.data["rule"] == "DF101"
            # An edit that removes the finding: the diagnostics follow the buffer, not the disk.
            s.change(uri, "FROM alpine:3.19\nUSER app\nRUN echo hi\n")
            await s.diagnostics(uri, lambda d: "DF101" not in codes(d))
            assert (tmp_path / "Dockerfile").read_text(encoding="utf-8") == DOCKERFILE

    run(main())


@pytest.mark.parametrize(("encodings", "extra"), [(None, 1), (["utf-16"], 1), (["utf-32"], 0), (["utf-8"], 3)])
def test_positions_use_the_negotiated_encoding(tmp_path: Path, encodings: list[str] | None, extra: int) -> None:
    # "😀" is one code point, two UTF-16 units, four UTF-8 bytes: the finding after it moves.
    text = 'FROM alpine:3.19\nRUN echo "😀" && curl -s http://x | sh\nUSER app\n'
    write(tmp_path, {"Dockerfile": text})

    async def main() -> None:
        async with session(tmp_path, encodings) as s:
            if encodings:
                assert s.init.capabilities.position_encoding == encodings[0]
            uri = s.open("Dockerfile")
            diags = await s.diagnostics(uri, lambda d: "DF104" in codes(d))
            d = next(d for d in diags if d.code == "DF104")
            line = text.split("\n")[1]
            start = line.index("| sh") + 2  # code points
            assert line[start : start + 2] == "sh"
            assert (d.range.start.line, d.range.start.character) == (1, start + extra)
            assert d.range.end.character - d.range.start.character == 2

    run(main())


COMPOSE = """\
services:
  web:
    image: nginx:1.27
    user: "1000:1000"
    read_only: true
    cap_drop: [ALL]
"""


def test_quick_fix_is_applied_and_relinted(tmp_path: Path) -> None:
    write(tmp_path, {"compose.yaml": COMPOSE})

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open("compose.yaml", language="yaml")
            diags = await s.diagnostics(uri, lambda d: "DC113" in codes(d))
            d = next(d for d in diags if d.code == "DC113")
            assert d.data["fix"]["edits"]
            actions = await s.client.text_document_code_action_async(
                t.CodeActionParams(
                    text_document=t.TextDocumentIdentifier(uri=uri),
                    range=d.range,
                    context=t.CodeActionContext(diagnostics=[d]),
                )
            )
            fix = next(a for a in actions if a.title.startswith("Fix DC113"))
            assert fix.kind == t.CodeActionKind.QuickFix and fix.is_preferred
            s.apply(fix.edit)
            after = await s.diagnostics(uri, lambda d: "DC113" not in codes(d))
            assert "no-new-privileges:true" in s.texts[uri]
            assert codes(after) == sorted(c for c in codes(diags) if c != "DC113")

    run(main())


def test_suppress_with_a_reason_goes_where_the_readme_says(tmp_path: Path) -> None:
    text = "FROM alpine:3.19\nRUN apk add curl \\\n    && echo ok\nUSER root\n"
    write(tmp_path, {"Dockerfile": text})

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open("Dockerfile")
            diags = await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            d = next(d for d in diags if d.code == "DF101")
            actions = await s.client.text_document_code_action_async(
                t.CodeActionParams(
                    text_document=t.TextDocumentIdentifier(uri=uri),
                    range=d.range,
                    context=t.CodeActionContext(diagnostics=[d]),
                )
            )
            titles = [a.title for a in actions]
            assert any(a.startswith("Show documentation for DF101") for a in titles)
            sup = next(a for a in actions if a.title == "Suppress DF101 here (with a reason)")
            s.apply(sup.edit)
            assert s.texts[uri].split("\n")[3] == "# dockerlint: ignore[DF101] "
            # The cursor goes where the reason is written.
            assert sup.command is not None
            await s.client.workspace_execute_command_async(
                t.ExecuteCommandParams(command=sup.command.command, arguments=sup.command.arguments)
            )
            shown = s.client.shown_documents[-1]
            assert shown.uri == uri and shown.selection is not None
            assert (shown.selection.start.line, shown.selection.start.character) == (3, 28)
            # No reason yet: not applied, and said so (DL003); with one, the finding is gone.
            await s.diagnostics(uri, lambda d: "DL003" in codes(d) and "DF101" in codes(d))
            lines = s.texts[uri].split("\n")
            lines[3] += "entrypoint drops privileges (SEC-1)"
            s.change(uri, "\n".join(lines))
            await s.diagnostics(uri, lambda d: "DF101" not in codes(d) and "DL003" not in codes(d))

    run(main())


def test_suppress_in_a_yaml_block_string_uses_ignore_file(tmp_path: Path) -> None:
    # A `run:` script is a YAML string: a `#` in it is no comment. The line's own comment
    # would not suppress, so the server offers the file-wide one, which does.
    workflow = textwrap.dedent("""\
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  docker run --privileged alpine:3.19 true
        """)
    write(tmp_path, {".github/workflows/ci.yml": workflow})

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open(".github/workflows/ci.yml", language="yaml")
            diags = await s.diagnostics(uri, lambda d: "DC102" in codes(d))
            d = next(d for d in diags if d.code == "DC102")
            actions = await s.client.text_document_code_action_async(
                t.CodeActionParams(
                    text_document=t.TextDocumentIdentifier(uri=uri),
                    range=d.range,
                    context=t.CodeActionContext(diagnostics=[d]),
                )
            )
            sups = [a for a in actions if a.title.startswith("Suppress DC102")]
            assert [a.title for a in sups] == ["Suppress DC102 in this file (with a reason)"]

    run(main())


@pytest.mark.parametrize("config", [None, 'select = ["ALL"]\n'])
def test_json_gets_a_per_file_ignores_entry_in_the_configuration(tmp_path: Path, config: str | None) -> None:
    # daemon.json cannot hold comments: the rule is turned off for it in the configuration.
    write(tmp_path, {"etc/docker/daemon.json": '{"hosts": ["tcp://0.0.0.0:2375"]}\n'})
    if config is not None:
        write(tmp_path, {".dockerlint.toml": config})

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open("etc/docker/daemon.json", language="json")
            diags = await s.diagnostics(uri, lambda d: len(d) > 0)
            d = diags[0]
            actions = await s.client.text_document_code_action_async(
                t.CodeActionParams(
                    text_document=t.TextDocumentIdentifier(uri=uri),
                    range=d.range,
                    context=t.CodeActionContext(diagnostics=[d]),
                )
            )
            assert not [a for a in actions if a.title.startswith("Suppress")]
            ignore = next(a for a in actions if a.title.startswith(f"Ignore {d.code} for this file"))
            cfg = tmp_path / ".dockerlint.toml"
            changes = ignore.edit.document_changes
            assert isinstance(changes[0], t.CreateFile) == (config is None)
            edit = changes[-1]
            assert edit.text_document.uri == s.uri(".dockerlint.toml")
            text = apply_edits(config or "", edit.edits)
            assert f'"etc/docker/daemon.json" = ["{d.code}"]  # ' in text
            # The editor writes the reason and saves; the server reads the configuration again.
            cfg.write_text(text.replace("  # \n", "  # the socket is firewalled (NET-9)\n"), encoding="utf-8")
            s.client.workspace_did_change_watched_files(
                t.DidChangeWatchedFilesParams(
                    changes=[t.FileEvent(uri=s.uri(".dockerlint.toml"), type=t.FileChangeType.Changed)]
                )
            )
            await s.diagnostics(uri, lambda now: d.code not in codes(now))

    run(main())


def test_hover_shows_the_rule_page(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": DOCKERFILE})

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open("Dockerfile")
            await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            hover = await s.client.text_document_hover_async(
                t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=1, character=6))
            )
            assert hover is not None
            assert isinstance(hover.contents, t.MarkupContent)
            page = (Path(__file__).resolve().parents[1] / "rules" / "DF101.md").read_text(encoding="utf-8")
            assert hover.contents.value == page.strip()
            assert hover.range is not None and hover.range.start.line == 1
            nothing = await s.client.text_document_hover_async(
                t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=2, character=1))
            )
            assert nothing is None

    run(main())


def test_configuration_change_is_reloaded(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": DOCKERFILE})

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open("Dockerfile")
            await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            (tmp_path / ".dockerlint.toml").write_text('ignore = ["DF101"]\n', encoding="utf-8")
            s.client.workspace_did_change_watched_files(
                t.DidChangeWatchedFilesParams(
                    changes=[t.FileEvent(uri=s.uri(".dockerlint.toml"), type=t.FileChangeType.Created)]
                )
            )
            await s.diagnostics(uri, lambda d: "DF101" not in codes(d))

    run(main())


def test_dockerfile_edit_rejudges_the_compose_service_that_builds_it(tmp_path: Path) -> None:
    write(
        tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": "services:\n  web:\n    build: .\n    read_only: true\n"}
    )

    async def main() -> None:
        async with session(tmp_path) as s:
            compose = s.open("compose.yaml", language="yaml")
            await s.diagnostics(compose, lambda d: "DC122" in codes(d))
            docker = s.open("Dockerfile")
            await s.diagnostics(docker, lambda d: "DF101" in codes(d))
            s.publishes.clear()
            s.change(docker, "FROM alpine:3.19\nUSER app\nRUN echo hi\n")
            await s.diagnostics(compose, lambda d: "DC122" not in codes(d))
            await s.diagnostics(docker, lambda d: "DF101" not in codes(d))
            # An edit that changes no finding publishes nothing.
            await asyncio.sleep(0.3)
            s.publishes.clear()
            s.change(docker, "FROM alpine:3.19\nUSER app\nRUN echo hello\n")
            await asyncio.sleep(0.5)
            assert s.publishes == []

    run(main())


def test_daemon_json_edit_rejudges_the_socket_unit_beside_it(tmp_path: Path) -> None:
    unit = "[Socket]\nListenStream=0.0.0.0:2376\n\n[Install]\nWantedBy=sockets.target\n"
    tls = (
        '{"tls": true, "tlsverify": true, "tlscacert": "/etc/docker/ca.pem", '
        '"tlscert": "/etc/docker/cert.pem", "tlskey": "/etc/docker/key.pem"}\n'
    )
    write(tmp_path, {"etc/docker/daemon.json": "{}\n", "etc/systemd/system/docker.socket": unit})

    async def main() -> None:
        async with session(tmp_path) as s:
            sock = s.open("etc/systemd/system/docker.socket", language="systemd")
            before = await s.diagnostics(sock, lambda d: len(d) > 0)
            daemon = s.open("etc/docker/daemon.json", text="{}\n", language="json")
            s.change(daemon, tls)
            after = await s.diagnostics(sock, lambda d: codes(d) != codes(before))
            assert codes(after) != codes(before)

    run(main())


def test_malformed_file_gives_the_parse_error_and_the_server_serves_on(tmp_path: Path) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  web: [unclosed\n", "Dockerfile": DOCKERFILE})

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open("compose.yaml", language="yaml")
            diags = await s.diagnostics(uri, lambda d: len(d) > 0)
            assert codes(diags) == ["DC000"]
            assert diags[0].severity == t.DiagnosticSeverity.Error
            other = s.open("Dockerfile")
            await s.diagnostics(other, lambda d: "DF101" in codes(d))

    run(main())


PLUGIN = """
from dockerlint.api import Hit, Severity, rule
from dockerlint.models.image import ImageBuild

@rule(id="BOOM001", name="boom", reads=ImageBuild, severity=Severity.LOW, summary="Crashes")
def boom(build, ctx):
    raise RuntimeError("kaboom")
    yield
"""


def test_a_crashing_rule_is_reported_once_and_the_server_serves_on(tmp_path: Path) -> None:
    plugins, tree = tmp_path / "plugins", tmp_path / "tree"
    write(
        plugins,
        {
            "dlboom.py": PLUGIN,
            "dlboom-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: dlboom\nVersion: 1.0\n",
            "dlboom-1.0.dist-info/entry_points.txt": "[dockerlint.rules]\nboom = dlboom:boom\n",
        },
    )
    write(tree, {"Dockerfile": DOCKERFILE})

    async def main() -> None:
        async with session(tree, env={"PYTHONPATH": str(plugins)}) as s:
            uri = s.open("Dockerfile")
            await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            s.change(uri, "FROM alpine:3.19\nUSER app\n")
            await s.diagnostics(uri, lambda d: "DF101" not in codes(d))
            s.change(uri, "FROM alpine:3.19\nUSER root\n")
            await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            shown = [m for m in s.client.messages if "BOOM001" in m.message]
            assert len(shown) == 1
            assert shown[0].type == t.MessageType.Error and "kaboom" in shown[0].message
            assert any("BOOM001" in m.message for m in s.client.log_messages)

    run(main())


def test_files_outside_the_workspace_are_not_read_through_links(tmp_path: Path) -> None:
    outside, root = tmp_path / "outside", tmp_path / "ws"
    write(outside, {"Dockerfile": DOCKERFILE})
    root.mkdir()
    (root / "sub").symlink_to(outside, target_is_directory=True)

    async def main() -> None:
        async with session(root) as s:
            uri = s.open("sub/Dockerfile")
            inside = s.open("Dockerfile", text=DOCKERFILE)
            await s.diagnostics(inside, lambda d: "DF101" in codes(d))
            assert not s.client.diagnostics.get(uri)

    run(main())


def test_changes_within_the_debounce_are_linted_once(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": DOCKERFILE})

    async def main() -> None:
        async with session(tmp_path, debounce_ms=400) as s:
            uri = s.open("Dockerfile")
            await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            s.publishes.clear()
            for user in ("app", "root", "nobody", "app"):  # typed quickly: one lint, of the last text
                s.change(uri, f"FROM alpine:3.19\nUSER {user}\nRUN echo hi\n")
            await s.diagnostics(uri, lambda d: "DF101" not in codes(d))
            await asyncio.sleep(0.6)
            assert s.publishes == [uri]

    run(main())


def test_the_command_line() -> None:
    import subprocess

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dockerlint", "server", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    shown = cli("--help")
    assert shown.returncode == 0 and "--debounce-ms" in shown.stdout
    refused = cli("--debounce-ms", "-1")
    assert refused.returncode == 2 and "negative" in refused.stderr


def test_a_bad_configuration_is_said_once_and_linting_goes_on(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"Dockerfile": DOCKERFILE, "sub/Dockerfile": DOCKERFILE, "sub/.dockerlint.toml": 'select = ["DF101"\n'},
    )

    async def main() -> None:
        async with session(tmp_path) as s:
            uri = s.open("sub/Dockerfile")
            await s.diagnostics(uri, lambda d: "DF101" in codes(d))
            other = s.open("Dockerfile")
            await s.diagnostics(other, lambda d: "DF101" in codes(d))
            said = [m for m in s.client.messages if "configuration" in m.message]
            assert len(said) == 1 and ".dockerlint.toml" in said[0].message

    run(main())


SIBLING = {
    "app/Dockerfile": DOCKERFILE,
    "deploy/compose.yaml": "services:\n  web:\n    build: ../app\n    read_only: true\n",
    "other/Dockerfile": DOCKERFILE,
    "other/compose.yaml": "services:\n  api:\n    build: .\n    read_only: true\n",
}


def test_dockerfile_edit_rejudges_a_compose_file_that_builds_it_from_a_sibling_folder(tmp_path: Path) -> None:
    write(tmp_path, SIBLING)

    async def main() -> None:
        async with session(tmp_path) as s:
            compose = s.open("deploy/compose.yaml", language="yaml")
            await s.diagnostics(compose, lambda d: "DC122" in codes(d))
            docker = s.open("app/Dockerfile")
            diags = await s.diagnostics(docker, lambda d: "DF101" in codes(d))
            # Judged with the Compose file that builds it, as `dockerlint .` judges it.
            df101 = next(d for d in diags if d.code == "DF101")
            assert "used by service 'web' (deploy/compose.yaml)" in df101.message
            s.change(docker, "FROM alpine:3.19\nUSER app\nRUN echo hi\n")
            await s.diagnostics(compose, lambda d: "DC122" not in codes(d))
            s.change(docker, DOCKERFILE)
            await s.diagnostics(compose, lambda d: "DC122" in codes(d))

    run(main())


def test_only_the_documents_whose_findings_changed_are_published(tmp_path: Path) -> None:
    # deploy/compose.yaml is not open: its DC122 goes when the Dockerfile it builds (in a
    # sibling folder) stops running as root, so its diagnostics are published; the other
    # documents, open or not, keep their findings and get nothing.
    write(tmp_path, SIBLING)

    async def main() -> None:
        async with session(tmp_path) as s:
            other = s.open("other/Dockerfile")
            docker = s.open("app/Dockerfile")
            await s.diagnostics(docker, lambda d: "DF101" in codes(d))
            await s.diagnostics(other, lambda d: "DF101" in codes(d))
            await asyncio.sleep(0.3)
            assert s.publishes == [other, docker]  # opening publishes for the opened only
            s.publishes.clear()
            s.change(docker, "FROM alpine:3.19\nUSER app\nRUN echo hi\n")
            compose = s.uri("deploy/compose.yaml")
            after = await s.diagnostics(compose, lambda d: True)
            assert "DC122" not in codes(after) and "DC113" in codes(after)
            await s.diagnostics(docker, lambda d: "DF101" not in codes(d))
            await asyncio.sleep(0.3)
            assert sorted(s.publishes) == sorted([docker, compose])
            # An edit that changes no finding anywhere publishes nothing.
            s.publishes.clear()
            s.change(docker, "FROM alpine:3.19\nUSER app\nRUN echo hello\n")
            await asyncio.sleep(0.5)
            assert s.publishes == []
            # Back to root: the Compose file's DC122 comes back, published again.
            s.change(docker, DOCKERFILE)
            await s.diagnostics(compose, lambda d: "DC122" in codes(d))
            await asyncio.sleep(0.3)
            assert sorted(s.publishes) == sorted([docker, compose])

    run(main())


def test_daemon_json_edit_rejudges_the_unit_beside_it_when_it_is_not_open(tmp_path: Path) -> None:
    unit = "[Socket]\nListenStream=0.0.0.0:2376\n\n[Install]\nWantedBy=sockets.target\n"
    tls = (
        '{"tls": true, "tlsverify": true, "tlscacert": "/etc/docker/ca.pem", '
        '"tlscert": "/etc/docker/cert.pem", "tlskey": "/etc/docker/key.pem"}\n'
    )
    write(tmp_path, {"etc/docker/daemon.json": "{}\n", "etc/systemd/system/docker.socket": unit})

    async def main() -> None:
        async with session(tmp_path) as s:
            daemon = s.open("etc/docker/daemon.json", text="{}\n", language="json")
            await asyncio.sleep(0.3)
            sock = s.uri("etc/systemd/system/docker.socket")
            assert sock not in s.publishes
            s.change(daemon, tls)
            after = await s.diagnostics(sock, lambda d: True)
            # Without TLS the socket's TCP listener is the finding; with TLS it is not.
            s.change(daemon, "{}\n")
            before = await s.diagnostics(sock, lambda d: codes(d) != codes(after))
            assert codes(before) != codes(after)

    run(main())


def test_compose_edit_rejudges_the_dockerfile_it_builds_when_it_is_not_open(tmp_path: Path) -> None:
    write(tmp_path, SIBLING)

    async def main() -> None:
        async with session(tmp_path) as s:
            compose = s.open("deploy/compose.yaml", language="yaml")
            await s.diagnostics(compose, lambda d: "DC122" in codes(d))
            await asyncio.sleep(0.3)
            s.publishes.clear()
            s.change(compose, SIBLING["deploy/compose.yaml"].replace("web:", "front:"))
            docker = s.uri("app/Dockerfile")
            diags = await s.diagnostics(docker, lambda d: "DF101" in codes(d))
            df101 = next(d for d in diags if d.code == "DF101")
            assert "used by service 'front' (deploy/compose.yaml)" in df101.message
            await asyncio.sleep(0.3)
            assert sorted(s.publishes) == sorted([compose, docker])  # not other/Dockerfile

    run(main())


def test_closing_an_unsaved_dockerfile_rejudges_the_compose_file_with_the_disk(tmp_path: Path) -> None:
    write(tmp_path, SIBLING)

    async def main() -> None:
        async with session(tmp_path) as s:
            docker = s.open("app/Dockerfile")
            await s.diagnostics(docker, lambda d: "DF101" in codes(d))
            s.change(docker, "FROM alpine:3.19\nUSER app\nRUN echo hi\n")
            compose = s.uri("deploy/compose.yaml")
            await s.diagnostics(compose, lambda d: "DC113" in codes(d) and "DC122" not in codes(d))
            # Closed without saving: the file on disk (USER root) counts again.
            s.client.text_document_did_close(
                t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=docker))
            )
            await s.diagnostics(compose, lambda d: "DC122" in codes(d))

    run(main())
