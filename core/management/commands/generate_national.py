"""``manage.py generate_national``: the national data set the bench measures, through the services.

All 290 kommuner, each in a partnership with a lokalpolisområde that covers it
(three lokalpolisområden also share one with three kommuner), and for every
year 2019–2026 a promise with 8–12 commitments, signed by both parties,
its activity plan seeded from the commitments, reports of what was done and
the three tertial follow-ups a year, approved by both sides and published —
about 2,300 published promises. Everything goes through the real services
(``promises.services``, ``activities.services``, ``followups.services``):
versions with their hash chain, signatures with the password asked again,
the published read model and the search index are the real ones.

Everything is marked generated: partnerships "Genererad samverkan …",
promises "Genererat medborgarlöfte …", every text "Genererat …", plans,
reports and follow-ups ``is_example=True``. For speed — this is generated
data, not an installation —

* the signatories and coordinators are six shared accounts with memberships
  in every organisation; their passwords are hashed with a fast hasher while
  the set is generated and made unusable afterwards, so nobody can sign in
  with them;
* the generated partnerships do not require a second factor for signing
  (``require_mfa_for_signing=False``, set on the model);
* the search index is not rebuilt after every change: publication is
  deferred (``core.publication.deferred``) and the index rebuilt once at the
  end, in the worker processes.

Refuses without DEBUG unless ``--force``, and on a database that has any
promise that is not generated: generate into an empty (migrated) database,
then load the demo on top if wanted.
"""

import multiprocessing
import random
import time
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from core import publication, search
from organizations.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    SigningRole,
    Theme,
)
from organizations.services import membership_grant, partnership_create
from promises.models import Commitment, Promise

GENERATED_TITLE = "Genererat medborgarlöfte"
GENERATED_PARTNERSHIP = "Genererad samverkan"
YEARS = range(2019, 2027)
JOINT_YEARS = range(2024, 2027)
PASSWORD = "genererat-losenord-som-inte-sparas"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

POLICE_COORDINATOR = "genererad-samordnare-polis"
MUNICIPAL_COORDINATOR = "genererad-samordnare-kommun"
POLICE_SIGNATORY = "genererad-lpo-chef"
MUNICIPAL_SIGNATORIES = [
    "genererad-foretradare-1",
    "genererad-foretradare-2",
    "genererad-foretradare-3",
]

THEMES = [
    ("narkotika", "Narkotika"),
    ("trygghet-i-centrum", "Trygghet i centrum"),
    ("ungdomsbrottslighet", "Ungdomsbrottslighet"),
    ("trafik", "Trafik"),
    ("bostadsinbrott", "Bostadsinbrott"),
    ("trygghet-i-stadsdelar", "Trygghet i stadsdelar"),
    ("vald-i-nara-relationer", "Våld i nära relationer"),
    ("klotter-och-skadegorelse", "Klotter och skadegörelse"),
]

