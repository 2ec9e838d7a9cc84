from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from bdtx.core import uploads
from bdtx.core.forms import BootstrapFormMixin
from bdtx.standards.models import Assessment, Confidence, Criterion, CriterionRating, Framework, Level, Standard
from bdtx.standards.services import SelfRating

LEVEL_CHOICES = [(str(v), label) for v, label in reversed(Level.choices)]  # Tốt first, as on paper forms


@dataclass
class CriterionRow:
    """The bound fields of one criterion, for the template."""

    criterion: Criterion
    level: forms.BoundField
    text: forms.BoundField | None = None
    link: forms.BoundField | None = None
    file: forms.BoundField | None = None
    clear: forms.BoundField | None = None
    rating: CriterionRating | None = None

    @property
    def has_evidence(self) -> bool:
        r = self.rating
        return bool(r and (r.evidence_text or r.evidence_link or r.evidence_file))

    @property
    def has_errors(self) -> bool:
        return any(f is not None and f.errors for f in (self.level, self.text, self.link, self.file))


def _level_field(required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "btn-check level-input"}),
        required=required,
        label=_("Level"),
    )


class _CriteriaForm(forms.Form):
    """A level per criterion, named level_<criterion id> (the live rating reads the same names)."""

    def __init__(self, *args, standards: list[Standard], **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = standards
        self.criteria = [c for s in standards for c in s.criteria.all()]

    def current_levels(self) -> dict[int, int | None]:
        """Levels as the form shows them (submitted data, else the saved ones), for the live rating."""
        out: dict[int, int | None] = {}
        for c in self.criteria:
            raw = self[f"level_{c.pk}"].value()
            out[c.pk] = int(raw) if raw in ("1", "2", "3", "4", 1, 2, 3, 4) else None
        return out

    def levels(self) -> dict[int, int | None]:
        out: dict[int, int | None] = {}
        for c in self.criteria:
            raw = self.cleaned_data.get(f"level_{c.pk}")
            out[c.pk] = int(raw) if raw else None
        return out


class SelfAssessmentForm(_CriteriaForm):
    """The person's level and evidence for each criterion. A draft may leave levels empty."""

    def __init__(self, *args, ratings: dict[int, CriterionRating], **kwargs):
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        for c in self.criteria:
            r = ratings.get(c.pk)
            self.fields[f"level_{c.pk}"] = _level_field(required=False)
            self.fields[f"text_{c.pk}"] = forms.CharField(
                label=_("What shows it (a short note)"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            self.fields[f"link_{c.pk}"] = forms.URLField(
                label=_("Link to evidence"),
                required=False,
                max_length=1000,
                assume_scheme="https",
                widget=forms.URLInput(attrs={"class": "form-control", "placeholder": "https://…"}),
            )
            self.fields[f"file_{c.pk}"] = forms.FileField(
                label=_("Evidence file"), required=False, widget=forms.FileInput(attrs={"class": "form-control"})
            )
            self.fields[f"clear_{c.pk}"] = forms.BooleanField(label=_("Remove the file"), required=False)
            if r is not None:
                self.initial.setdefault(f"level_{c.pk}", str(r.self_level) if r.self_level else "")
                self.initial.setdefault(f"text_{c.pk}", r.evidence_text)
                self.initial.setdefault(f"link_{c.pk}", r.evidence_link)

    def rows(self) -> list[tuple[Standard, list[CriterionRow]]]:
        return [
            (
                s,
                [
                    CriterionRow(
                        criterion=c,
                        level=self[f"level_{c.pk}"],
                        text=self[f"text_{c.pk}"],
                        link=self[f"link_{c.pk}"],
                        file=self[f"file_{c.pk}"],
                        clear=self[f"clear_{c.pk}"],
                        rating=self.ratings.get(c.pk),
                    )
                    for c in s.criteria.all()
                ],
            )
            for s in self.standards
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        for c in self.criteria:
            upload: UploadedFile | None = data.get(f"file_{c.pk}")
            if upload is None:
                continue
            try:  # by its content, whatever its name says
                uploads.upload_accept(upload, allowed=uploads.EVIDENCE_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES)
            except ValidationError as e:
                self.add_error(f"file_{c.pk}", e)
        return data

    def entries(self) -> dict[int, SelfRating]:
        d = self.cleaned_data
        return {
            c.pk: SelfRating(
                level=int(d[f"level_{c.pk}"]) if d.get(f"level_{c.pk}") else None,
                evidence_text=d.get(f"text_{c.pk}", ""),
                evidence_link=d.get(f"link_{c.pk}", ""),
                evidence_file=d.get(f"file_{c.pk}"),
                clear_file=bool(d.get(f"clear_{c.pk}")),
            )
            for c in self.criteria
        }


class EvaluationForm(_CriteriaForm):
    """The evaluator's level for each criterion (the self-assessed level is offered first) and a comment."""

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, ratings: dict[int, CriterionRating], assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        self.fields["comment"].widget.attrs["class"] = "form-control"
        self.initial.setdefault("comment", assessment.principal_comment)
        for c in self.criteria:
            r = ratings.get(c.pk)
            self.fields[f"level_{c.pk}"] = _level_field(required=True)
            level = (r.principal_level or r.self_level) if r else None
            if level:
                self.initial.setdefault(f"level_{c.pk}", str(level))

    def rows(self) -> list[tuple[Standard, list[CriterionRow]]]:
        return [
            (
                s,
                [
                    CriterionRow(criterion=c, level=self[f"level_{c.pk}"], rating=self.ratings.get(c.pk))
                    for c in s.criteria.all()
                ],
            )
            for s in self.standards
        ]


class OpinionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Your opinion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AssessmentFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=100)

    def __init__(self, *args, years: list[tuple[int, str]], units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("year", years)
        self.set_choices("unit", [("", _("All my units")), *units])
        self.set_choices("status", [("", _("Any status")), *Assessment.Status.choices])


class CriterionForm(BootstrapFormMixin, forms.Form):
    """One criterion of a standard, typed in from the circular (added or corrected)."""

    standard_number = forms.IntegerField(label=_("Standard number"), min_value=1)
    standard_title = forms.CharField(
        label=_("Title of the standard"),
        required=False,
        max_length=500,
        help_text=_("Needed when the standard is not recorded yet; otherwise it corrects the recorded title."),
    )
    title = forms.CharField(label=_("Title of the criterion"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    is_key = forms.BooleanField(
        label=_("Key criterion (must reach the level for a Good or Excellent rating)"), required=False
    )
    source = forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The article of the circular and where its text was read (a link to the official text)."),
    )
    confidence = forms.ChoiceField(label=_("Confidence"), choices=[("", "—"), *Confidence.choices])


class FrameworkForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["criteria_count", "completeness_note"]
        widgets = {"completeness_note": forms.Textarea(attrs={"rows": 4})}
