"""The protocol side of ``dockerlint server`` (pygls): documents in, diagnostics out.

Linting itself is :mod:`dockerlint.server.workspace`'s; this module turns its findings into
LSP diagnostics (positions in the negotiated encoding), quick fixes, suppressions, hovers
and rule pages, and decides when to lint: at once on open and save, after a quiet
``debounce`` on changes, again for every open document an edit may concern (a Compose
file and the Dockerfiles it builds, a daemon.json and the units of its host), and for
every open document when the configuration or the files on disk change. A document's
diagnostics are published only when they changed.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Sequence
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from dockerlint import __version__
from dockerlint.server.positions import UTF16, split_lines, to_client, to_engine
from dockerlint.server.workspace import ConfigIgnore, Item, Outcome, PluginError, Suppression, Workspace, applied

log = logging.getLogger("dockerlint.server")

SHOW_RULE = "dockerlint.showRuleDocumentation"
PLACE_CURSOR = "dockerlint.placeCursor"
SEVERITY = {
    "critical": t.DiagnosticSeverity.Error,
    "high": t.DiagnosticSeverity.Error,
    "error": t.DiagnosticSeverity.Error,
    "medium": t.DiagnosticSeverity.Warning,
    "low": t.DiagnosticSeverity.Information,
    "info": t.DiagnosticSeverity.Hint,
}


class _Shown:
    """What was last linted for one document: its findings and the text they are of."""

    def __init__(self, version: int | None, text: str, items: list[Item]) -> None:
        self.version = version
        self.text = text
        self.lines = split_lines(text)
        self.items = items


class DockerlintServer(LanguageServer):
    def __init__(self, debounce: float) -> None:
        super().__init__("dockerlint", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental)
        self.debounce = debounce
        self.ws: Workspace | None = None
        self.shown: dict[str, _Shown] = {}
        self.published: dict[str, list[Any]] = {}  # uri -> the diagnostics sent, as plain data
        # Files that are not open: the diagnostics they had when an edit elsewhere first
        # concerned them (not sent: only a change is published).
        self.known: dict[str, list[Any]] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.reported: set[str] = set()  # internal errors already shown to the user
        self.logged: set[str] = set()

    # -- workspace -----------------------------------------------------------------

    def workspace_root(self) -> str | None:
        ws = self.workspace
        folders = list(ws.folders.values())
        uri = folders[0].uri if folders else ws.root_uri
        return to_fs_path(uri) if uri else None

    def linter(self, path: str | None = None) -> Workspace | None:
        """The workspace, made on first use: the client's first workspace folder, or (a
        client that opened a file without one) the folder of the first document."""
        if self.ws is None:
            root = self.workspace_root() or (os.path.dirname(path) if path else None)
            if root is None or not os.path.isdir(root):
                return None
            os.chdir(root)  # display paths, configuration globs: as `dockerlint .` run from the root
            try:
                self.ws = Workspace(root)
            except PluginError as exc:  # as the CLI: a broken plugin stops everything, said once
                self.report(Outcome(errors=[str(exc)]))
                return None
        return self.ws

    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding
        return str(enc.value if isinstance(enc, t.PositionEncodingKind) else enc or UTF16)

    def buffers(self) -> dict[str, str]:
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path:
                out[os.path.abspath(path)] = doc.source
        return out

    # -- linting -------------------------------------------------------------------

    def schedule(self, uri: str) -> None:
        """Lint ``uri`` once no change came for ``debounce`` seconds."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(self.debounce, self.lint_now, uri)

    def lint_now(self, uri: str, related: bool = True) -> None:
        """Lint ``uri`` and (``related``) every document an edit of it may concern."""
        self.pending.pop(uri, None)
        path = to_fs_path(uri)
        ws = self.linter(os.path.abspath(path) if path else None)
        if ws is None or not path:
            return
        path = os.path.abspath(path)
        buffers = self.buffers()
        before = self.shown.get(uri)
        self.lint_one(uri, path, buffers)
        if related:
            self.lint_concerned(ws, path, buffers, before.text if before is not None else None)

    def lint_concerned(self, ws: Workspace, path: str, buffers: dict[str, str], before: str | None) -> None:
        """Lint again the documents an edit of ``path`` may concern: the open ones related to
        it, and the workspace files linked to it even when they are not open (the Compose
        file that builds an edited Dockerfile, the units of an edited daemon.json's host).
        ``before``: the text of ``path`` those were last judged against (None: the file on
        disk). A file that is not open gets diagnostics only when its findings change."""
        targets: dict[str, str] = {}
        for other in list(self.workspace.text_documents):
            opath = to_fs_path(other)
            if opath and os.path.abspath(opath) != path and ws.related(path, os.path.abspath(opath), buffers):
                targets[os.path.abspath(opath)] = other
        for linked in ws.linked(path, buffers):
            targets.setdefault(linked, str(from_fs_path(linked)))
        for opath, other in targets.items():
            if opath in buffers:
                self.lint_one(other, opath, buffers)
            else:
                self.lint_closed(ws, other, opath, buffers, path, before)

    def lint_closed(
        self, ws: Workspace, uri: str, path: str, buffers: dict[str, str], edited: str, before: str | None
    ) -> None:
        """Lint a workspace file that is not open (its text on disk); publish its diagnostics
        if they are not those it had before the edit of ``edited``."""
        text = ws.on_disk(path)
        if text is None:
            return
        lines = split_lines(text)
        if uri not in self.published and uri not in self.known:
            earlier = dict(buffers)
            if before is None:
                earlier.pop(edited, None)
            else:
                earlier[edited] = before
            was = ws.lint(path, earlier)
            self.known[uri] = self.plain([self.diagnostic(i, lines) for i in was.items] if was is not None else [])
        outcome = ws.lint(path, buffers)
        if outcome is None:
            return
        self.report(outcome)
        diagnostics = [self.diagnostic(i, lines) for i in outcome.items]
        if uri not in self.published and self.plain(diagnostics) == self.known[uri]:
            return
        self.known.pop(uri, None)
        self.publish(uri, diagnostics)

    def lint_all(self) -> None:
        """Every open document again, and the files not open whose diagnostics were sent."""
        buffers = self.buffers()
        self.known.clear()
        ws = self.ws
        for uri in list(self.published):
            path = to_fs_path(uri)
            if ws is not None and path and uri not in self.workspace.text_documents:
                text = ws.on_disk(os.path.abspath(path))
                outcome = ws.lint(os.path.abspath(path), buffers) if text is not None else None
                lines = split_lines(text or "")
                self.publish(uri, [self.diagnostic(i, lines) for i in outcome.items] if outcome is not None else [])
        for uri in list(self.workspace.text_documents):
            path = to_fs_path(uri)
            if path:
                self.lint_one(uri, os.path.abspath(path), buffers)

    def lint_one(self, uri: str, path: str, buffers: dict[str, str]) -> None:
        ws = self.linter()
        if ws is None or path not in buffers:
            return
        outcome = ws.lint(path, buffers)
        if outcome is None:
            self.shown.pop(uri, None)
            self.publish(uri, [])
            return
        doc = self.workspace.get_text_document(uri)
        self.shown[uri] = _Shown(doc.version, buffers[path], outcome.items)
        self.report(outcome)
        self.publish(uri, [self.diagnostic(i, self.shown[uri].lines) for i in outcome.items], doc.version)

    def report(self, outcome: Outcome) -> None:
        """Internal errors (a rule that crashed, a bad configuration): logged, and shown to
        the user once each (by rule, not by file: one bad rule is one message)."""
        for msg in outcome.errors:
            if msg not in self.logged:
                self.logged.add(msg)
                log.error("%s", msg)
                self.window_log_message(t.LogMessageParams(type=t.MessageType.Error, message=msg))
            key = msg.split(" crashed on ", 1)[0] if msg.startswith("rule ") else msg
            if key not in self.reported:
                self.reported.add(key)
                self.window_show_message(
                    t.ShowMessageParams(
                        type=t.MessageType.Error,
                        message=f"dockerlint: {msg} (the other rules still run; see the server log)",
                    )
                )

    def plain(self, diagnostics: list[t.Diagnostic]) -> list[Any]:
        return [self.protocol._converter.unstructure(d) for d in diagnostics]

    def publish(self, uri: str, diagnostics: list[t.Diagnostic], version: int | None = None) -> None:
        plain = self.plain(diagnostics)
        if self.published.get(uri) == plain:
            return
        self.published[uri] = plain
        self.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    # -- conversions ---------------------------------------------------------------

    def range_of(self, lines: list[str], line: int, col: int, end_line: int, end_col: int) -> t.Range:
        sl, sc = to_client(lines, line, col, self.encoding)
        el, ec = to_client(lines, end_line, end_col, self.encoding)
        if (el, ec) < (sl, sc):
            el, ec = sl, sc
        return t.Range(start=t.Position(line=sl, character=sc), end=t.Position(line=el, character=ec))

    def diagnostic(self, item: Item, lines: list[str]) -> t.Diagnostic:
        ws = self.ws
        url = ws.rule_url(item.rule_id) if ws is not None else None
        data: dict[str, Any] = {"rule": item.rule_id, "name": item.rule_name, "severity": item.severity}
        if item.fix_edits:
            data["fix"] = {
                "title": item.fix_title,
                "edits": [
                    {
                        "range": self.protocol._converter.unstructure(
                            self.range_of(lines, e.line, e.col, e.end_line, e.end_col)
                        ),
                        "newText": e.text,
                    }
                    for e in item.fix_edits
                ],
            }
        return t.Diagnostic(
            range=self.range_of(lines, item.line, item.col, item.end_line, item.end_col),
            severity=SEVERITY.get(item.severity, t.DiagnosticSeverity.Warning),
            code=item.rule_id,
            code_description=t.CodeDescription(href=url) if url else None,
            source="dockerlint",
            message=f"{item.message} [{item.rule_name}]",
            data=data,
        )

    def items_at(self, uri: str, rng: t.Range) -> tuple[_Shown | None, list[Item]]:
        shown = self.shown.get(uri)
        if shown is None:
            return None, []
        start = to_engine(shown.lines, rng.start.line, rng.start.character, self.encoding)
        end = to_engine(shown.lines, rng.end.line, rng.end.character, self.encoding)
        hit = [i for i in shown.items if (i.line, i.col) <= end and start <= (i.end_line, max(i.end_col, i.col + 1))]
        return shown, hit

    async def watch_files(self) -> None:
        """Ask the client to tell us of files changed on disk (configuration, files not open)."""
        try:
            await self.client_register_capability_async(
                t.RegistrationParams(
                    registrations=[
                        t.Registration(
                            id="dockerlint-watch",
                            method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=t.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[t.FileSystemWatcher(glob_pattern="**/*")]
                            ),
                        )
                    ]
                )
            )
        except Exception as exc:  # noqa: BLE001 -- a client that refuses still gets diagnostics
            log.warning("the client did not accept the file watchers: %s", exc)

    def supports_show_document(self) -> bool:
        window = self.client_capabilities.window
        return bool(window is not None and window.show_document is not None and window.show_document.support)


