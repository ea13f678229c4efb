"""Accessibility and layout of the main pages of every role, in English and Chinese (issue 13).

axe-core (npm, node_modules) checks each page: no serious or critical violation. Every page has one h1 and a
skip link, and no page scrolls sideways at 1366 px or at 390 px, even with a 200-character firm name that has no
space to break at. The menu is either on one line or collapsed, at every width.
"""

import datetime
from collections import Counter

import pytest

from accounts.services import staff_user_create
from rewards import services as round_services
from rewards.models import RoundStatus
from tests.browser.conftest import (
    BLOCKING_IMPACTS,
    axe_violations,
    duplicated_labels,
    horizontal_overflow,
    log_in,
    set_language,
)
from tests.factories import MembershipFactory, PctApplicationFactory, UserFactory
from tests.workflow_helpers import firm_with_member, make_round, records_for, submitted, verified_row, verify_all

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "access-Password-2014"
LANGUAGES = ("en", "zh-hans")
ROLES = ("anonymous", "member", "officer", "administrator")
USERNAMES = {"member": "member", "officer": "officer", "administrator": "admin"}
DESKTOP, PHONE = 1366, 390
#: no space to break at: the name must wrap anywhere rather than widen its table or heading
LONG_NAME = "甲科技有限公司" + "Zhongguancun" * 16


def _world() -> dict:
    """A firm with records and assessments, an officer, an administrator, a published round, an anomaly."""
    officer = staff_user_create(username="officer", email="officer@example.org", password=PASSWORD, role="officer")
    admin = staff_user_create(username="admin", email="admin@example.org", password=PASSWORD, role="administrator")
    firm, member = firm_with_member(name_zh=LONG_NAME, name_en="Alpha" + "Technology" * 19)
    member.username = "member"
    member.set_password(PASSWORD)
    member.save()
    MembershipFactory(enterprise=firm, user=UserFactory(username="colleague" + "x" * 100))
    records_for(firm, 2013)
    records = records_for(firm, 2014)
    PctApplicationFactory(enterprise=firm)
    verified = verify_all(submitted(firm, member, year=2013), officer)
    under_review = submitted(firm, member)
    records["export"].value = records["report"].revenue_total * 2  # an anomaly: exports above the revenue
    records["export"].save()

    published = make_round(name="Zone reward 2014", status=RoundStatus.CLOSED)
    for index, total in enumerate(("71.5", "64.25", "50")):
        verified_row(published, total=total, expenses={"exhibition": "100000.00"}, name_zh=f"{LONG_NAME}{index}")
    round_services.round_rank(round_id=published.pk, actor=admin)
    round_services.round_publish(round_id=published.pk, actor=admin)
    make_round(
        name="Zone reward 2015",
        reference_year=2015,
        submission_opens=datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC),
    )
    return {"firm": firm, "verified": verified, "under_review": under_review, "round": published}


def _pages(role: str, world: dict) -> list[str]:
    firm = world["firm"].pk
    return {
        "anonymous": ["/", "/accounts/login/", "/rounds/", f"/rounds/{world['round'].pk}/"],
        "member": [
            f"/firms/{firm}/",
            f"/firms/{firm}/pct-applications/",
            f"/firms/{firm}/maturity/",
            f"/firms/{firm}/assessments/",
            f"/firms/{firm}/assessments/{world['verified'].pk}/",
        ],
        "officer": ["/review/", f"/review/{world['under_review'].pk}/", "/statistics/", "/anomalies/"],
        "administrator": ["/rounds/manage/", f"/rounds/manage/{world['round'].pk}/", "/accounts/users/"],
    }[role]


def _start(page, role: str, width: int = DESKTOP) -> dict:
    world = _world()
    page.set_viewport_size({"width": width, "height": 900})
    if role != "anonymous":
        log_in(page, USERNAMES[role], PASSWORD)
    return world


def _check(page, url: str, problems: list[str], counts: Counter) -> None:
    """Open the page and note what is wrong with it: axe's serious and critical violations (all are counted),
    the number of h1 elements, the skip link, sideways scrolling, duplicated labels."""
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    where = f"{url} [{page.get_attribute('html', 'lang')}, {page.viewport_size['width']} px]"
    if (headings := page.locator("h1").count()) != 1:
        problems.append(f"{where}: {headings} h1 elements")
    if page.locator("a.skip-link[href='#main']").count() != 1 or page.locator("main#main").count() != 1:
        problems.append(f"{where}: no skip link to the main content")
    if (overflow := horizontal_overflow(page)) > 0:
        problems.append(f"{where}: scrolls sideways by {overflow} px")
    problems.extend(f"{where}: {duplicate}" for duplicate in duplicated_labels(page))
    for violation in axe_violations(page):
        counts[violation["impact"]] += 1
        if violation["impact"] in BLOCKING_IMPACTS:
            problems.append(
                f"{where}: {violation['impact']} {violation['id']}: {violation['help']} {violation['targets']}"
            )


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_of_every_role_pass_axe_in_both_languages(page, live_server, role):
    world = _start(page, role)
    problems: list[str] = []
    counts: Counter = Counter()
    for language in LANGUAGES:
        set_language(page, live_server.url, language)
        for url in _pages(role, world):
            _check(page, url, problems, counts)
            page.set_viewport_size({"width": PHONE, "height": 900})
            page.reload()  # charts take the new width on load
            if (overflow := horizontal_overflow(page)) > 0:
                problems.append(f"{url} [{language}, {PHONE} px]: scrolls sideways by {overflow} px")
            page.set_viewport_size({"width": DESKTOP, "height": 900})
    assert problems == [], f"axe violations by impact: {dict(counts)}\n" + "\n".join(problems)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("role", ["member", "officer", "anonymous"])
