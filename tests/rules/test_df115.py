"""DF115 healthcheck-missing."""

from __future__ import annotations

import pytest

from helpers import check, lint, registry


def test_exposed_service_without_healthcheck_points_at_the_final_from() -> None:
    check(
        "DF115",
        """
        FROM node:20-slim AS build
        RUN npm ci && npm run build
        FROM nginx:1.27-alpine
        COPY --from=build /app/dist /usr/share/nginx/html
        EXPOSE 80
        """,
        expect=[(3, 6, "no HEALTHCHECK in the final stage of a service (EXPOSE '80' on line 5)")],
    )


@pytest.mark.parametrize(
    "healthcheck",
    [
        "HEALTHCHECK --interval=30s CMD wget -qO- http://localhost/ || exit 1",
        'HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]',
        "HEALTHCHECK NONE",
        "healthcheck none",
    ],
)
def test_any_healthcheck_counts(healthcheck: str) -> None:
    check("DF115", f"FROM nginx:1.27-alpine\nEXPOSE 80\n{healthcheck}\n", expect=[])


@pytest.mark.parametrize(
    ("command", "server"),
    [
        ('CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]', "gunicorn"),
        ('CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]', "manage.py runserver"),
        ("CMD flask run --host=0.0.0.0", "flask run"),
        ('ENTRYPOINT ["/usr/sbin/php-fpm8.2", "-F"]', "php-fpm"),
        ('CMD ["bundle", "exec", "rails", "server", "-b", "0.0.0.0"]', "rails server"),
        ('CMD ["nginx", "-g", "daemon off;"]', "nginx"),
    ],
)
def test_server_commands_make_a_service(command: str, server: str) -> None:
    check("DF115", f"FROM python:3.12-slim\nCOPY . /app\n{command}\n", expect=[(1, 6, f"on line 3 starts {server}")])


@pytest.mark.parametrize(
    "command",
    [
        'ENTRYPOINT ["jq"]',
        'CMD ["python3"]',
        'CMD ["npm", "test"]',
        'ENTRYPOINT ["vault"]',
        "CMD make",
    ],
)
def test_tools_are_not_services(command: str) -> None:
    check("DF115", f"FROM python:3.12-slim\n{command}\n", expect=[])


def test_inheritance_through_stages() -> None:
    check(
        "DF115",
        """
        FROM python:3.12-slim AS base
        HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/')"
        FROM base
        EXPOSE 8000
        """,
        expect=[],
    )
    check(
        "DF115",
        """
        FROM python:3.12-slim AS base
        EXPOSE 8000
        FROM base AS app
        COPY . /app
        """,
        expect=[(3, 6, "EXPOSE '8000' on line 2")],
    )


def test_build_stages_do_not_count() -> None:
    check(
        "DF115",
        """
        FROM golang:1.22 AS build
        EXPOSE 8080
        HEALTHCHECK NONE
        FROM gcr.io/distroless/static-debian12:nonroot
        COPY --from=build /out/cli /cli
        ENTRYPOINT ["/cli"]
        """,
        expect=[],
    )
    check(
        "DF115",
        """
        FROM golang:1.22 AS build
        HEALTHCHECK NONE
        FROM gcr.io/distroless/static-debian12:nonroot
        EXPOSE 8080
        """,
        expect=[(3, 6)],
    )


def test_off_by_default() -> None:
    assert registry().get("DF115").enabled_by_default is False
    result = lint("FROM nginx:1.27\nEXPOSE 80\n")
    assert not [f for f in result.findings if f.rule_id == "DF115"]