# -- features ------------------------------------------------------------------------


def _code_actions(ls: DockerlintServer, params: t.CodeActionParams) -> list[t.CodeAction]:
    uri = params.text_document.uri
    shown, items = ls.items_at(uri, params.range)
    if shown is None or ls.ws is None:
        return []
    doc = ls.workspace.get_text_document(uri)
    if shown.version is not None and doc.version != shown.version:
        return []  # the text changed since it was linted: its findings come soon
    path = os.path.abspath(to_fs_path(uri) or "")
    buffers = ls.buffers()
    actions: list[t.CodeAction] = []
    for item in items:
        diag = ls.diagnostic(item, shown.lines)
        if item.fix_edits:
            edits = [
                t.TextEdit(range=ls.range_of(shown.lines, e.line, e.col, e.end_line, e.end_col), new_text=e.text)
                for e in item.fix_edits
            ]
            actions.append(
                t.CodeAction(
                    title=f"Fix {item.rule_id}: {item.fix_title}",
                    kind=t.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=True,
                    edit=_edit(uri, doc.version, edits),
                )
            )
        sup = ls.ws.suppression(path, buffers, item)
        if sup is not None:
            actions.append(_suppress_action(ls, uri, doc.version, shown, sup, diag))
        else:
            ignore = ls.ws.config_ignore(path, buffers, item)
            if ignore is not None:
                actions.append(_config_action(ls, ignore, diag))
        actions.append(
            t.CodeAction(
                title=f"Show documentation for {item.rule_id} ({item.rule_name})",
                kind=t.CodeActionKind.Empty,
                diagnostics=[diag],
                command=t.Command(title=f"{item.rule_id} documentation", command=SHOW_RULE, arguments=[item.rule_id]),
            )
        )
    only = params.context.only
    if only:
        actions = [a for a in actions if any(str(a.kind or "").startswith(str(k)) for k in only)]
    return actions


