"""Signing roles: a requirement names an organisation and a signing role; memberships hold one.

Existing requirements and signatory memberships get the role their title
says ("Kommunpolis", "Kommunstyrelsens ordförande" …), or the default of their
organisation's kind: the police area's chief, the kommun's representative.
"""

import organizations.models
from django.conf import settings
from django.db import migrations, models


def _role_for(kind: str, title: str) -> str:
    title = title.lower()
    if kind == "lokalpolisomrade":
        if "kommunpolis" in title:
            return "kommunpolis"
        if "polisområdeschef" in title and "lokalpolis" not in title:
            return "polisomradeschef"
        return "lpo_chef"
    if kind == "kommun":
        if "ordförande" in title:
            return "ks_ordforande"
        if "kommunalråd" in title:
            return "kommunalrad"
        if "kommunchef" in title or "kommundirektör" in title:
            return "kommunchef"
        return "kommunens_foretradare"
    return "partens_foretradare"


def fill_signing_roles(apps, schema_editor):
    SignatoryRequirement = apps.get_model("organizations", "SignatoryRequirement")
    Membership = apps.get_model("organizations", "Membership")
    for requirement in SignatoryRequirement.objects.select_related("organisation"):
        requirement.signing_role = _role_for(requirement.organisation.kind, requirement.title)
        requirement.save(update_fields=["signing_role"])
    for membership in Membership.objects.filter(role="firmatecknare").select_related(
        "organisation"
    ):
        roles = set(
            SignatoryRequirement.objects.filter(
                organisation=membership.organisation
            ).values_list("signing_role", flat=True)
        )
        # The one role the organisation is asked to sign in, else what the title says.
        membership.signing_role = (
            roles.pop()
            if len(roles) == 1
            else _role_for(membership.organisation.kind, membership.title)
        )
        membership.save(update_fields=["signing_role"])


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0005_police_areas_and_official_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='signing_role',
            field=models.CharField(blank=True, choices=[('lpo_chef', 'Lokalpolisområdeschef'), ('polisomradeschef', 'Polisområdeschef'), ('kommunpolis', 'Kommunpolis'), ('kommunens_foretradare', 'Kommunens företrädare'), ('ks_ordforande', 'Kommunstyrelsens ordförande'), ('kommunalrad', 'Kommunalråd'), ('kommunchef', 'Kommunchef eller kommundirektör'), ('partens_foretradare', 'Partens företrädare')], help_text='För undertecknare: vilket krav på underskrift personen kan uppfylla.', max_length=30, verbose_name='undertecknar i egenskap av'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='require_mfa_for_signing',
            field=models.BooleanField(default=organizations.models.mfa_required_by_default, help_text='Undertecknarna bekräftar varje underskrift med lösenord och en andra faktor (kod från en app eller säkerhetsnyckel).', verbose_name='kräv tvåstegsverifiering vid underskrift'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='separate_signatories',
            field=models.BooleanField(default=True, help_text='En person kan bara uppfylla ett krav på underskrift i samma version, även om hen har flera roller.', verbose_name='en person per underskrift'),
        ),
        migrations.AddField(
            model_name='signatoryrequirement',
            name='signing_role',
            field=models.CharField(choices=[('lpo_chef', 'Lokalpolisområdeschef'), ('polisomradeschef', 'Polisområdeschef'), ('kommunpolis', 'Kommunpolis'), ('kommunens_foretradare', 'Kommunens företrädare'), ('ks_ordforande', 'Kommunstyrelsens ordförande'), ('kommunalrad', 'Kommunalråd'), ('kommunchef', 'Kommunchef eller kommundirektör'), ('partens_foretradare', 'Partens företrädare')], default='x', max_length=30, verbose_name='undertecknar i egenskap av'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='signatoryrequirement',
            name='title',
            field=models.CharField(help_text='Till exempel ”Lokalpolisområdeschef” eller ”Kommunstyrelsens ordförande”.', max_length=120, verbose_name='titel på dokumentet'),
        ),
        migrations.RunPython(fill_signing_roles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('role', 'firmatecknare'), ('signing_role', ''), _connector='OR'), name='membership_signing_role_only_for_signatories', violation_error_message='Bara undertecknare undertecknar i en viss egenskap.'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'firmatecknare'), _negated=True), models.Q(('signing_role', ''), _negated=True), _connector='OR'), name='membership_signatory_has_signing_role', violation_error_message='Ange i vilken egenskap undertecknaren skriver under.'),
        ),
    ]
