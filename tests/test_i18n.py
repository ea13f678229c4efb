"""English and Simplified Chinese: the catalogue is complete, compiled and used."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete
    }
    assert {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in compiled if e.msgid} == source


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools not installed (CI installs them)")
def test_the_catalogue_holds_every_message_of_the_source(tmp_path):
    """makemessages on a copy of the project finds no message missing from the committed catalogue."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(".venv", "node_modules", ".git", "staticfiles", "private", "*.sqlite3", "tests"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--ignore", "staticfiles/*"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "PYTHONPATH": str(copy)},
    )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert sorted(fresh - committed) == []


@pytest.mark.django_db
def test_pages_speak_chinese_when_asked(client, member_a, firm_a):
    client.force_login(member_a)
    response = client.get(reverse("enterprises:overview", args=[firm_a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "概览" in response.content.decode()
    response = client.get(reverse("enterprises:overview", args=[firm_a.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Overview" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_sets_chinese(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}, follow=True)
    assert "以奖代补" in response.content.decode() or "国际化" in response.content.decode()


def test_chinese_plurals_use_the_single_form():
    """The catalogue header (Plural-Forms: nplurals=1) is compiled: counts above one stay Chinese."""
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("zh-hans"):
        text = ngettext("%(count)s foreign market: %(markets)s", "%(count)s foreign markets: %(markets)s", 3)
    assert "境外市场" in text


def test_every_country_a_firm_can_pick_has_a_chinese_name():
    from django.utils import translation
    from django_countries import countries

    with translation.override("zh-hans"):
        untranslated = [name for _code, name in countries if name.isascii()]
    assert untranslated == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext tools not installed (CI installs them)")
def test_the_catalogue_compiles_without_format_errors():
    """Seen: a msgid with "% of" counts as a format string, and compilemessages refused the catalogue."""
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
