import pytest

from zhaoshang.regions.models import Region


@pytest.mark.django_db
def test_one_of_finds_what_in_finds_for_text_and_integer_columns_and_nothing_for_an_empty_list():
    codes = ["532301", "532302", "999999"]
    assert set(Region.objects.filter(code__one_of=codes)) == set(Region.objects.filter(code__in=codes))
    assert Region.objects.filter(code__one_of=codes).count() == 2
    ids = list(Region.objects.filter(code__in=codes).values_list("pk", flat=True))
    assert sorted(Region.objects.filter(pk__one_of=ids).values_list("code", flat=True)) == ["532301", "532302"]
    assert not Region.objects.filter(code__one_of=[]).exists()
