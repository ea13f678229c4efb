"""The abbreviations the site shows (FSTS, TNI, HHI, ...), each explained once on the methodology page.

`abbr("TNI")` renders `<a href="/methodology/#tni"><abbr title="...">TNI</abbr></a>`; `abbreviate(text)`
does the same for every known abbreviation inside a plain (not yet HTML) text such as a translated label.
Templates use them through `{% load glossary %}`: `{% abbr "TNI" %}` and `{{ text|abbreviations }}`.
"""

import re

from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: abbreviation -> (what it stands for, the methodology page's anchor)
ABBREVIATIONS: dict[str, tuple[str, str]] = {
    "FSTS": (_("Foreign sales to total sales: foreign revenue ÷ total revenue"), "fsts"),
    "FATA": (_("Foreign assets to total assets: foreign assets ÷ total assets"), "fata"),
    "FETE": (_("Foreign employees to total employees: employees abroad ÷ all employees"), "fete"),
    "TNI": (_("Transnationality index (UNCTAD): the mean of FSTS, FATA and FETE"), "tni"),
    "HHI": (_("Herfindahl-Hirschman index: how concentrated export value is across markets"), "hhi"),
    "PCT": (_("Patent Cooperation Treaty: one international patent application for many countries"), "pct"),
    "USCC": (_("Unified social credit code: the firm's 18-character registration number"), "uscc"),
    "SME": (_("Small or medium-sized enterprise"), "sme"),
}

#: the ratios the methodology page explains in a section of their own
RATIOS = ("FSTS", "FATA", "FETE", "TNI", "HHI")

# A known abbreviation standing alone (a plural "s" allowed): not inside a longer Latin word or code.
_PATTERN = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(ABBREVIATIONS) + r")(?=s?(?![A-Za-z0-9]))")


def anchor_url(short: str) -> str:
    return f"{reverse('reports:methodology')}#{ABBREVIATIONS[short][1]}"


def abbr(short: str) -> SafeString:
    """The abbreviation with its meaning as a tooltip, linked to its explanation on the methodology page.

    Kept per language and URL prefix: the same few links appear many times on a page (each component's label
    and explanation), and each cost a URL reversal and a translation."""
    key = (short, get_language(), get_script_prefix())
    html = _rendered.get(key)
    if html is None:
        title, _anchor = ABBREVIATIONS[short]
        html = format_html(
            '<a class="abbr-link" href="{}"><abbr title="{}">{}</abbr></a>', anchor_url(short), title, short
        )
        _rendered[key] = html
    return html


_rendered: dict[tuple[str, str | None, str], SafeString] = {}


def abbreviate(text: object) -> SafeString:
    """`text` escaped, with every known abbreviation in it rendered by `abbr`. Give it plain text only:
    HTML passed in is escaped like any other text."""
    escaped = escape(str(text))
    return mark_safe(_PATTERN.sub(lambda match: abbr(match.group(1)), escaped))
