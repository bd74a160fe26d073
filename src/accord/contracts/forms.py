"""Forms for the contract and the scope register: they parse; the services decide."""

from __future__ import annotations

import decimal
import re
from typing import Any

from django import forms

from accord.contracts.models import ScopeItem, ScopeStatus
from accord.engine.periods import parse_month
from accord.engine.tz import available_time_zones

TIME_ZONE_LIST_ID = "time-zones"
_AMOUNT_NOISE = re.compile(r"[,_\s$]")


def time_zone_names() -> list[str]:
    """The zones a person may pick: the pinned tz database's, area/city ones first."""
    names = sorted(available_time_zones())
    return [n for n in names if "/" in n and not n.startswith("Etc/")] + [
        n for n in names if "/" not in n or n.startswith("Etc/")
    ]


class TimeZoneField(forms.CharField):
    """A time zone typed with suggestions (a ``<datalist>``), checked against the tz database."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"list": TIME_ZONE_LIST_ID, "autocomplete": "off", "spellcheck": "false"}
        )

    def clean(self, value: Any) -> str:
        zone = str(super().clean(value) or "").strip()
        if zone and zone not in available_time_zones():
            raise forms.ValidationError(
                f"“{zone}” is not a time zone of the tz database; use a name such as "
                "America/Vancouver or Europe/London."
            )
        return zone


def parse_fee_lines(text: str) -> dict[str, str]:
    """Fee steps written one a line as ``YYYY-MM amount`` → ``{"YYYY-MM": "amount"}``.

    Blank lines and ``#`` comments are skipped; thousands separators and a
    ``$`` are tolerated. Every bad line is reported with its number, together.
    """
    steps: dict[str, str] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.replace(":", " ").replace("=", " ").split(None, 1)
        if len(parts) != 2:
            errors.append(f"Line {number}: write a month and an amount, e.g. 2026-01 1250000.")
            continue
        month_text, amount_text = parts
        try:
            month = str(parse_month(month_text))
        except ValueError:
            errors.append(f"Line {number}: “{month_text}” is not a month (YYYY-MM).")
            continue
        try:
            amount = decimal.Decimal(_AMOUNT_NOISE.sub("", amount_text))
        except decimal.InvalidOperation:
            errors.append(f"Line {number}: “{amount_text}” is not an amount.")
            continue
        if not amount.is_finite() or amount < 0:
            errors.append(f"Line {number}: the fee must be an amount of zero or more.")
        elif amount != amount.quantize(decimal.Decimal("0.01")):
            errors.append(f"Line {number}: {amount_text} has more than two decimals (cents).")
        elif month in steps:
            errors.append(f"Line {number}: {month} is given twice.")
        else:
            steps[month] = str(amount.quantize(decimal.Decimal("0.01")))
    if errors:
        raise forms.ValidationError(errors)
    return dict(sorted(steps.items()))


def plain(number: decimal.Decimal | None) -> str | None:
    """``12``, ``99.95``: a decimal as a person types it (no trailing zeros, no exponent)."""
    return None if number is None else f"{decimal.Decimal(number).normalize():f}"


def fee_lines(schedule: dict[str, Any]) -> str:
    """A fee schedule as the form writes it, one ``YYYY-MM amount`` a line."""
    return "\n".join(f"{month} {amount}" for month, amount in sorted(schedule.items()))


class ContractForm(forms.Form):
    """The contract's reference, term and commercial terms."""

    reference = forms.CharField(max_length=64, help_text="The contract number, e.g. MWS-2026-014.")
    title = forms.CharField(max_length=200)
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    currency = forms.CharField(
        max_length=3,
        min_length=3,
        initial="CAD",
        help_text="Three-letter ISO 4217 code, such as CAD, USD or EUR.",
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    timezone = TimeZoneField(
        label="Time zone",
        help_text="Months start at local midnight here, for scorecards and credits.",
    )
    fee_basis = forms.ChoiceField(
        label="How the fees are set",
        choices=[("monthly", "The same fee every month"), ("schedule", "A fee schedule")],
        initial="monthly",
        widget=forms.RadioSelect,
    )
    monthly_fee = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        label="Monthly fee",
        help_text="Used when the fee is the same every month.",
    )
    fee_schedule = forms.CharField(
        required=False,
        label="Fee schedule",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "mono"}),
        help_text="One step a line: the month it starts and the monthly fee from then on, "
        "e.g. “2026-01 1250000” then “2026-04 1287500”.",
    )
    at_risk_percent = forms.DecimalField(
        label="At risk (% of monthly fees)",
        max_digits=6,
        decimal_places=3,
        min_value=0,
        max_value=100,
        help_text="The monthly at-risk amount is this % of that month's fees; "
        "a month's credits never exceed it.",
    )
    pool_percent = forms.DecimalField(
        label="Pool (% of the at-risk amount)",
        max_digits=7,
        decimal_places=3,
        min_value=0,
        max_value=1000,
        help_text="What the critical service levels' allocations may add up to, often 150–250 %.",
    )

    def clean_currency(self) -> str:
        currency = str(self.cleaned_data["currency"]).strip().upper()
        if not (len(currency) == 3 and currency.isalpha()):
            raise forms.ValidationError("Use a three-letter ISO 4217 code, such as CAD.")
        return currency

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        basis = data.get("fee_basis")
        if basis == "monthly":
            if data.get("monthly_fee") is None and "monthly_fee" not in self.errors:
                self.add_error("monthly_fee", "Give the monthly fee.")
            data["fee_schedule"] = {}
        elif basis == "schedule":
            # Only the chosen form of fees is read: a stale fee schedule is ignored.
            try:
                data["fee_schedule"] = parse_fee_lines(data.get("fee_schedule") or "")
            except forms.ValidationError as error:
                self.add_error("fee_schedule", error)
            else:
                if not data["fee_schedule"]:
                    self.add_error("fee_schedule", "Give at least one month and its fee.")
            data["monthly_fee"] = None
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The contract cannot end before it starts.")
        return data

    def terms(self) -> dict[str, Any]:
        """The cleaned fields as the contract services take them."""
        return {k: v for k, v in self.cleaned_data.items() if k != "fee_basis"}

    @classmethod
    def initial_for(cls, contract: Any) -> dict[str, Any]:
        return {
            "reference": contract.reference,
            "title": contract.title,
            "start_date": contract.start_date,
            "end_date": contract.end_date,
            "currency": contract.currency,
            "timezone": contract.timezone,
            "fee_basis": "schedule" if contract.fee_schedule else "monthly",
            "monthly_fee": contract.monthly_fee,
            "fee_schedule": fee_lines(contract.fee_schedule or {}),
            "at_risk_percent": plain(contract.at_risk_percent),
            "pool_percent": plain(contract.pool_percent),
        }


class ScopeItemForm(forms.Form):
    """A service in scope, out of scope, or still to be determined."""

    status = forms.ChoiceField(choices=ScopeStatus.choices)
    title = forms.CharField(max_length=200, help_text="The service, in a few words.")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is (or is not) included, precisely enough to settle a disagreement.",
    )
    clause = forms.CharField(
        required=False,
        max_length=100,
        help_text="The contract clause it rests on, e.g. Sch. A §2.3.",
    )

    @classmethod
    def initial_for(cls, item: ScopeItem) -> dict[str, Any]:
        return {
            "status": item.status,
            "title": item.title,
            "description": item.description,
            "clause": item.clause,
        }
