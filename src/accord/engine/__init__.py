"""Accord's computation engine: pure Python, no Django.

The app hands it plain data and paths; it hands back plain results. It runs on
its own from the command line (``accord engine ...``).

Modules:

* :mod:`accord.engine.calendars` — business calendars and vectorised business time;
* :mod:`accord.engine.tz` — the one time-zone database (the pinned ``tzdata``);
* :mod:`accord.engine.schedule` — contract schedules as code (YAML), validated;
* :mod:`accord.engine.expressions` — the small, safe language of conditions;
* :mod:`accord.engine.periods` — months, quarters and weeks in the contract's zone;
* :mod:`accord.engine.sources` — where operational data comes from, checked;
* :mod:`accord.engine.evaluate` — one pass per source on DuckDB, via SQLGlot;
* :mod:`accord.engine.results` — what an evaluation hands back per level and period;
* :mod:`accord.engine.credits` — service credits, the cap, excusals and earnback;
* :mod:`accord.engine.generate` — deterministic synthetic operational data;
* :mod:`accord.engine.errors` — validation errors that name their place;
* :mod:`accord.engine.tabular` — streamed Parquet/CSV reading and writing;
* :mod:`accord.engine.ingest` — importing a CSV or Parquet file: validated, typed, all or nothing;
* :mod:`accord.engine.servicenow` — importing a ServiceNow incident export as it comes;
* :mod:`accord.engine.output` — evaluations as a table, JSON or CSV;
* :mod:`accord.engine.cli` — the ``accord engine`` command line.
"""

from accord.engine.calendars import BusinessCalendar, HolidayRules, Window
from accord.engine.errors import DataError, Problem, SpecError
from accord.engine.tz import tz_database_version

__all__ = [
    "BusinessCalendar",
    "DataError",
    "HolidayRules",
    "Problem",
    "SpecError",
    "Window",
    "tz_database_version",
]
