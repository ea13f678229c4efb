"""Messages of our libraries that their own zh_Hans catalogues leave untranslated.

Marked here so `makemessages` keeps them in our catalogue (locale/), which Django reads before the
libraries' own: every country a firm can pick, and every model-validation message, reads in Chinese.
"""

from django.utils.translation import gettext_noop

COUNTRY_NAMES = [  # django-countries
    gettext_noop("Democratic Republic of the Congo"),
    gettext_noop("Micronesia"),
    gettext_noop("South Georgia"),
    gettext_noop("Palestine"),
    gettext_noop("Saint Helena"),
    gettext_noop("Vatican City"),
    gettext_noop("Tanzania, the United Republic of"),
    gettext_noop("Bahamas (The)"),
    gettext_noop("Eswatini"),
    gettext_noop("Falkland Islands (Malvinas)"),
    gettext_noop("Netherlands (Kingdom of the)"),
    gettext_noop("North Macedonia"),
    gettext_noop("Türkiye"),
]

DJANGO_MESSAGES = [gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice.")]
