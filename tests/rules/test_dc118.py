"""DC118 unpinned-image."""

from __future__ import annotations

import pytest

from helpers import check


def test_points_at_the_image_value() -> None:
    check(
        "DC118",
        """
        services:
          web:
            image: nginx
          db:
            image: postgres:latest
          cache:
            image: redis:7.2.5
        """,
        expect=[
            (3, 12, "image 'nginx' (no tag: ':latest'); pin a version tag or digest"),
            (5, 12, "image 'postgres:latest' (tag ':latest'); pin a version tag or digest"),
        ],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "library/nginx:latest",
        "ghcr.io/acme/api",
        "localhost:5000/app",
        "registry.example.com:5000/team/app:latest",
        '"${IMAGE:-nginx}"',
        '"nginx:${TAG:-latest}"',
    ],
)
def test_unpinned(image: str) -> None:
    check("DC118", f"services:\n  a:\n    image: {image}\n", expect=[(3, 12)], name="compose.yaml")


@pytest.mark.parametrize(
    "image",
    [
        "nginx:1.27.0",
        "localhost:5000/app:2.1",
        "nginx@sha256:" + "a" * 64,
        "nginx:latest@sha256:" + "b" * 64,
        '"${IMAGE}"',
        '"nginx:${TAG}"',
        '"${REGISTRY}/app:1.0"',
        "nginx:stable-alpine",
    ],
)
def test_pinned_or_unknown_is_clean(image: str) -> None:
    check("DC118", f"services:\n  a:\n    image: {image}\n", expect=[], name="compose.yaml")


def test_image_built_here_is_clean() -> None:
    check(
        "DC118",
        """
        services:
          api:
            build: ./api
            image: acme/api
          worker:
            build:
              context: ./worker
            image: acme/worker:latest
        """,
        expect=[],
        name="compose.yaml",
    )


# -- an image produced in the same scan is not pulled (issue 12, B3) --------------------------


def test_a_service_running_an_image_another_service_builds_is_clean() -> None:
    check(
        "DC118",
        """
        services:
          api:
            build: ./api
            image: acme/api
          worker:
            image: docker.io/acme/api:latest
            command: ["worker"]
          proxy:
            image: nginx
        """,
        expect=[(9, 12, "service 'proxy' uses image 'nginx' (no tag: ':latest'); pin a version tag or digest")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("policy", ["always", "daily", "weekly", "every_12h", "refresh"])
def test_build_with_a_pulling_policy_fires_and_says_why(policy: str) -> None:
    got = check(
        "DC118",
        f"""
        services:
          api:
            build: ./api
            image: acme/api:latest
            pull_policy: {policy}
          worker:
            image: acme/api
        """,
        expect=[
            (4, 12, f"(tag ':latest'); it has build:, but pull_policy '{policy}' pulls it"),
            (7, 12, f"; service 'api' (compose.yaml:3) builds it, but pull_policy '{policy}' pulls it"),
        ],
        name="compose.yaml",
    )
    assert got[0].severity.value == "medium"


@pytest.mark.parametrize("policy", ["missing", "if_not_present", "build", "never"])
def test_build_with_a_policy_that_keeps_the_local_image_is_clean(policy: str) -> None:
    check(
        "DC118",
        f"services:\n  api:\n    build: .\n    image: acme/api\n    pull_policy: {policy}\n",
        expect=[],
        name="compose.yaml",
    )


def test_docker_run_of_an_image_a_build_line_makes_is_clean() -> None:
    check(
        "DC118",
        {
            "scripts/dev.sh": """
        #!/bin/sh
        docker build -t acme/api -f docker/api.Dockerfile .
        docker run --rm -p 127.0.0.1:8080:8080 acme/api:latest
        docker run --rm --pull always acme/api
        docker run --rm acme/tools
        """
        },
        expect=[
            (
                "scripts/dev.sh",
                4,
                31,
                ("docker build -t acme/api (scripts/dev.sh:2) builds it, but --pull 'always' pulls it"),
            ),
            ("scripts/dev.sh", 5, 17, "uses image 'acme/tools' (no tag: ':latest'); pin"),
        ],
    )


def test_build_line_anywhere_in_the_scan_counts() -> None:
    # make runs targets in the order asked, not the order written: 'run' is before 'build'.
    check(
        "DC118",
        {
            "Makefile": "run: build\n\tdocker run --rm acme/app\n\nbuild:\n\tdocker build -t acme/app $(CONTEXT)\n",
            "ci/test.sh": "#!/bin/sh\ndocker run --rm acme/app make test\n",
            "compose.yaml": "services:\n  app:\n    image: acme/app\n",
        },
        expect=[],
    )
