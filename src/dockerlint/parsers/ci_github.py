"""GitHub Actions workflows (``.github/workflows/*.y(a)ml``): containers and Docker client settings.

* ``run:`` steps whose shell is POSIX (``bash``/``sh``, the default except on Windows
  runners): their ``docker run`` lines become containers (``parsers/cmdline.py``), each word
  located inside the YAML string (block scalars included);
* a job's ``container:`` and ``services:``: ``image``, ``env``, ``ports``, ``volumes`` and
  ``options`` (a ``docker create`` option string: ``--privileged``, ``--cap-add``...) make
  one container each;
* ``env:`` of the workflow, the job and the step, ``export`` in a step's script, and
  ``NAME=value`` lines written to ``$GITHUB_ENV`` (later steps of the job) give the Docker
  client settings of the job (DD104), judged per job;
* a ``docker/build-push-action`` step builds an image, as a ``docker buildx build`` line does
  (:class:`BuiltImage`): its ``tags`` are built here, from its ``file`` (relative to the
  repository; ``{context}/Dockerfile`` by default), which the scan lints whatever its name.

Invalid YAML is DC000 (GitHub refuses the workflow too); a workflow whose shape is not
the expected one is read as far as it goes, silently (GitHub's own validation reports it).
"""

from __future__ import annotations

import os
import re
from typing import Any

from dockerlint.models.base import LStr
from dockerlint.models.container import BuiltImage, Container, EnvVar
from dockerlint.models.shell import Script, Word
from dockerlint.models.source import SourceFile
from dockerlint.parsers import yaml_nodes
from dockerlint.parsers.cmdline import (
    CLIENT_VARS,
    RUN_FLAGS,
    RUN_SHORT,
    Walker,
    apply_flags,
    parse_args,
    port,
    relevant,
    volume,
)
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput
from dockerlint.parsers.script import issues
from dockerlint.parsers.yaml_nodes import YMap, YNode, YScalar, YSeq
from dockerlint.parsers.yaml_text import FileText, env_vars, scalar_val, shell_script

_POSIX = ("bash", "sh")
_BUILD_ACTION = "docker/build-push-action"
# A context BuildKit fetches (a Git or tarball URL) holds the Dockerfile: none of the tree.
_REMOTE_CONTEXT = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|git@|github\.com/)")
_TAG_SEPARATORS = re.compile(r"[^,\n]+")


def parse(src: SourceFile) -> ParseOutput:
    try:
        root = yaml_nodes.load(src.text, src.path)
        out = _Workflow(src, root).run() if isinstance(root, YMap) else ParseOutput()
    except ParseError as exc:
        exc.comments = yaml_nodes.with_comments(src.text)
        raise
    out.comments = yaml_nodes.with_comments(src.text)  # only YAML comments: a script's are inside a string
    return out


def client(env: dict[str, EnvVar]) -> dict[str, EnvVar]:
    return {k: v for k, v in env.items() if k in CLIENT_VARS}


def _text(node: YNode | None) -> str | None:
    return node.value if isinstance(node, YScalar) and not node.is_null else None


def _shell_of(node: YNode | None) -> str | None:
    """``defaults: run: shell:`` of a workflow or job."""
    if isinstance(node, YMap):
        run = node.get("run")
        if isinstance(run, YMap):
            return _text(run.get("shell"))
    return None


def _default_shell(job: YMap, wf_shell: str | None) -> str:
    """The shell of a job's ``run`` steps without their own: the job's or the workflow's
    ``defaults.run.shell``, else the runner's default (``pwsh`` on Windows, ``bash``)."""
    shell = _shell_of(job.get("defaults")) or wf_shell
    if shell:
        return shell
    runs_on = job.get("runs-on")
    labels = [runs_on] if isinstance(runs_on, YScalar) else runs_on.items if isinstance(runs_on, YSeq) else []
    windows = any(isinstance(i, YScalar) and "windows" in i.value.lower() for i in labels)
    return "pwsh" if windows else "bash"


