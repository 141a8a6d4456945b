"""Scaffold a new built-in rule: the three hand-written files, then the generated artefacts.

    python scripts/new_rule.py DC125 --kind container --name my-new-check --severity medium \
        [--optional] [--summary "One line"] [--root PATH] [--no-regenerate]

writes (never overwriting anything)

- ``src/dockerlint/rules/<kind>/[optional/]<id>.py``: the rule module, where the registry finds
  it (the folder is the kind of model it reports on, ``optional/`` means off by default);
- ``rules/<ID>.md``: its page, with the sections ``tests/test_rule_docs.py`` requires;
- ``fixtures/<ID>/fire/`` and ``fixtures/<ID>/clean/``: one input each, as
  ``tests/test_fixtures.py`` lints them;

then runs ``scripts/regenerate.py --rule <ID>`` (the README tables, docs/coverage.md and the
new fixtures' goldens). The scaffold works as it is: its placeholder check fires on the
marker ``todo-<id>`` that the fire fixture and the page's Example hold. Replace the check, the
examples and the fixtures with the real ones (CONTRIBUTING.md, "Adding a rule").

The id must be written as the rule catalog writes ids (two capital letters and three digits)
with the prefix of its kind (DF: image, DC: container, DD: daemon and client, DL: suppression),
and must not exist yet: not as a module, a page, a fixture folder, nor a registered rule.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ID_FORMAT = re.compile(r"^[A-Z]{2}[0-9]{3}$")
NAME_FORMAT = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Kind:
    prefix: str
    model: str  # module:class the rule reads
    fire_file: str  # the fixture input's path inside fire/ and clean/
    lang: str  # the fence language of the page's examples
    fire: str  # the fire fixture (``{marker}`` is the placeholder the check looks for)
    clean: str
    check: str  # the body of the check function (``m`` is the model)


KINDS: dict[str, Kind] = {
    "image": Kind(
        "DF",
        "dockerlint.models.image:ImageBuild",
        "Dockerfile",
        "dockerfile",
        "FROM alpine:3.20\nRUN echo {marker}\n",
        "FROM alpine:3.20\nRUN echo hello\n",
        "    for ins in m.instructions:\n"
        "        if MARKER in ins.args_text:\n"
        '            yield Hit(ins.args_span or ins.span, f"{{ins.keyword}} mentions {{quote(MARKER)}}")\n',
    ),
    "container": Kind(
        "DC",
        "dockerlint.models.container:Container",
        "compose.yaml",
        "yaml",
        "services:\n  app:\n    image: {marker}:1.0\n",
        "services:\n  app:\n    image: nginx:1.27.0\n",
        "    if m.image is not None and MARKER in m.image.value:\n"
        '        yield Hit(m.image.span, f"{{m.label}} uses the image {{quote(m.image.value)}}")\n',
    ),
    "daemon": Kind(
        "DD",
        "dockerlint.models.daemon:Daemon",
        "etc/docker/daemon.json",
        "json",
        '{{\n  "labels": ["{marker}"]\n}}\n',
        '{{\n  "labels": ["env=prod"]\n}}\n',
        "    for setting in m.settings:\n"
        "        if MARKER in str(setting.value):\n"
        '            yield Hit(setting.value_span, f"{{setting.key!r}} mentions {{quote(MARKER)}}")\n',
    ),
    "client": Kind(
        "DD",
        "dockerlint.models.client:ClientConfig",
        ".docker/config.json",
        "json",
        '{{\n  "credsStore": "{marker}"\n}}\n',
        '{{\n  "credsStore": "desktop"\n}}\n',
        "    if m.creds_store is not None and MARKER in m.creds_store.value:\n"
        '        yield Hit(m.creds_store.span, f"credsStore is {{quote(m.creds_store.value)}}")\n',
    ),
    "suppression": Kind(
        "DL",
        "dockerlint.models.suppression:Suppression",
        "Dockerfile",
        "dockerfile",
        "FROM alpine:3.20\n# dockerlint: ignore[DF106] {marker}\nFROM debian\n",
        "FROM alpine:3.20\n# dockerlint: ignore[DF106] the base is pinned by digest in CI\nFROM debian\n",
        "    if MARKER in m.reason:\n"
        '        yield Hit(m.span, f"the suppression\'s reason mentions {{quote(MARKER)}}")\n',
    ),
}

MODULE = '''"""{id} {name}: {summary}

TODO: say what the rule finds and what it leaves alone (the page, rules/{id}.md, says why).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from {model_module} import {model}

# TODO: the placeholder the scaffold's check, fixtures and page example use. Replace the check.
MARKER = "{marker}"


@rule(id="{id}", name="{name}", reads={model}, severity=Severity.{severity_upper},
      summary="{summary}"{default})
