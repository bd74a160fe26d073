"""Isolation cases: scorecards, results, runs and credits (see tests/isolation_matrix.py).

Every page is a read of joint records: whoever may see the relationship's
joint records sees them, and nobody else. Pages named by a relationship
answer 200 to anyone who may see the relationship (an organisation admin
without a role sees it empty); the ``shows`` kind checks that exactly the
visible records are listed.
"""

from __future__ import annotations

from accord.core.testing.isolation import Case

CASES: list[Case] = [
    Case("scorecard", kind="relationship", shows="result"),
    Case("scorecard_csv", kind="relationship"),
    Case("run_list", kind="relationship", shows="run"),
    Case("service_level_detail", kind="service_level", shows="result"),
    Case("result_detail", kind="result"),
    Case("credit_statement", kind="relationship", shows="credit_month"),
    Case("credit_csv", kind="relationship"),
    Case("credit_month_detail", kind="credit_month", shows="credit_line"),
    Case("credit_line_detail", kind="credit_line"),
]