# (theme slug, text, unit or None); "{plats}" is one of the kommun's areas.
COMMITMENTS = [
    (
        "narkotika",
        "genomför riktade insatser mot narkotikaförsäljning och narkotikabrott {plats}",
        "insatser",
    ),
    (
        "narkotika",
        "erbjuder föräldrar information om narkotika och tidiga tecken på missbruk",
        "föräldraträffar",
    ),
    ("narkotika", "genomför hundsök i skolor för en drogfri skolmiljö", "hundsök"),
    (
        "trygghet-i-centrum",
        "ökar närvaron med fotpatruller {plats} kvällstid och helger",
        "fotpatrullpass",
    ),
    (
        "trygghet-i-centrum",
        "genomför trygghetsvandringar {plats} tillsammans med boende och näringsidkare",
        "trygghetsvandringar",
    ),
    (
        "trygghet-i-centrum",
        "förbättrar belysningen längs gångstråk och i gångtunnlar {plats}",
        None,
    ),
    (
        "ungdomsbrottslighet",
        "för orosamtal med unga som riskerar att dras in i kriminalitet",
        "orosamtal",
    ),
    (
        "ungdomsbrottslighet",
        "håller mötesplatser för ungdomar öppna kvällstid med fritidsledare",
        "kvällsöppna tillfällen",
    ),
    (
        "ungdomsbrottslighet",
        "arbetar med sociala insatsgrupper för unga som vill lämna kriminaliteten",
        "SIG-möten",
    ),
    (
        "trafik",
        "genomför hastighetskontroller och nykterhetskontroller vid skolor och infarter",
        "trafikkontroller",
    ),
    ("trafik", "ser över trafikmiljön vid skolorna {plats} tillsammans med föräldrar", None),
    (
        "bostadsinbrott",
        "startar grannsamverkan mot bostadsinbrott {plats}",
        "grannsamverkansträffar",
    ),
    (
        "bostadsinbrott",
        "informerar om inbrottsskydd inför semesterperioden",
        "informationsinsatser",
    ),
    (
        "trygghet-i-stadsdelar",
        "håller medborgardialoger om tryggheten {plats}",
        "medborgardialoger",
    ),
    (
        "trygghet-i-stadsdelar",
        "samverkar med bostadsbolagen om trygghetsskapande åtgärder {plats}",
        None,
    ),
    (
        "vald-i-nara-relationer",
        "utbildar personal i att upptäcka våld i nära relationer",
        "utbildningstillfällen",
    ),
    (
        "klotter-och-skadegorelse",
        "sanerar klotter inom ett dygn och följer upp skadegörelse {plats}",
        None,
    ),
]
PARTIES = {
    Commitment.Party.POLICE: "Polisen",
    Commitment.Party.MUNICIPALITY: "Kommunen",
    Commitment.Party.JOINT: "Polisen och kommunen",
}
TARGET_PERIODS = [Commitment.Period.YEAR, Commitment.Period.TERTIAL, Commitment.Period.WHOLE]


def _areas_for(municipality: Organisation) -> list[Area]:
    """Three generated areas per kommun (vocabulary, made once)."""
    names = [
        (f"Centrala {municipality.name}", Area.Kind.AREA),
        (f"{municipality.name} tätort", Area.Kind.TOWN),
        ("Stationsområdet", Area.Kind.PLACE),
    ]
    found = []
    for name, kind in names:
        area = Area.objects.filter(municipality=municipality, name=name).first()
        found.append(area or Area.objects.create(municipality=municipality, name=name, kind=kind))
    return found


def _police_area_for(municipality: Organisation, by_region: dict) -> Organisation:
    covering = municipality.covering_police_areas.order_by("name").first()
    if covering is not None:
        return covering
    return by_region[municipality.county.police_region_id][0]


# --- Set-up (in the parent process) ----------------------------------------------------


def _user(username: str, first: str, last: str):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": ""}
    )
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _spread(items: list, scale: float) -> list:
    """About ``scale`` of ``items`` (at least one), spread evenly over the list."""
    if scale >= 1 or not items:
        return items
    count = max(1, round(len(items) * scale))
    step = len(items) / count
    return [items[int(n * step)] for n in range(count)]


