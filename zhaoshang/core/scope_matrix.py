"""The CRUD × scope × permission matrix of a scoped model (NetBox's ViewTestCases as the model; issue 14).

A test module subclasses ``ScopeMatrix`` (its name starting with ``Test``) and says how to make an object in 禄丰
(in the scope of ``lufeng_officer``) and one in 昆明 (outside it), and the URLs and form data of the writes the model
has. Every write and the export then run against:

- in scope, with the permission      → done (a redirect after a write, the file of an export);
- out of scope (the 昆明 object)      → 404, nothing changed (it does not exist for this user);
- in scope, without the permission    → 403 (a user of the same office with no permission at all);
- anonymous                           → the login page, nothing changed.

A create is out of scope when its data place the object outside the user's jurisdiction: the form refuses it
(the place is not among its choices) and nothing is created. ``None`` for a URL means the model has no such page.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import resolve_url

from zhaoshang.core.testing import persona


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


class ScopeMatrix:
    """Subclass and fill in; methods receive the pytest ``client`` fixture."""

    pytestmark = pytest.mark.django_db

    model = None  # the scoped model
    own = "lufeng_officer"  # a persona whose scope holds ``make("own")``
    create_url: str | None = None
    export_url: str | None = None  # a list whose search exports (``?export=xlsx`` is added)

    # -- to fill in --------------------------------------------------------------------------------------------
    def make(self, where: str):
        """An object in 禄丰 (``where="own"``) or in 昆明 (``"other"``)."""
        raise NotImplementedError

    def create_url_for(self, where: str) -> str | None:
        """The create page for an object placed ``where``; a model created under a parent (a ledger entry under its
        project) answers the parent's URL, and out of scope that parent is a 404."""
        return self.create_url

    def create_data(self, where: str) -> dict:
        """Form data of a new object placed in 禄丰 (``"own"``) or 昆明 (``"other"``)."""
        raise NotImplementedError

    def update_url(self, obj) -> str | None:
        return None

    def update_data(self, obj) -> dict:
        raise NotImplementedError

    def delete_url(self, obj) -> str | None:
        return None

    def delete_data(self, obj) -> dict:
        return {}

    def export_marker(self, obj) -> str:
        """A cell of the export that names ``obj`` (by default its ``str``)."""
        return str(obj)

    def state(self, obj):
        """What a refused write must leave unchanged (by default the stored row's field values)."""
        fresh = type(obj).objects.filter(pk=obj.pk).values().first()
        return fresh

    # -- the matrix ----------------------------------------------------------------------------------------------
    @pytest.fixture
    def no_permission(self, db):
        """A user of the same office as ``own`` holding no permission."""
        return get_user_model().objects.create_user(
            "matrix_no_permission", password="Matrix-user#1", org_unit=persona(self.own).org_unit
        )

    def _count(self) -> int:
        return self.model.objects.count()

    def _create(self, client, where: str, user):
        url = self.create_url_for(where)
        if url is None:
            pytest.skip("no create page")
        data = self.create_data(where)
        if user is not None:
            client.force_login(user)
        before = self._count()
        return before, client.post(url, data)

    def test_create_in_scope(self, client):
        before, response = self._create(client, "own", persona(self.own))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert self._count() == before + 1

    def test_create_out_of_scope_creates_nothing(self, client):
        before, response = self._create(client, "other", persona(self.own))
        assert response.status_code in (200, 404) and self._count() == before

    def test_create_without_permission_is_403(self, client, no_permission):
        before, response = self._create(client, "own", no_permission)
        assert response.status_code == 403 and self._count() == before

    def test_create_anonymous_goes_to_login(self, client):
        before, response = self._create(client, "own", None)
        assert response.status_code == 302 and response.url.startswith(_login_url()) and self._count() == before

    def _write(self, client, kind: str, where: str, user):
        obj = self.make(where)
        url = self.update_url(obj) if kind == "update" else self.delete_url(obj)
        if url is None:
            pytest.skip(f"no {kind} page")
        data = self.update_data(obj) if kind == "update" else self.delete_data(obj)
        if user is not None:
            client.force_login(user)
        before = self.state(obj)
        return obj, before, client.post(url, data)

    @pytest.mark.parametrize("kind", ["update", "delete"])
    def test_write_in_scope(self, client, kind):
        obj, before, response = self._write(client, kind, "own", persona(self.own))
        assert response.status_code == 302, response.content.decode()[:2000]
        assert self.state(obj) != before

    @pytest.mark.parametrize("kind", ["update", "delete"])
    def test_write_out_of_scope_is_404(self, client, kind):
        obj, before, response = self._write(client, kind, "other", persona(self.own))
        assert response.status_code == 404 and self.state(obj) == before

    @pytest.mark.parametrize("kind", ["update", "delete"])
    def test_write_without_permission_is_403(self, client, no_permission, kind):
        obj, before, response = self._write(client, kind, "own", no_permission)
        assert response.status_code == 403 and self.state(obj) == before

    @pytest.mark.parametrize("kind", ["update", "delete"])
    def test_write_anonymous_goes_to_login(self, client, kind):
        obj, before, response = self._write(client, kind, "own", None)
        assert response.status_code == 302 and response.url.startswith(_login_url()) and self.state(obj) == before

    def _export(self, client, user):
        if self.export_url is None:
            pytest.skip("no export")
        own, other = self.make("own"), self.make("other")
        if user is not None:
            client.force_login(user)
        separator = "&" if "?" in self.export_url else "?"
        return own, other, client.get(f"{self.export_url}{separator}export=xlsx")

    def test_export_holds_the_own_rows_only(self, client):
        from io import BytesIO

        from openpyxl import load_workbook

        own, other, response = self._export(client, persona(self.own))
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cells = {
            str(cell)
            for sheet in load_workbook(BytesIO(content), read_only=True).worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        }
        assert self.export_marker(own) in cells and self.export_marker(other) not in cells

    def test_export_without_permission_is_403(self, client, no_permission):
        _, _, response = self._export(client, no_permission)
        assert response.status_code == 403

    def test_export_anonymous_goes_to_login(self, client):
        _, _, response = self._export(client, None)
        assert response.status_code == 302 and response.url.startswith(_login_url())
