"""The problems found in an import job's file, as a spreadsheet to correct the file with."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from bdtx.core.exporters import Column, write_xlsx
from bdtx.imports.models import ImportJob


def problem_report_xlsx(job: ImportJob, *, sensitive: bool) -> bytes:
    """One problem per line: row, column, header, value (masked unless `sensitive`), what is wrong."""
    columns = [
        Column(_("Row"), 7),
        Column(_("Column"), 8),
        Column(_("Header"), 24),
        Column(_("Value"), 24, "text"),
        Column(_("Problem"), 70),
    ]
    return write_xlsx(
        title=_("Problems found in %(file)s") % {"file": job.original_filename},
        subtitle=_("%(n)d problems in %(rows)d rows") % {"n": job.problem_count, "rows": job.invalid_rows},
        columns=columns,
        rows=_problem_rows(job, sensitive=sensitive),
        sheet="Loi",
    )


def _problem_rows(job: ImportJob, *, sensitive: bool) -> Iterator[list[Any]]:
    hidden = job.importer.sensitive_keys if not sensitive else frozenset()
    warning = _("warning")
    for p in job.problems:
        value = "•••" if p.get("key") in hidden else p["value"]
        message = p["message"] if p.get("severity", "error") == "error" else f"{warning}: {p['message']}"
        yield [p["row"] or "", p["col"], p["column"], value, message]
