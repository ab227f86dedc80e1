"""Connecting to Neo4j and running Cypher, with driver failures turned into one-line KgErrors."""

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

from neo4j import Driver, GraphDatabase, Record, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg import cypher
from kg.cypher import QueryFile
from kg.errors import InputError, KgError, Neo4jUnavailable
from kg.lookup import Known, find_character

_T = TypeVar("_T")

CONNECTION_TIMEOUT = 10.0
"""Seconds to wait for the server to answer before calling it unreachable."""
RETRY_SECONDS = 15.0
"""Seconds a transaction is retried after the connection is lost before kg gives up."""
BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})

WAIT_NOTICE = 1.0
"""Seconds `locked` waits for a lock before saying that it waits."""


class Neo4jSettings(BaseSettings):
    """Connection settings, from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_")

    uri: str | None = None
    user: str = "neo4j"
    password: SecretStr | None = None
    database: str = "neo4j"


def connect(settings: Neo4jSettings) -> Driver:
    """A driver for the server in settings, checked by logging in once.

    Raises Neo4jUnavailable (never showing the password) if it cannot be used.
    """
    if not settings.uri:
        raise Neo4jUnavailable("no Neo4j server given: pass --uri or set NEO4J_URI")
    if settings.password is None:
        raise Neo4jUnavailable("no Neo4j password given: set NEO4J_PASSWORD")
    where = server_name(settings.uri)
    bad_uri = Neo4jUnavailable(
        f"bad Neo4j URI {where!r}: use bolt://HOST:PORT or neo4j://HOST:PORT"
    )
    # The driver would take http:// for its preview HTTP API (and warn); kg speaks Bolt.
    if urlsplit(settings.uri).scheme.lower() not in BOLT_SCHEMES:
        raise bad_uri
    try:
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password.get_secret_value()),
            connection_timeout=CONNECTION_TIMEOUT,
            max_transaction_retry_time=RETRY_SECONDS,
            notifications_min_severity="OFF",
        )
    except (ConfigurationError, ValueError):
        raise bad_uri from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise Neo4jUnavailable(
            f"Neo4j at {where} refused user {settings.user!r}: wrong user or password "
            "(check NEO4J_USER and NEO4J_PASSWORD)"
        ) from None
    except Neo4jError as e:
        driver.close()
        if (e.code or "").endswith("AuthenticationRateLimit"):
            raise Neo4jUnavailable(
                f"Neo4j at {where} refused user {settings.user!r} for now: too many wrong "
                "passwords in a row; check NEO4J_PASSWORD and try again in a few seconds"
            ) from None
        raise to_kg_error(e, settings.database) from None
    except (DriverError, OSError):
        driver.close()
        raise Neo4jUnavailable(
            f"cannot reach Neo4j at {where}: is the server running and the URI right?"
        ) from None
    return driver


def connect_to(
    uri: str | None = None, *, user: str | None = None, password: str | None = None
) -> Driver:
    """A checked driver for the Python API: arguments first, then NEO4J_* variables.

    >>> with connect_to("bolt://127.0.0.1:7687", password="...") as driver: ...
    """
    given: dict[str, Any] = {"uri": uri, "user": user, "password": password}
    return connect(Neo4jSettings(**{k: v for k, v in given.items() if v is not None}))


def server_name(uri: str) -> str:
    """The URI without any user:password@ part, safe to show."""
    parts = urlsplit(uri)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}" if parts.scheme else host


def run(
    driver: Driver,
    query: str,
    parameters: Mapping[str, object] | None = None,
    *,
    database: str,
) -> list[Record]:
    """Run one statement in its own transaction and return its records.

    Raises Neo4jUnavailable when the server or database cannot be used and KgError when
    the server rejects the statement.
    """
    try:
        return _execute(driver, query, parameters, database)[1]
    except Neo4jError as e:
        raise to_kg_error(e, database) from None


def probe(
    driver: Driver, query: str, parameters: Mapping[str, object] | None = None, *, database: str
) -> list[Record] | None:
    """Like run, but None when the server lacks a procedure or function the query calls."""
    try:
        return _execute(driver, query, parameters, database)[1]
    except Neo4jError as e:
        if procedure_missing(e):
            return None
        raise to_kg_error(e, database) from None


def run_query(
    driver: Driver,
    query: QueryFile,
    parameters: Mapping[str, object],
    *,
    database: str,
    write: bool = False,
) -> tuple[list[str], list[Record]]:
    """Run a curated query with its defaults overridden by parameters; return keys and records.

    Parameters travel as Cypher parameters; one not given is null, which the query reads as
    its default. Raises InputError for an unknown parameter, for a name no character has
    (with "did you mean"), and when the database lacks the wiki facts the query needs.
    The query runs in a read transaction unless `write`: one that writes is refused.
    """
    unknown = sorted(set(parameters) - set(query.parameters))
    if unknown:
        takes = ", ".join(query.parameters) or "none"
        raise InputError(f"query {query.name} has no parameter {unknown[0]!r} (it takes: {takes})")
    values = {**dict.fromkeys(query.parameters), **query.defaults, **parameters}
    _check_facts(driver, query, database)
    if values.get("name") is not None:
        known = run(
            driver,
            cypher.KNOWN_CHARACTERS,
            {k: values.get(k) for k in ("book", "series")},
            database=database,
        )
        find_character(
            str(values["name"]), (Known(r["name"], r["aliases"], r["rank"]) for r in known)
        )
    try:
        return _execute(driver, query.text, values, database, write=write)
    except Neo4jError as e:
        if (e.code or "").endswith("AccessMode"):
            raise InputError(
                f"query {query.name} writes to the database: pass --write to allow it"
            ) from None
        raise to_kg_error(e, database) from None


def _check_facts(driver: Driver, query: QueryFile, database: str) -> None:
    """InputError naming what provides them if the database has none of the query's needs."""
    if not query.needs:
        return
    found = run(driver, cypher.HAS_RELATIONSHIPS, {"types": list(query.needs)}, database=database)
    if not any(r["present"] for r in found):
        raise InputError(
            f"query {query.name} needs {query.needs_what}: this database has no "
            f"{' or '.join(query.needs)} relationships"
        )


