"""LMS exchange (issue 9): the account list an LMS operator loads, results coming back from the LMS
(an imported file, or xAPI statements the LMS pushes with its token), and the learners' LMS state.

The LMS username of a learner is the hex form of their person UUID (32 characters, e.g.
`3f2a…9c`): stable for life, unique by construction, needing no stored column and no sequence,
and it reveals nothing (not a name, not an ID number). An activity of the LMS (the module taught
by a cohort) is `urn:bdtx:cohort:<cohort uuid>`; any activity IRI containing the cohort's UUID is
understood, so an LMS may keep its own URL scheme.

Results are a history (`LmsResult`, one row per file row or statement); each row carries the whole
state after it, so the current state of a learner is their latest row (one subquery per column,
constant queries whatever the cohort's size). Writes are set operations: one query reads the
latest rows of the learners concerned, the new rows go in one bulk insert.
"""

import csv
import hashlib
import io
import re
import secrets
import tempfile
import uuid as uuidlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from bdtx.core.bulk import bulk_insert_values
from bdtx.core.exporters import Column, TextWriter, new_workbook
from bdtx.core.models import AuditLog
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.people.models import Person
from bdtx.training.completion import completion_recompute
from bdtx.training.models import (
    ACTIVE_STATUSES,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Lms,
    LmsResult,
    LmsSource,
    LmsStatement,
)

ACTIVITY_PREFIX = "urn:bdtx:cohort:"
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
MAX_STATEMENTS = 500  # per request


def lms_username(person: Person | uuidlib.UUID) -> str:
    """The learner's LMS username: their person UUID in hex (see the module's docstring)."""
    u = person.uuid if isinstance(person, Person) else person
    return u.hex


def username_uuid(text: str) -> uuidlib.UUID | None:
    """The person UUID an LMS username names, or None when it is not one."""
    text = text.strip()
    if not _UUID.fullmatch(text):
        return None
    return uuidlib.UUID(text.replace("-", ""))


def activity_id(cohort: Cohort) -> str:
    return f"{ACTIVITY_PREFIX}{cohort.uuid}"


# --- who may exchange ------------------------------------------------------------------------------


def lms_can_exchange(scope: Scope, cohort: Cohort) -> bool:
    """The organisers (training.manage over the organiser) and the assessing institution's own staff
    (who assess: its results are what they write)."""
    if cohort.managed_by(scope):
        return True
    return cohort.institution is not None and scope.holds_at(Perm.TRAINING_ASSESS, cohort.institution)


def lms_require_exchange(scope: Scope, cohort: Cohort) -> None:
    if not lms_can_exchange(scope, cohort):
        raise PermissionDenied


# --- selectors -------------------------------------------------------------------------------------


