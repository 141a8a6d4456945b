"""The GitHub Action (action.yml, composite), run the way the runner runs it.

The runner, for each step of a composite action: evaluates `if:`; for a `run:` step pastes the
value of every `${{ … }}` expression into the script text and the `env:` values, sets
GITHUB_OUTPUT to a fresh file, GITHUB_ACTION_PATH, GITHUB_WORKSPACE and RUNNER_TEMP, and runs
`bash --noprofile --norc -eo pipefail {0}` (the default of `shell: bash`) in the workspace; it
sets no INPUT_* variable. The action's outputs are then its `outputs.*.value` expressions.
`Runner` below does exactly that and nothing more: an expression it does not model fails the test,
so the action cannot come to depend on something this test does not check.

The install step runs for real once per module (a virtual environment, `pip install` of this
checkout: from the local wheel mirror, ~10 s); the other tests run the steps after it with its
recorded outputs. `uses:` steps (actions/setup-python) cannot run here: its one output the action
reads, `python-path`, is given as this interpreter.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
README = ROOT / "README.md"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

DOCKERFILE = "FROM ubuntu\nRUN apt-get update\n"
COMPOSE = (
    "services:\n"
    "  app:\n"
    "    image: nginx:1.27\n"
    "    privileged: true\n"
    "    volumes:\n"
    "      - /var/run/docker.sock:/var/run/docker.sock\n"
)


def load_action() -> dict[str, Any]:
    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def parse_output_file(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


class Runner:
    """One job's run of the composite action."""

    def __init__(self, workspace: Path, temp: Path, inputs: Mapping[str, str]) -> None:
        self.action = load_action()
        declared = self.action["inputs"]
        unknown = set(inputs) - set(declared)
        assert not unknown, f"not inputs of the action: {unknown}"
        self.inputs = {name: str(spec.get("default", "")) for name, spec in declared.items()}
        self.inputs.update(inputs)
        self.workspace = workspace
        self.temp = temp
        self.steps: dict[str, dict[str, str]] = {}
        self.ran: list[str] = []
        self.returncode = 0
        self.stdout = ""
        self.stderr = ""

    def value(self, expression: str) -> str:
        parts = expression.split(".")
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "github.workspace":
            return str(self.workspace)
        if expression == "runner.temp":
            return str(self.temp)
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            # A skipped step, or one that did not set the output, gives ''.
            return self.steps.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"expression the test does not model: ${{{{ {expression} }}}}")

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, expression: str) -> bool:
        match = re.fullmatch(r"inputs\.([\w-]+) != ''", expression.strip())
        assert match, f"if: the test does not model: {expression}"
        return self.inputs[match.group(1)] != ""

    def environment(self, step_env: Mapping[str, str], output: Path) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("INPUT_", "DOCKERLINT_", "GITHUB_", "RUNNER_")) and k != "VIRTUAL_ENV"
        }
        # The runner's PATH has no dockerlint: drop the folders of this test's virtual environment.
        env["PATH"] = os.pathsep.join(
            p for p in env.get("PATH", "").split(os.pathsep) if p and not (Path(p) / "dockerlint").exists()
        )
        env.update(
            CI="true",
            GITHUB_ACTIONS="true",
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_WORKSPACE=str(self.workspace),
            RUNNER_TEMP=str(self.temp),
            GITHUB_OUTPUT=str(output),
        )
        env.update({name: self.substitute(str(value)) for name, value in step_env.items()})
        return env

    def run(self, recorded: Mapping[str, dict[str, str]] | None = None) -> Runner:
        """Run every step; a step whose id is in `recorded` is not run, its outputs are taken from there."""
        for number, step in enumerate(self.action["runs"]["steps"]):
            step_id = step.get("id", f"step{number}")
            if "if" in step and not self.condition(step["if"]):
                continue
            if "uses" in step:
                assert step["uses"] == "actions/setup-python@v6", step["uses"]
                self.steps[step_id] = {"python-path": sys.executable}
                continue
            if recorded and step_id in recorded:
                self.steps[step_id] = dict(recorded[step_id])
                continue
            assert step["shell"] == "bash", step
            output = self.temp / f"output-{number}"
            output.write_text("", encoding="utf-8")
            script = self.temp / f"step-{number}.sh"
            script.write_text(self.substitute(step["run"]), encoding="utf-8")
            cwd = Path(self.substitute(step.get("working-directory", str(self.workspace))))
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=cwd,
                env=self.environment(step.get("env", {}), output),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            self.ran.append(step_id)
            self.stdout += proc.stdout
            self.stderr += proc.stderr
            self.steps[step_id] = parse_output_file(output)
            self.returncode = proc.returncode
            if proc.returncode:
                break  # a failing step ends the composite action; outputs stay as far as written
        return self

    @property
    def outputs(self) -> dict[str, str]:
        return {name: self.substitute(spec["value"]) for name, spec in self.action["outputs"].items()}