def _execute(
    driver: Driver,
    query: str,
    parameters: Mapping[str, object] | None,
    database: str,
    *,
    write: bool = True,
) -> tuple[list[str], list[Record]]:
    routing = RoutingControl.WRITE if write else RoutingControl.READ
    try:
        result = driver.execute_query(
            query, dict(parameters or {}), database_=database, routing_=routing
        )
    except (DriverError, OSError):
        raise _lost() from None
    return list(result.keys), list(result.records)


@contextmanager
def locked(
    driver: Driver,
    keys: Sequence[str],
    *,
    database: str,
    on_wait: Callable[[], None] = lambda: None,
) -> Iterator[None]:
    """Hold kg's locks on keys, in order, for the block; wait while another process holds one.

    The locks live in one transaction that stays open and is rolled back at the end, so
    nothing of them is ever stored, and a process that dies releases them with its
    connection. `on_wait` runs once if a lock is not granted within WAIT_NOTICE seconds.
    """
    try:
        with driver.session(database=database) as session, session.begin_transaction() as tx:
            for key in keys:
                notice = threading.Timer(WAIT_NOTICE, on_wait)
                notice.start()
                try:
                    tx.run(cypher.LOCK, key=key).consume()
                finally:
                    notice.cancel()
            yield
            tx.rollback()
    except Neo4jError as e:
        raise to_kg_error(e, database) from None
    except (DriverError, OSError):
        raise _lost() from None


def check_schema(driver: Driver, *, database: str = "neo4j") -> None:
    """Refuse, in one line that says how to go on, a database that an older kg wrote: its
    characters are shared by name across all books, which kg no longer does."""
    if run(driver, cypher.OLD_SCHEMA_DATA, database=database)[0]["found"]:
        raise InputError(
            f"database {database!r} was written by an older kg, which shared characters by "
            "name across all books: load into an empty database (or another --database), "
            "or empty this one and load its books again"
        )


def batches(rows: Sequence[_T], size: int) -> Iterator[list[_T]]:
    """Consecutive slices of at most size rows, one per transaction."""
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


def procedure_missing(error: Neo4jError) -> bool:
    """Whether the server said the called procedure or function does not exist."""
    code = error.code or ""
    return code.endswith(("ProcedureNotFound", "UnknownFunction")) or (
        code.endswith("SyntaxError") and "Unknown function" in (error.message or "")
    )


def to_kg_error(error: Neo4jError, database: str) -> KgError:
    """The one-line KgError for an error the server returned."""
    code = error.code or "Neo4jError"
    message = (error.message or code).strip().splitlines()[0]
    if code.endswith("DatabaseNotFound"):
        return Neo4jUnavailable(f"Neo4j has no database {database!r} (see --database)")
    if isinstance(error, AuthError) or ".Security." in code:
        return Neo4jUnavailable(f"Neo4j refused the request: {message}")
    if isinstance(error, ServiceUnavailable | SessionExpired):
        return _lost()
    if code.startswith("Neo.ClientError.Statement"):
        return InputError(f"Neo4j rejected the query ({code.rsplit('.', 1)[-1]}): {message}")
    return KgError(f"Neo4j error {code}: {message}")


def _lost() -> Neo4jUnavailable:
    return Neo4jUnavailable(
        f"lost the connection to Neo4j (retried for {RETRY_SECONDS:g} s);"
        " is the server still running?"
    )
