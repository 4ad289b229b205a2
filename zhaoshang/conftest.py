import pytest

from zhaoshang.core.testing import client_for, load_platform_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data and demo accounts that `make run` loads."""
    with django_db_blocker.unblock():
        load_platform_data()


@pytest.fixture
def as_persona(client, db):
    def sign_in(name):
        client.logout()
        return client_for(client, name)

    return sign_in