def test_firm_overview_review_page_and_results_fit_the_window(page, live_server, role, width):
    """The firm overview, the review page and the published results, at a laptop's and a phone's width."""
    world = _start(page, role, width)
    url = {
        "member": f"/firms/{world['firm'].pk}/",
        "officer": f"/review/{world['under_review'].pk}/",
        "anonymous": f"/rounds/{world['round'].pk}/",
    }[role]
    problems: list[str] = []
    counts: Counter = Counter()
    for language in LANGUAGES:
        set_language(page, live_server.url, language)
        _check(page, url, problems, counts)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # the long firm name wraps inside the window
        assert page.locator("h1").bounding_box()["width"] <= width
    assert problems == [], f"axe violations by impact: {dict(counts)}\n" + "\n".join(problems)


NAV_ITEMS_ON_ONE_LINE = """() => {
    const items = [...document.querySelectorAll("#nav > ul > li, #nav > form")].filter((e) => e.offsetParent);
    const middles = items.map((e) => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; });
    return Math.max(...middles) - Math.min(...middles);
}"""
#: the selected language's name fits in the select (it once shrank to an empty box)
LANGUAGE_NAME_FITS = """() => {
    const select = document.querySelector(".navbar select[name=language]");
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = style.font;
    const text = context.measureText(select.selectedOptions[0].text).width;
    return select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) >= text;
}"""


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_is_on_one_line_or_collapsed_at_every_width(page, live_server, role):
    _start(page, role)
    for language in LANGUAGES:
        set_language(page, live_server.url, language)
        # Bootstrap's breakpoints: the container is as wide from each of these up to the next one
        for width in (PHONE, 768, 992, 1200, DESKTOP, 1400, 1920):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/")
            where = f"{role} [{language}, {width} px]"
            toggler = page.locator(".navbar-toggler")
            if toggler.is_visible():
                assert page.locator("#nav").is_hidden(), where
                toggler.click()
                page.locator("#nav").wait_for(state="visible")
                assert page.locator("#nav a.nav-link").first.is_visible(), where
            else:
                assert page.evaluate(NAV_ITEMS_ON_ONE_LINE) < 8, f"{where}: the menu wraps"
                assert page.locator(".navbar").bounding_box()["height"] < 70, f"{where}: the menu wraps"
            assert page.evaluate(LANGUAGE_NAME_FITS), f"{where}: the language selector lost its label"
            assert horizontal_overflow(page) <= 0, where
    if role == "administrator":  # at 1366 px the whole menu is on one line, the administration under one entry
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        page.goto("/")
        assert page.locator(".navbar-toggler").is_hidden()
        page.click("#administration-menu")
        page.click(".dropdown-menu a[href='/accounts/users/']")
        page.wait_for_url("**/accounts/users/")


def test_firm_tabs_are_one_menu_on_a_phone(page, live_server):
    world = _start(page, "member", PHONE)
    firm = world["firm"].pk
    for language in LANGUAGES:
        set_language(page, live_server.url, language)
        page.goto(f"/firms/{firm}/pct-applications/")
        assert page.locator(".nav-tabs").is_hidden()
        sections = page.locator("nav[aria-label] .dropdown-toggle")
        assert sections.inner_text() == page.locator(".nav-tabs .nav-link.active").inner_text()
        assert page.locator("nav[aria-label] .dropdown").bounding_box()["height"] < 50  # 12 tabs took about 300 px
        sections.click()
        items = page.locator("nav[aria-label] .dropdown-menu .dropdown-item")
        assert items.count() == 12 and items.nth(0).is_visible()
        items.nth(items.count() - 4).click()  # the assessments
        page.wait_for_url(f"**/firms/{firm}/assessments/")
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    assert page.locator(".nav-tabs").is_visible() and page.locator("nav[aria-label] .dropdown").is_hidden()


def test_keyboard_users_skip_to_the_content_and_see_where_focus_is(page, live_server):
    world = _start(page, "member")
    page.goto(f"/firms/{world['firm'].pk}/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert skip.is_visible() and skip.bounding_box()["width"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the first link of the content
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.closest('main') !== null, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert focused[0] and focused[1] != "none" and focused[2] >= 2, focused