def _set_up(stdout, *, scale: float = 1.0, years: range = YEARS) -> list[tuple[int, list[int]]]:
    """Themes, accounts and partnerships; ``[(partnership id, years)]`` still to generate.

    ``scale`` below 1 generates that share of the kommuner (a small set for tests);
    accounts get memberships only in the organisations of what is generated.
    """
    for slug, name in THEMES:
        if not Theme.objects.filter(partnership__isnull=True, slug=slug).exists():
            Theme.objects.create(slug=slug, name=name)
    police_areas = list(Organisation.objects.police_areas().order_by("name"))
    by_region: dict[int, list] = {}
    for lpo in police_areas:
        by_region.setdefault(lpo.police_region_id, []).append(lpo)
    municipalities = _spread(
        list(
            Organisation.objects.municipalities()
            .select_related("county")
            .order_by("municipality_code")
        ),
        scale,
    )

    police_coordinator = _user(POLICE_COORDINATOR, "Genererad", "samordnare (polisen)")
    municipal_coordinator = _user(MUNICIPAL_COORDINATOR, "Genererad", "samordnare (kommunen)")
    police_signatory = _user(POLICE_SIGNATORY, "Genererad", "lokalpolisområdeschef")
    municipal_signatories = [
        _user(name, "Genererad", f"företrädare {n}")
        for n, name in enumerate(MUNICIPAL_SIGNATORIES, start=1)
    ]
    have = set(
        Membership.objects.filter(user__username__startswith="genererad-").values_list(
            "user_id", "organisation_id", "role"
        )
    )

    def grant(user, organisation, role, signing_role=""):
        if (user.pk, organisation.pk, role) not in have:
            membership_grant(
                user=user,
                organisation=organisation,
                role=role,
                title="Genererat konto",
                signing_role=signing_role,
            )

    # One partnership per kommun, and three lokalpolisområden that also agree one
    # with three of their kommuner together (it happens).
    plans: list[tuple[str, Organisation, list[Organisation], range]] = []
    covered: dict[int, list] = {}
    for municipality in municipalities:
        lpo = _police_area_for(municipality, by_region)
        covered.setdefault(lpo.pk, []).append(municipality)
        plans.append((f"{GENERATED_PARTNERSHIP} {municipality.name}", lpo, [municipality], years))
    lpos = {lpo.pk: lpo for lpo in police_areas}
    shared = [pk for pk, kommuner in sorted(covered.items()) if len(kommuner) >= 3][:3]
    for pk in shared:
        kommuner = covered[pk][:3]
        names = ", ".join(m.name for m in kommuner)
        joint = [y for y in years if y in JOINT_YEARS] or list(years)[-1:]
        plans.append((f"{GENERATED_PARTNERSHIP} {names}", lpos[pk], kommuner, joint))

    involved_lpos = {lpo.pk: lpo for _name, lpo, _kommuner, _years in plans}
    with transaction.atomic():
        for lpo in involved_lpos.values():
            grant(police_coordinator, lpo, Membership.Role.COORDINATOR)
            grant(police_signatory, lpo, Membership.Role.SIGNATORY, SigningRole.POLICE_AREA_CHIEF)
        for municipality in municipalities:
            grant(municipal_coordinator, municipality, Membership.Role.COORDINATOR)
            for signatory in municipal_signatories:
                grant(
                    signatory,
                    municipality,
                    Membership.Role.SIGNATORY,
                    SigningRole.MUNICIPAL_REPRESENTATIVE,
                )

    existing = {
        p.name: p for p in Partnership.objects.filter(name__startswith=GENERATED_PARTNERSHIP)
    }
    work = []
    with transaction.atomic():
        for name, lpo, kommuner, years in plans:
            partnership = existing.get(name)
            if partnership is None:
                partnership = partnership_create(
                    name=name,
                    police_area=lpo,
                    municipalities=kommuner,
                    agreement_reference="Genererad överenskommelse",
                    agreement_start_date=date(years[0], 1, 1),
                )
            if partnership.require_mfa_for_signing:
                # Generated data: signing with the password alone (see the module docstring).
                partnership.require_mfa_for_signing = False
                partnership.save(update_fields=["require_mfa_for_signing", "updated_at"])
            for municipality in kommuner:
                _areas_for(municipality)
            done = set(
                Promise.objects.filter(partnership=partnership).values_list(
                    "valid_from_date__year", flat=True
                )
            )
            todo = [y for y in years if y not in done]
            if todo:
                work.append((partnership.pk, todo))
    stdout.write(f"{len(plans)} samverkansöverenskommelser, {len(work)} att generera.")
    return work


# --- One partnership (in a worker process) -------------------------------------------

_accounts: dict = {}


