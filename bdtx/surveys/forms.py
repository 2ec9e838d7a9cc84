"""Forms of the questionnaire pages: the questionnaire, its questions (a formset: kind, text, the
choices of a single choice one per line, order, required, counts for satisfaction), and putting a
questionnaire to every cohort of a module."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin
from bdtx.surveys.models import Question, QuestionKind, QuestionnaireStatus
from bdtx.surveys.services import QuestionSpec


class QuestionnaireForm(BootstrapFormMixin, forms.Form):
    owner = forms.TypedChoiceField(label=_("Kept by"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255)
    intro = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    satisfied_from = forms.TypedChoiceField(
        label=_("Satisfied from (1–5)"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        initial=4,
        help_text=_("A learner is satisfied when the average of their answers to the questions that count reaches it."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=QuestionnaireStatus.choices,
        help_text=_("Only a published questionnaire can be put to learners."),
    )


class QuestionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices, initial=QuestionKind.LIKERT5)
    text = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    choices = forms.CharField(
        label=_("Choices (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a question of one choice only."),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    counts_for_satisfaction = forms.BooleanField(
        label=_("Counts for the satisfaction rate"),
        required=False,
        help_text=_("Scale of 1 to 5 only."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        lines = [c.strip() for c in (data.get("choices") or "").splitlines() if c.strip()]
        if kind == QuestionKind.SINGLE and len(lines) < 2:
            self.add_error("choices", _("A question of one choice needs at least two choices."))
        if data.get("counts_for_satisfaction") and kind != QuestionKind.LIKERT5:
            self.add_error("counts_for_satisfaction", _("Only a question on the scale of 1 to 5 counts."))
        data["choice_list"] = lines if kind == QuestionKind.SINGLE else []
        return data

    def spec(self) -> QuestionSpec:
        d = self.cleaned_data
        return QuestionSpec(
            kind=d["kind"],
            text=d["text"],
            choices=tuple(d["choice_list"]),
            required=d["required"],
            counts_for_satisfaction=d["counts_for_satisfaction"],
        )


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.specs():
            raise forms.ValidationError(_("A questionnaire needs at least one question."))

    def specs(self) -> list[QuestionSpec]:
        """The questions kept, in the order asked (rows left empty and rows to delete left out)."""
        return [f.spec() for f in self.ordered_forms]


def question_formset(*, data: Any = None, questions: list[Question] | None = None, extra: int = 3) -> Any:
    """The formset of questions, filled from `questions` (a questionnaire's, in order) when given."""
    formset_class = forms.formset_factory(
        QuestionForm, formset=BaseQuestionFormSet, extra=extra, can_order=True, can_delete=True, max_num=100
    )
    initial = [
        {
            "kind": q.kind,
            "text": q.text,
            "choices": "\n".join(q.choices),
            "required": q.required,
            "counts_for_satisfaction": q.counts_for_satisfaction,
            "ORDER": q.position,
        }
        for q in questions or []
    ]
    formset = formset_class(data=data, initial=initial, prefix="q")
    for f in formset.forms:
        f.order_fields(["kind", "ORDER", "text", "choices", "required", "counts_for_satisfaction", "DELETE"])
        f.fields["ORDER"].label = _("Order")
        f.fields["ORDER"].widget.attrs["class"] = "form-control"
        if "DELETE" in f.fields:
            f.fields["DELETE"].label = _("Delete this question")
            f.fields["DELETE"].widget.attrs["class"] = "form-check-input"
    return formset


class AttachModuleForm(BootstrapFormMixin, forms.Form):
    module = forms.TypedChoiceField(label=_("Module"), coerce=int)
    questionnaire = forms.TypedChoiceField(label=_("Questionnaire"), coerce=int)
