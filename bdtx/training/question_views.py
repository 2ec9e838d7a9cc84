"""Pages of a cohort's questions: the list with the form to ask (learners), a thread with the form to
reply, an attached file (served only through the scope check, never from /media/), and the
interactions an office monitors, counted per cohort, school or support group."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core import uploads
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.organisations.filters import list_context_from_request
from bdtx.training import questions as q
from bdtx.training.models import InteractionKind

FILE_ACCEPT = (
    ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.mp4,.doc,.xls,.ppt,.odt,.ods,.odp,.txt"  # a hint; the content decides
)


class _FileField(forms.FileField):
    def __init__(self) -> None:
        super().__init__(
            label=gettext_lazy("Attached file (optional)"),
            required=False,
            widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
        )


class AskForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Your question, in one line"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Details"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    file = _FileField()


class ReplyForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label=gettext_lazy("Your reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    file = _FileField()


SHOW_CHOICES = [
    (q.Show.ALL, gettext_lazy("All")),
    (q.Show.WAITING, gettext_lazy("Waiting for an answer")),
    (q.Show.OVERDUE, gettext_lazy("Overdue")),
    (q.Show.MINE, gettext_lazy("Mine")),
]


def cohort_questions(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The cohort's questions the viewer may read (a learner: all of their cohort; a core teacher:
    their groups'; trainers and organisers: all), filtered; a learner asks here (POST)."""
    cohort = get_in_scope_or_404(q.cohort_for_questions, scope=request.scope, uuid=uuid)
    access = q.access_require(scope=request.scope, cohort=cohort)
    form = AskForm(request.POST or None, request.FILES or None) if access.can_ask else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                question = q.question_ask(
                    scope=request.scope, cohort=cohort, title=d["title"], body=d["body"], upload=d.get("file")
                )
            except ValidationError as e:
                form.add_error("file" if getattr(e, "code", "") in ("size", "empty", "type", "mismatch") else None, e)
            else:
                messages.success(request, _("Your question is sent."))
                return redirect("training:question", uuid=question.uuid)
    show = request.GET.get("show", "")
    raw = request.GET.get("group", "")
    group = get_in_scope_or_404(q.group_of, cohort=cohort, uuid=raw) if raw else None
    waiting = q.cohort_waiting(cohort=cohort)
    before = q.overdue_before(cohort.school_year)
    page, base = paginate(request, q.question_list(access=access, show=show, group=group, overdue=before))
    return render(
        request,
        "training/questions/list.html",
        {
            "cohort": cohort,
            "access": access,
            "form": form,
            "page_obj": page,
            "querystring_base": base,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "group": group,
            "waiting": waiting,
            "overdue_before": before,
        },
    )


def question_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A question and its replies; whoever may read it replies here (POST)."""
    question = get_in_scope_or_404(q.question_get, scope=request.scope, uuid=uuid)
    access = q.access_require(scope=request.scope, cohort=question.cohort)
    if not access.can_read(question):
        raise PermissionDenied
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            q.question_reply(
                scope=request.scope, question=question, body=form.cleaned_data["body"], upload=form.cleaned_data["file"]
            )
        except ValidationError as e:
            form.add_error("file" if getattr(e, "code", "") in ("size", "empty", "type", "mismatch") else None, e)
        else:
            messages.success(request, _("Your reply is sent."))
            return redirect("training:question", uuid=question.uuid)
    return render(
        request,
        "training/questions/detail.html",
        {
            "question": question,
            "cohort": question.cohort,
            "thread": q.question_messages(question=question),
            "form": form,
            "overdue_before": q.overdue_before(question.cohort.school_year),
        },
    )


def question_file(request: AuthenticatedHttpRequest, uuid: str) -> FileResponse:
    """A file attached to a message, for those who may read the question only."""
    message = get_in_scope_or_404(q.message_get, scope=request.scope, uuid=uuid)
    access = q.access_require(scope=request.scope, cohort=message.question.cohort)
    if not access.can_read(message.question):
        raise PermissionDenied
    try:
        return uploads.file_response(message.file, filename=message.filename, allowed=q.QUESTION_FILE_TYPES)
    except OSError:  # the row names a file the storage no longer has
        raise Http404 from None


BY_CHOICES = [
    (q.By.COHORT, gettext_lazy("Cohort")),
    (q.By.SCHOOL, gettext_lazy("School")),
    (q.By.GROUP, gettext_lazy("Support group")),
]


def interactions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The six monitored interactions (seed 003) of the year's cohorts the viewer sees training of,
    counted per cohort, school or support group; one cohort when `cohort` is given."""
    if not request.scope.has_anywhere(Perm.TRAINING_VIEW):
        raise PermissionDenied
    ctx = list_context_from_request(request)
    cohort = None
    if raw := request.GET.get("cohort", ""):
        cohort = get_in_scope_or_404(q.cohort_for_questions, scope=request.scope, uuid=raw)
        if not q.access_for(scope=request.scope, cohort=cohort).trainer:
            raise PermissionDenied
    by = request.GET.get("by", q.By.COHORT)
    if by not in dict(BY_CHOICES):
        by = q.By.COHORT
    rows = q.interaction_counts(
        scope=request.scope,
        school_year=cohort.school_year if cohort else ctx.school_year,
        by=by,
        cohort=cohort,
        unit=ctx.unit,
    )
    page, base = paginate(request, rows)
    kinds: list[Any] = list(InteractionKind)
    for row in page:
        row["cells"] = [(k.label, row[k.value]) for k in kinds]
    return render(
        request,
        "training/questions/interactions.html",
        {
            "ctx": ctx,
            "cohort": cohort,
            "by": by,
            "by_choices": BY_CHOICES,
            "kinds": kinds,
            "page_obj": page,
            "querystring_base": base,
        },
    )
