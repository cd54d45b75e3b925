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
    """A kommun from the reference data, by kommunkod.

    Transactional tests flush the database afterwards; the reference data is
    loaded again for the next one that needs it.
    """
    found = Organisation.objects.filter(municipality_code=code).first()
    if found is None:
        from organizations.reference import ensure_reference_data

        ensure_reference_data()
        found = Organisation.objects.get(municipality_code=code)
    return found


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


def publish_working_copy(promise):
    """Freeze the promise's working copy as its live version, as if every party had signed.

    A test shortcut for the signing workflow (tested on its own in
    tests/promises): the version goes through the real chain, so integrity
    checks and the published read model treat it like any signed version.
    """
    from core import publication
    from promises.chain import append_version
    from promises.models import Promise
    from promises.search import group_key
    from promises.snapshot import build

    version = append_version(promise=promise, snapshot=build(promise))
    Promise.objects.filter(pk=promise.pk).update(
        published_version=version, status=Promise.Status.PUBLISHED, published_at=version.created_at
    )
    publication.changed(group_key(promise.pk))
    promise.refresh_from_db()
    return version


def force_sql(sql: str, params=()) -> None:
    """Run ``sql`` with the database's triggers switched off, as a superuser could.

    For tamper tests: the append-only triggers stop the application, but a
    role that may disable triggers can still rewrite rows; the hash checks must
    catch what it forces through.
    """
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def totp_code(user) -> str:
    """The code the user's authenticator app shows now (from the device's secret)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign(user, promise, *, password=PASSWORD, code=None, **kwargs):
    """Sign the version awaiting signatures as a signer who read it (with their app's code)."""
    from accounts.mfa import SecondFactor, has_second_factor
    from promises import services

    version = promise.versions.order_by("-number").first()
    if code is None and has_second_factor(user):
        code = totp_code(user)
    return services.promise_sign(
        user=user,
        promise=promise,
        version_id=version.pk if version else 0,
        content_sha256=version.content_sha256 if version else "",
        password=password,
        second_factor=SecondFactor(code=code or ""),
        **kwargs,
    )
