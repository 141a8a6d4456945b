"""DC123 unresolved-variable (raised by the Compose project assembler; more in test_compose_project.py)."""

from __future__ import annotations

from helpers import check


def test_variable_without_default_fires_once_at_first_use() -> None:
    check(
        "DC123",
        """
        services:
          app:
            image: "app:${TAG}"
            environment:
              VERSION: ${TAG}
              HOME_DIR: $$HOME
              LEVEL: ${LEVEL:-info}
        """,
        name="compose.yaml",
        expect=[(3, 12, "variable 'TAG' is not set")],
    )


def test_dotenv_resolves_and_required_variables_say_so() -> None:
    check("DC123", {"compose.yaml": "services:\n  app:\n    image: app:${TAG}\n", ".env": "TAG=1.2\n"}, expect=[])
    check(
        "DC123",
        {"compose.yaml": "services:\n  app:\n    image: app:${TAG:?set TAG in CI}\n"},
        expect=[(3, 12, "variable 'TAG' is required ('set TAG in CI')")],
    )


def test_unread_keys_and_extension_fields_count_too() -> None:
    check(
        "DC123",
        """
        x-common: &common
          logging:
            driver: ${LOG_DRIVER}
        services:
          app:
            <<: *common
            image: app:1
            healthcheck:
              test: ["CMD", "curl", "http://localhost:${PORT}/"]
        """,
        name="compose.yaml",
        expect=[(3, 13, "'LOG_DRIVER'"), (9, 29, "'PORT'")],
    )
