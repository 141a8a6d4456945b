"""DF104 pipe-to-shell: a download runs as code without a check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.rules.image import df104
from helpers import check, findings


@pytest.mark.parametrize(
    ("run", "col"),
    [
        ("curl -fsSL https://get.example.com | sh", 42),
        ("curl -fsSL https://get.example.com | sudo bash -", 47),
        ("curl -sSf https://x/install.sh | bash -s -- --yes", 38),
        ("wget -O- https://x/install.sh | bash", 37),
        ("wget -qO- https://x/get-pip.py | python3", 38),
        ("wget -O - https://x/i.sh | sh", 32),
        ("curl -o - https://x/i.sh | sh", 32),
        ("curl https://x/i.sh | tee /tmp/install.log | sh", 50),
        ("curl https://x/i.sh.gz | gunzip | sh", 39),
        ("curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin", 50),
        ("curl -fsSL https://x/i.sh | env VERSION=1.2 sh", 49),
        ("curl -fsSL https://x/i.sh | sh /dev/stdin --yes", 33),
        ("curl -fsSL https://x/setup.pl | perl", 37),
        ("curl -fsSL https://x/setup.rb | ruby -", 37),
        ("curl -fsSL https://x/setup.js | node", 37),
    ],
)
def test_download_piped_into_an_interpreter(run: str, col: int) -> None:
    check("DF104", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, "output runs unchecked in")])


@pytest.mark.parametrize(
    ("run", "col", "how"),
    [
        ('sh -c "$(curl -fsSL https://x/install.sh)"', 5, "substituted"),
        ('bash -c "$(wget -qO- https://x/install.sh)" "" --unattended', 5, "substituted"),
        ('eval "$(curl -fsSL https://x/env.sh)"', 5, "substituted"),
        ('python3 -c "$(curl -fsSL https://x/i.py)"', 5, "substituted"),
        ('sh -c "`curl -fsSL https://x/install.sh`"', 5, "substituted"),
        ("bash <(curl -fsSL https://x/install.sh)", 5, "process substitution"),
        (". <(curl -fsSL https://x/env.sh)", 5, "process substitution"),
        ("source <(wget -qO- https://x/env.sh)", 5, "process substitution"),
        ("bash < <(curl -fsSL https://x/install.sh)", 5, "redirected"),
        ('bash <<< "$(curl -fsSL https://x/install.sh)"', 5, "redirected"),
    ],
)
def test_download_substituted_into_an_interpreter(run: str, col: int, how: str) -> None:
    check("DF104", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, how)])


def test_across_continuation_lines_points_at_the_interpreter_line() -> None:
    check(
        "DF104",
        """
        FROM debian:12
        RUN apt-get update \\
            && curl -fsSL https://deb.nodesource.com/setup_20.x \\
        # comment lines inside a continuation are dropped
             | bash - \\
            && apt-get install -y nodejs
        """,
        expect=[(5, 8, "curl's output (line 3) runs unchecked in 'bash'")],
    )


def test_inside_heredocs_and_nested_scripts() -> None:
    check(
        "DF104",
        """
        FROM alpine:3.20
        RUN <<EOF
        set -eux
        apk add --no-cache curl
        curl -fsSL https://x/install.sh | sh
        EOF
        RUN bash <<'EOT'
          wget -qO- https://x/i.sh | bash
        EOT
        RUN sh -c 'curl -fsSL https://x/i.sh | sh'
        RUN ["/bin/sh", "-c", "curl -fsSL https://x/i.sh | bash"]
        """,
        expect=[(5, 35), (8, 30), (10, 40), (11, 52)],
    )


def test_each_interpreter_once() -> None:
    check("DF104", 'FROM a\nRUN curl -fsSL https://x | sh -c "$(curl -s https://y)"\n', expect=[(2, 28, "substituted")])


@pytest.mark.parametrize(
    "run",
    [
        'curl -fsSLo /tmp/i.sh https://x/i.sh && echo "$SUM  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh',
        "curl -fsSL -O https://x/i.sh && sh i.sh",
        "curl -fsSL https://x/go.tgz | tar -xz -C /usr/local",
        "curl -fsSL https://x/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg",
        "curl -fsSL https://x/key.asc | apt-key add -",
        "curl -s https://api.github.com/repos/x/y/releases/latest | jq -r .tag_name",
        "curl -s https://x/v.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"v\"])'",
        "curl -s https://x/v.json | node -e 'process.stdin.pipe(process.stdout)'",
        "curl -s https://x | bash /usr/local/bin/consume.sh",
        "wget https://x/i.sh | sh",
        "wget -q https://x/i.sh && sh i.sh",
        "echo 'curl https://x | sh'",
        'VERSION=$(curl -fsSL https://x/version) && sh ./install.sh "$VERSION"',
        "sh -c 'echo $(curl -fsSL https://x/version)' > /v",
        "cat install.sh | sh",
    ],
)
def test_clean(run: str) -> None:
    check("DF104", f"FROM debian:12\nRUN {run}\n", expect=[])


# -- the prefilter: parse only RUN lines where a download can reach an interpreter -----------------


@pytest.mark.parametrize(
    "text",
    [
        'set -x && apkArch="$(cat /etc/apk/arch)" && wget -O /tmp/k.rsa https://nginx.org/keys/nginx.rsa.pub',
        "curl -fsSLO https://example.com/app.tgz && tar xz -f app.tgz | tee /tmp/log && ./install.sh",
        "wget -q https://example.com/x.deb && dpkg -i x.deb | grep -v publish && ssh-keygen -A",
        'curl -fsSL https://example.com/x -o /x && echo "$(date)" | logger',
    ],
)
def test_the_prefilter_skips_lines_without_a_download_into_an_interpreter(text: str) -> None:
    from dockerlint.rules.image import df104

    assert not df104._mentions(text)


@pytest.mark.parametrize(
    "text",
    [
        "curl -fsSL https://example.com/i.sh | sh",
        "wget -qO- https://x | sudo -E A=1 /usr/bin/bash -s",
        "curl https://x |& python3 -",
        'eval "$(curl -fsSL https://x)"',
        'sh -c "$(wget -qO- https://x)"',
        "bash <(curl -s https://x)",
        "curl https://x | env -i PATH=/bin sh",
    ],
)
def test_the_prefilter_passes_every_download_into_an_interpreter(text: str) -> None:
    from dockerlint.rules.image import df104

    assert df104._mentions(text)
    assert findings("DF104", {"Dockerfile": f"FROM alpine:3.20\nRUN {text}\n"})  # and the rule fires


# -- the shared option table (knowledge/commands.py) where DF104's own copy was wrong -------------


@pytest.mark.parametrize(
    ("run", "col"),
    [
        # fetch(1): "-o file, --output=file": the long option takes its value as the next word too;
        # DF104's copy knew only -o, so "--output -" (standard output) went unseen.
        ("fetch --output - https://x/i.sh | sh", 39),
        # curl(1): --etag-compare <file> takes a value (ARG_FILE); "-o" after it is that file name,
        # so the download still goes to standard output.
        ("curl --etag-compare -o https://x/i.sh | sh", 45),
    ],
)
def test_download_tool_options_from_the_manuals(run: str, col: int) -> None:
    check("DF104", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, "output runs unchecked in")])


def test_wget_n_takes_the_letters_after_it() -> None:
    # wget(1): -n takes the letters after it as its value (-nv, -nc); "-nvO-" is -n with "vO-",
    # which wget refuses ("illegal option"), so nothing is downloaded to run.
    check("DF104", "FROM debian:12\nRUN wget -nvO- https://x/i.sh | sh\n", expect=[])


# -- the prefilter reads the words after a pipe or an opener one at a time --------------------
# The window after each pipe and opener was split whole (1,024 characters for one word, most
# of the time); the words are now found one at a time. The old readers are the specification.


def _old_interpreter_after_pipe(text: str) -> bool:
    pos = text.find("|")
    while pos >= 0:
        window = text[pos + 1 : pos + 1 + df104._SCAN]
        pos = text.find("|", pos + 1)
        words = window[1:].split() if window.startswith("&") else window.split()
        for i, w in enumerate(words):
            if df104._INTERPRETER_WORD.match(w) or (
                w.startswith("/") and any(df104._INTERPRETER_WORD.match(w, j + 1) for j, c in enumerate(w) if c == "/")
            ):
                return True
            if not (i == 0 and w in df104._WRAPPERS) and not (
                i > 0 and words[0] in df104._WRAPPERS and (w.startswith("-") or "=" in w)
            ):
                break
        else:
            if len(window) == df104._SCAN:
                return True
    return False


def _old_tool_after_opener(text: str) -> bool:
    pos = 0
    while (opener := df104._OPENER.search(text, pos)) is not None:
        pos = opener.end()
        window = text[pos : pos + df104._SCAN]
        for w in window.split():
            tool = next((t for t in df104._TOOLS if w.startswith(t)), None)
            if tool is not None and (len(w) == len(tool) or not (w[len(tool)].isalnum() or w[len(tool)] == "_")):
                return True
            if "=" not in w and w != "sudo":
                break
        else:
            if len(window) == df104._SCAN:
                return True
    return False


_WORD_PIECES = st.sampled_from(
    [" ", "\t", "\n", "\x1c", "\x85", "\xa0", "\u2028", "|", "|&", "&", "$(", "`", "<(", "<<<", "=", "-", "/"]
    + ["sh", "bash", "python3", "/usr/bin/", "sudo", "env", "-E", "A=1", "curl", "wget", "fetch", "curlx", "x"]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_WORD_PIECES, max_size=14).map("".join), st.integers(1, 12))
def test_the_word_readers_answer_as_the_window_splitting_ones(text: str, scan: int) -> None:
    for size in (df104._SCAN, scan):  # a small window too, to reach its end
        with pytest.MonkeyPatch.context() as m:
            m.setattr(df104, "_SCAN", size)
            assert df104._interpreter_after_pipe(text) == _old_interpreter_after_pipe(text), (text, size)
            assert df104._tool_after_opener(text) == _old_tool_after_opener(text), (text, size)
