"""Pages of attendance: a session's roster (one row per learner, saved row by row), the "QR điểm danh"
page the organiser shows in the room with its QR image, and the learner's check-in from a phone."""

import io

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.paging import paginate
from bdtx.training import attendance
from bdtx.training.models import AttendanceMark, CohortSession, Enrolment, EnrolmentStatus


class MarkForm(forms.Form):
    enrolment = forms.UUIDField()
    mark = forms.ChoiceField(choices=AttendanceMark.choices)


def _session(request: AuthenticatedHttpRequest, uuid: str) -> CohortSession:
    """The session (404 outside the scope: neither organised, assessed nor trained by the viewer)."""
    return get_in_scope_or_404(attendance.session_get, scope=request.scope, uuid=uuid)


def _taker(request: AuthenticatedHttpRequest, uuid: str) -> CohortSession:
    session = _session(request, uuid)
    if not attendance.can_take_attendance(request.scope, session.cohort):
        raise PermissionDenied
    return session


def session_roster(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The roster of a session: the cohort's enrolled learners by name, their mark here and the sessions
    they attended against the threshold. The organiser or a trainer marks one row at a time (POST)."""
    session = _session(request, uuid)
    cohort = session.cohort
    take = attendance.can_take_attendance(request.scope, cohort)
    if request.method == "POST":
        if not take:
            raise PermissionDenied
        if "rest" in request.POST:
            return _mark_rest(request, session)
        return _mark(request, session)
    if not attendance.can_see_attendance(request.scope, cohort):
        raise PermissionDenied
    page, base = paginate(request, attendance.roster(session=session))
    rule = attendance.attendance_rule_for(cohort.school_year)
    return render(
        request,
        "training/attendance/roster.html",
        {
            "session": session,
            "cohort": cohort,
            "take": take,
            "rule": rule,
            "marks": AttendanceMark.choices,
            "page_obj": page,
            "querystring_base": base,
        },
    )


def _mark(request: AuthenticatedHttpRequest, session: CohortSession) -> HttpResponse:
    form = MarkForm(request.POST)
    back = reverse("training:attendance", kwargs={"uuid": session.uuid})
    if request.GET.get("page"):
        back += f"?page={request.GET['page']}"
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(_("Choose a mark."), status=400)
        messages.error(request, _("Choose a mark."))
        return redirect(back)
    enrolment = (
        Enrolment.objects.select_related("person", "unit")
        .filter(cohort=session.cohort, status=EnrolmentStatus.ENROLLED, uuid=form.cleaned_data["enrolment"])
        .first()
    )
    if enrolment is None:
        raise Http404
    try:
        attendance.attendance_mark(
            scope=request.scope, session=session, enrolment=enrolment, mark=form.cleaned_data["mark"]
        )
    except ValidationError as e:
        if request.htmx:
            return HttpResponse("; ".join(e.messages), status=400)
        messages.error(request, "; ".join(e.messages))
        return redirect(back)
    if request.htmx:
        row = attendance.roster(session=session).get(pk=enrolment.pk)
        return render(
            request,
            "training/attendance/_row.html",
            {"e": row, "session": session, "take": True, "marks": AttendanceMark.choices, "saved": True},
        )
    messages.success(request, _("Attendance of %(name)s is saved.") % {"name": enrolment.person.full_name})
    return redirect(back)


def _mark_rest(request: AuthenticatedHttpRequest, session: CohortSession) -> HttpResponse:
    n = attendance.attendance_mark_unmarked(scope=request.scope, session=session, mark=AttendanceMark.ABSENT)
    messages.success(request, _("%(n)s learners without a mark are marked absent.") % {"n": n})
    return redirect("training:attendance", uuid=session.uuid)


def _check_in_url(request: AuthenticatedHttpRequest, session: CohortSession) -> str:
    token = attendance.check_in_token(session)
    return request.build_absolute_uri(reverse("training:check_in", kwargs={"token": token}))


def session_qr(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """ "QR điểm danh": the code to show in the room, the link it holds, and when it is open."""
    session = _taker(request, uuid)
    rule = attendance.attendance_rule_for(session.cohort.school_year)
    opens, closes = attendance.check_in_window(session, rule)
    return render(
        request,
        "training/attendance/qr.html",
        {
            "session": session,
            "cohort": session.cohort,
            "rule": rule,
            "opens": opens,
            "closes": closes,
            "url": _check_in_url(request, session),
        },
    )


@never_cache
def session_qr_image(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The QR code of the session's check-in link, as SVG (drawn here: no outside service, no script)."""
    session = _taker(request, uuid)
    out = io.BytesIO()
    segno.make(_check_in_url(request, session), error="m").save(out, kind="svg", scale=8, border=2, xmldecl=False)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@never_cache
def check_in(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """A learner who opened the room's QR link (signed in) is marked present, or late; a refusal says why
    and writes nothing."""
    try:
        result = attendance.attendance_check_in(scope=request.scope, token=token)
    except ValidationError as e:
        return render(request, "training/attendance/check_in.html", {"error": " ".join(e.messages)}, status=403)
    return render(
        request,
        "training/attendance/check_in.html",
        {"result": result, "session": result.session, "cohort": result.session.cohort},
    )
