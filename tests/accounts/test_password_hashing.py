"""Password storage (issue: log-in cost): Argon2id with OWASP's parameters first; older hashes are upgraded at
the next successful log-in, through the real log-in form."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password

from accounts.hashers import ParkArgon2PasswordHasher
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    from config import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    return settings


def test_argon2id_with_owasp_parameters_comes_first(production_hashers):
    hasher = identify_hasher(make_password("Tiger-lily-Harbour-42"))
    assert isinstance(hasher, ParkArgon2PasswordHasher)
    encoded = make_password("Tiger-lily-Harbour-42")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert not hasher.must_update(encoded)  # a current hash is not re-written at every log-in


def test_an_argon2_hash_with_other_parameters_is_upgraded(production_hashers, client):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = UserFactory(username="veteran")
    user.password = Argon2PasswordHasher().encode("Tiger-lily-Harbour-42", Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    client.post("/accounts/login/", {"username": "veteran", "password": "Tiger-lily-Harbour-42"})
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize("old", ["pbkdf2_sha256", "pbkdf2_sha1"])
def test_an_older_hash_is_upgraded_at_the_next_log_in(old, production_hashers, client):
    user = UserFactory(username="veteran")
    user.password = make_password("Tiger-lily-Harbour-42", hasher=old)
    user.save(update_fields=["password"])

    response = client.post("/accounts/login/", {"username": "veteran", "password": "Tiger-lily-Harbour-42"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("Tiger-lily-Harbour-42")


def test_a_wrong_password_upgrades_nothing(production_hashers, client):
    user = UserFactory(username="veteran")
    user.password = make_password("Tiger-lily-Harbour-42", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client.post("/accounts/login/", {"username": "veteran", "password": "wrong-password-000"})
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
