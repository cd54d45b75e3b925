"""factory-boy factories for promises (as these tests need them), activities and follow-ups."""

from datetime import date, timedelta

import factory

from activities.models import Activity, ActivityPlan, ActivityReport, Measure
from followups.models import CommitmentAssessment, FollowUp
from promises.models import Commitment, Promise
from promises.owners import owners_for
from tests.factories import publish_working_copy


class PromiseFactory(factory.django.DjangoModelFactory):
    """A promise; ``published=True`` gives it a live version of what it holds now.

    Commitments added afterwards are the working copy's: call
    ``tests.factories.publish_working_copy`` again to sign them in.
    """

    class Meta:
        model = Promise
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Medborgarlöfte {n}")
    valid_from_date = date(2020, 1, 1)
    valid_to_date = date(2020, 12, 31)
    followup_cadence = Promise.Cadence.TERTIAL

    @factory.post_generation
    def published(obj, create, extracted, **kwargs):
        if create and extracted:
            publish_working_copy(obj)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    promise = factory.SubFactory(PromiseFactory)
    text = factory.Sequence(lambda n: f"Vi lovar att göra sak nummer {n}.")
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def party(obj, create, extracted, **kwargs):
        """Who promises, as a party code (``promises.owners.owners_for``)."""
        if create:
            code = extracted or Commitment.Party.JOINT
            obj.owners.set(owners_for(obj.promise.partnership, code))

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.owners.set(extracted)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class ActivityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityPlan

    promise = factory.SubFactory(PromiseFactory)
    year = factory.LazyAttribute(lambda plan: plan.promise.valid_from_date.year)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActivityPlanFactory)
    commitment = factory.SubFactory(
        CommitmentFactory, promise=factory.SelfAttribute("..plan.promise")
    )
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    planned_start_date = factory.LazyAttribute(lambda a: date(a.plan.year, 1, 1))
    planned_end_date = factory.LazyAttribute(lambda a: date(a.plan.year, 12, 31))

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class ActivityReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityReport

    activity = factory.SubFactory(ActivityFactory)
    performed_date = factory.LazyAttribute(lambda r: date(r.activity.plan.year, 3, 15))
    description = "Genomfört enligt plan."
    count = 1


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    report = factory.SubFactory(ActivityReportFactory)
    description = "Byt trasig belysning i gångtunneln"
    owner = "Tekniska förvaltningen"


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    promise = factory.SubFactory(PromiseFactory)
    title = "Tertial 1 2020"
    period_start_date = date(2020, 1, 1)
    period_end_date = factory.LazyAttribute(lambda f: f.period_start_date + timedelta(days=119))
    due_date = factory.LazyAttribute(lambda f: f.period_end_date + timedelta(days=31))


class CommitmentAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentAssessment

    followup = factory.SubFactory(FollowUpFactory)
    commitment = factory.SubFactory(
        CommitmentFactory, promise=factory.SelfAttribute("..followup.promise")
    )
    commitment_text = factory.LazyAttribute(lambda a: a.commitment.text)
    party = factory.LazyAttribute(lambda a: a.commitment.party)
