"""GitLab CI (``.gitlab-ci.yml``, ``*.gitlab-ci.yml``): containers and Docker client settings.

* ``before_script``/``script`` (one shell, in that order) and ``after_script`` (a shell of
  its own) of every job, hidden jobs (``.template``) included: their ``docker run`` lines
  become containers (``parsers/cmdline.py``), each word located inside its YAML string;
* ``services:`` of a job (or of ``default:``/the top level, for jobs without their own): each
  is a container with its image (``docker:dind`` or ``name:``), ``command``/``entrypoint``,
  and the variables GitLab gives it: the global ``variables``, the job's, the service's own.
  So ``docker:dind`` with ``DOCKER_TLS_CERTDIR: ""`` is DD101, as in Compose;
* ``variables:`` (global, then the job's) and ``export`` in the scripts give each job's Docker
  client settings (``DOCKER_HOST: tcp://docker:2375`` is DD104), judged per job.

``extends:`` and ``include:`` are not followed (a template is checked where it is written);
GitLab's ``!reference [...]`` tags are read as the plain lists they are written as. Only the
first YAML document is read (a CI/CD component's ``spec:`` header hides the jobs after it).
Invalid YAML is DC000.
"""

from __future__ import annotations

import re
from typing import Any

from dockerlint.models.base import LStr
from dockerlint.models.container import Container, EnvVar
from dockerlint.models.shell import Script
from dockerlint.models.source import SourceFile
from dockerlint.parsers import yaml_nodes
from dockerlint.parsers.cmdline import CLIENT_VARS, Walker, relevant
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput
from dockerlint.parsers.script import issues
from dockerlint.parsers.yaml_nodes import YMap, YNode, YScalar, YSeq
from dockerlint.parsers.yaml_text import FileText, env_vars, scalar_val, shell_script

# Top-level keys that are not jobs.
RESERVED = frozenset(
    {
        "image",
        "services",
        "stages",
        "types",
        "before_script",
        "after_script",
        "variables",
        "cache",
        "include",
        "default",
        "workflow",
        "spec",
    }
)
# GitLab's own tag: same-length blanks keep every position.
REFERENCE_TAG = re.compile(r"(?<![\w!])!reference(?=[\s\[])")


def parse(src: SourceFile) -> ParseOutput:
    text = REFERENCE_TAG.sub(" " * len("!reference"), src.text) if "!reference" in src.text else src.text
    try:
        root = yaml_nodes.load(text, src.path)
        out = _Pipeline(src, text, root).run() if isinstance(root, YMap) else ParseOutput()
    except ParseError as exc:
        exc.comments = yaml_nodes.with_comments(text)
        raise
    out.comments = yaml_nodes.with_comments(text)  # only YAML comments: a script's are inside a string
    return out


def client(env: dict[str, EnvVar]) -> dict[str, EnvVar]:
    return {k: v for k, v in env.items() if k in CLIENT_VARS}


