from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bdtx.catalog.models import Catalog, Material, Module, ProgrammeContent
from bdtx.catalog.services.local_hours import MAX_MODULE_HOURS
from bdtx.core.forms import BootstrapFormMixin
from bdtx.organisations.models import SchoolLevel
from bdtx.people.models import Audience
from bdtx.standards.models import Criterion

MATERIAL_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.mp4"  # a hint to the browser; the content decides


class ModuleFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(required=False, label=_("Code or title"))
    year = forms.TypedChoiceField(required=False, coerce=int, label=_("School year"))
    catalog = forms.ChoiceField(required=False, label=_("Catalog"))
    audience = forms.ChoiceField(
        required=False, label=_("Audience"), choices=[("", _("Every audience")), *Audience.choices]
    )
    level = forms.ChoiceField(required=False, label=_("Level"), choices=[("", _("All levels")), *SchoolLevel.choices])

    def __init__(self, *args, years: list[tuple[int, str]], catalogs: list[Catalog], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("year", years)
        self.set_choices("catalog", [("", _("Every catalog")), *[(str(c.uuid), c.name) for c in catalogs]])


class ContentFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.TypedChoiceField(required=False, coerce=int, label=_("School year"))
    level = forms.ChoiceField(required=False, label=_("Level"), choices=[("", _("All levels")), *SchoolLevel.choices])
    audience = forms.ChoiceField(
        required=False, label=_("Audience"), choices=[("", _("Every audience")), *Audience.choices]
    )

    def __init__(self, *args, years: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("year", years)


class ContentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProgrammeContent
        fields = ["title", "hours", "school_level", "audience", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _("Topic"), "position": _("Order")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("school_level", [("", _("Every level")), *SchoolLevel.choices])
        self.set_choices("audience", [("", _("Everyone (teachers and managers)")), *Audience.choices])
        self.fields["position"].required = False
        self.fields["hours"].widget.attrs.update({"min": 1, "max": 120})


class FocusForm(BootstrapFormMixin, forms.Form):
    module = forms.ModelChoiceField(queryset=Module.objects.none(), to_field_name="uuid", label=_("Module"))
    school_level = forms.ChoiceField(
        required=False, label=_("For the level"), choices=[("", _("Every level")), *SchoolLevel.choices]
    )
    priority = forms.IntegerField(
        label=_("Priority"), min_value=0, max_value=999, initial=1, help_text=_("1 = proposed first.")
    )

    def __init__(self, *args, modules: QuerySet[Module], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_queryset("module", modules, lambda m: f"{m.catalog.code} · {m.code}: {m.title}")


class MaterialForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of material"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    url = forms.URLField(label=_("Address (link or video)"), required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(
        label=_("or a file"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG pictures, MP4 videos."),
        widget=forms.ClearableFileInput(attrs={"accept": MATERIAL_ACCEPT}),
    )

    def clean_file(self) -> UploadedFile | None:
        """The size here; what the file is, by its content, in `material_add`, which knows its kind."""
        upload = self.cleaned_data.get("file")
        max_bytes = settings.MATERIAL_MAX_BYTES
        if upload and upload.size and upload.size > max_bytes:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // 2**20})
        return upload


class ModuleForm(BootstrapFormMixin, forms.ModelForm):
    level_choices = forms.MultipleChoiceField(
        label=_("School levels"),
        required=False,
        choices=SchoolLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every level of the audience."),
    )
    criteria = forms.ModelMultipleChoiceField(
        queryset=Criterion.objects.none(),
        required=False,
        label=_("Criteria it serves"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Module
        fields = [
            "title",
            "hours_total",
            "hours_theory",
            "hours_practice",
            "outcomes",
            "source",
            "confidence",
            "active",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "outcomes": forms.Textarea(attrs={"rows": 5}),
            "source": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, criteria: QuerySet[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_queryset("criteria", criteria)
        self.fields["criteria"].initial = list(self.instance.criteria.all()) if self.instance.pk else []
        self.fields["level_choices"].initial = self.instance.level_list
        for name in ("criteria", "level_choices"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class CatalogForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Catalog
        fields = ["name", "circular", "first_year", "last_year", "completeness_note"]
        widgets = {"completeness_note": forms.Textarea(attrs={"rows": 4})}


class LocalHoursForm(BootstrapFormMixin, forms.Form):
    """The periods a province gives a module the ministry's catalog gives none (checked again by
    `module_local_hours_set`)."""

    hours = forms.IntegerField(
        label=_("Periods"),
        min_value=1,
        max_value=MAX_MODULE_HOURS,
        widget=forms.NumberInput(attrs={"placeholder": _("Periods"), "style": "max-width: 6rem"}),
    )
    source = forms.CharField(
        label=_("Decided by (document)"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("Document: number and date")}),
        help_text=_("Number and date, e.g. Công văn số 1234/SGDĐT-GDTrH ngày 15/8/2025"),
    )
