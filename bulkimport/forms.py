from django import forms
from django.utils.translation import gettext_lazy as _

from bulkimport.models import ImportKind
from bulkimport.parsing import MAX_UPLOAD_BYTES


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8, with or without BOM) or XLSX (first sheet), at most 20 MB; the first row holds "
            "the column names."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would change, write nothing"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it."), params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
