"""The Makefile reader: recipes as GNU make hands them to the shell (make never runs).

Make functions (``$(foreach ...)``, ``$(if ...)``, ``$(call ...)``, ``$(shell ...)``,
nested references, ``${...}``) are make, not shell: each is one unknown word for the shell.
A recipe line dockerlint cannot follow is skipped, never a DC000 "error" finding.
"""

from __future__ import annotations

from helpers import check, dedent, lint

PRIVILEGED = "docker run --privileged alpine:3.20\n"


def parse_errors(files: dict[str, str]) -> list[str]:
    result = lint(files)
    assert not result.internal_errors, result.internal_errors
    return [
        f"{f.span.path}:{f.span.line}:{f.span.col} {f.message}" for f in result.findings if f.rule_id.endswith("000")
    ]


def test_foreach_over_continuation_lines_is_one_make_word():
    # wild/CanDIG__CanDIGv2/Makefile: a $(foreach) whose body spans backslash-continued lines.
    files = {
        "Makefile": dedent("""
        toil-docker:
        \tVIRTUAL_ENV=1 TOIL_DOCKER_REGISTRY=$(DOCKER_REGISTRY) \\
        \t$(MAKE) -C lib/toil/toil-docker docker
        \t$(foreach MODULE,$(TOIL_MODULES), \\
        \t\tdocker tag $(DOCKER_REGISTRY)/$(MODULE):$(TOIL_VERSION)-$(TOIL_BUILD_HASH) \\
        \t\t$(DOCKER_REGISTRY)/$(MODULE):$(TOIL_VERSION);)
        \t$(foreach MODULE, $(TOIL_MODULES), docker push $(DOCKER_REGISTRY)/$(MODULE):latest;)
        \tdocker run --privileged alpine:3.20
        """)
    }
    assert parse_errors(files) == []
    check("DC102", files, [("Makefile", 8, 13)])


def test_make_functions_with_quotes_parentheses_and_braces_are_not_shell():
    files = {
        "Makefile": dedent("""
        Q := '
        all:
        \t@echo $(subst ',",$(NAME)) "$(shell echo ")")" $(if $(filter x,$(Y)),a (b),c)
        \t@echo ${shell printf '%s' "{"} $(call quote,$(1)) $(patsubst %.c,%.o,$(wildcard *.c))
        \t@echo $(if $(CI),--ci,) $$(date) $${HOME} $@ $< $^ $(@D) $(<F)
        \tdocker run --privileged alpine:3.20
        """)
    }
    assert parse_errors(files) == []
    check("DC102", files, [("Makefile", 6, 13)])


def test_a_recipe_line_dockerlint_cannot_follow_is_skipped_not_an_error():
    # A tab-indented conditional is part of the recipe: make passes it to the shell, which
    # refuses it. That line is skipped; the lines around it are still read.
    files = {
        "Makefile": dedent("""
        run:
        \tifeq ($(CI),true)
        \t\tdocker run --privileged --env X=(y) alpine:3.20
        \tendif
        \tdocker run --privileged alpine:3.20
        """)
    }
    assert parse_errors(files) == []
    check("DC102", files, [("Makefile", 5, 13)])


def test_conditionals_between_recipe_lines_keep_the_rule():
    files = {
        "Makefile": dedent("""
        run:
        \t@echo start
        ifeq ($(CI),true)
        \tdocker run --privileged alpine:3.20
        else ifdef LOCAL
        \tdocker run -v /var/run/docker.sock:/var/run/docker.sock alpine:3.20
        else
        # a make comment
        endif

        \tdocker run --privileged alpine:3.20
        """)
    }
    check("DC102", files, [("Makefile", 4, 13), ("Makefile", 11, 13)])
    check("DC101", files, [("Makefile", 6, 16)])


def test_define_bodies_are_not_recipes_and_endef_ends_them():
    files = {
        "Makefile": dedent("""
        define RUN_IT
        \tdocker run --privileged alpine:3.20
        \tif [ x
        endef # done
        override define OTHER :=
        \tdocker run --privileged alpine:3.20
        endef
        run:
        \t$(call RUN_IT)
        \tdocker run --privileged alpine:3.20
        """)
    }
    assert parse_errors(files) == []
    check("DC102", files, [("Makefile", 10, 13)])


def test_target_specific_variables_reach_that_targets_recipe_only():
    files = {
        "Makefile": dedent("""
        remote: export DOCKER_HOST = tcp://build.example.com:2375  # the CI daemon
        remote: IMAGE := alpine:3.20
        remote:
        \tdocker ps
        local:
        \tdocker ps
        """)
    }
    check("DD104", files, [("Makefile", 1, 16)])
    assert parse_errors(files) == []


