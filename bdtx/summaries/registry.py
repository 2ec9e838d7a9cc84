"""The summarisers: what each reporting app keeps per unit and school year.

A summariser is a function `(school_year_id, unit_ids) -> None` that deletes its rows of those units
and year and writes them again from the data; the apps register theirs in `AppConfig.ready`. They run
together, in one transaction under the year's lock (`services.refresh`), so the change log is
consumed once for all of them."""

from collections.abc import Callable, Sequence

type Summariser = Callable[[int, Sequence[int]], None]

_summarisers: dict[str, Summariser] = {}


def register(name: str, summariser: Summariser) -> None:
    _summarisers[name] = summariser


def summarisers() -> list[Summariser]:
    return list(_summarisers.values())
