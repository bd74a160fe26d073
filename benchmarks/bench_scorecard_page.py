"""Scorecard page server time: 15 service levels × 24 months of results.

Run: ``python benchmarks/bench_scorecard_page.py [--levels N] [--months N] [--requests N]``.

Sets Django up on its own, with a fresh SQLite database in a temporary data
directory (``ACCORD_DATA_DIR``), migrates it, and builds one relationship
with a contract, a schedule version and a succeeded scorecard run holding
``levels`` × ``months`` level-wide results (plus a breakdown of the first
level into 4 groups, and a year of credit months). It then requests the
scorecard page (the latest year: levels × 12 cells), the scorecard of the
previous year, the service level page and the credit statement with
Django's test client, signed in as the buyer's manager, and prints for each
the median and 90th percentile server time of ``requests`` requests and the
number of SQL queries (the same for any number of levels and months: see
tests/performance_scorecards/test_query_counts.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 250.0  # the scorecard page of 15 levels × 12 months, median, on one core


def setup_django(data_dir: str) -> None:
    os.environ["ACCORD_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    os.environ.pop("ACCORD_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))  # the test builders live under tests/
    import django
    from django.conf import settings

    django.setup()
    # Templates name static files; skip the manifest (no collectstatic here).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(levels: int, months: int) -> dict[str, object]:
    """The relationship, its buyer manager and the pages to time."""
    from django.urls import reverse
    from tests.performance_scorecards.builders import (
        add_credit_month,
        add_level,
        add_results,
        build_scene,
        months_from,
        result_row,
    )

    from accord.engine.periods import Month
    from accord.performance.models import PeriodResult

    statuses = ["met", "met", "met", "missed_expected", "missed_minimum", "no_data"]
    first = Month(2025, 1)
    scene = build_scene(name="Benchmark relationship")
    scene.run.first_period, scene.run.last_period = str(first), str(first.shift(months - 1))
    scene.run.save()
    made = [
        add_level(
            scene,
            f"SL{n:02d}",
            name=f"Service level {n}",
            kind="critical" if n < levels * 2 // 3 else "key",
            breakdown=["queue"] if n == 0 else [],
        )
        for n in range(levels)
    ]
    every = months_from(first, months)
    add_results(
        scene.run, made, every, lambda lv, m: statuses[(lv.position * 7 + m.index) % len(statuses)]
    )
    PeriodResult.objects.bulk_create(
        result_row(scene.run, made[0], month, "met", breakdown={"queue": f"queue {q}"})
        for month in every
        for q in range(4)
    )
    for month in every[-12:]:
        add_credit_month(scene.run, str(month), lines=[(made[0], "minimum", "5000.00")])
    last_year = every[-1].year
    pk = scene.relationship.pk
    return {
        "client": scene.client(),
        "pages": {
            f"scorecard {last_year}": reverse("scorecard", args=[pk]),
            f"scorecard {last_year - 1}": f"{reverse('scorecard', args=[pk])}?year={last_year - 1}",
            "service level (with breakdown)": reverse("service_level_detail", args=[made[0].pk]),
            "credit statement": reverse("credit_statement", args=[pk]),
        },
        "results": PeriodResult.objects.count(),
    }


def time_page(client: object, url: str, requests: int) -> tuple[float, float, int]:
    """Median and 90th percentile milliseconds of ``requests`` GETs, and the query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm the session, templates and caches
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)  # type: ignore[attr-defined]
    p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
    return statistics.median(times), p90, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, default=15)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as data_dir:
        setup_django(data_dir)
        began = time.perf_counter()
        scene = build(args.levels, args.months)
        print(
            f"built {args.levels} levels × {args.months} months "
            f"({scene['results']} results incl. breakdown) in {time.perf_counter() - began:.1f} s"
        )
        worst = 0.0
        for name, url in scene["pages"].items():  # type: ignore[attr-defined]
            median, p90, queries = time_page(scene["client"], url, args.requests)
            print(f"{name:<32} median {median:7.1f} ms  p90 {p90:7.1f} ms  {queries:3d} queries")
            if name.startswith("scorecard"):
                worst = max(worst, median)
        verdict = "within" if worst <= TARGET_MS else "OVER"
        print(f"scorecard page: {verdict} the {TARGET_MS:.0f} ms target (median {worst:.1f} ms)")


if __name__ == "__main__":
    main()
