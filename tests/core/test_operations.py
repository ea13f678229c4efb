"""Health endpoint, request ids and structured logs, error pages."""

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from core import health
from core.logging import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_without_logging_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "tasks": "ok"}}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_checks_the_database_queue_table(database_queue, django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(2):  # SELECT 1 and one row of the task table
        assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def down():
        raise ConnectionError("database unreachable")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "fail", "tasks": "ok"}}
    assert "unreachable" not in response.content.decode()


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_a_well_formed_request_id_is_kept_and_a_bad_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")["X-Request-ID"] == "abc-123-def-456"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert replaced != "bad id\nwith newline" and len(replaced) == 32


def test_json_lines_carry_the_request_and_user_id(member_a, client):
    from core.logging import current_request

    class FakeRequest:
        request_id = "req-12345678"
        _cached_user = member_a

    token = current_request.set(FakeRequest())
    try:
        record = logging.LogRecord("zone", logging.INFO, __file__, 1, "hello %s", ("world",), None)
        RequestContextFilter().filter(record)
    finally:
        current_request.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello world"
    assert line["request_id"] == "req-12345678" and line["user_id"] == member_a.pk
    assert "\n" not in JsonFormatter().format(record)


def test_each_line_is_logged_once(settings):
    """Django's loggers have no handler of their own: one line reaches the root handler, once."""
    import logging.config

    logging.config.dictConfig(settings.LOGGING)
    handlers = 0
    logger = logging.getLogger("django.request")
    while logger:
        handlers += len(logger.handlers)
        logger = logger.parent if logger.propagate else None
    assert handlers == 1


def test_500_page_renders_with_the_site_layout_without_request_context(rf):
    """Django renders 500.html without a request (no context processors): the layout must not need one."""
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "navbar" in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_404_page_extends_the_site_layout(client, language, caplog):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'lang="{language}"' in page and "navbar" in page and 'href="/"' in page


def test_403_page_extends_the_site_layout(client, member_a):
    client.force_login(member_a)
    response = client.get(reverse("review:queue"))
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()
