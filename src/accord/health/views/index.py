"""Pages of the health index: a relationship's months, one month explained, the portfolio."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View

from accord.core.choices import Action, Side, Visibility
from accord.core.exports import csv_response
from accord.core.views import RestrictedObjectMixin, person_of
from accord.core.visibility import can
from accord.health.index import COMPONENTS
from accord.health.index_charts import (
    IndexPoint,
    Segment,
    band,
    contribution_chart,
    index_trend_chart,
    sparkline,
)
from accord.health.models import HealthIndex, SignCode
from accord.health.portfolio import (
    SORTS,
    latest_scored,
    parse_sort,
    portfolio_rows,
    previous_of,
    trend,
    visible_indices,
)
from accord.health.refresh import add_months, health_months, refresh_health
from accord.parties.models import Relationship

PAGE_SIZE = 25


def safe_url(name: str, **kwargs: Any) -> str:
    """The URL a stored index component names, or "" if that route has gone since.

    Components are stored JSON computed months ago; a page must not break on
    a route renamed after they were written. Links the code names itself use
    ``reverse`` and fail loudly instead.
    """
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def sign_labels(codes: list[str]) -> list[str]:
    return [SignCode(code).label if code in SignCode.values else code for code in codes]


def point_of(index: HealthIndex) -> IndexPoint:
    score = float(index.score) if index.score is not None else None
    words = f"{index.month:%B %Y}: " + (
        f"{index.score} ({band(score)})" if score is not None else "no index (no inputs)"
    )
    return IndexPoint(f"{index.month:%Y-%m}", f"{index.month:%b %y}", score, words)


def twelve_points(history: list[HealthIndex], latest: HealthIndex | None) -> list[IndexPoint]:
    """A point for each of the twelve months ending with ``latest`` (gaps included)."""
    if latest is None:
        return []
    by_month = {index.month: index for index in history}
    points = []
    for offset in range(-11, 1):
        month = add_months(latest.month, offset)
        index = by_month.get(month)
        if index is None:
            points.append(IndexPoint(f"{month:%Y-%m}", f"{month:%b %y}", None,
                                     f"{month:%B %Y}: not computed"))  # fmt: skip
        else:
            points.append(point_of(index))
    return points


def component_row(component: dict[str, Any]) -> dict[str, Any]:
    """A component of the stored JSON, with the link to where its figures come from."""
    source = component.get("source") or {}
    url = ""
    if source.get("route") and source.get("pk"):
        url = safe_url(source["route"], pk=source["pk"])
    return {**component, "source_url": url, "source_title": source.get("title", "")}


class HealthIndexListView(RestrictedObjectMixin, View):
    """A relationship's index: the latest month big, the twelve-month trend, every month."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        history = list(visible_indices(user, relationship).order_by("month"))
        latest = latest_scored(history)
        previous = previous_of(history, latest)
        change = (
            latest.score - previous.score
            if latest and previous and latest.score is not None and previous.score is not None
            else None
        )
        points = twelve_points(trend(history, latest), latest)
        chart = (
            index_trend_chart(
                points,
                title=f"Health index of {relationship}, twelve months",
                description="The index per month on a 0-100 scale; the table below lists "
                "the same figures.",
                chart_id="health-trend",
            )
            if points
            else ""
        )
        page = Paginator(list(reversed(history)), PAGE_SIZE).get_page(request.GET.get("page"))
        for index in page.object_list:
            scores = {c.get("key"): c.get("score") for c in index.components}
            index.cells = [scores.get(key) for key, _l, _w in COMPONENTS]
        context = {
            "relationship": relationship,
            "latest": latest,
            "latest_band": band(float(latest.score))
            if latest is not None and latest.score is not None
            else "",
            "previous": previous,
            "change": change,
            "chart": chart,
            "indices": page.object_list,
            "page": page,
            "weights": COMPONENTS,
            "triggered": sign_labels(latest.triggered_signs) if latest else [],
            "can_refresh": can(user, Action.CHANGE, relationship, Visibility.JOINT),
            "sign_board_url": reverse("sign_board", kwargs={"pk": relationship.pk}),
        }
        return render(request, "health/index/index_list.html", context)


def index_csv_row(index: HealthIndex) -> list[Any]:
    by_key = {c.get("key"): c for c in index.components}
    row: list[Any] = [f"{index.month:%Y-%m}", index.score]
    for key, _label, _weight in COMPONENTS:
        component = by_key.get(key, {})
        row += [
            component.get("score"),
            component.get("effective_weight"),
            component.get("contribution"),
        ]
    row.append(" ".join(index.triggered_signs))
    return row