def _worker_start() -> None:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__startswith="genererad-")}
    _accounts.update(users)
    with connection.cursor() as cursor:
        # Generated data: a crash loses at most the last partnership, which is regenerated.
        cursor.execute("SET synchronous_commit TO off")


def _sign(user, promise, requirement_id=None):
    from accounts.mfa import SecondFactor
    from promises import services

    version = promise.versions.order_by("-number").first()
    return services.promise_sign(
        user=user,
        promise=promise,
        version_id=version.pk,
        content_sha256=version.content_sha256,
        password=PASSWORD,
        second_factor=SecondFactor(code=""),
        requirement_id=requirement_id,
    )


def _dates(rng: random.Random, year: int, today: date, n: int) -> list[date]:
    last = min(date(year, 12, 31), today - timedelta(days=1))
    first = date(year, 1, 1)
    if last < first:
        return []
    span = (last - first).days
    return sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(n))


def _new_promise(rng, partnership, year, coordinator):
    """The partnership's first generated promise, commitment by commitment."""
    from promises import services as promises

    kommuner = list(partnership.municipalities.order_by("name"))
    names = ", ".join(m.name for m in kommuner)
    areas = list(Area.objects.filter(municipality__in=kommuner).order_by("pk"))
    themes = {t.slug: t for t in Theme.objects.filter(partnership__isnull=True)}
    chosen = rng.sample(COMMITMENTS, rng.randint(8, 12))
    theme_slugs = sorted({slug for slug, _text, _unit in chosen})
    promise = promises.promise_create(
        user=coordinator,
        partnership=partnership,
        title=f"{GENERATED_TITLE} {names} {year}",
        valid_from_date=date(year, 1, 1),
        valid_to_date=date(year, 12, 31),
        introduction=(
            f"Genererat exempel. Polisen och {names} har tagit fram medborgarlöftet för {year} "
            "utifrån en gemensam lägesbild: trygghetsmätningen, medborgardialoger och "
            "brottsstatistiken."
        ),
        effect_goal=(
            "Genererat effektmål: den upplevda tryggheten ska öka och utsattheten för brott "
            "minska, särskilt bland unga."
        ),
        effect_indicator="Andel som känner sig trygga i trygghetsmätningen",
        effect_target="En ökning med fem procentenheter",
        effect_target_year=year + 2,
        followup_cadence=Promise.Cadence.TERTIAL,
        followup_channels="Kommunens och polisens webbplatser",
        themes=[themes[s] for s in theme_slugs[:4]],
        areas=areas[:1],
    )
    for slug, text, unit in chosen:
        party = rng.choice(list(PARTIES))
        area = rng.choice(areas)
        fields = {
            "party": party,
            "text": f"Genererat åtagande: {PARTIES[party]} "
            + text.format(plats=f"i {area.name}")
            + ".",
            "theme": themes[slug],
            "areas": [area] if "{plats}" in text else [],
        }
        if party == Commitment.Party.MUNICIPALITY:
            fields["municipality"] = area.municipality
        if unit and rng.random() < 0.7:
            fields.update(
                target_quantity=rng.randint(1, 12),
                target_unit=unit,
                target_period=rng.choice(TARGET_PERIODS),
            )
        promises.commitment_create(user=coordinator, promise=promise, **fields)
    return promise


def _reports(rng, plan, year, today, coordinator) -> None:
    """What was done, in bulk through the model (the service checks one report at a time;
    these are valid by construction: dates in the plan's year and before today, areas of
    the activity)."""
    from activities.models import Activity, ActivityReport

    reports = []
    reported = set()
    for activity in plan.activities.prefetch_related("areas").order_by("order", "pk"):
        activity_areas = list(activity.areas.all())
        for day in _dates(rng, year, today, rng.choice([1, 2, 2, 3])):
            reported.add(activity.pk)
            reports.append(
                ActivityReport(
                    activity=activity,
                    performed_date=day,
                    area=rng.choice(activity_areas) if activity_areas else None,
                    description=f"Genererad rapport: {activity.title}",
                    count=rng.randint(1, 4),
                    reported_by=coordinator,
                    is_example=True,
                )
            )
    ActivityReport.objects.bulk_create(reports)
    Activity.objects.filter(pk__in=reported, status=Activity.Status.PLANNED).update(
        status=Activity.Status.ONGOING
    )


