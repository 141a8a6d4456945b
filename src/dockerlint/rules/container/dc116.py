"""DC116 published-on-all-interfaces: a published port listens on every host interface."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Edit, Fix, Hit, RuleContext, Severity, quote, rule
from dockerlint.models.base import LStr, Span
from dockerlint.models.container import Container, PortBinding
from dockerlint.rules.common.containers import subject
from dockerlint.rules.common.daemons import daemons
from dockerlint.rules.container._text import fit

_ALL = frozenset({"0.0.0.0", "::", "[::]", "*"})
# Services that must not face the network unauthenticated: remote shells, the Docker API,
# databases, caches, message brokers, cluster control planes, remote desktops.
SENSITIVE_PORTS = {
    22: "SSH",
    23: "Telnet",
    445: "SMB",
    1433: "SQL Server",
    1521: "Oracle",
    2375: "the Docker API",
    2376: "the Docker API",
    2379: "etcd",
    2380: "etcd",
    3306: "MySQL/MariaDB",
    3389: "RDP",
    4243: "the Docker API",
    5432: "PostgreSQL",
    5672: "AMQP",
    5900: "VNC",
    5984: "CouchDB",
    6379: "Redis",
    6443: "the Kubernetes API",
    7474: "Neo4j",
    8086: "InfluxDB",
    8500: "Consul",
    9042: "Cassandra",
    9092: "Kafka",
    9200: "Elasticsearch",
    9300: "Elasticsearch",
    10250: "the kubelet",
    11211: "Memcached",
    2181: "ZooKeeper",
    15672: "RabbitMQ management",
    26257: "CockroachDB",
    27017: "MongoDB",
    27018: "MongoDB",
    28015: "RethinkDB",
}


def _ports(text: str) -> range | None:
    """The ports of ``8080`` or ``8000-8010``; None when not a literal number or range."""
    lo, _, hi = text.strip().partition("-")
    if not lo.isdigit() or (hi and not hi.isdigit()):
        return None
    return range(int(lo), int(hi or lo) + 1)


def _sensitive(p: PortBinding) -> tuple[str, int] | None:
    for part in (p.container_port, p.host_port):
        ports = _ports(part.text) if part is not None else None
        if ports is None or len(ports) > 1000:
            continue
        for port, name in SENSITIVE_PORTS.items():
            if port in ports:
                return name, port
    return None


def _from(*parts: LStr | None) -> str:
    """``, from '${...}'`` for the parts a variable wrote (Compose interpolates
    the whole item before it splits it, so a default may hold the host IP and the port)."""
    written = list(dict.fromkeys(p.value for p in parts if p is not None and p.expanded is not None))
    if not written:
        return ""
    return ", from " + " and ".join(quote(w, 40) for w in written)


def _loopback(ip: str) -> bool:
    ip = ip.strip().strip("[]").lower()
    return ip.startswith("127.") or ip in {"::1", "localhost"}


def _daemon_default_loopback(ctx: RuleContext) -> bool:
    """Every daemon in the scan binds published ports to loopback by default (``"ip": "127.0.0.1"``)."""
    found = daemons(ctx)
    return bool(found) and all(isinstance(d.value("ip"), str) and _loopback(d.value("ip")) for d in found)


def _bind_fix(c: Container, p: PortBinding) -> Fix | None:
    """Insert ``127.0.0.1:`` in front of a short-syntax Compose port (``"8080:80"``).

    The model keeps the whole item's span, so the written text is rebuilt from the parts
    and its width compared with the span: unquoted or quoted by one character on each
    side. Anything else (long syntax, ranges written oddly, several lines, an explicit
    0.0.0.0) gets no fix.
    """
    if c.source != "compose" or p.host_ip is not None or p.host_port is None:
        return None
    sp = p.span
    if sp.line != sp.end_line:
        return None
    core = f"{p.host_port.value}:{p.container_port.value}"
    width = sp.end_col - sp.col
    for text in (core, f"{core}/{p.protocol}"):
        for quoted in (0, 1):
            if width == len(text) + 2 * quoted:
                at = Span(sp.path, sp.line, sp.col + quoted, sp.line, sp.col + quoted)
                return Fix("bind the published port to 127.0.0.1", [Edit(at, "127.0.0.1:")])
    return None


def _port(text: str) -> str:
    """A port or range as written: plain when it is one, else quoted (a value from the file)."""
    return text if _ports(text) is not None else quote(text, 24)


_FIX = "; bind it to 127.0.0.1"


@rule(
    id="DC116",
    name="published-on-all-interfaces",
    reads=Container,
    severity=Severity.LOW,
    summary="Published port listens on every host interface (no host IP)",
    cwe=(1327,),
    cis=("5.13",),
    peers={"compose-lint": "CL-0005", "kics": "container_traffic_not_bound_to_host_interface"},
    precision="very-high",
    tags=("security",),
    fixes="binds a short-syntax Compose port to loopback: `8080:80` becomes `127.0.0.1:8080:80`",
)
def published_on_all_interfaces(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if not c.ports:
        return
    if c.network_mode is not None and c.network_mode.text.strip().lower() == "host":
        return  # dockerd ignores published ports with host networking; DC107 reports that
    default_loopback = None
    for p in c.ports:
        ip = p.host_ip.text.strip() if p.host_ip is not None else ""
        if "$" in ip:
            continue  # a variable without a default: decided at deploy time
        if ip and ip not in _ALL:
            continue  # bound to one address (loopback or a chosen interface)
        if not ip and c.source != "quadlet":  # dockerd's default address is not podman's
            if default_loopback is None:
                default_loopback = _daemon_default_loopback(ctx)
            if default_loopback:
                continue
        written = p.host_port.text if p.host_port is not None else "a random port"
        where = f"host port {_port(written)}" if p.host_port is not None else "a random host port"
        how = f"host IP {quote(ip, 24)}" if ip else "no host IP"
        service = _sensitive(p)
        port = p.container_port.text
        what = ""
        if service is not None:
            what = f": {service[0]}" if port.strip() == str(service[1]) else f", {service[0]} on {service[1]}"
        msg = (
            fit(
                f"{subject(c)} publishes {where} (container port {_port(port)}{what}) on every host interface ({how}",
                _from(p.host_port, p.host_ip),
                limit=139,
            )
            + ")"
        )
        msg = fit(msg, _FIX)
        if service is not None:
            yield Hit(
                p.span, msg, severity=Severity.MEDIUM, context=f"{c.name.value}:port:{written}", fix=_bind_fix(c, p)
            )
        else:
            yield Hit(p.span, msg, context=f"{c.name.value}:port:{written}", fix=_bind_fix(c, p))
