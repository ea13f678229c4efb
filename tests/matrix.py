"""URL x role matrices (DESIGN §6): the expected answer of each role, the check of one response, and the site's
URL patterns that tests/test_url_matrix.py holds the matrices against.

A matrix module offers `matrix_urls(world)`: every URL its role tests request, built from the same tables as
those tests. Given a `Placeholder` for the world, it yields URLs of the right shape without a database."""

import uuid
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.conftest import ROLE_NAMES

LOGIN = "login"  # expected: a redirect to the log-in page (anonymous visitors)


def expect(anonymous, member_a, member_b, officer, administrator) -> dict:
    """Role → expected answer: a status code, LOGIN, or (status, start of the redirect target)."""
    return dict(zip(ROLE_NAMES, (anonymous, member_a, member_b, officer, administrator), strict=True))


def check(response, expected, role, url) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {url}: {response.status_code}"
        assert response.url.startswith(reverse("login") + "?next="), f"{role} {url}: {response.url}"
    elif isinstance(expected, tuple):
        status, target = expected
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        assert response.url.startswith(target), f"{role} {url}: {response.url}"
    else:
        assert response.status_code == expected, f"{role} {url}: {response.status_code}"


def check_pages(client, pages: dict, role: str) -> None:
    """GET every URL of `pages` (URL → expected answer per role) as `role`."""
    for url, expected in pages.items():
        check(client.get(url), expected[role], role, url)


class Request(NamedTuple):
    """One request of a matrix: its URL and POST data, built from the test's world, and each role's answer."""

    method: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict] | None
    expected: dict

    def check(self, client, world, role: str, what: str) -> None:
        url = self.url(world)
        if self.method == "get":
            response = client.get(url)
        else:
            response = getattr(client, self.method)(url, self.data(world) if self.data else {})
        check(response, self.expected[role], role, what)


def get(url: Callable, expected: dict) -> Request:
    return Request("get", url, None, expected)


def post(url: Callable, expected: dict, data: Callable | None = None) -> Request:
    return Request("post", url, data, expected)


def to(name: str, *args) -> Callable[[Any], str]:
    """world → the URL named `name`; an argument that is a function (e.g. `attrgetter("firm_a.pk")`) is
    called with the world."""
    return lambda world: reverse(name, args=[arg(world) if callable(arg) else arg for arg in args])


class SitePattern(NamedTuple):
    name: str | None  # with its namespaces, e.g. "enterprises:record_list"
    route: str  # from the site's root, as ResolverMatch.route gives it
    pattern: URLPattern


def site_patterns(patterns=None, namespace: str = "", route: str = "") -> Iterator[SitePattern]:
    """Every URL pattern of the site, except Django's admin site (its own permission system guards it)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = route + str(pattern.pattern).removeprefix("^") if route else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                inner = ":".join(filter(None, (namespace, pattern.namespace)))
                yield from site_patterns(pattern.url_patterns, inner, here)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield SitePattern(name, here, pattern)


def route_of(url: str) -> str:
    return resolve(urlsplit(url).path).route


class Placeholder:
    """Stands for a test world, and every object in it, where only the shape of a URL matters: each attribute
    and item is a placeholder again, each id is 1, each token a UUID."""

    pk = 1
    token = uuid.UUID(int=1)

    def __getattr__(self, name: str) -> "Placeholder":
        return self

    def __getitem__(self, key) -> "Placeholder":
        return self

    def __format__(self, spec: str) -> str:
        return "1"