def _edit(uri: str, version: int | None, edits: Sequence[t.TextEdit]) -> t.WorkspaceEdit:
    return t.WorkspaceEdit(
        document_changes=[
            t.TextDocumentEdit(
                text_document=t.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=list(edits)
            )
        ]
    )


def _suppress_action(
    ls: DockerlintServer, uri: str, version: int | None, shown: _Shown, sup: Suppression, diag: t.Diagnostic
) -> t.CodeAction:
    e = sup.edit
    edit = t.TextEdit(range=ls.range_of(shown.lines, e.line, e.col, e.end_line, e.end_col), new_text=e.text)
    command = None
    if ls.supports_show_document():
        # The comment is inserted, then the cursor goes where the reason is written.
        line, col = sup.cursor
        after = split_lines(
            "\n".join(shown.lines[: e.line - 1])
            + ("\n" if e.line > 1 else "")
            + shown.lines[e.line - 1][: e.col - 1]
            + e.text
            + shown.lines[e.line - 1][e.col - 1 :]
            if e.line <= len(shown.lines)
            else e.text
        )
        pos = to_client(after, line, col, ls.encoding)
        command = t.Command(title="write the reason", command=PLACE_CURSOR, arguments=[uri, pos[0], pos[1]])
    return t.CodeAction(
        title=sup.title,
        kind=t.CodeActionKind.QuickFix,
        diagnostics=[diag],
        edit=_edit(uri, version, [edit]),
        command=command,
    )


