"""factory-boy factories for every model; role fixtures live in conftest.py."""

import factory
from django.contrib.auth import get_user_model

from organizations.models import Membership, Organisation, Partnership, PoliceRegion

PASSWORD = "ett-långt-testlösenord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"anvandare{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


def municipality(code: str) -> Organisation:
    """A kommun from the reference data, by kommunkod."""
    return Organisation.objects.get(municipality_code=code)


class PoliceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    kind = Organisation.Kind.POLICE_AREA
    name = factory.Sequence(lambda n: f"LPO Test {n}")
    slug = factory.Sequence(lambda n: f"lpo-test-{n}")
    police_region = factory.LazyFunction(lambda: PoliceRegion.objects.get(slug="syd"))


class OtherPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.OTHER
    name = factory.Sequence(lambda n: f"Bostadsbolaget {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Samverkan {n}")
    police_area = factory.SubFactory(PoliceAreaFactory)

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(PoliceAreaFactory)
    role = Membership.Role.COORDINATOR
