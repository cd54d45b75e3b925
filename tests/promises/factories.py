"""Factories and helpers for promises (used by the service and public tests)."""

from datetime import date

import factory

from promises.models import Commitment, Promise


class PromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promise

    title = factory.Sequence(lambda n: f"Medborgarlöfte {n}")
    valid_from_date = date(2026, 1, 1)
    valid_to_date = date(2026, 12, 31)
    introduction = "Vi lovar tillsammans."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    promise = factory.SubFactory(PromiseFactory)
    party = Commitment.Party.POLICE
    text = factory.Sequence(lambda n: f"Polisen genomför insats nummer {n}.")
    order = factory.Sequence(int)
