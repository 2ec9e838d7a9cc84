from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.certificates.models import Issuer
from bdtx.core import uploads
from bdtx.core.forms import BootstrapFormMixin

MAX_BACKGROUND_BYTES = 4 * 2**20
MAX_CREDENTIAL_BYTES = 256 * 2**10


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CredentialCheckForm(BootstrapFormMixin, forms.Form):
    """A credential (.json) to check against the certificate of the page: pasted or uploaded."""

    text = forms.CharField(
        label=_("Credential (JSON)"),
        required=False,
        max_length=MAX_CREDENTIAL_BYTES,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(label=_("or its file"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        file = data.get("file")
        if file is not None:
            if file.size > MAX_CREDENTIAL_BYTES:
                raise forms.ValidationError(_("The file is too large for a credential."))
            data["text"] = file.read().decode("utf-8", errors="replace")
        if not data.get("text"):
            raise forms.ValidationError(_("Paste the credential or choose its file."))
        return data


class IssuerAdminForm(forms.ModelForm):
    """The issuer in the admin: the layout is checked by the renderer, the background by its content."""

    class Meta:
        model = Issuer
        fields = ["unit", "layout", "background", "place", "number_format"]

    def clean_background(self) -> object:
        file = self.cleaned_data.get("background")
        if file and hasattr(file, "content_type"):  # a new upload
            uploads.upload_accept(file, allowed={"png", "jpeg"}, max_bytes=MAX_BACKGROUND_BYTES)
        return file