def with_lms_state(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments with their current LMS state: lms_progress, lms_passed, lms_score, lms_at (the
    latest result's time). Subqueries in the same SQL: no query per learner."""
    latest = LmsResult.objects.filter(enrolment=OuterRef("pk")).order_by("-id")
    return qs.annotate(
        lms_progress=Subquery(latest.values("progress")[:1]),
        lms_passed=Subquery(latest.values("passed")[:1]),
        lms_score=Subquery(latest.values("score")[:1]),
        lms_at=Subquery(latest.values("recorded_at")[:1]),
    )


def lms_learners(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolled learners with school, group, core teacher and LMS state."""
    qs = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
    return with_lms_state(
        qs.select_related("person", "unit", "group", "group__mentor").order_by(
            "group__number", "unit__path", "person__sort_key", "id"
        )
    )


@dataclass(frozen=True)
class LmsSummary:
    learners: int
    with_result: int
    passed: int


def lms_summary(*, cohort: Cohort) -> LmsSummary:
    """How many learners have an LMS result, and how many passed (one query)."""
    qs = with_lms_state(Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).order_by())
    learners = with_result = passed = 0
    for has, ok in qs.values_list("lms_at", "lms_passed"):  # type: ignore[misc]
        learners += 1
        with_result += has is not None
        passed += ok is True
    return LmsSummary(learners, with_result, passed)


# --- the account list --------------------------------------------------------------------------------

ACCOUNT_COLUMNS = [
    ("Username", 34, "text"),
    ("Full name", 28, "auto"),
    ("E-mail", 28, "text"),
    ("Phone", 14, "text"),
    ("Unit", 32, "auto"),
    ("Module", 36, "auto"),
    ("Activity ID", 56, "text"),
    ("Group", 14, "auto"),
    ("Core teacher", 28, "auto"),
]


def account_columns() -> list[Column]:
    titles = [
        _("LMS username"),
        _("Full name"),
        _("E-mail"),
        _("Phone"),
        _("Unit"),
        _("Module"),
        _("LMS activity ID"),
        _("Group"),
        _("Core teacher"),
    ]
    return [Column(t, w, k) for t, (_en, w, k) in zip(titles, ACCOUNT_COLUMNS, strict=True)]


def account_rows(*, cohort: Cohort) -> Iterator[list[str]]:
    """One row per enrolled learner, streamed (no ID number, no sensitive field)."""
    module = cohort.subject
    activity = activity_id(cohort)
    qs = (
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
        .order_by("unit__path", "person__sort_key", "id")
        .values_list(
            "person__uuid",
            "person__family_name",
            "person__middle_name",
            "person__given_name",
            "person__email",
            "person__phone",
            "unit__name",
            "group__name",
            "group__mentor__family_name",
            "group__mentor__middle_name",
            "group__mentor__given_name",
        )
    )
    for pu, fam, mid, giv, email, phone, unit, group, mf, mm, mg in qs.iterator(chunk_size=2000):
        yield [
            lms_username(pu),
            " ".join(x for x in (fam, mid, giv) if x),
            email or "",
            phone or "",
            unit,
            module,
            activity,
            group or "",
            " ".join(x for x in (mf, mm, mg) if x),
        ]


def accounts_xlsx(*, cohort: Cohort) -> bytes:
    """The account list as a one-sheet .xlsx, the header on the first row (what an LMS loads);
    every text cell stays text (formula-like names are quoted: `bdtx.core.exporters`)."""
    columns = account_columns()
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/accounts.xlsx"
        wb = new_workbook(path, constant_memory=True, tmpdir=tmp)
        cells = TextWriter(wb)
        ws = wb.add_worksheet("LMS")
        head = cells.format({"bold": True})
        text = cells.format({"num_format": "@"})
        for c, col in enumerate(columns):
            ws.set_column(c, c, col.width)
            cells.write_string(ws, 0, c, col.title, head)
        for r, row in enumerate(account_rows(cohort=cohort), start=1):
            for c, value in enumerate(row):
                if value:
                    cells.write_string(ws, r, c, value, text if columns[c].kind == "text" else None)
        wb.close()
        with open(path, "rb") as f:
            return f.read()


def csv_safe(value: str) -> str:
    """A cell a spreadsheet opening the .csv would read as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def accounts_csv(*, cohort: Cohort) -> Iterator[str]:
    """The account list as UTF-8 CSV with a BOM (Excel reads the Vietnamese right), streamed."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c.title for c in account_columns()])
    yield "\ufeff" + buf.getvalue()
    for row in account_rows(cohort=cohort):
        buf.seek(0)
        buf.truncate()
        writer.writerow([csv_safe(v) for v in row])
        yield buf.getvalue()


# --- LMS registrations and tokens ------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return "bdtx_" + secrets.token_urlsafe(32)


@transaction.atomic
def lms_create(*, scope: Scope, unit: Unit, name: str) -> tuple[Lms, str]:
    """Register an LMS serving the cohorts organised under `unit`; returns it and its token, which is
    shown this once (only its hash is kept)."""
    scope.require(Perm.TRAINING_MANAGE, unit.path)
    token = _new_token()
    lms = Lms.objects.create(name=name.strip(), unit=unit, token_hash=token_hash(token))
    audit_record(actor_id=scope.user_id, action="lms.create", obj=lms, unit_path=unit.path)
    return lms, token


def lms_for_token(token: str) -> Lms | None:
    """The active LMS whose token this is (compared by hash)."""
    if not token:
        return None
    return Lms.objects.filter(token_hash=token_hash(token), active=True).select_related("unit").first()


def lms_systems(*, scope: Scope) -> QuerySet[Lms]:
    """The LMSs the scope manages (training.manage over the unit each serves), by name."""
    return Lms.objects.visible_to(scope, Perm.TRAINING_MANAGE).select_related("unit").order_by("name", "id")


def lms_get(*, scope: Scope, uuid: str) -> Lms:
    """The LMS with this UUID among those the scope sees (`Lms.DoesNotExist` outside it)."""
    return Lms.objects.visible_to(scope).select_related("unit").get(uuid=uuid)


def _locked(scope: Scope, lms: Lms) -> Lms:
    """The LMS's row, locked for the transaction, once the scope may manage it (403 otherwise)."""
    scope.require(Perm.TRAINING_MANAGE, lms.unit.path)
    return Lms.objects.select_for_update().select_related("unit").get(pk=lms.pk)


def _set_active(scope: Scope, lms: Lms, *, active: bool) -> Lms:
    locked = _locked(scope, lms)
    if locked.active != active:  # asked twice (a second click, two tabs): written and audited once
        locked.active = active
        locked.save(update_fields=["active", "updated_at"])
        audit_record(
            actor_id=scope.user_id,
            action="lms.activate" if active else "lms.deactivate",
            obj=locked,
            unit_path=locked.unit.path,
        )
    return locked


@transaction.atomic
def lms_deactivate(*, scope: Scope, lms: Lms) -> Lms:
    """Stop the LMS: its token is refused (as an unknown one) until it is reactivated."""
    return _set_active(scope, lms, active=False)


@transaction.atomic
def lms_activate(*, scope: Scope, lms: Lms) -> Lms:
    """Let a stopped LMS push statements again with the token it had."""
    return _set_active(scope, lms, active=True)


@transaction.atomic
def lms_rotate(*, scope: Scope, lms: Lms) -> tuple[Lms, str]:
    """Give the LMS a new token, shown this once; the old one is refused from now on."""
    locked = _locked(scope, lms)
    token = _new_token()
    locked.token_hash = token_hash(token)
    locked.save(update_fields=["token_hash", "updated_at"])
    audit_record(actor_id=scope.user_id, action="lms.rotate", obj=locked, unit_path=locked.unit.path)
    return locked, token


# --- writing results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultIn:
    """What one file row or statement says of a learner (None: says nothing of it)."""

    enrolment_id: int
    recorded_at: datetime
    reference: str
    progress: int | None = None
    passed: bool | None = None
    score: Decimal | None = None
    statement_id: int | None = None


STATE_FIELDS = ("progress", "passed", "score")


def _latest_states(enrolment_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """{enrolment id: its latest progress/passed/score}, one query per 20,000 learners."""
    ids = list(set(enrolment_ids))
    out: dict[int, dict[str, Any]] = {}
    latest = LmsResult.objects.filter(enrolment=OuterRef("pk")).order_by("-id").values("id")[:1]
    for i in range(0, len(ids), 20000):
        last = Enrolment.objects.filter(pk__in=ids[i : i + 20000]).order_by().annotate(last=Subquery(latest))
        rows = LmsResult.objects.filter(id__in=last.values("last")).order_by()
        for pk, progress, passed, score in rows.values_list("enrolment_id", *STATE_FIELDS):
            out[pk] = {"progress": progress, "passed": passed, "score": score}
    return out


def _write_results(results: Sequence[ResultIn], source: str) -> int:
    """Each result merged into the learner's state before it, then inserted in one batch."""
    state = _latest_states(r.enrolment_id for r in results)
    rows = []
    for r in results:
        s = state.setdefault(r.enrolment_id, {"progress": None, "passed": None, "score": None})
        for k in STATE_FIELDS:
            v = getattr(r, k)
            if v is not None:
                s[k] = v
        if s["passed"] is True and s["progress"] is None:
            s["progress"] = 100
        rows.append(
            {
                "enrolment_id": r.enrolment_id,
                "source": source,
                "recorded_at": r.recorded_at,
                "reference": r.reference[:100],
                "statement_id": r.statement_id,
                **s,
            }
        )
    for i in range(0, len(rows), 5000):
        bulk_insert_values(LmsResult, rows[i : i + 5000])
    return len(rows)


@transaction.atomic
def lms_results_import(*, scope: Scope, cohort: Cohort, results: Sequence[ResultIn]) -> int:
    """Write the results of an imported file for learners of `cohort` (checked by the importer). The
    import pipeline writes the audit entry of the whole file (`lms.import`, with its counts)."""
    lms_require_exchange(scope, cohort)
    allowed = set(
        Enrolment.objects.filter(cohort=cohort, pk__in={r.enrolment_id for r in results}).values_list("pk", flat=True)
    )
    if any(r.enrolment_id not in allowed for r in results):
        raise PermissionDenied
    n = _write_results(results, LmsSource.IMPORT)
    completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))
    return n


# --- xAPI ----------------------------------------------------------------------------------------------

VERBS = ("completed", "passed", "failed", "scored")


class XapiRefused(Exception):
    """A batch of statements refused whole: `status` (400 or 403) and a message naming what."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _Parsed:
    index: int
    id: uuidlib.UUID
    verb: str
    cohort_uuid: uuidlib.UUID
    object_id: str
    username: uuidlib.UUID | None
    email: str
    actor_label: str
    result: ResultIn | None  # enrolment filled later
    raw: Mapping[str, Any]
    progress: int | None = None
    passed: bool | None = None
    score: Decimal | None = None
    at: datetime | None = None


def _bad(i: int, message: str) -> XapiRefused:
    return XapiRefused(400, _("Statement %(n)s: %(message)s") % {"n": i + 1, "message": message})


def _score(i: int, result: Mapping[str, Any]) -> Decimal | None:
    score = result.get("score")
    if not isinstance(score, Mapping):
        return None
    try:
        if score.get("scaled") is not None:
            value = Decimal(str(score["scaled"])) * 10
        elif score.get("raw") is not None:
            raw = Decimal(str(score["raw"]))
            lo = Decimal(str(score.get("min", 0)))
            hi = Decimal(str(score.get("max", 10)))
            if hi <= lo:
                raise _bad(i, _("the score's max must be above its min."))
            value = (raw - lo) * 10 / (hi - lo)
        else:
            return None
    except (InvalidOperation, ValueError, TypeError):
        raise _bad(i, _("the score is not a number.")) from None
    if not 0 <= value <= 10:
        raise _bad(i, _("the score is outside its scale."))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _parse(i: int, st: Any) -> _Parsed:
    if not isinstance(st, Mapping):
        raise _bad(i, _("a statement is a JSON object."))
    try:
        sid = uuidlib.UUID(str(st.get("id") or ""))
    except ValueError:
        raise _bad(i, _("the statement id (a UUID) is missing or malformed.")) from None
    verb_id = str(_obj(st.get("verb")).get("id") or "")
    verb = verb_id.rstrip("/").rsplit("/", 1)[-1].lower()
    if verb not in VERBS:
        raise _bad(i, _("the verb “%(v)s” is not one of completed, passed, failed, scored.") % {"v": verb_id[:100]})
    actor = _obj(st.get("actor"))
    account = _obj(actor.get("account"))
    name = str(account.get("name") or "").strip()
    mbox = str(actor.get("mbox") or "").strip()
    username = username_uuid(name) if name else None
    email = mbox[7:].strip().lower() if mbox.lower().startswith("mailto:") else ""
    if username is None and not email:
        raise _bad(i, _("the actor has no LMS username (account name) nor mbox (mailto: e-mail)."))
    obj = _obj(st.get("object"))
    object_id = str(obj.get("id") or "")
    found = _UUID.findall(object_id)
    if not found:
        raise _bad(i, _("the object “%(o)s” names no cohort of this system.") % {"o": object_id[:200]})
    result = _obj(st.get("result"))
    p = _Parsed(
        index=i,
        id=sid,
        verb=verb,
        cohort_uuid=uuidlib.UUID(found[-1].replace("-", "")),
        object_id=object_id[:200],
        username=username,
        email=email,
        actor_label=name or email,
        result=None,
        raw=st,
    )
    p.score = _score(i, result)
    if verb == "completed" or result.get("completion") is True:
        p.progress = 100
    if verb == "passed":
        p.passed = True
    elif verb == "failed":
        p.passed = False
    elif isinstance(result.get("success"), bool):
        p.passed = result["success"]
    if verb == "scored" and p.score is None:
        raise _bad(i, _("a “scored” statement has a result.score."))
    ts = st.get("timestamp")
    p.at = parse_datetime(ts) if isinstance(ts, str) else None
    if isinstance(ts, str) and p.at is None:
        raise _bad(i, _("the timestamp is not an ISO 8601 date and time."))
    if p.at is not None and timezone.is_naive(p.at):
        p.at = timezone.make_aware(p.at, UTC)
    return p


@dataclass(frozen=True)
class XapiOutcome:
    ids: list[str]  # every statement id of the request, in order
    stored: int
    repeated: int


@transaction.atomic
def xapi_statements_accept(*, lms: Lms, statements: Sequence[Any]) -> XapiOutcome:
    """Accept a batch of xAPI statements from `lms`, whole or not at all (XapiRefused says why).

    A statement id the LMS sent before is recognised and written nothing; a learner or module
    (cohort) unknown is a 400 naming it; a cohort organised outside the LMS's unit is a 403."""
    if not statements:
        raise XapiRefused(400, _("No statement was sent."))
    if len(statements) > MAX_STATEMENTS:
        raise XapiRefused(400, _("At most %(n)s statements per request.") % {"n": MAX_STATEMENTS})
    parsed = [_parse(i, st) for i, st in enumerate(statements)]
    ids = [str(p.id) for p in parsed]
    seen = set(
        LmsStatement.objects.filter(lms=lms, statement_id__in=[p.id for p in parsed]).values_list(
            "statement_id", flat=True
        )
    )
    new: list[_Parsed] = []
    for p in parsed:
        if p.id in seen:
            continue
        seen.add(p.id)
        new.append(p)
    if not new:
        return XapiOutcome(ids, 0, len(parsed))

    cohorts = {
        c.uuid: c for c in Cohort.objects.filter(uuid__in={p.cohort_uuid for p in new}).select_related("organiser")
    }
    for p in new:
        c = cohorts.get(p.cohort_uuid)
        if c is None:
            raise _bad(p.index, _("unknown module: no cohort has the activity “%(o)s”.") % {"o": p.object_id})
        if not c.organiser.path.startswith(lms.unit.path):
            raise XapiRefused(
                403,
                _("Statement %(n)s: the cohort of “%(o)s” is not organised in the area this LMS serves.")
                % {"n": p.index + 1, "o": p.object_id},
            )
    # the learners: active enrolments of these cohorts, by person UUID and by e-mail (one query)
    by_uuid: dict[tuple[int, uuidlib.UUID], int] = {}
    by_email: dict[tuple[int, str], list[int]] = {}
    usernames = {p.username for p in new if p.username}
    emails = {p.email for p in new if p.email}
    rows = (
        Enrolment.objects.filter(cohort__in=list(cohorts.values()), status__in=ACTIVE_STATUSES)
        .annotate(email_l=Lower("person__email"))
        .filter(Q(person__uuid__in=usernames) | (Q(email_l__in=emails) if emails else Q(pk__in=[])))
        .order_by()
        .values_list("pk", "cohort_id", "person__uuid", "email_l")
    )
    for pk, cid, pu, em in rows:
        by_uuid[(cid, pu)] = pk
        if em:
            by_email.setdefault((cid, em), []).append(pk)
    results: list[tuple[_Parsed, int]] = []
    for p in new:
        cid = cohorts[p.cohort_uuid].pk
        enrolment = by_uuid.get((cid, p.username)) if p.username else None
        if enrolment is None and p.email:
            found = by_email.get((cid, p.email), [])
            if len(found) > 1:
                raise _bad(p.index, _("the e-mail “%(a)s” belongs to several learners of the cohort.") % {"a": p.email})
            enrolment = found[0] if found else None
        if enrolment is None:
            raise _bad(p.index, _("unknown learner: “%(a)s” is not enrolled in this cohort.") % {"a": p.actor_label})
        results.append((p, enrolment))

    objs = LmsStatement.objects.bulk_create(
        [LmsStatement(lms=lms, statement_id=p.id, verb=p.verb, enrolment_id=e, raw=dict(p.raw)) for p, e in results]
    )
    if any(o.pk is None for o in objs):  # backends that do not return ids
        pks = dict(
            LmsStatement.objects.filter(lms=lms, statement_id__in=[p.id for p, _e in results]).values_list(
                "statement_id", "pk"
            )
        )
    else:
        pks = {o.statement_id: o.pk for o in objs}
    now = timezone.now()
    _write_results(
        [
            ResultIn(
                enrolment_id=e,
                recorded_at=p.at or now,
                reference=str(p.id),
                progress=p.progress,
                passed=p.passed,
                score=p.score,
                statement_id=pks.get(p.id),
            )
            for p, e in results
        ],
        LmsSource.XAPI,
    )
    completion_recompute(enrolments=Enrolment.objects.filter(pk__in={e for _p, e in results}))
    Lms.objects.filter(pk=lms.pk).update(last_used_at=now)
    audit_record(
        actor_id=None,
        action="lms.xapi",
        obj=lms,
        unit_path=lms.unit.path,
        changes={"statements": len(results), "repeated": len(parsed) - len(results)},
        source=AuditLog.Source.API,
    )
    return XapiOutcome(ids, len(results), len(parsed) - len(results))
