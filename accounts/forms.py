from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User


class SignUpForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


class StaffUserForm(forms.ModelForm):
    """Administrators create officers and administrators here."""

    role = forms.ChoiceField(
        label=_("role"), choices=[(roles.OFFICER, _("Officer")), (roles.ADMINISTRATOR, _("Administrator"))]
    )
    password = forms.CharField(label=_("initial password"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        candidate = User(username=self.data.get("username", ""), email=self.data.get("email", ""))
        password_validation.validate_password(password, candidate)
        return password

    def role_group(self) -> Group:
        return Group.objects.get_or_create(name=self.cleaned_data["role"])[0]