def test_a_target_specific_variable_line_opens_no_recipe():
    files = {
        "Makefile": dedent("""
        run: IMAGE = alpine:3.20
        \tdocker run --privileged $(IMAGE)
        """)
    }
    # GNU make: "recipe commences before first target"; nothing dockerlint can follow.
    check("DC102", files, [])
    assert parse_errors(files) == []


def test_oneshell_recipe_is_one_script():
    recipe = '\tif [ -n "$$CI" ]; then\n\t  docker run --privileged alpine:3.20\n\tfi\n'
    oneshell = {"Makefile": ".ONESHELL:\nrun:\n" + recipe}
    assert parse_errors(oneshell) == []
    check("DC102", oneshell, [("Makefile", 4, 15)])
    # Without .ONESHELL each line is its own shell: 'if ...; then' alone is not shell and is
    # skipped, the docker line is read on its own.
    separate = {"Makefile": "run:\n" + recipe}
    assert parse_errors(separate) == []
    check("DC102", separate, [("Makefile", 3, 15)])


def test_multiline_bash_conditional_in_a_continued_recipe_line():
    files = {
        "Makefile": dedent("""
        SHELL := /bin/bash
        run:
        \t@if [[ "$(MODE)" == dev \\
        \t      || "$(MODE)" == test ]]; then \\
        \t  docker run --privileged alpine:3.20; \\
        \tfi
        """)
    }
    assert parse_errors(files) == []
    check("DC102", files, [("Makefile", 5, 15)])


def test_recipe_prefix_can_be_changed():
    files = {
        "Makefile": dedent("""
        .RECIPEPREFIX = >
        run:
        > docker run --privileged alpine:3.20
        >@docker run -v /:/host alpine:3.20
        """)
    }
    check("DC102", files, [("Makefile", 3, 14)])
    check("DC103", files, [("Makefile", 4, 17)])


def test_recipes_of_a_non_shell_shell_are_not_read_as_shell():
    files = {
        "Makefile": dedent("""
        SHELL := python3
        .SHELLFLAGS := -c
        run:
        \timport os; os.system("docker run --privileged alpine:3.20")
        """)
    }
    check("DC102", files, [])
    assert parse_errors(files) == []
    env_bash = {"Makefile": "SHELL := /usr/bin/env bash\nrun:\n\tdocker run --privileged alpine:3.20\n"}
    check("DC102", env_bash, [("Makefile", 3, 13)])


def test_make_variable_named_like_a_shell_keyword_is_not_shell_syntax():
    files = {"Makefile": "run:\n\t$(do) $(if) $(done) ${fi} docker run --privileged alpine:3.20\n"}
    assert parse_errors(files) == []


def test_double_colon_assignment_is_not_a_rule():
    files = {
        "Makefile": dedent("""
        export DOCKER_HOST ::= tcp://build.example.com:2375
        \tdocker run alpine:3.20
        run:
        \tdocker ps
        """)
    }
    check("DD104", files, [("Makefile", 1, 8)])


def test_shell_text_that_make_functions_run_is_read_too():
    # $(foreach VAR,LIST,TEXT) runs TEXT once per word; $(shell CMD) runs CMD when make
    # expands the recipe. Both are commands of the recipe, read at their own positions.
    files = {
        "Makefile": dedent("""
        up:
        \t$(foreach svc,$(SERVICES),docker run -d --privileged --name $(svc) acme/$(svc):1.0;)
        \t@echo $(shell docker run --rm -v /:/host alpine:3.20 cat /host/etc/hostname)
        \t$(foreach a,$(A),$(foreach b,$(B),docker run --pid=host $(a)-$(b):1;))
        \t$(foreach x,$(X),echo "unterminated;)
        """)
    }
    assert parse_errors(files) == []
    check("DC102", files, [("Makefile", 2, 42)])
    check("DC103", files, [("Makefile", 3, 35)])
    check("DC108", files, [("Makefile", 4, 53)])


def test_a_recipe_line_nested_too_deeply_is_skipped_and_hides_nothing():
    deep = "( " * 5000 + "true" + " )" * 5000
    files = {"Makefile": f"all:\n\tdocker run --privileged alpine:3.20\n\t{deep}\n"}
    assert parse_errors(files) == []
    check("DC102", files, [("Makefile", 2, 13)])