class _Pipeline:
    def __init__(self, src: SourceFile, text: str, root: YMap) -> None:
        self.path = src.path
        self.root = root
        self.ft = FileText(src.path, text)
        self.walker = Walker(src.path, "gitlab")
        self.scripts: list[Script] = []
        self.parsed: dict[int, Script] = {}  # a script shared through an anchor is parsed once
        self.services_seen: set[tuple[Any, ...]] = set()
        self.vars_cache: dict[int, dict[str, EnvVar]] = {}

    def run(self) -> ParseOutput:
        root = self.root
        global_vars = self.variables(root.get("variables"))
        default = root.get("default")
        defaults: dict[str, YNode | None] = {}
        for key in ("services", "before_script", "after_script"):
            node = default.get(key) if isinstance(default, YMap) else None
            defaults[key] = node if node is not None else root.get(key)
        jobs = 0
        for e in root.entries:
            if e.key.value in RESERVED or not isinstance(e.value, YMap):
                continue
            jobs += 1
            self.job(e.key, e.value, global_vars, defaults)
        if not jobs:
            env = client(global_vars)
            if env:
                self.walker.judge_env(env, "global variables", next(iter(env.values())).span)
            services = defaults["services"]
            if services is not None:
                self.services(services, global_vars, "")
        return ParseOutput(models=self.walker.models, problems=issues(self.scripts))

    def job(self, key: YScalar, job: YMap, global_vars: dict[str, EnvVar], defaults: dict[str, YNode | None]) -> None:
        name = key.value
        scope = f"job '{name}'"
        own_vars = self.variables(job.get("variables"))
        variables = {**global_vars, **own_vars}
        own_services = job.get("services")
        if own_services is not None:
            self.services(own_services, variables, name)
        elif defaults["services"] is not None:
            # The default services get this job's variables; without its own, one container
            # stands for every job that uses them.
            self.services(defaults["services"], variables, name if own_vars else "")
        start = client(variables)
        for parts in (("before_script", "script"), ("after_script",)):  # after_script: a shell of its own
            env = start
            for part in parts:
                node = job.get(part) if part in job else defaults.get(part)
                for item in self.items(node):
                    env = self.walker.script(self.script(item), env, scope)
            if env != start:  # the scripts set client variables: judged as they leave them
                self.walker.judge_env(env, scope, key.span(self.path))
        # The job's variables, unless a docker command of the job was judged with them.
        self.walker.judge_env(start, scope, key.span(self.path))

    def variables(self, node: YNode | None) -> dict[str, EnvVar]:
        """A ``variables:`` mapping (read once per node: shared through anchors, it stays one)."""
        if node is None:
            return {}
        got = self.vars_cache.get(id(node))
        if got is None:
            got = self.vars_cache[id(node)] = env_vars(self.ft, node, gitlab=True)
        return got

    def items(self, node: YNode | None) -> list[YScalar]:
        """The lines of a script: a string, or a list of strings (nested lists flattened)."""
        out: list[YScalar] = []
        stack: list[YNode] = [node] if node is not None else []
        while stack:
            n = stack.pop()
            if isinstance(n, YScalar):
                if not n.is_null and n.value and relevant(n.value):
                    out.append(n)
            elif isinstance(n, YSeq):
                stack.extend(reversed(n.items))
        return out

    def script(self, node: YScalar) -> Script:
        got = self.parsed.get(id(node))
        if got is None:
            got = self.parsed[id(node)] = shell_script(self.ft, node)
            self.scripts.append(got)
        return got

    def services(self, node: YNode, variables: dict[str, EnvVar], job: str) -> None:
        if not isinstance(node, YSeq):
            return
        images: list[str] = []
        for item in node.items:
            name = item.get("name") if isinstance(item, YMap) else item
            if isinstance(name, YScalar) and not name.is_null and name.value:
                images.append(scalar_val(self.ft, name).lstr().value)
        for item in node.items:
            image_node: YNode | None = item
            svc_vars: dict[str, EnvVar] = {}
            f: dict[str, Any] = {}
            if isinstance(item, YMap):
                image_node = item.get("name")
                svc_vars = self.variables(item.get("variables"))
                for field in ("command", "entrypoint"):
                    words = item.get(field)
                    if isinstance(words, YSeq):
                        f[field] = [
                            scalar_val(self.ft, w).lstr()
                            for w in words.items
                            if isinstance(w, YScalar) and not w.is_null
                        ]
                    elif isinstance(words, YScalar) and not words.is_null:
                        f[field] = [scalar_val(self.ft, words).lstr()]
            if not isinstance(image_node, YScalar) or image_node.is_null or not image_node.value:
                continue
            env = {**variables, **svc_vars}
            key = (id(item), tuple(id(v) for v in env.values()))
            if key in self.services_seen:
                continue
            self.services_seen.add(key)
            image = scalar_val(self.ft, image_node).lstr()
            label = f"service '{image.value}'" + (f" of job '{job}'" if job else "")
            f["environment"] = list(env.values())
            c = Container(
                source="gitlab",
                path=self.path,
                name=LStr(label, image_node.span(self.path)),
                span=item.span(self.path),
                image=image,
                managed_by="the GitLab runner",
                job_services=images,
                **f,
            )
            # Not a client scope: the DOCKER_* variables it gets are the job's, judged with the job.
            self.walker.models.append(c)
