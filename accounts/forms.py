from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User


def clean_unique_email(form: forms.ModelForm) -> str:
    """One account per email address: invitations and password resets are addressed by email."""
    email = User.objects.normalize_email(form.cleaned_data["email"].strip())
    if User.objects.filter(email__iexact=email).exclude(pk=form.instance.pk).exists():
        raise forms.ValidationError(_("An account with this email address already exists."), code="email_taken")
    return email


class SignUpForm(UserCreationForm):
    """An e-mail address already in use is NOT a form error (that would tell anyone which addresses have an
    account): accounts.services.user_signup answers it by e-mail instead. A taken user name is reported."""

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"].strip())


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

    clean_email = clean_unique_email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        candidate = User(username=self.data.get("username", ""), email=self.data.get("email", ""))
        password_validation.validate_password(password, candidate)
        return password

    def role_group(self) -> Group:
        return Group.objects.get_or_create(name=self.cleaned_data["role"])[0]