def test_an_unknown_make_variable_before_options_may_stand_for_options():
    # ``$(OPTS)`` of a variable the file does not set reaches the shell as a command
    # substitution: unknown words, not the image, so the mount after it is still read.
    files = {
        "Makefile": dedent("""
        run:
        \tdocker run $(OPTS) -v /var/run/docker.sock:/var/run/docker.sock alpine:3.20
        \tdocker run $(if $(CI),-t,-it) --privileged alpine:3.20
        """)
    }
    check("DC101", files, [("Makefile", 2, 24)])
    check("DC102", files, [("Makefile", 3, 32)])


# -- make variables: make expands them before the shell reads the line ----------------------


def test_make_variables_of_the_file_are_expanded_before_the_shell_reads_the_recipe():
    # wild/nicolargo__glances/Makefile: the command, its options and the socket mounts all
    # come from make variables. The finding points at the reference that brings the mount in.
    files = {
        "Makefile": dedent("""
        DOCKER_RUN        := docker run
        DOCKER_SOCK       ?= /var/run/docker.sock
        DOCKER_SOCKS      := -v $(DOCKER_SOCK):$(DOCKER_SOCK):ro
        DOCKER_OPTS       := --rm -e TZ="${TZ}" --pid host

        run-%:
        \t$(DOCKER_RUN) $(DOCKER_OPTS) $(DOCKER_SOCKS) -it glances:local-$*
        """)
    }
    found = check("DC101", files, [("Makefile", 7, 31, "the Docker socket '/var/run/docker.sock'")])
    f = found[0]
    assert (f.span.end_line, f.span.end_col) == (7, 46)  # exactly ``$(DOCKER_SOCKS)``
    assert "not in the scan" not in f.message  # the value is in the file
    check("DC108", files, [("Makefile", 7, 16)])


def test_a_program_variable_set_in_the_file_runs_that_program():
    # wild/NVIDIA__nvidia-container-toolkit/Makefile: ``DOCKER ?= docker`` then ``$(DOCKER) run``.
    files = {
        "Makefile": dedent("""
        DOCKER   ?= docker

        shell:
        \t$(DOCKER) run --rm --privileged \\
        \t\t-v $(PWD):/work ${BUILDIMAGE}
        """)
    }
    check("DC102", files, [("Makefile", 4, 21)])


def test_a_recursive_variable_is_expanded_where_the_recipe_uses_it():
    # Recipes are expanded once make has read the whole file: a recursive variable set below
    # the rule counts; ``+=`` appends; a simple variable keeps the value it had where it was set.
    files = {
        "Makefile": dedent("""
        SOCK := /tmp/app.sock
        EARLY := -v $(SOCK):/app.sock
        SOCK := /var/run/docker.sock
        run:
        \tdocker run $(FLAGS) $(EARLY) alpine:3.20
        FLAGS = --rm
        FLAGS += --privileged -v $(SOCK):/sock
        """)
    }
    check("DC102", files, [("Makefile", 5, 13)])
    check("DC101", files, [("Makefile", 5, 13, "'/var/run/docker.sock'")])


def test_values_make_cannot_tell_without_running_stay_unknown_words():
    # ``!=`` runs a command, ``define`` is a multi-line value, a target-specific value only
    # applies to that target (and its prerequisites): nothing is invented. The DC101 that
    # fires here does so on the container path, and says the host side is unknown.
    files = {
        "Makefile": dedent("""
        SOCK != echo /var/run/docker.sock
        define OPTS
        --privileged
        endef
        IMAGE = alpine:3.20
        ci: IMAGE = --privileged
        run:
        \tdocker run $(OPTS) -v $(SOCK):/var/run/docker.sock $(IMAGE)
        ci:
        \tdocker run $(IMAGE) alpine:3.20
        """)
    }
    check("DC102", files, [("Makefile", 10, 13)])
    check("DC101", files, [("Makefile", 8, 24, "(a variable not in the scan) at")])


def test_a_variable_that_refers_to_itself_or_explodes_is_bounded():
    # ``A = $(A)`` is make's error; 60 variables doubling each other would be 2**60
    # characters: both stay unknown words, quickly, and the other lines are still read.
    chain = "".join(f"V{i} = $(V{i - 1})$(V{i - 1})\n" for i in range(1, 61))
    files = {
        "Makefile": "V0 = --privileged \nA = $(A) x\n"
        + chain
        + dedent("""
        run:
        \tdocker run $(A) $(V60) alpine:3.20
        \tdocker run --privileged alpine:3.20
        """)
    }
    import time

    start = time.monotonic()
    check("DC102", files, [("Makefile", 65, 13)])
    assert time.monotonic() - start < 10


