"""DC118 unpinned-image."""

from __future__ import annotations

import pytest

from helpers import check


def test_points_at_the_image_value() -> None:
    check("DC118", """
        services:
          web:
            image: nginx
          db:
            image: postgres:latest
          cache:
            image: redis:7.2.5
        """, expect=[(3, 12, "image 'nginx' with no tag, which means ':latest'"),
                     (5, 12, "image 'postgres:latest' with the ':latest' tag")], name="compose.yaml")


@pytest.mark.parametrize("image", ["nginx", "library/nginx:latest", "ghcr.io/acme/api", "localhost:5000/app",
                                   "registry.example.com:5000/team/app:latest", '"${IMAGE:-nginx}"',
                                   '"nginx:${TAG:-latest}"'])
def test_unpinned(image: str) -> None:
    check("DC118", f"services:\n  a:\n    image: {image}\n", expect=[(3, 12)], name="compose.yaml")


@pytest.mark.parametrize("image", [
    "nginx:1.27.0", "localhost:5000/app:2.1", "nginx@sha256:" + "a" * 64, "nginx:latest@sha256:" + "b" * 64,
    '"${IMAGE}"', '"nginx:${TAG}"', '"${REGISTRY}/app:1.0"', "nginx:stable-alpine",
])
def test_pinned_or_unknown_is_clean(image: str) -> None:
    check("DC118", f"services:\n  a:\n    image: {image}\n", expect=[], name="compose.yaml")


def test_image_built_here_is_clean() -> None:
    check("DC118", """
        services:
          api:
            build: ./api
            image: acme/api
          worker:
            build:
              context: ./worker
            image: acme/worker:latest
        """, expect=[], name="compose.yaml")
