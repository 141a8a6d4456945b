"""DC103: what a whole-root mount exposes depends on who reads it."""

from __future__ import annotations

from helpers import check, dedent


def test_a_read_only_root_mount_read_by_a_known_non_root_user_is_high_and_says_so():
    # The claim "reads every secret on the host" needs root in the container: prom/node-exporter
    # runs as nobody, and ``user: 65534`` says so outright. Writable, privileged, root or a user
    # from a variable keep the critical claim.
    files = {
        "compose.yaml": dedent("""
        services:
          exporter:
            image: prom/node-exporter:v1.8.2
            volumes: ["/:/host:ro,rslave"]
          report:
            image: example/report:1
            user: "65534"
            volumes: ["/:/scan:ro"]
          root:
            image: example/report:1
            user: "0:0"
            volumes: ["/:/scan:ro"]
          var:
            image: example/report:1
            user: "${UID}"
            volumes: ["/:/scan:ro"]
          writer:
            image: prom/node-exporter:v1.8.2
            volumes: ["/:/host"]
          priv:
            image: prom/node-exporter:v1.8.2
            privileged: true
            volumes: ["/:/host:ro"]
        """)
    }
    # The message says who reads it; what that user can and cannot read is the rule page's.
    found = check(
        "DC103",
        files,
        [
            ("compose.yaml", 4, 15, "read-only, as the non-root user of 'prom/node-exporter:v1.8.2'"),
            ("compose.yaml", 8, 15, "read-only, as user '65534' (its user:)"),
            ("compose.yaml", 12, 15, "'/' at '/scan' read-only"),
            ("compose.yaml", 16, 15, "'/' at '/scan' read-only"),
            ("compose.yaml", 19, 15, "'/' at '/host' writable"),
            ("compose.yaml", 23, 15, "'/' at '/host' read-only"),
        ],
    )
    assert [f.severity.value for f in found] == ["high", "high", "critical", "critical", "critical", "critical"]
    assert all(f.message.endswith("read-only") for f in found[2:4]) and found[5].message.endswith("read-only")
