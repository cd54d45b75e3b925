"""Limits every date a person types must keep: 2000-01-01 to 2100-12-31.

A medborgarlöfte, an agreement or a signature outside them is a typing mistake (year 1,
year 9999), and accepting one breaks every list that spans the dates."""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_MESSAGE = _("Ange ett datum mellan 2000-01-01 och 2100-12-31.")


def date_limits() -> list:
    return [
        MinValueValidator(EARLIEST_DATE, message=DATE_MESSAGE),
        MaxValueValidator(LATEST_DATE, message=DATE_MESSAGE),
    ]
