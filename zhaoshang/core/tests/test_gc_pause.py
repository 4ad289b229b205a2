"""Imports pause the cycle collector while they hold their rows, and always give it back."""

import gc

import pytest

from zhaoshang.core.bulk import cyclic_gc_paused


def test_the_collector_is_paused_inside_and_back_after_an_error_and_a_pause_inside_a_pause():
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with cyclic_gc_paused():
            assert not gc.isenabled()
            with cyclic_gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled(), "the inner pause leaves the collector to the outer one"
            raise ValueError("an import that fails")
    assert gc.isenabled()


def test_a_dry_run_of_a_taizhang_leaves_the_collector_running(db):
    from zhaoshang.core.testing import load_platform_data, persona
    from zhaoshang.projects.taizhang.preview import taizhang_preview

    load_platform_data()
    try:
        taizhang_preview(actor=persona("province_admin"), content=b"not a workbook")
    except Exception:  # refused or reported: either way the collector runs again
        pass
    assert gc.isenabled()
