"""The months health is read on, and refreshes deferred to the end of a bulk load."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.health import refresh


def test_add_months_crosses_years_both_ways() -> None:
    assert refresh.add_months(dt.date(2026, 11, 1), 2) == dt.date(2027, 1, 1)
    assert refresh.add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert refresh.add_months(dt.date(2026, 3, 1), -14) == dt.date(2025, 1, 1)


def test_health_is_read_on_the_twelve_complete_months() -> None:
    assert refresh.last_complete_month(dt.date(2026, 11, 23)) == dt.date(2026, 10, 1)
    assert refresh.last_complete_month(dt.date(2026, 1, 5)) == dt.date(2025, 12, 1)
    months = refresh.health_months(dt.date(2026, 10, 17))
    assert len(months) == 12
    assert months[0] == dt.date(2025, 11, 1)
    assert months[-1] == dt.date(2026, 10, 1)


def test_deferred_refreshes_run_once_per_relationship_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[tuple[int, dt.date | None]] = []
    monkeypatch.setattr(
        refresh, "refresh_health", lambda pk, through=None: ran.append((pk, through))
    )
    with refresh.refreshes_deferred(through=dt.date(2026, 10, 1)) as waiting:
        refresh.refresh_later(7)
        refresh.refresh_later(3)
        refresh.refresh_later(7)
        assert ran == []
        assert waiting == {3, 7}
    assert ran == [(3, dt.date(2026, 10, 1)), (7, dt.date(2026, 10, 1))]


def test_nested_deferral_hands_its_refreshes_to_the_outer_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[int] = []
    monkeypatch.setattr(refresh, "refresh_health", lambda pk, through=None: ran.append(pk))
    with refresh.refreshes_deferred():
        with refresh.refreshes_deferred():
            refresh.refresh_later(5)
        assert ran == []
    assert ran == [5]


def test_a_failed_block_refreshes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []
    monkeypatch.setattr(refresh, "refresh_health", lambda pk, through=None: ran.append(pk))

    def failing_load() -> None:
        with refresh.refreshes_deferred():
            refresh.refresh_later(5)
            raise RuntimeError("import failed")

    with pytest.raises(RuntimeError):
        failing_load()
    assert ran == []
