"""``manage.py generate_national`` at a small scale: real services, a complete index."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core import search
from core.models import SearchEntry, SearchPending
from promises.models import Promise

pytestmark = pytest.mark.django_db


def _generate(scale=0.004):
    out = StringIO()
    call_command("generate_national", force=True, workers=1, scale=scale, years=2, stdout=out)
    return out.getvalue()


def test_a_small_national_set_is_published_signed_and_searchable():
    _generate()
    promises = list(Promise.objects.published().order_by("pk"))
    assert len(promises) == 2  # one kommun (0.4 % of 290), two years
    assert all(p.title.startswith("Genererat medborgarlöfte") for p in promises)
    assert all(p.published_version.signatures.exists() for p in promises)
    indexed = set(SearchEntry.objects.values_list("group_key", flat=True))
    assert indexed == set(search.published_groups())
    assert not SearchPending.objects.exists()
    assert search.repair().fixed == 0
    # "trygghet" is part of words of every generated effect goal ("tryggheten").
    assert {e.group_key for e in search.search("trygghet")} >= {f"promise:{p.pk}" for p in promises}


def test_running_again_generates_nothing_new():
    _generate()
    count = Promise.objects.count()
    assert "0 löften genererade" in _generate()
    assert Promise.objects.count() == count


def test_refuses_a_database_with_real_promises(kalmar_coordinator, kalmar_partnership):
    from datetime import date

    from promises import services

    services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Ett riktigt löfte",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )
    with pytest.raises(CommandError, match="inte är genererade"):
        _generate()


def test_refuses_a_scale_out_of_range():
    with pytest.raises(CommandError, match="--scale"):
        _generate(scale=0)
