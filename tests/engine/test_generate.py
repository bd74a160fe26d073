"""``accord engine generate``: realistic, deterministic data for the three kinds of import."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from accord.engine import generate as gen
from accord.engine.calendars import BusinessCalendar
from accord.engine.cli import main
from accord.engine.errors import DataError
from accord.engine.periods import Month
from accord.engine.tabular import read_batches, timestamps
from accord.engine.tz import get_zone, offset_pieces

ROOT = Path(__file__).resolve().parents[2]
CALENDARS = ROOT / "examples" / "calendars"
NS = 1_000_000_000
US = 1_000_000
HOUR = 3600
TS = pa.timestamp("us", tz="UTC")
JANUARY = Month(2026, 1)
MARCH = Month(2026, 3)  # BC's last change of the clocks (8 March) is inside


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def contacts() -> pa.Table:
    """A moderate month: 200,000 contacts in March 2026."""
    return gen.contact_centre_month(MARCH, 200_000, 11)


@pytest.fixture(scope="module")
def tickets() -> pa.Table:
    return gen.tickets_month(MARCH, 100_000, 11)


def _ints(column: pa.ChunkedArray | pa.Array) -> npt.NDArray[np.int64]:
    """Timestamp column as int64 microseconds (nulls as the minimum int64)."""
    values = column.cast(pa.int64()).fill_null(np.iinfo(np.int64).min)
    return np.asarray(values.to_numpy(), dtype=np.int64)


def _local(instants_us: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
    """Local (pinned tz database) day number, weekday and seconds after midnight, Vancouver."""
    seconds = instants_us // US
    bounds, offsets = offset_pieces(
        get_zone("America/Vancouver"), int(seconds.min()) - 1, int(seconds.max()) + 1
    )
    local = seconds + offsets[np.searchsorted(bounds, seconds, side="right") - 1]
    day = local // 86_400
    return day, (day + 3) % 7, local % 86_400


def _as_numpy(column: pa.ChunkedArray) -> npt.NDArray[np.float64]:
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


# --------------------------------------------------------------------------- basics


@pytest.mark.parametrize(
    ("built_in", "file"),
    [
        (gen.contact_centre_calendar, "credit-union-contact-centre.yaml"),
        (gen.office_calendar, "bc-public-service.yaml"),
    ],
)
def test_built_in_calendars_are_the_example_files(built_in: object, file: str) -> None:
    assert callable(built_in)
    calendar = built_in()
    assert isinstance(calendar, BusinessCalendar)
    assert calendar.to_dict() == BusinessCalendar.from_file(CALENDARS / file).to_dict()


def test_schemas_are_exactly_the_contract() -> None:
    expected = {
        "contact-centre": [
            ("interaction_id", pa.string()),
            ("offered_at", TS),
            ("channel", pa.string()),
            ("queue", pa.string()),
            ("answered_at", TS),
            ("abandoned", pa.bool_()),
            ("wait_seconds", pa.float64()),
            ("handle_seconds", pa.float64()),
            ("transferred", pa.bool_()),
            ("resolved_first_contact", pa.bool_()),
            ("csat", pa.int64()),
        ],
        "tickets": [
            ("ticket_id", pa.string()),
            ("priority", pa.int64()),
            ("category", pa.string()),
            ("opened_at", TS),
            ("responded_at", TS),
            ("resolved_at", TS),
            ("reopened", pa.bool_()),
        ],
        "payroll": [
            ("run_id", pa.string()),
            ("pay_group", pa.string()),
            ("scheduled_at", TS),
            ("completed_at", TS),
            ("employees_paid", pa.int64()),
            ("payment_errors", pa.int64()),
            ("adjustments", pa.int64()),
        ],
    }
    tables = {
        "contact-centre": gen.contact_centre_month(JANUARY, 500, 1),
        "tickets": gen.tickets_month(JANUARY, 500, 1),
        "payroll": gen.payroll_month(JANUARY, 3, 1),
    }
    for kind, columns in expected.items():
        assert [(f.name, f.type) for f in tables[kind].schema] == columns, kind
        assert tables[kind].schema.equals(gen.SCHEMAS[kind]), kind


def test_same_arguments_same_rows_other_seed_other_rows() -> None:
    for make in (gen.contact_centre_month, gen.tickets_month):
        a = make(MARCH, 3_000, 5)
        assert a.num_rows == 3_000
        assert a.equals(make(MARCH, 3_000, 5))
        other = make(MARCH, 3_000, 6)
        assert not a.drop_columns([a.column_names[0]]).equals(
            other.drop_columns([a.column_names[0]])
        )
    payroll = gen.payroll_month(MARCH, 6, 5)
    assert payroll.equals(gen.payroll_month(MARCH, 6, 5))
    assert not payroll.equals(gen.payroll_month(MARCH, 6, 6))


def test_a_month_does_not_depend_on_where_the_run_starts() -> None:
    alone = gen.contact_centre_month(MARCH, 2_000, 3)
    later = gen.contact_centre_month(MARCH, 2_000, 3, first_id=4_001)
    assert alone.drop_columns(["interaction_id"]).equals(later.drop_columns(["interaction_id"]))
    assert later.column("interaction_id")[0].as_py() == "CC-000004001"


def test_a_large_month_comes_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gen, "CHUNK_ROWS", 2_000)
    batches = list(gen.contact_centre_batches(JANUARY, 10_000, 2, first_id=7))
    assert len(batches) >= 4
    assert sum(b.num_rows for b in batches) == 10_000
    table = pa.Table.from_batches(batches)
    ids = table.column("interaction_id").to_pylist()
    assert ids[0] == "CC-000000007"
    assert ids[-1] == "CC-000010006"
    offered = _ints(table.column("offered_at"))
    assert np.all(np.diff(offered) >= 0)  # in order of arrival, across batches


# --------------------------------------------------------------------------- contact centre


def test_contacts_arrive_only_inside_opening_hours(contacts: pa.Table) -> None:
    calendar = gen.contact_centre_calendar()
    offered = contacts.column("offered_at").combine_chunks()
    # An instant is business time when the microsecond after it is all business time.
    later = pc.add(offered, pa.scalar(1, pa.duration("us")))
    tiny = calendar.business_seconds(offered, later).to_numpy()
    assert np.all(tiny == 1e-6)
    # And by local wall-clock time, independently of the calendar code.
    day, weekday, seconds = _local(_ints(offered))
    weekdays = weekday < 5
    assert np.all((seconds[weekdays] >= 7 * HOUR) & (seconds[weekdays] < 20 * HOUR))
    saturday = seconds[weekday == 5]
    assert np.all(
        ((saturday >= 9 * HOUR) & (saturday < 13 * HOUR))
        | ((saturday >= 14 * HOUR) & (saturday < 17 * HOUR))
    )
    assert not np.any(weekday == 6)
    assert len(np.unique(day)) == 26  # March 2026: 22 weekdays and 4 Saturdays, no holiday
    family_day = gen.contact_centre_month(Month(2026, 2), 5_000, 1)  # 16 February: closed
    closed = (dt.date(2026, 2, 16) - dt.date(1970, 1, 1)).days
    assert not np.any(_local(_ints(family_day.column("offered_at")))[0] == closed)


def test_intraday_and_weekly_pattern(contacts: pa.Table) -> None:
    day, weekday, seconds = _local(_ints(contacts.column("offered_at")))
    hour = seconds // HOUR
    weekdays = weekday < 5
    by_hour = np.bincount(hour[weekdays], minlength=24)
    assert by_hour[9:12].argmax() + 9 in (9, 10)  # the mid-morning peak
    assert by_hour[10] > by_hour[13] > by_hour[12]  # a smaller early-afternoon peak
    assert by_hour[13] > by_hour[16] > by_hour[19]
    per_day = np.bincount(day - day.min())
    days_of = [np.unique(day[weekday == w]) - day.min() for w in range(6)]
    mean_day = [per_day[d].mean() for d in days_of]
    assert int(np.argmax(mean_day)) == 0  # Mondays busiest
    assert mean_day[5] < 0.5 * np.mean(mean_day[:5])  # Saturdays light


def test_contact_fields_are_consistent(contacts: pa.Table) -> None:
    n = contacts.num_rows
    ids = contacts.column("interaction_id").to_pylist()
    assert len(set(ids)) == n
    assert all(re.fullmatch(r"CC-\d{9}", i) for i in ids[:1000])
    abandoned = contacts.column("abandoned").to_numpy()
    for name in ("answered_at", "handle_seconds", "resolved_first_contact", "csat"):
        nulls = contacts.column(name).is_null().to_numpy(zero_copy_only=False)
        assert np.all(nulls[abandoned]), name
    assert contacts.column("answered_at").null_count == int(abandoned.sum())
    assert contacts.column("handle_seconds").null_count == int(abandoned.sum())
    assert not np.any(contacts.column("transferred").to_numpy()[abandoned])
    wait = _as_numpy(contacts.column("wait_seconds"))
    assert np.all(wait >= 0)
    answered = ~abandoned
    elapsed = _ints(contacts.column("answered_at")) - _ints(contacts.column("offered_at"))
    assert np.allclose(elapsed[answered] / US, wait[answered], atol=1e-6)
    csat = contacts.column("csat").drop_null().to_numpy()
    assert set(np.unique(csat).tolist()) <= {1, 2, 3, 4, 5}
    assert 0.13 < len(csat) / answered.sum() < 0.17  # ~15 % of answered are surveyed


def test_contact_centre_statistics(contacts: pa.Table) -> None:
    channel = contacts.column("channel").to_numpy(zero_copy_only=False)
    voice = channel == "voice"
    assert set(np.unique(channel).tolist()) == {"voice", "chat"}
    assert 0.75 < voice.mean() < 0.81
    queues, counts = np.unique(
        contacts.column("queue").to_numpy(zero_copy_only=False), return_counts=True
    )
    share = dict(zip(queues.tolist(), (counts / counts.sum()).tolist(), strict=True))
    assert set(share) == {"members", "lending", "cards", "fraud"}
    assert share["members"] > share["cards"] > share["fraud"]
    assert share["lending"] > share["fraud"]
    queue = contacts.column("queue").to_numpy(zero_copy_only=False)

    abandoned = contacts.column("abandoned").to_numpy()
    wait = _as_numpy(contacts.column("wait_seconds"))
    short = abandoned & (wait < 5)
    service_level = (voice & ~abandoned & (wait <= 20)).sum() / (voice & ~short).sum()
    assert 0.70 <= service_level <= 0.92
    assert 0.015 <= abandoned.mean() <= 0.08
    assert 0.005 <= short.sum() / abandoned.sum() <= 0.15  # a few % of abandons are short
    # A heavy right tail: the 99th percentile is far above the median.
    assert np.percentile(wait, 99) > 20 * np.median(wait)
    assert wait[queue == "fraud"].mean() < 0.7 * wait[queue == "lending"].mean()  # fraud first

    handle = _as_numpy(contacts.column("handle_seconds"))
    answered = ~abandoned
    assert 330 < handle[voice & answered].mean() < 390
    assert 550 < handle[~voice & answered].mean() < 650
    resolved = contacts.column("resolved_first_contact").drop_null().to_numpy()
    assert 0.70 < resolved.mean() < 0.80
    csat = contacts.column("csat").drop_null().to_numpy()
    assert 0.78 <= (csat >= 4).mean() <= 0.90
    assert (csat == 5).mean() > (csat == 1).mean() * 5  # skewed high

    # Busier hours wait longer: the mid-morning peak against the quiet evening.
    _, weekday, seconds = _local(_ints(contacts.column("offered_at")))
    hour = seconds // HOUR
    peak = (weekday < 5) & (hour == 10)
    quiet = (weekday < 5) & (hour >= 18)
    assert wait[peak].mean() > 1.5 * wait[quiet].mean()


def test_service_level_varies_by_month_within_a_realistic_band() -> None:
    levels, abandon_rates = [], []
    for i in range(12):
        table = gen.contact_centre_month(JANUARY.shift(i), 20_000, 2026)
        voice = pc.equal(table.column("channel"), "voice").to_numpy(zero_copy_only=False)
        abandoned = table.column("abandoned").to_numpy()
        wait = _as_numpy(table.column("wait_seconds"))
        short = abandoned & (wait < 5)
        levels.append((voice & ~abandoned & (wait <= 20)).sum() / (voice & ~short).sum())
        abandon_rates.append(abandoned.mean())
    assert 0.72 <= min(levels)
    assert max(levels) <= 0.90
    assert max(levels) - min(levels) >= 0.02  # a realistic mix, not one level
    assert 0.015 <= min(abandon_rates)
    assert max(abandon_rates) <= 0.08


# --------------------------------------------------------------------------- tickets


def test_ticket_fields(tickets: pa.Table) -> None:
    n = tickets.num_rows
    ids = tickets.column("ticket_id").to_pylist()
    assert len(set(ids)) == n
    assert ids[0] == "INC000000001"
    priority = tickets.column("priority").to_numpy()
    shares = np.bincount(priority, minlength=5)[1:] / n
    assert np.allclose(shares, [0.02, 0.10, 0.50, 0.38], atol=0.01)
    assert set(tickets.column("category").unique().to_pylist()) == {
        "pay",
        "benefits",
        "access",
        "records",
        "hardware",
    }
    opened = _ints(tickets.column("opened_at"))
    responded = _ints(tickets.column("responded_at"))
    resolved = _ints(tickets.column("resolved_at"))
    assert np.all(np.diff(opened) >= 0)
    assert np.all(opened % US == 0)
    has_response = tickets.column("responded_at").is_valid().to_numpy(zero_copy_only=False)
    has_resolution = tickets.column("resolved_at").is_valid().to_numpy(zero_copy_only=False)
    assert 0.002 < 1 - has_response.mean() < 0.01
    assert 0.004 < 1 - has_resolution.mean() < 0.02
    assert np.all(responded[has_response] >= opened[has_response])
    both = has_response & has_resolution
    assert np.all(resolved[both] >= responded[both])
    assert 0.015 < tickets.column("reopened").to_numpy().mean() < 0.05


def test_tickets_open_mostly_in_office_hours_p1_at_any_hour(tickets: pa.Table) -> None:
    calendar = gen.office_calendar()
    opened = tickets.column("opened_at").combine_chunks()
    later = pc.add(opened, pa.scalar(1, pa.duration("us")))
    inside = calendar.business_seconds(opened, later).to_numpy() > 0
    p1 = tickets.column("priority").to_numpy() == 1
    assert 0.85 < inside[~p1].mean() < 0.95
    assert inside[p1].mean() < 0.6
    _, weekday, seconds = _local(_ints(opened))
    assert np.any(p1 & (weekday >= 5))
    assert np.any(p1 & (seconds < 6 * HOUR))


def test_ticket_service_levels_in_business_time(tickets: pa.Table) -> None:
    calendar = gen.office_calendar()
    opened = tickets.column("opened_at")
    business = calendar.business_seconds(opened, tickets.column("resolved_at"))
    business_hours = business.to_numpy(zero_copy_only=False) / HOUR
    response = calendar.business_seconds(opened, tickets.column("responded_at"))
    response_hours = response.to_numpy(zero_copy_only=False) / HOUR
    elapsed = (_ints(tickets.column("resolved_at")) - _ints(opened)) / US / HOUR
    priority = tickets.column("priority").to_numpy()
    valid = ~np.isnan(business_hours)

    def within(p: int, hours: float) -> float:
        chosen = (priority == p) & valid
        values = elapsed[chosen] if p == 1 else business_hours[chosen]
        return float((values <= hours).mean())

    assert 0.86 <= within(1, 4) <= 0.99
    assert 0.82 <= within(2, 8) <= 0.97
    assert 0.85 <= within(3, 24) <= 0.98
    assert 0.87 <= within(4, 40) <= 0.99
    routine = (priority > 1) & ~np.isnan(response_hours)
    assert 0.88 <= (response_hours[routine] <= 1).mean() <= 0.99
    # Not trivially met either: some tickets take far longer than their target.
    assert np.nanmax(business_hours[priority == 3]) > 48


# --------------------------------------------------------------------------- business time


def test_add_business_seconds_examples() -> None:
    office = gen.office_calendar()

    def at(text: str) -> npt.NDArray[np.int64]:
        return np.array([np.datetime64(text, "ns").astype(np.int64)])

    # Friday 16:00 PST + 1 business hour = Monday 09:00 PST (opens 08:30).
    assert (
        gen.add_business_seconds(office, at("2026-01-10T00:00"), [HOUR])[0]
        == at("2026-01-12T17:00")[0]
    )
    # Across the change of the clocks (Sunday 8 March): Monday 09:00 is now PDT.
    assert (
        gen.add_business_seconds(office, at("2026-03-07T00:00"), [HOUR])[0]
        == at("2026-03-09T16:00")[0]
    )
    # Zero stays put, even outside business hours; a full day ends at the close.
    assert (
        gen.add_business_seconds(office, at("2026-01-10T12:00"), [0])[0]
        == at("2026-01-10T12:00")[0]
    )
    assert (
        gen.add_business_seconds(office, at("2026-01-12T16:30"), [8 * HOUR])[0]
        == at("2026-01-13T00:30")[0]
    )
    with pytest.raises(ValueError, match=">= 0"):
        gen.add_business_seconds(office, at("2026-01-12T16:30"), [-1])


@pytest.mark.parametrize(
    "file", ["bc-public-service.yaml", "credit-union-contact-centre.yaml", "always-on.yaml"]
)
def test_add_business_seconds_round_trip(file: str) -> None:
    calendar = BusinessCalendar.from_file(CALENDARS / file)
    rng = np.random.default_rng(2025)
    n = 20_000
    # Starts over 2025-2026 (both changes of the clocks of 2025 and March 2026),
    # to the nanosecond, many outside business hours.
    lo = np.datetime64("2025-01-01", "ns").astype(np.int64)
    hi = np.datetime64("2027-01-01", "ns").astype(np.int64)
    starts = rng.integers(lo, hi, n)
    seconds = rng.integers(0, 30 * 86_400, n)
    seconds[:100] = 0
    ends = gen.add_business_seconds(calendar, starts, seconds)
    back = calendar.business_seconds(starts.view("M8[ns]"), ends.view("M8[ns]"))
    assert np.array_equal(back, seconds.astype(np.float64))
    assert np.all(ends >= starts)
    # The earliest such instant: a nanosecond earlier is not enough business time.
    positive = seconds > 0
    before = calendar.business_seconds(
        starts[positive].view("M8[ns]"), (ends[positive] - 1).view("M8[ns]")
    )
    assert np.all(before < seconds[positive])
    if file == "always-on.yaml":
        assert np.array_equal(ends, starts + seconds * NS)
    else:
        outside = calendar.business_seconds(starts.view("M8[ns]"), (starts + 1).view("M8[ns]"))
        assert (outside == 0).mean() > 0.4  # many starts were outside business hours
    # Fractional seconds round to the nanosecond and come back within it.
    fractions = rng.uniform(0, 5 * 86_400, n)
    ends = gen.add_business_seconds(calendar, starts, fractions)
    back = calendar.business_seconds(starts.view("M8[ns]"), ends.view("M8[ns]"))
    assert np.allclose(back, fractions, rtol=0, atol=1e-9)


# --------------------------------------------------------------------------- payroll


def test_payroll_runs_follow_the_calendar() -> None:
    zone = get_zone("America/Vancouver")
    april = gen.payroll_month(Month(2026, 4), 4, 9)
    rows = april.to_pylist()
    groups = [r["pay_group"] for r in rows]
    assert groups.count("off-cycle") == 4
    assert groups.count("monthly-executive") == 1
    local = {(r["pay_group"], r["scheduled_at"].astimezone(zone)) for r in rows}
    # Pay Fridays 3 and 17 April; Good Friday (3 April) moves back to Thursday.
    for group in ("biweekly-regular", "biweekly-auxiliary"):
        assert (group, dt.datetime(2026, 4, 2, 10, tzinfo=zone)) in local
        assert (group, dt.datetime(2026, 4, 17, 10, tzinfo=zone)) in local
        assert groups.count(group) == 2
    assert ("monthly-executive", dt.datetime(2026, 4, 30, 10, tzinfo=zone)) in local
    for group, when in local:
        assert when.weekday() < 5, (group, when)
    # January 2026 ends on a Saturday: executives are paid Friday the 30th.
    january = gen.payroll_month(JANUARY, 0, 9).to_pylist()
    executive = [r for r in january if r["pay_group"] == "monthly-executive"]
    assert executive[0]["scheduled_at"].astimezone(zone).date() == dt.date(2026, 1, 30)


def test_payroll_figures_over_a_year() -> None:
    table = pa.concat_tables(gen.payroll_month(JANUARY.shift(i), 5, 4) for i in range(12))
    ids = table.column("run_id").to_pylist()
    assert len(set(ids)) == len(ids)
    groups = table.column("pay_group").to_numpy(zero_copy_only=False)
    paid = table.column("employees_paid").to_numpy()
    assert 23_000 < paid[groups == "biweekly-regular"].mean() < 25_000
    assert 4_500 < paid[groups == "biweekly-auxiliary"].mean() < 6_000
    assert 380 < paid[groups == "monthly-executive"].mean() < 420
    off = paid[groups == "off-cycle"]
    assert len(off) == 60
    assert off.min() >= 5
    assert off.max() <= 300
    errors = table.column("payment_errors").to_numpy()
    assert 0.0002 <= errors.sum() / paid.sum() <= 0.0015
    adjustments = table.column("adjustments").to_numpy()
    assert 0.003 <= adjustments.sum() / paid.sum() <= 0.008
    scheduled = _ints(table.column("scheduled_at"))
    completed = _ints(table.column("completed_at"))
    late = completed > scheduled
    assert 0 < late.sum()
    assert late.mean() < 0.12
    lead_hours = (scheduled - completed)[~late] / US / HOUR
    assert np.median(lead_hours) > 2  # usually hours before the deadline


# --------------------------------------------------------------------------- files and CLI


def test_generate_writes_parquet_with_ids_unique_across_months(tmp_path: Path) -> None:
    target = tmp_path / "contacts.parquet"
    rows = gen.generate(
        "contact-centre", months=3, rows_per_month=2_000, seed=8, start=JANUARY, output=target
    )
    assert rows == 6_000
    table = pq.read_table(target)
    assert table.schema.equals(gen.CONTACT_CENTRE_SCHEMA)
    ids = table.column("interaction_id").to_pylist()
    assert len(set(ids)) == 6_000
    assert ids[-1] == "CC-000006000"
    day, _, _ = _local(_ints(table.column("offered_at")))
    months = {(dt.date(1970, 1, 1) + dt.timedelta(days=int(d))).month for d in day}
    assert months == {1, 2, 3}
    # Each month is the month function's data (ids numbered on).
    february = gen.contact_centre_month(Month(2026, 2), 2_000, 8, first_id=2_001)
    assert table.slice(2_000, 2_000).equals(february)
    assert pq.read_schema(target).metadata[b"accord.seed"] == b"8"


def test_cli_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "payroll.pq"
    argv = ["generate", "payroll", "--months", "2", "--rows-per-month", "3", "--seed", "1"]
    status = main([*argv, "--output", str(target), "--start", "2026-11"])
    assert status == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1
    table = pq.read_table(target)
    assert f"wrote {table.num_rows} payroll rows" in out
    assert str(target) in out
    assert "2 months" in out
    expected = pa.concat_tables(
        [gen.payroll_month(Month(2026, 11), 3, 1), gen.payroll_month(Month(2026, 12), 3, 1)]
    )
    assert table.equals(expected)


def test_cli_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "tickets.csv"
    status = main(
        [
            "generate",
            "tickets",
            "--months",
            "1",
            "--rows-per-month",
            "500",
            "--seed",
            "3",
            "--output",
            str(target),
        ]
    )
    assert status == 0
    assert "wrote 500 tickets rows" in capsys.readouterr().out
    _, batches = read_batches(target)
    text = pa.Table.from_batches(list(batches))
    expected = gen.tickets_month(JANUARY, 500, 3)
    assert text.column_names == expected.column_names
    assert text.column("ticket_id").to_pylist() == expected.column("ticket_id").to_pylist()
    for name in ("opened_at", "responded_at", "resolved_at"):
        parsed = timestamps(text.column(name).combine_chunks(), name, target, 0)
        assert parsed.cast(TS).equals(expected.column(name).combine_chunks()), name
    priority = [int(v) for v in text.column("priority").to_pylist()]
    assert priority == expected.column("priority").to_pylist()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--months", "0"], "argument --months: must be at least 1"),
        (["--start", "2026-13"], "argument --start: '2026-13' is not a month"),
        (["--seed", "x"], "argument --seed: 'x' is not a whole number"),
    ],
)
def test_cli_bad_argument_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    base = {"--months": "1", "--rows-per-month": "10", "--seed": "1"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["generate", "contact-centre", "--output", str(tmp_path / "x.parquet")]
    for key, value in base.items():
        argv += [key, value]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.parquet").exists()


def test_cli_bad_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["generate", "tickets", "--months", "1", "--rows-per-month", "10", "--seed", "1"]
    assert main([*argv, "--output", str(tmp_path / "tickets.txt")]) == 2
    assert "unknown file type '.txt'" in capsys.readouterr().err
    assert main([*argv, "--output", str(tmp_path / "missing" / "t.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    payroll = ["generate", "payroll", "--months", "1", "--rows-per-month", "10000", "--seed", "1"]
    assert main([*payroll, "--output", str(tmp_path / "p.csv")]) == 2
    assert "off-cycle runs per month must be at most 9999" in capsys.readouterr().err


def test_api_rejects_bad_arguments(tmp_path: Path) -> None:
    target = tmp_path / "x.parquet"
    with pytest.raises(DataError, match="unknown kind"):
        gen.generate("claims", months=1, rows_per_month=1, seed=1, start=JANUARY, output=target)
    with pytest.raises(DataError, match="nine digits"):
        gen.generate(
            "tickets", months=2, rows_per_month=600_000_000, seed=1, start=JANUARY, output=target
        )
    with pytest.raises(DataError, match="seed"):
        gen.generate("tickets", months=1, rows_per_month=10, seed=-1, start=JANUARY, output=target)
    assert not target.exists()


def test_read_ahead_keeps_order_and_passes_errors_on() -> None:
    batches = [pa.record_batch({"x": [i]}) for i in range(5)]
    assert [b["x"][0].as_py() for b in gen._ahead(iter(batches))] == [0, 1, 2, 3, 4]

    def failing() -> Iterator[pa.RecordBatch]:
        yield batches[0]
        raise DataError("broken")

    ahead = gen._ahead(failing())
    assert next(ahead) is batches[0]
    with pytest.raises(DataError, match="broken"):
        next(ahead)
