from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bdtx.catalog.models import Catalog, Material, Module, ProgrammeContent
from bdtx.core.forms import BootstrapFormMixin
from bdtx.imports.forms import XLSX_TYPES
from bdtx.imports.parsing import FileProblem, open_workbook
from bdtx.organisations.models import SchoolLevel
from bdtx.people.models import Audience
from bdtx.standards.models import Criterion

MAX_XLSX_BYTES = 10 * 2**20
MAX_MATERIAL_BYTES = 200 * 2**20


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
    file = forms.FileField(label=_("or a file"), required=False)

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if upload and upload.size and upload.size > MAX_MATERIAL_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_MATERIAL_BYTES // 2**20})
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


class CatalogImportForm(BootstrapFormMixin, forms.Form):
    catalog = forms.ModelChoiceField(queryset=Catalog.objects.none(), to_field_name="uuid", label=_("Catalog"))
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}))
    new_version = forms.BooleanField(
        required=False,
        label=_("The file is a new circular's catalog: keep the current one for the years before"),
    )
    new_circular = forms.CharField(required=False, max_length=255, label=_("New circular (number, date)"))
    new_code = forms.CharField(required=False, max_length=32, label=_("Code of the new catalog"))
    new_name = forms.CharField(required=False, max_length=255, label=_("Name of the new catalog"))
    new_first_year = forms.IntegerField(
        required=False, min_value=2000, max_value=2100, label=_("First school year of the new catalog (start year)")
    )
    check_only = forms.BooleanField(
        required=False, label=_("Only check the file; I will confirm the import afterwards")
    )

    def __init__(self, *args, catalogs: QuerySet[Catalog], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_queryset("catalog", catalogs, lambda c: f"{c.name} ({c.circular})")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Only Excel .xlsx files can be imported. Open the file in Excel and save it as .xlsx.")
            )
        if upload.size and upload.size > MAX_XLSX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_XLSX_BYTES // 2**20})
        try:
            open_workbook(upload).close()
        except FileProblem as e:
            raise forms.ValidationError(str(e))
        upload.seek(0)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("new_version"):
            for name in ("new_circular", "new_code", "new_first_year"):
                if not data.get(name):
                    self.add_error(name, _("Needed for a new catalog."))
        return data