def _followups(promise, today, coordinator, police_coordinator) -> None:
    """The tertial follow-ups: scheduled and published through the services, their
    assessments pre-filled from the reports (``followup_prefill``) and approved by both
    sides, written through the models as the demo writes its follow-ups."""
    from followups import services as followups
    from followups.models import CommitmentAssessment, FollowUp, FollowUpApproval

    partnership = promise.partnership
    municipality = partnership.municipalities.order_by("name").first()
    for followup in followups.followups_schedule(user=coordinator, promise=promise):
        ended = followup.period_end_date < today
        FollowUp.objects.filter(pk=followup.pk).update(
            is_example=True,
            status=FollowUp.Status.APPROVED if ended else FollowUp.Status.PLANNED,
            narrative=(
                f"Genererad uppföljning av {followup.title}: arbetet med trygghetsvandringar, "
                "narkotikainsatser och mötesplatser för unga har fortsatt enligt planen."
                if ended
                else ""
            ),
        )
        if not ended:
            continue
        CommitmentAssessment.objects.bulk_create(
            CommitmentAssessment(
                followup=followup,
                outcome=f"Genererat utfall: {item['progress_label'] or 'enligt plan'}.",
                **item,
            )
            for item in followups.followup_prefill(followup)
        )
        FollowUpApproval.objects.bulk_create(
            [
                FollowUpApproval(
                    followup=followup,
                    side=FollowUpApproval.Side.POLICE,
                    user=police_coordinator,
                    user_name=police_coordinator.get_full_name(),
                    organisation=partnership.police_area,
                ),
                FollowUpApproval(
                    followup=followup,
                    side=FollowUpApproval.Side.MUNICIPALITY,
                    user=coordinator,
                    user_name=coordinator.get_full_name(),
                    organisation=municipality,
                ),
            ]
        )
        followups.followup_publish(user=coordinator, followup=followup)


def _generate_promise(rng, partnership, year, predecessor, today):
    """One year: the promise (next year's made from the last, as coordinators do), signed
    by both parties, its activity plan, reports and follow-ups."""
    from activities import services as activities
    from promises import services as promises

    coordinator = _accounts[MUNICIPAL_COORDINATOR]
    if predecessor is None:
        promise = _new_promise(rng, partnership, year, coordinator)
    else:
        promise = promises.promise_copy_forward(user=coordinator, promise=predecessor)
    promises.promise_submit_for_signing(user=coordinator, promise=promise)
    _sign(_accounts[POLICE_SIGNATORY], promise)
    municipal = partnership.signatory_requirements.exclude(
        organisation=partnership.police_area
    ).order_by("order")
    for n, requirement in enumerate(municipal):
        _sign(_accounts[MUNICIPAL_SIGNATORIES[n]], promise, requirement_id=requirement.pk)
    promise.refresh_from_db()
    if promise.published_version_id is None:
        raise CommandError(f"{promise.title} publicerades inte.")
    plan = activities.activity_plan_create(
        user=coordinator,
        promise=promise,
        year=year,
        note="Genererad aktivitetsplan.",
        seed_from_commitments=True,
        is_example=True,
    )
    _reports(rng, plan, year, today, coordinator)
    _followups(promise, today, coordinator, _accounts[POLICE_COORDINATOR])
    return promise


def _generate_partnership(job) -> int:
    partnership_id, years = job
    partnership = Partnership.objects.get(pk=partnership_id)
    # Seeded by the partnership's name, not its id: the same set on every database,
    # whatever ids earlier rows took (a test's content must not depend on other tests).
    rng = random.Random(partnership.name)
    today = timezone.localdate()
    predecessor = (
        Promise.objects.filter(partnership=partnership).order_by("-valid_from_date").first()
    )
    with transaction.atomic(), publication.deferred():
        for year in years:
            predecessor = _generate_promise(rng, partnership, year, predecessor, today)
    return len(years)


