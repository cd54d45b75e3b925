"""Factories and helpers for promises (used by the service and public tests)."""

from datetime import date

import factory

from promises.models import Commitment, Promise
from promises.owners import owners_for


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
    text = factory.Sequence(lambda n: f"Polisen genomför insats nummer {n}.")
    order = factory.Sequence(int)

    @factory.post_generation
    def party(obj, create, extracted, **kwargs):
        """Who promises, as a party code (``promises.owners.owners_for``)."""
        if create:
            code = extracted or Commitment.Party.POLICE
            obj.owners.set(owners_for(obj.promise.partnership, code))

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.owners.set(extracted)