def {function}(m: {model}, ctx: RuleContext) -> Iterator[Hit]:
{check}'''

PAGE = """# {id}: {name}

Severity: {severity}{off} · Reads: {model}

## What it does
{summary}. TODO: what exactly fires, where the finding points, and what is left alone.

## Why is this bad?
TODO: one plain sentence that stands alone (`--show-why` prints it), then the details.

## Example
```{lang} {example_name}
{fire}```

## Use instead
```{lang} {example_name}
{clean}```

## References
- TODO: the documentation, CWE or CIS Benchmark item this rule rests on
"""


def existing(root: Path, rule_id: str) -> list[str]:
    """What already holds ``rule_id``: a module, a page, a fixture folder."""
    low = rule_id.lower()
    found = [str(p.relative_to(root)) for p in (root / "src" / "dockerlint" / "rules").glob(f"**/{low}.py")]
    for path in (root / "rules" / f"{rule_id}.md", root / "fixtures" / rule_id):
        if path.exists():
            found.append(str(path.relative_to(root)))
    return found


def problems(root: Path, rule_id: str, kind: str, name: str) -> list[str]:
    out = []
    if not ID_FORMAT.match(rule_id):
        out.append(
            f"{rule_id!r} is not a rule id as the catalog writes them (two capital letters and three "
            "digits, such as DC125)"
        )
    elif not rule_id.startswith(KINDS[kind].prefix):
        out.append(f"{rule_id}: a {kind} rule's id starts with {KINDS[kind].prefix}")
    elif rule_id.endswith("000"):
        out.append(f"{rule_id}: ids ending in 000 are the parse errors")
    if not NAME_FORMAT.match(name):
        out.append(f"{name!r} is not a rule name (lower-case words joined by '-')")
    if not (root / "src" / "dockerlint" / "rules" / kind).is_dir():
        out.append(f"no rule folder src/dockerlint/rules/{kind}")
    taken = existing(root, rule_id) if ID_FORMAT.match(rule_id) else []
    if taken:
        out.append(f"{rule_id} exists already: {', '.join(taken)}")
    return out


def files(rule_id: str, kind: str, name: str, severity: str, optional: bool, summary: str) -> dict[str, str]:
    """The three hand-written files (fixtures: two inputs), path relative to the root -> text."""
    k = KINDS[kind]
    marker = f"todo-{rule_id.lower()}"
    model_module, model = k.model.split(":")
    module = MODULE.format(
        id=rule_id,
        name=name,
        summary=summary,
        model_module=model_module,
        model=model,
        marker=marker,
        severity_upper=severity.upper(),
        default=",\n      enabled_by_default=False" if optional else "",
        function=name.replace("-", "_"),
        check=k.check.format(),
    )
    fire, clean = k.fire.format(marker=marker), k.clean.format()
    page = PAGE.format(
        id=rule_id,
        name=name,
        severity=severity,
        off=" (off by default)" if optional else "",
        model=model,
        summary=summary.rstrip("."),
        lang=k.lang,
        example_name=os.path.basename(k.fire_file),
        fire=fire,
        clean=clean,
    )
    folder = f"src/dockerlint/rules/{kind}/{'optional/' if optional else ''}"
    return {
        f"{folder}{rule_id.lower()}.py": module,
        f"rules/{rule_id}.md": page,
        f"fixtures/{rule_id}/fire/{k.fire_file}": fire,
        f"fixtures/{rule_id}/clean/{k.fire_file}": clean,
    }


def write_new(root: Path, texts: dict[str, str]) -> None:
    """Create each file; an existing one is never overwritten (``x`` mode)."""
    for rel, text in texts.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("id", help="the rule id, e.g. DC125")
    p.add_argument("--kind", required=True, choices=sorted(KINDS), help="the kind of model it reports on")
    p.add_argument("--name", required=True, help="the rule name, e.g. my-new-check")
    p.add_argument("--severity", required=True, choices=SEVERITIES)
    p.add_argument("--optional", action="store_true", help="off by default (rules/<kind>/optional/)")
    p.add_argument("--summary", default="", help="one line (default: TODO)")
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout (default: this script's)")
    p.add_argument("--no-regenerate", action="store_true", help="do not run scripts/regenerate.py afterwards")
    args = p.parse_args(argv)
    root = args.root.resolve()
    rule_id = args.id.strip()
    summary = args.summary.strip() or f"TODO: one line on what {rule_id} finds"
    if '"' in summary or "\\" in summary or "\n" in summary:
        p.error("--summary: one line, without double quotes or backslashes")
    found = problems(root, rule_id, args.kind, args.name)
    if found:
        for problem in found:
            print(f"new_rule: {problem}", file=sys.stderr)
        return 2
    texts = files(rule_id, args.kind, args.name, args.severity, args.optional, summary)
    write_new(root, texts)
    for rel in texts:
        print(f"wrote {rel}")
    if args.no_regenerate:
        return 0
    proc = subprocess.run(
        [sys.executable, str(root / "scripts" / "regenerate.py"), "--rule", rule_id], cwd=root, check=False
    )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
