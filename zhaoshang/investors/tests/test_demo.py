from io import StringIO

import pytest
from django.core.management import call_command

from zhaoshang.core.testing import persona
from zhaoshang.investors.models import Activity


@pytest.mark.django_db
def test_demo_activities_cover_every_bureau_once_and_are_scoped():
    call_command("seed_demo_activities", stdout=StringIO())
    call_command("seed_demo_activities", stdout=StringIO())
    assert Activity.objects.count() == 145 * 2
    lufeng = set(Activity.objects.for_user(persona("lufeng_officer")).values_list("pk", flat=True))
    chuxiong = set(Activity.objects.for_user(persona("chuxiong_officer")).values_list("pk", flat=True))
    kunming = set(Activity.objects.for_user(persona("kunming_officer")).values_list("pk", flat=True))
    assert lufeng and lufeng < chuxiong and not lufeng & kunming