def make_repository(path: Path) -> Path:
    path.mkdir()
    (path / ".git").mkdir()
    (path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    (path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The install step, run for real: its outputs, for the other tests."""
    base = tmp_path_factory.mktemp("action-install")
    temp = base / "runner-temp"
    temp.mkdir()
    workspace = make_repository(base / "workspace")
    runner = Runner(workspace, temp, {})
    # Only the steps up to the install: the lint step is given empty outputs and is not run.
    runner.run(recorded={"lint": {}})
    assert runner.ran == ["install"], runner.ran
    assert runner.returncode == 0, runner.stderr
    bin_dir = Path(runner.steps["install"]["bin"])
    assert bin_dir.parent.parent == temp and bin_dir.parent.name.startswith("dockerlint-venv.")
    version = subprocess.run([str(bin_dir / "dockerlint"), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("dockerlint "), version.stdout
    assert version.stdout.strip() in runner.stdout  # the step printed what it installed
    # Installed from this checkout (not an editable link, not another copy on the machine).
    located = subprocess.run(
        [str(bin_dir / "python"), "-c", "import dockerlint; print(dockerlint.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(located.stdout.strip()).is_relative_to(bin_dir.parent), located.stdout
    return {"install": runner.steps["install"]}


def lint(
    tmp_path: Path, installed: Mapping[str, dict[str, str]], inputs: Mapping[str, str], repository: Path | None = None
) -> Runner:
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    workspace = repository or make_repository(tmp_path / "workspace")
    return Runner(workspace, temp, inputs).run(recorded=installed)


def sarif_results(path: Path) -> list[dict[str, Any]]:
    log = json.loads(path.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json") or "2.1.0" in log["$schema"]
    return [result for run in log["runs"] for result in run["results"]]


def test_findings_fail_the_step_and_the_outputs_and_sarif_are_still_written(tmp_path, installed):
    runner = lint(tmp_path, installed, {"fail-on": "high"})
    assert runner.ran == ["lint"]
    assert runner.returncode == 1, runner.stderr  # DC101 and DC102 are critical
    outputs = runner.outputs
    sarif = Path(outputs["sarif-file"])
    assert sarif == runner.temp / "dockerlint.sarif"  # the default: outside the checkout
    results = sarif_results(sarif)
    assert int(outputs["findings"]) == len(results) > 0
    rules = {result["ruleId"] for result in results}
    assert {"DC101", "DC102", "DF106"} <= rules, rules
    # DF101 is medium here (no CMD: the base image's decides), so code scanning gets its medium variant
    assert "DF101/medium" in rules and "DF101" not in rules, rules
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r["locations"]}
    assert uris == {"Dockerfile", "compose.yaml"}  # relative to the workspace, as upload-sarif wants
    # The log holds the text report (the default format) of the same findings.
    assert "compose.yaml:6:9: DC101 critical" in runner.stdout
    assert runner.stdout.count(": DC") + runner.stdout.count(": DF") == len(results)


def test_fail_on_never_passes_with_the_same_outputs(tmp_path, installed):
    runner = lint(tmp_path, installed, {"fail-on": "never"})
    assert runner.returncode == 0, runner.stderr
    results = sarif_results(Path(runner.outputs["sarif-file"]))
    assert int(runner.outputs["findings"]) == len(results) == 5


def test_fail_on_critical_with_only_medium_findings_passes(tmp_path, installed):
    repository = tmp_path / "workspace"
    repository.mkdir()
    (repository / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    runner = lint(tmp_path, installed, {"fail-on": "critical"}, repository)
    assert runner.returncode == 0, runner.stderr
    assert runner.outputs["findings"] == "2"
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", installed, {"fail-on": "medium"}, repository).returncode == 1


def test_default_fail_on_is_the_configuration_files(tmp_path, installed):
    """fail-on left empty: the repository's configuration decides, as for `dockerlint` on the command line."""
    repository = make_repository(tmp_path / "workspace")
    (repository / ".dockerlint.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    assert lint(tmp_path, installed, {}, repository).returncode == 0
    config = tmp_path / "strict.toml"
    config.write_text('fail-on = "high"\n', encoding="utf-8")
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", installed, {"config": str(config)}, repository).returncode == 1


def test_paths_one_per_line_keep_spaces_and_are_never_globs(tmp_path, installed):
    repository = tmp_path / "workspace"
    (repository / "my app").mkdir(parents=True)
    (repository / "my app" / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    (repository / "deploy").mkdir()
    (repository / "deploy" / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    (repository / "other").mkdir()
    (repository / "other" / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    runner = lint(tmp_path, installed, {"paths": "  my app \n\ndeploy/compose.yaml\n", "fail-on": "never"}, repository)
    assert runner.returncode == 0, runner.stderr
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif_results(Path(runner.outputs["sarif-file"]))
        for loc in r["locations"]
    }
    assert uris == {"my%20app/Dockerfile", "deploy/compose.yaml"}, uris

    # One line: split at white space. A glob is a name, not a pattern: `*` matches no file here.
    (tmp_path / "glob").mkdir()
    runner = lint(tmp_path / "glob", installed, {"paths": "deploy  o*", "fail-on": "never"}, repository)
    assert runner.returncode == 2  # o* does not exist
    assert "o*: No such file or directory" in runner.stderr, runner.stderr
    assert runner.outputs["findings"] == "3"  # deploy/compose.yaml only, not other/Dockerfile


@pytest.mark.parametrize(
    "attack",
    [
        "$(touch pwned)",
        "`touch pwned`",
        "x; touch pwned",
        "x\n$(touch pwned)\n;touch pwned;",
        "' ; touch pwned ; '",
        '" ; touch pwned ; "',
        "${{ inputs.paths }}$(touch pwned)",
    ],
)
def test_inputs_are_data_never_code(tmp_path, installed, attack):
    """Every input carries shell syntax: nothing runs, the values reach dockerlint as they are."""
    repository = make_repository(tmp_path / "workspace")
    inputs = {"paths": attack, "config": attack, "format": attack, "fail-on": attack, "sarif-file": attack}
    runner = lint(tmp_path, installed, inputs, repository)
    created = [*tmp_path.rglob("pwned*"), *Path.cwd().glob("pwned*")]
    assert not created, (created, runner.stdout, runner.stderr)
    assert runner.returncode == 2  # refused by dockerlint's option checks, or by the action
    if "\n" not in attack:
        # The value arrived whole, as one argument, in dockerlint's refusal of it.
        assert f"invalid choice: '{attack}'" in runner.stderr or attack in runner.stderr, runner.stderr
    # Paths alone: the config and fail-on values are valid, so dockerlint lints and the SARIF names them.
    (tmp_path / "paths").mkdir()
    runner = lint(tmp_path / "paths", installed, {"paths": attack, "fail-on": "never"}, repository)
    assert not list(tmp_path.rglob("pwned*"))
    assert runner.returncode == 2  # no such file
    assert Path(runner.outputs["sarif-file"]).is_file() and runner.outputs["findings"] == "0"


def test_a_stale_sarif_is_not_reported_when_the_run_writes_none(tmp_path, installed):
    repository = make_repository(tmp_path / "workspace")
    stale = repository / "report.sarif"
    stale.write_text('{"version": "2.1.0", "runs": [{"results": [{}]}]}', encoding="utf-8")
    runner = lint(tmp_path, installed, {"sarif-file": "report.sarif", "fail-on": "sometimes"}, repository)
    assert runner.returncode == 2
    assert not stale.exists()
    assert runner.outputs == {"sarif-file": "", "findings": ""}
    assert "::error title=dockerlint::no SARIF report was written" in runner.stdout


def test_format_none_runs_once_and_a_bad_format_fails_after_the_outputs(tmp_path, installed):
    repository = make_repository(tmp_path / "workspace")
    (repository / "out").mkdir()  # the folder must exist: the action creates none (it could be a link)
    runner = lint(
        tmp_path, installed, {"format": "none", "fail-on": "never", "sarif-file": "out/lint.sarif"}, repository
    )
    assert runner.returncode == 0, runner.stderr
    sarif = runner.workspace / "out" / "lint.sarif"
    assert runner.outputs == {"sarif-file": str(sarif), "findings": "5"}
    assert f"dockerlint: 5 finding(s); SARIF report: {sarif}" in runner.stdout
    assert "DC101" not in runner.stdout  # no second report

    (tmp_path / "json").mkdir()
    runner = lint(tmp_path / "json", installed, {"format": "json", "fail-on": "never"})
    assert runner.returncode == 0
    assert len(json.loads(runner.stdout)["findings"]) == 5  # the log's report: JSON only

    (tmp_path / "bogus").mkdir()
    runner = lint(tmp_path / "bogus", installed, {"format": "bogus", "fail-on": "never"})
    assert runner.returncode == 2
    assert "unknown format 'bogus'" in runner.stderr
    assert runner.outputs["findings"] == "5"


def test_no_run_script_interpolates_an_expression():
    """`${{ }}` in `run:` is pasted into the script before bash parses it: inputs go through env: only."""
    steps = load_action()["runs"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert len(scripts) == 2
    for script in scripts:
        assert "${{" not in script, script
        assert "INPUT_" not in script  # a composite action gets no INPUT_* variables
    mapped = {value for step in steps for value in step.get("env", {}).values()}
    for name in load_action()["inputs"]:
        if name != "python-version":  # the setup-python step's `with:`, no script
            assert f"${{{{ inputs.{name} }}}}" in mapped, name


def test_python_version_empty_uses_python3_from_path(tmp_path):
    """python-version '' skips actions/setup-python; the install step then gets no interpreter and takes python3."""
    steps = {step.get("id"): step for step in load_action()["runs"]["steps"]}
    for value, skipped in (("", True), ("3.12", False)):
        runner = Runner(tmp_path, tmp_path, {"python-version": value})
        assert runner.condition(steps["python"]["if"]) is not skipped
        if not skipped:
            runner.steps["python"] = {"python-path": "/opt/python/bin/python3"}
        env = runner.environment(steps["install"]["env"], tmp_path / "output")
        assert env["SETUP_PYTHON"] == ("" if skipped else "/opt/python/bin/python3")
        assert env["ACTION_DIR"] == str(ROOT)
    assert '"${SETUP_PYTHON:-python3}" -m venv' in steps["install"]["run"]
    assert steps["python"]["with"]["update-environment"] is False  # the job's PATH stays its own


def test_every_action_used_is_pinned_by_version_tag():
    for step in load_action()["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+(\.\d+){0,2}", step["uses"]), step["uses"]


def readme_workflow() -> str:
    section = README.read_text(encoding="utf-8").split("\n## GitHub Action\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)[0]


def test_readme_workflow_uses_the_action_as_it_is(tmp_path):
    workflow = yaml.safe_load(readme_workflow())
    assert workflow["permissions"]["security-events"] == "write"
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = [step["uses"] for step in steps if "uses" in step]
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+(\.\d+){0,2}", ref), ref
    ours = next(step for step in steps if step.get("uses", "").startswith("dockerlint/dockerlint@"))
    assert set(ours["with"]) <= set(load_action()["inputs"])
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["if"].startswith("always()")  # also when findings failed the step
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{ours['id']}.outputs.sarif-file }}}}"
    assert set(load_action()["outputs"]) == {"sarif-file", "findings"}


def test_readme_workflow_is_clean_for_dockerlint(tmp_path):
    from cli_helpers import run

    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "dockerlint.yml").write_text(readme_workflow(), encoding="utf-8")
    # The same workflow with a docker run line: proof that dockerlint reads this file.
    (workflows / "control.yml").write_text(
        readme_workflow().replace("    steps:\n", "    steps:\n      - run: docker run --privileged alpine\n", 1),
        encoding="utf-8",
    )
    code, out, err = run(["--format", "json", "--isolated", "."], tmp_path)
    report = json.loads(out)
    paths = {finding["path"] for finding in report["findings"]}
    assert paths == {".github/workflows/control.yml"}, (out, err)
    assert code == 1
