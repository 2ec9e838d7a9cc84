"""What the benchmark scripts share: a database of their own on PostgreSQL, the machine's load and
the process's peak memory (scripts import it as `common`, being run from bench/)."""

import os
import resource
import tempfile
from collections.abc import Callable
from pathlib import Path
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


def django_in_a_fresh_place() -> tuple[Path, Callable[[], None] | None]:
    """Point the dev settings at a new temporary directory (and, on PostgreSQL, a database of its
    own), set Django up without a query log, as in production; the directory and the dropper of the
    database, for the script to clean up."""
    tmp = Path(tempfile.mkdtemp(prefix="bdtx-bench-"))
    os.environ["BDTX_VAR_DIR"] = str(tmp)
    drop_database = fresh_postgres_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: no query log
    return tmp, drop_database