def test_a_variable_used_outside_a_docker_command_gives_nothing():
    files = {
        "Makefile": dedent("""
        PRIV = --privileged
        SAFE = --read-only --cap-drop ALL
        run:
        \t@echo "would run with $(PRIV)"
        \tdocker run $(SAFE) alpine:3.20
        """)
    }
    check("DC102", files, [])


def test_a_socket_variable_the_file_sets_is_judged_by_its_value():
    # The host side of a mount at the engine's socket path is a variable: when the Makefile
    # sets it, its value decides (a test double here), not the "unknown variable" guess.
    files = {
        "Makefile": dedent("""
        FAKE_ENGINE := $(CURDIR)/tests/fake-engine/api.sock
        REAL_ENGINE ?= /var/run/docker.sock
        contract-test:
        \tdocker run --rm -v $(FAKE_ENGINE):/var/run/docker.sock app:1.4 pytest
        \tdocker run --rm -v $(REAL_ENGINE):/var/run/docker.sock app:1.4 pytest
        """)
    }
    found = check("DC101", files, [("Makefile", 5, 21, "the Docker socket '/var/run/docker.sock'")])
    assert "not in the scan" not in found[0].message


def test_prefixes_a_variable_expands_to_are_make_prefixes():
    # ``Q ?= @`` / ``$(Q)$(DOCKER) run``: make reads @, - and + after expanding the line.
    files = {
        "Makefile": dedent("""
        Q ?= @
        DOCKER ?= docker
        run:
        \t$(Q)$(DOCKER) run --privileged alpine:3.20
        """)
    }
    check("DC102", files, [("Makefile", 4, 20)])


def test_expanding_variables_costs_a_bounded_amount_for_the_whole_file():
    # A 32 KiB value referenced twice on each of 3,000 recipe lines, and 3,000 simple
    # variables copying it, would be about 390 MB of text: make would build it, dockerlint
    # stops expanding past a budget (those references stay unknown words) and reads on.
    import time
    import tracemalloc

    big = "x" * 32 * 1024
    head = f"BIG = {big}\n" + "".join(f"C{i} := $(BIG)\n" for i in range(3000)) + "all:\n"
    body = "".join("\tdocker run $(BIG) $(BIG) alpine:3.20\n" for _ in range(3000))
    files = {"Makefile": head + body + "\tdocker run --privileged alpine:3.20\n"}
    tracemalloc.start()
    start = time.monotonic()
    try:
        check("DC102", files, [("Makefile", 6003, 13)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < 30
    assert peak < 150 * 1024 * 1024


def test_undefine_and_the_escaped_simple_assignment_follow_the_gnu_make_manual():
    # ``undefine`` makes the variable undefined, so a later ``?=`` sets it; ``:::=`` expands
    # now but makes a recursive variable, so ``+=`` appends text expanded where it is used
    # (LATER is set below).
    files = {
        "Makefile": dedent("""
        SOCK = /tmp/app.sock
        undefine SOCK
        SOCK ?= /var/run/docker.sock
        MNT :::= -v $(SOCK):/sock
        MNT += $(LATER)
        LATER = --privileged
        run:
        \tdocker run $(MNT) alpine:3.20
        """)
    }
    check("DC101", files, [("Makefile", 8, 13, "'/var/run/docker.sock'")])
    check("DC102", files, [("Makefile", 8, 13)])


def test_a_target_specific_append_adds_to_the_global_value_make_ends_with():
    # ``ci: FLAGS += --privileged`` appends to FLAGS as the whole file sets it, even when the
    # global assignment comes later. Elsewhere FLAGS depends on which target make builds
    # (a prerequisite of ci inherits ci's value): an unknown word there, as documented.
    files = {
        "Makefile": dedent("""
        ci: FLAGS += --privileged
        ci:
        \tdocker run $(FLAGS) alpine:3.20
        run:
        \tdocker run $(FLAGS) alpine:3.20
        FLAGS = --rm -v /var/run/docker.sock:/var/run/docker.sock
        """)
    }
    check("DC102", files, [("Makefile", 3, 13)])
    check("DC101", files, [("Makefile", 3, 13)])


def test_a_variable_whose_expansion_meets_itself_is_unknown_as_a_whole():
    # make stops with "Recursive variable 'A' references itself (eventually)": nothing of A's
    # (or B's) value runs, so the --privileged inside the cycle is not a finding; a clean
    # reference on the same line still expands.
    files = {
        "Makefile": dedent("""
        A = $(B)
        B = $(A) --privileged
        PRIV = --privileged
        run:
        \tdocker run $(A) alpine:3.20
        \tdocker run $(B) $(PRIV) alpine:3.20
        """)
    }
    check("DC102", files, [("Makefile", 6, 18)])
