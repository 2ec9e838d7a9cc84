"""What the benchmark scripts share: a database of their own on PostgreSQL, the machine's load and
the process's peak memory (scripts import it as `common`, being run from bench/)."""

import os
import resource
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit


def fresh_postgres_database() -> Callable[[], None] | None:
    """With DATABASE_URL on PostgreSQL, create an empty database for the run; return its dropper."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql"):
        return None
    import psycopg

    name = f"bdtx_bench_{os.getpid()}"
    maintenance = urlunsplit(url._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))

    def drop() -> None:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return drop


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())
