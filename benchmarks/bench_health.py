"""Health: closing a large survey round, and refreshing a relationship's signs and index.

Run: ``python benchmarks/bench_health.py [--respondents N] [--repeats N]``.

Sets Django up on its own with a fresh SQLite database in a temporary data
directory, and builds one relationship with ``respondents`` submitted
responses per side to the shipped instrument (9 dimensions; 27 ratings and
a comment each), a year of workforce figures, four meetings a month, a
proposal a quarter and a tagged note a month. It prints the time to close
the round (aggregating every rating into the published scores) and the
median time of ``repeats`` health refreshes (8 signs and the index over 12
months), with the number of SQL queries of one refresh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def setup_django(data_dir: str) -> None:
    os.environ["ACCORD_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    os.environ.pop("ACCORD_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.ACCORD_TASKS = "inline"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(respondents: int) -> tuple[Any, Any, Any]:
    """The relationship, a buyer manager, and an open round full of submitted answers."""
    import random

    from django.utils import timezone

    from accord.core.choices import RoleName, Side, Visibility
    from accord.core.testing import health_factories as hf
    from accord.core.testing.factories import (
        NoteFactory,
        OrganisationFactory,
        RelationshipFactory,
        RoleFactory,
        UserFactory,
    )
    from accord.health.models import StatementAbout, Subject, SurveyAnswer, SurveyStatement

    rng = random.Random(5)
    relationship = RelationshipFactory(
        buyer=OrganisationFactory(kind="buyer"),
        provider=OrganisationFactory(kind="provider"),
        start_date=dt.date(2025, 1, 1),
    )
    manager = UserFactory(organisation=relationship.buyer)
    RoleFactory(relationship=relationship, person=manager, role=RoleName.MANAGER)
    survey = hf.SurveyRoundFactory(relationship=relationship, min_respondents=3)
    statements = list(SurveyStatement.objects.filter(dimension__instrument=survey.instrument))
    answers = []
    for side, org in ((Side.BUYER, relationship.buyer), (Side.PROVIDER, relationship.provider)):
        for n in range(respondents):
            person = UserFactory(organisation=org, username=f"{side}-{n}")
            response = hf.SurveyResponseFactory(
                round=survey, respondent=person, side=side, submitted_at=timezone.now()
            )
            for statement in statements:
                subjects = (
                    [Subject.RELATIONSHIP]
                    if statement.about == StatementAbout.RELATIONSHIP
                    else [Subject.SELF, Subject.OTHER]
                )
                for subject in subjects:
                    answers.append(
                        SurveyAnswer(
                            response=response, statement=statement, subject=subject,
                            rating=rng.randint(1, 5), comment="",
                        )
                    )  # fmt: skip
    SurveyAnswer._base_manager.bulk_create(answers, batch_size=2000)
    for index in range(12):
        month = dt.date(2025 + (index + 10) // 12, (index + 10) % 12 + 1, 1)
        hf.WorkforceMonthFactory(relationship=relationship, month=month, leavers=index % 5)
        for week in range(4):
            hf.MeetingLogFactory(
                relationship=relationship, held_on=month + dt.timedelta(days=7 * week),
                buyer_executive_present=week == 0, provider_executive_present=week == 0,
            )  # fmt: skip
        if index % 3 == 0:
            hf.ImprovementProposalFactory(relationship=relationship, proposed_on=month)
        NoteFactory(
            relationship=relationship, visibility=Visibility.JOINT, contractual_dispute=True
        )
    return relationship, manager, survey


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=500, help="per side")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from accord.health.models import SurveyAnswer
        from accord.health.refresh import refresh_health
        from accord.health.surveys import survey_round_close

        relationship, manager, survey = build(args.respondents)
        ratings = SurveyAnswer.objects.count()
        started = time.perf_counter()
        survey_round_close(round=survey, actor=manager, refresh=False)
        closing = time.perf_counter() - started
        print(f"Closing a round of {2 * args.respondents} responses ({ratings:,} ratings): "
              f"{closing * 1000:.0f} ms")  # fmt: skip
        through = dt.date(2026, 10, 1)
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                refresh_health(relationship.pk, through)
            times.append(time.perf_counter() - started)
        print(f"Health refresh (8 signs and the index, 12 months): median "
              f"{statistics.median(times) * 1000:.0f} ms over {args.repeats}, "
              f"{len(queries)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