def index_csv_header() -> list[str]:
    header = ["month", "index"]
    for key, _label, _weight in COMPONENTS:
        header += [f"{key}_score", f"{key}_weight", f"{key}_contribution"]
    return [*header, "triggered_signs"]


class HealthIndexCsvView(RestrictedObjectMixin, View):
    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        relationship = self.get_object()
        rows = visible_indices(person_of(request), relationship).order_by("month")
        return csv_response(
            index_csv_header(),
            (index_csv_row(index) for index in rows.iterator()),
            f"health-index-{relationship.pk}.csv",
        )


class HealthIndexDetailView(RestrictedObjectMixin, View):
    """One month's index: each component's weight, score, contribution and explanation."""

    model = HealthIndex

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        index = self.get_object()
        relationship = index.relationship
        components = [component_row(c) for c in index.components]
        segments = [
            Segment(
                c["key"],
                f"{c['label']} {c['contribution']}",
                float(c["contribution"]),
                f"{c['label']}: {c['contribution']} points "
                f"(score {c['score']} × weight {c['effective_weight']} %)",
            )
            for c in components
            if c.get("contribution") is not None
        ]
        chart = (
            contribution_chart(
                segments,
                title=f"What makes up the index of {index.month:%B %Y}",
                description=f"Contributions stacked from 0 to the index, {index.score}, out "
                "of 100; the table lists the same figures.",
                chart_id="health-contributions",
            )
            if segments
            else ""
        )
        neighbours = visible_indices(person_of(request), relationship)
        context = {
            "index": index,
            "relationship": relationship,
            "components": components,
            "chart": chart,
            "triggered": sign_labels(index.triggered_signs),
            "rescaled": any(c.get("score") is None for c in components) and index.score is not None,
            "previous": neighbours.filter(month=add_months(index.month, -1)).first(),
            "next": neighbours.filter(month=add_months(index.month, 1)).first(),
        }
        return render(request, "health/index/index_detail.html", context)


class HealthRefreshView(RestrictedObjectMixin, View):
    """Recompute the signs and the index of the last twelve complete months now."""

    model = Relationship

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        if not can(person_of(request), Action.CHANGE, relationship, Visibility.JOINT):
            raise PermissionDenied("Your role does not allow recomputing the index.")
        refresh_health(relationship.pk)
        months = health_months()
        messages.success(
            request,
            f"Warning signs and health index recomputed for {months[0]:%b %Y} to "
            f"{months[-1]:%b %Y}.",
        )
        return redirect("health_index_list", pk=relationship.pk)


# --------------------------------------------------------------------------- portfolio


def _sort_links(current: str) -> list[dict[str, str]]:
    """The header of each sortable column: its link (toggling the order) and aria-sort."""
    column, descending = parse_sort(current)
    labels = {"name": "Relationship", "index": "Index", "change": "Change",
              "triggered": "Triggered signs"}  # fmt: skip
    headers = []
    for key in SORTS:
        active = key == column
        # First click: names A-Z, figures highest first (what a reader looks for).
        if active:
            next_sort = key if descending else f"-{key}"
        else:
            next_sort = key if key == "name" else f"-{key}"
        headers.append(
            {
                "key": key,
                "label": labels[key],
                "href": f"?sort={next_sort}",
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
            }
        )
    return headers


@login_required
def health_portfolio(request: HttpRequest) -> HttpResponse:
    """Every relationship one may see: its index, change, trend and the signs that triggered."""
    user = person_of(request)
    sort = request.GET.get("sort", "name")
    rows = portfolio_rows(user, sort)
    for row in rows:
        history = row.history
        points = twelve_points(history, row.latest)
        row.spark = (  # type: ignore[attr-defined]
            sparkline(points, label=f"Twelve-month index of {row.relationship}") if points else ""
        )
        row.labels = row.triggered_labels  # type: ignore[attr-defined]
    context = {
        "rows": rows,
        "headers": _sort_links(sort),
        "sort": sort,
        "is_buyer_anywhere": any(r.relationship.side_of(user) == Side.BUYER for r in rows),
    }
    return render(request, "health/index/portfolio.html", context)


@login_required
def health_portfolio_csv(request: HttpRequest) -> StreamingHttpResponse:
    user = person_of(request)
    rows = portfolio_rows(user, request.GET.get("sort", "name"))
    header = ["relationship", "buyer", "provider", "month", "index", "change", "triggered_count",
              "triggered_signs"]  # fmt: skip
    return csv_response(
        header,
        (
            [
                row.relationship.name,
                row.relationship.buyer.name,
                row.relationship.provider.name,
                f"{row.latest.month:%Y-%m}" if row.latest else "",
                row.score,
                row.change,
                row.triggered_count,
                " ".join(row.triggered),
            ]
            for row in rows
        ),
        "health-portfolio.csv",
    )
