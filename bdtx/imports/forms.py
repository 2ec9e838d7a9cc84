from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.importing.base import Importer
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope
from bdtx.imports.services import upload_check
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import school_years_with_authority

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPES = ".csv,text/csv"


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    """The fields every import asks for; an importer's own choices come in its `options_form`.

    The file is checked by its content and size only: it is read in the check pass, not here.
    """

    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), to_field_name="uuid", label=_("Unit"))
    school_year = forms.ModelChoiceField(queryset=SchoolYear.objects.all(), label=_("School year"))
    check_only = forms.BooleanField(
        required=False, label=_("Only check the file; I will confirm the import afterwards")
    )

    def __init__(
        self,
        *args: Any,
        importer: Importer[Any, Any],
        units: QuerySet[Unit],
        current_year: SchoolYear,
        scope: Scope,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.accepts_csv = importer.accepts_csv
        if importer.accepts_csv:
            self.fields["file"].widget.attrs["accept"] = f"{XLSX_TYPES},{CSV_TYPES}"
        if importer.file_label:
            self.fields["file"].label = str(importer.file_label)
        if importer.asks_unit:
            self.set_queryset("unit", units, lambda u: f"{u.name} ({u.code})")
            self.fields["unit"].initial = units.first()
            self.fields["unit"].help_text = str(importer.unit_help)
        else:
            del self.fields["unit"]
        if importer.asks_school_year:
            # the years the user has authority over (never every year on record: 2012-2035)
            years = school_years_with_authority(scope=scope, permission=importer.permission)
            self.set_queryset("school_year", SchoolYear.objects.filter(pk__in=[y.pk for y in years]))
            self.fields["school_year"].initial = current_year if current_year in years else next(iter(years), None)
        else:
            del self.fields["school_year"]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            upload_check(upload, accepts_csv=self.accepts_csv)
        except ValidationError as e:
            raise forms.ValidationError(e.messages)
        return upload
