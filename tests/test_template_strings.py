"""Every string a visitor sees in a template goes through translation, and one English word with two
meanings has a context per meaning (pgettext) with its own Chinese."""

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
#: abbreviations and format names that read the same in both languages
SAME_IN_BOTH = {"CSV", "XLSX", "PDF", "USCC", "PCT", "WO", "HHI", "TNI", "FSTS", "FATA", "FETE", "API", "SME"}
TAG = re.compile(r"{%.*?%}", re.S)
PLACEHOLDER = "\x00"


def _without_template_code(source: str) -> str:
    """The HTML a template writes, with translated blocks, comments and template code taken out."""
    source = re.sub(
        r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*end(blocktranslate|blocktrans)\s*%}",
        PLACEHOLDER,
        source,
        flags=re.S,
    )
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->", "", source, flags=re.S)
    source = TAG.sub(" ", source)
    return re.sub(r"{{.*?}}", PLACEHOLDER, source, flags=re.S)


class _VisibleText(HTMLParser):
    """Text nodes and visible attributes, except inside script, style and elements marked translate="no"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden: list[str] = []
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if (
            tag in ("script", "style")
            or attributes.get("translate") == "no"
            or (self.hidden and tag == self.hidden[-1])
        ):
            self.hidden.append(tag)
        if not self.hidden:
            self.found += [(self.getpos()[0], v) for k, v in attrs if k in VISIBLE_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if self.hidden and tag == self.hidden[-1]:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.found.append((self.getpos()[0], data))


def untranslated(source: str) -> list[tuple[int, str]]:
    parser = _VisibleText()
    parser.feed(_without_template_code(source))
    words = re.compile(r"[A-Za-z][A-Za-z'’-]+")
    return [
        (line, " ".join(text.replace(PLACEHOLDER, "…").split()))
        for line, text in parser.found
        if any(word not in SAME_IN_BOTH for word in words.findall(text.replace(PLACEHOLDER, " ")))
    ]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_no_visible_template_string_is_untranslated(template):
    assert untranslated(template.read_text()) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<p>{% translate "Saved" %}</p><p title="Download">{{ name }}</p>', [(1, "Download")]),
        ("<td>superuser</td>", [(1, "superuser")]),
        ('<code translate="no">zpat_{{ p }}</code> <b>CSV</b>', []),
        ("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}<script>var x = 'y';</script>", []),
    ],
)
def test_the_check_finds_what_a_visitor_would_read_in_english(source, expected):
    assert untranslated(source) == expected


def test_a_word_with_two_contexts_has_two_translations():
    """Seen: "Imports" meant both foreign-trade imports (进口) and bulk-import batches (导入记录), and one
    msgid gave Table 1 the wrong word. Where a msgid has contexts, each meaning must read differently."""
    by_msgid = defaultdict(dict)
    for entry in polib.pofile(str(CATALOGUE)):
        if not entry.obsolete:
            by_msgid[entry.msgid][entry.msgctxt] = entry.msgstr or entry.msgstr_plural.get(0)
    shared = {
        msgid: translations
        for msgid, translations in by_msgid.items()
        if len(translations) > 1 and len(set(translations.values())) < len(translations)
    }
    assert shared == {}