def _config_action(ls: DockerlintServer, ignore: ConfigIgnore, diag: t.Diagnostic) -> t.CodeAction:
    """The ``per-file-ignores`` entry (JSON files), made in the configuration file."""
    uri = str(from_fs_path(ignore.path))
    lines = split_lines(ignore.text)
    e = ignore.edit
    opened = ls.workspace.text_documents.get(uri)
    changes: list[Any] = (
        [t.CreateFile(uri=uri, options=t.CreateFileOptions(ignore_if_exists=True))] if ignore.create else []
    )
    changes.append(
        t.TextDocumentEdit(
            text_document=t.OptionalVersionedTextDocumentIdentifier(
                uri=uri, version=opened.version if opened else None
            ),
            edits=[t.TextEdit(range=ls.range_of(lines, e.line, e.col, e.end_line, e.end_col), new_text=e.text)],
        )
    )
    command = None
    if ls.supports_show_document():
        after = split_lines(applied(ignore.text, e, ""))
        pos = to_client(after, ignore.cursor[0], ignore.cursor[1], ls.encoding)
        command = t.Command(title="write the reason", command=PLACE_CURSOR, arguments=[uri, pos[0], pos[1]])
    return t.CodeAction(
        title=ignore.title,
        kind=t.CodeActionKind.QuickFix,
        diagnostics=[diag],
        edit=t.WorkspaceEdit(document_changes=changes),
        command=command,
    )


def _hover(ls: DockerlintServer, params: t.HoverParams) -> t.Hover | None:
    pos = params.position
    shown, items = ls.items_at(params.text_document.uri, t.Range(start=pos, end=pos))
    if shown is None or not items or ls.ws is None:
        return None
    pages = []
    for rule_id in dict.fromkeys(i.rule_id for i in items):
        page = ls.ws.rule_page(rule_id)
        if page:
            pages.append(page.strip())
    if not pages:
        return None
    first = items[0]
    return t.Hover(
        contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)),
        range=ls.range_of(shown.lines, first.line, first.col, first.end_line, first.end_col),
    )


