from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.models import SchoolYear
from bdtx.imports.parsing import FileProblem, open_workbook
from bdtx.organisations.models import Unit

MAX_UPLOAD_BYTES = 20 * 2**20
XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}))
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        to_field_name="uuid",
        label=_("Unit"),
        help_text=_("Rows go to the unit named in the file's “Mã trường” column, or to this unit if there is none."),
    )
    school_year = forms.ModelChoiceField(queryset=SchoolYear.objects.all(), label=_("School year"))
    check_only = forms.BooleanField(
        required=False, label=_("Only check the file; I will confirm the import afterwards")
    )

    def __init__(self, *args, units: QuerySet[Unit], current_year: SchoolYear, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field: forms.ModelChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit_field.queryset = units
        unit_field.label_from_instance = lambda u: f"{u.name} ({u.code})"  # type: ignore[method-assign,assignment]
        self.fields["unit"].initial = units.first()
        self.fields["school_year"].initial = current_year

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Only Excel .xlsx files can be imported. Open the file in Excel and save it as .xlsx.")
            )
        max_bytes = getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
        if upload.size and upload.size > max_bytes:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // 2**20})
        try:
            open_workbook(upload).close()
        except FileProblem as e:
            raise forms.ValidationError(str(e))
        upload.seek(0)
        return upload