class _Workflow:
    def __init__(self, src: SourceFile, root: YMap) -> None:
        self.src = src
        self.root = root
        self.path = src.path
        self.ft = FileText(src.path, src.text)
        self.walker = Walker(src.path, "github")
        self.scripts: list[Script] = []

    def run(self) -> ParseOutput:
        root = self.root
        wf_env = env_vars(self.ft, root.get("env"))
        wf_shell = _shell_of(root.get("defaults"))
        jobs = root.get("jobs")
        judged = False
        if isinstance(jobs, YMap):
            for e in jobs.entries:
                if isinstance(e.value, YMap):
                    self.job(e.key, e.value, wf_env, wf_shell)
                    judged = True
        if not judged and client(wf_env):
            self.walker.judge_env(client(wf_env), "workflow", next(iter(client(wf_env).values())).span)
        return ParseOutput(models=self.walker.models, problems=issues(self.scripts))

    def job(self, key: YScalar, job: YMap, wf_env: dict[str, EnvVar], wf_shell: str | None) -> None:
        name = key.value
        scope = f"job '{name}'"
        env = {**wf_env, **env_vars(self.ft, job.get("env"))}
        default_shell = _default_shell(job, wf_shell)
        container = job.entry("container")
        services = job.get("services")
        images = (
            [img for s in services.entries if (img := self.image_of(s.value)) is not None]
            if isinstance(services, YMap)
            else []
        )
        if container is not None:
            self.container(container.key, container.value, f"container of job '{name}'", images)
        if isinstance(services, YMap):
            for s in services.entries:
                self.container(s.key, s.value, f"service '{s.key.value}' of job '{name}'", images)
        self.walker.exported = {}
        steps = job.get("steps")
        for step in steps.items if isinstance(steps, YSeq) else []:
            if not isinstance(step, YMap):
                continue
            uses = step.get("uses")
            if isinstance(uses, YScalar) and uses.value.split("@", 1)[0].strip().lower() == _BUILD_ACTION:
                self.build_step(uses, step.get("with"))
                continue
            run = step.get("run")
            if not isinstance(run, YScalar) or run.is_null or not relevant(run.value):
                continue
            step_shell = _text(step.get("shell")) or default_shell
            if step_shell.split()[0].rsplit("/", 1)[-1] not in _POSIX:
                continue  # pwsh, python, cmd...: not shell
            step_env = client({**env, **self.walker.exported, **env_vars(self.ft, step.get("env"))})
            script = shell_script(self.ft, run)
            self.scripts.append(script)
            end = self.walker.script(script, step_env, scope)
            if end != step_env:  # the script sets client variables: judged as it leaves them
                self.walker.judge_env(end, scope, run.span(self.path))
        # The job's own settings, unless a docker command of the job was judged with them.
        self.walker.judge_env(client(env), scope, key.span(self.path))

    def build_step(self, uses: YScalar, inputs: YNode | None) -> None:
        """``uses: docker/build-push-action``: the images it tags, built from its ``file``
        (relative to the repository, where the action runs, whatever ``context`` says), by
        default ``{context}/Dockerfile`` (the repository's ``Dockerfile`` with the default Git
        context). ``${{ }}`` expressions name nothing known."""
        with_ = inputs if isinstance(inputs, YMap) else None
        context = _text(with_.get("context")) if with_ is not None else None
        file = _text(with_.get("file")) if with_ is not None else None
        target = with_.get("target") if with_ is not None else None
        tags = self.build_tags(with_.get("tags") if with_ is not None else None)
        relative = _build_dockerfile(context, file)
        if relative is None and not tags:
            return
        if relative is not None and _REMOTE_CONTEXT.match(context or ""):
            relative = None  # a file of the remote context
        dockerfiles = [os.path.normpath(os.path.join(".", relative)).replace(os.sep, "/")] if relative else []
        if not tags and file is None:
            return  # no name and no Dockerfile of its own: the default one is found by name
        self.walker.models.append(
            BuiltImage(
                path=self.path,
                span=uses.span(self.path),
                tags=tags,
                dockerfiles=dockerfiles,
                target=scalar_val(self.ft, target).lstr()
                if isinstance(target, YScalar) and not target.is_null
                else None,
            )
        )

    def build_tags(self, node: YNode | None) -> list[LStr]:
        """The names of the build action's ``tags`` input (one per line or between commas,
        blanks trimmed), but those with an expression or a variable in them."""
        tags: list[LStr] = []
        if not isinstance(node, YScalar) or node.is_null:
            return tags
        val = scalar_val(self.ft, node)
        for m in _TAG_SEPARATORS.finditer(val.text):
            a, b = m.start(), m.end()
            while a < b and val.text[a] in " \t\r":
                a += 1
            while b > a and val.text[b - 1] in " \t\r":
                b -= 1
            if b > a and "${{" not in val.text[a:b] and "$" not in val.text[a:b]:
                tags.append(val.lstr(a, b))
        return tags

    def image_of(self, node: YNode | None) -> str | None:
        """The image of a job container or service (the string itself, or its ``image``)."""
        image = node.get("image") if isinstance(node, YMap) else node
        if isinstance(image, YScalar) and not image.is_null and image.value:
            return scalar_val(self.ft, image).lstr().value
        return None

    def container(self, key: YScalar, node: YNode, label: str, job_services: list[str]) -> None:
        """A job container or service: ``image`` (or the string itself), env, ports, volumes,
        options; ``job_services``: the images of the job's services."""
        ft = self.ft
        f: dict[str, Any] = {}
        if isinstance(node, YScalar):
            if node.is_null or not node.value:
                return
            f["image"] = scalar_val(ft, node).lstr()
        elif isinstance(node, YMap):
            image = node.get("image")
            if isinstance(image, YScalar) and not image.is_null and image.value:
                f["image"] = scalar_val(ft, image).lstr()
            else:
                return  # GitHub needs an image (``image: ''`` skips the service)
            options = node.get("options")
            if isinstance(options, YScalar) and not options.is_null:
                script = shell_script(ft, options)
                words: list[Word] = [
                    w for step in script.walk() for w in (*step.command.assignments, *step.command.words)
                ]
                apply_flags(parse_args(words, RUN_FLAGS, RUN_SHORT, stop_at_operand=False).flags, f)
            env = env_vars(ft, node.get("env"))
            if env:
                f["environment"] = [*f.get("environment", []), *env.values()]
            for item in _scalars(node.get("ports")):
                p = port(scalar_val(ft, item))
                if p is not None:
                    f.setdefault("ports", []).append(p)
            for item in _scalars(node.get("volumes")):
                m = volume(scalar_val(ft, item))
                if m is not None:
                    f.setdefault("volumes", []).append(m)
        else:
            return
        span = key.span(self.path)
        c = Container(
            source="github",
            path=self.path,
            name=LStr(label, span),
            span=node.span(self.path),
            job_services=job_services,
            **f,
        )
        self.walker.add_container(c)


def _build_dockerfile(context: str | None, file: str | None) -> str | None:
    """The build action's Dockerfile, relative to the repository: its ``file`` input, else
    ``Dockerfile`` in its ``context`` (the repository's by default); None when an expression
    or an empty input names it, or (without ``file``) the context is a Git or HTTP URL."""
    if file is not None:
        return file.strip() if file.strip() and "${{" not in file else None
    if context is None or (context.strip() and "${{" not in context and not _REMOTE_CONTEXT.match(context)):
        return os.path.join((context or ".").strip(), "Dockerfile")
    return None


def _scalars(node: YNode | None) -> list[YScalar]:
    if not isinstance(node, YSeq):
        return []
    return [i for i in node.items if isinstance(i, YScalar) and not i.is_null and i.value != ""]