def _matters(ws: Workspace, change: t.FileEvent) -> bool:
    """Whether a file changed on disk may change findings: a configuration file, a file
    dockerlint lints, or any file created or deleted (a folder, an env_file...)."""
    if change.type != t.FileChangeType.Changed:
        return True
    path = to_fs_path(change.uri)
    if not path:
        return False
    return (
        ws.is_config_file(path)
        or ws.candidate(os.path.abspath(path)) is not None
        or os.path.basename(path).startswith(".env")
    )


def _same_as_disk(ls: DockerlintServer, path: str | None, text: str) -> bool:
    if not path or ls.ws is None:
        return False
    return ls.ws.on_disk(os.path.abspath(path)) == text


def build(debounce: float) -> DockerlintServer:
    server = DockerlintServer(debounce)

    @server.feature(t.INITIALIZED)
    async def initialized(ls: DockerlintServer, params: t.InitializedParams) -> None:
        ls.linter()
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps is not None else None
        if watched is not None and watched.dynamic_registration:
            await ls.watch_files()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DockerlintServer, params: t.DidOpenTextDocumentParams) -> None:
        # The others are judged against this file already (on disk), unless its buffer differs.
        uri = params.text_document.uri
        path = to_fs_path(uri)
        ls.known.pop(uri, None)  # open, its diagnostics are sent as they are
        ls.lint_now(uri, related=not _same_as_disk(ls, path, params.text_document.text))

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DockerlintServer, params: t.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DockerlintServer, params: t.DidSaveTextDocumentParams) -> None:
        ls.lint_now(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DockerlintServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        handle = ls.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        ls.published.pop(uri, None)
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        path = to_fs_path(uri)
        before = ls.shown.pop(uri, None)
        if path and ls.ws is not None:  # the file on disk now counts for the documents it concerns
            ls.lint_concerned(ls.ws, os.path.abspath(path), ls.buffers(), before.text if before is not None else None)

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: DockerlintServer, params: t.DidChangeWatchedFilesParams) -> None:
        if ls.ws is None or not any(_matters(ls.ws, c) for c in params.changes):
            return
        ls.ws.reload()  # the configuration, and the files on disk, as they are now
        ls.lint_all()

    server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))(
        _code_actions
    )
    server.feature(t.TEXT_DOCUMENT_HOVER)(_hover)

    @server.command(SHOW_RULE)
    async def show_rule(ls: DockerlintServer, *args: Any) -> None:
        rule_id = str(args[0]) if args else ""
        url = ls.ws.rule_url(rule_id) if ls.ws is not None else None
        if url and ls.supports_show_document():
            await ls.window_show_document_async(t.ShowDocumentParams(uri=url, external=True))
            return
        page = ls.ws.rule_page(rule_id) if ls.ws is not None else None
        ls.window_show_message(t.ShowMessageParams(type=t.MessageType.Info, message=page or f"{rule_id}: no such rule"))

    @server.command(PLACE_CURSOR)
    async def place_cursor(ls: DockerlintServer, *args: Any) -> None:
        uri, line, character = str(args[0]), int(args[1]), int(args[2])
        pos = t.Position(line=line, character=character)
        await ls.window_show_document_async(
            t.ShowDocumentParams(uri=uri, take_focus=True, selection=t.Range(start=pos, end=pos))
        )

    return server


# The cyclic garbage collector's first threshold for the server process. A lint allocates
# about 100,000 short-lived objects for a 200-line Dockerfile (its models), nearly none of
# them in cycles; at Python's default (700) the collector runs some 150 times a lint and
# moves the models, alive until the lint ends, through the older generations: half the
# CPU time of a re-lint. The CLI, which exits after one run, keeps the default.
GC_THRESHOLDS = (20_000, 20, 20)


def serve(debounce: float) -> None:
    logging.basicConfig(level=logging.WARNING, format="dockerlint server: %(levelname)s %(message)s")
    gc.set_threshold(*GC_THRESHOLDS)
    build(debounce).start_io()


__all__ = ["DockerlintServer", "build", "from_fs_path", "serve"]
