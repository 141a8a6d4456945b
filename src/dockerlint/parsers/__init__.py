"""Parsers: the only code that knows raw syntax. Each turns a source file into models."""

# The parser module of each file kind (imported on the first file of that kind).
PARSERS = {
    "dockerfile": "dockerlint.parsers.dockerfile",
    "compose": "dockerlint.parsers.compose",
    "daemon": "dockerlint.parsers.daemon_json",
    "systemd": "dockerlint.parsers.systemd",
    "script": "dockerlint.parsers.script",
    "makefile": "dockerlint.parsers.script",
    "github": "dockerlint.parsers.ci_github",
    "gitlab": "dockerlint.parsers.ci_gitlab",
    "devcontainer": "dockerlint.parsers.devcontainer",
    "client": "dockerlint.parsers.client",
    "quadlet": "dockerlint.parsers.quadlet",
    "jenkinsfile": "dockerlint.parsers.jenkinsfile",
}