def _reindex(keys: list[str]) -> int:
    return sum(search.reindex(key) for key in keys)


class Command(BaseCommand):
    help = (
        "Genererar den nationella datamängden (290 kommuner, omkring 2 300 publicerade löften) "
        "genom de riktiga tjänsterna, för prestandamätningar. Bara med DEBUG eller --force, "
        "och bara i en databas utan riktiga löften."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Kör även när DEBUG är av.")
        parser.add_argument(
            "--workers", type=int, default=2, help="Antal processer (standard 2, en per kärna)."
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="Bara så här många samverkansöverenskommelser."
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Andel av kommunerna, mellan 0 och 1 (standard 1: alla 290). "
            "En liten andel ger en liten datamängd för tester.",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=len(YEARS),
            help=f"Antal år, bakåt från {YEARS[-1]} (standard {len(YEARS)}).",
        )

    def handle(self, *args, force=False, workers=2, limit=None, scale=1.0, years=None, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale ska vara större än 0 och högst 1.")
        years = len(YEARS) if years is None else years
        if not 1 <= years <= len(YEARS):
            raise CommandError(f"--years ska vara mellan 1 och {len(YEARS)}.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_national skapar genererade löften och konton och körs bara när "
                "DJANGO_DEBUG=True. Använd --force om du verkligen vill."
            )
        real = Promise.objects.exclude(title__startswith=GENERATED_TITLE)
        if real.exists():
            raise CommandError(
                f"Databasen har {real.count()} löften som inte är genererade. Generera i en tom "
                "(migrerad) databas och läs in demodata efteråt om du vill ha den."
            )
        started = time.monotonic()
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            work = _set_up(self.stdout, scale=scale, years=YEARS[len(YEARS) - years :])
            if limit is not None:
                work = work[:limit]
            promises = self._run(workers, _generate_partnership, work, "löften")
            User = get_user_model()
            for user in User.objects.filter(username__startswith="genererad-"):
                user.set_unusable_password()
                user.save(update_fields=["password"])
        self.stdout.write(f"{promises} löften genererade på {time.monotonic() - started:.0f} s.")

        # With publication deferred, the index is built once, in place, for everything.
        from promises.services import promises_expire_due

        with publication.deferred():
            ended = promises_expire_due(today=timezone.localdate())
        self.stdout.write(f"{len(ended)} löften har gått ut (avslutade).")
        keys = search.published_groups()
        chunks = [keys[i :: max(workers, 1)] for i in range(max(workers, 1))]
        entries = self._run(workers, _reindex, chunks, "sökposter")
        search.repair()
        # Fresh statistics for the planner and the visibility map, as after any bulk load:
        # before autovacuum gets to it, the national outcomes query took 5.3 s instead of
        # 0.12 s, and the public reads cannot answer from their indexes alone (the national
        # figures in 18 ms instead of 13).
        # VACUUM cannot run inside a transaction (a test's).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        publication.invalidate_public_pages()
        self.stdout.write(
            self.style.SUCCESS(
                f"Klart på {time.monotonic() - started:.0f} s: {entries} sökposter, "
                f"{Promise.objects.published().count()} publicerade löften."
            )
        )

    def _run(self, workers: int, function, jobs: list, what: str) -> int:
        if not jobs:
            return 0
        if workers <= 1:
            _worker_start()
            return sum(function(job) for job in jobs)
        connections.close_all()  # every worker opens its own connection
        context = multiprocessing.get_context("fork")
        total = 0
        with context.Pool(workers, initializer=_worker_start) as pool:
            for n, done in enumerate(pool.imap_unordered(function, jobs), start=1):
                total += done
                if n % 25 == 0 or n == len(jobs):
                    self.stdout.write(f"  {n}/{len(jobs)} ({total} {what})")
        return total
