"""Who is told when something that decides a person's year result changes: a module completed or not
any more, a score set, a mark given. Training sits below results (layers only import down), so
results registers a listener here from its `AppConfig.ready()` and recomputes the results not yet
recognised of the people concerned, in the same transaction as the change (a result never lags the
data it was computed from). The listener gets (person ids, school year id) pairs grouped by year."""

from collections import defaultdict
from collections.abc import Callable, Collection

from django.db.models import QuerySet

from bdtx.training.models import Enrolment

Listener = Callable[[Collection[int], int], None]  # (person ids, school year id)

_listeners: list[Listener] = []


def on_learning_changed(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def learning_changed(enrolments: QuerySet[Enrolment]) -> None:
    """Tell the listeners about the people and years of these enrolments (one query, none when
    nobody listens)."""
    if not _listeners:
        return
    by_year: dict[int, set[int]] = defaultdict(set)
    for person_id, year_id in enrolments.order_by().values_list("person_id", "school_year_id").distinct():
        by_year[year_id].add(person_id)
    for year_id, people in by_year.items():
        for listener in _listeners:
            listener(people, year_id)
