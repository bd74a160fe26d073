"""Errors services raise; views and the API turn them into 404 / 403 / 400."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


class NotFound(Http404):
    """The record does not exist or is not yours to see - deliberately the same answer."""


__all__ = ["NotFound", "PermissionDenied", "ValidationError"]
