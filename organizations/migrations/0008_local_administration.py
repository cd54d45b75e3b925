"""Local administrators: invitations, partnership proposals, archived requirements, a log.

Partnerships that exist are agreed (``status`` defaults to it); requirements
are archived instead of deleted; ``organizations_organisationevent`` is
append-only, enforced by a trigger as the promise record is.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


APPEND_ONLY = """
CREATE OR REPLACE FUNCTION organizations_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Raden i % kan inte ändras eller tas bort: tabellen är append-only.',
        TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER organizations_organisationevent_append_only
    BEFORE UPDATE OR DELETE ON organizations_organisationevent
    FOR EACH ROW EXECUTE FUNCTION organizations_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS organizations_organisationevent_append_only
    ON organizations_organisationevent;
DROP FUNCTION IF EXISTS organizations_append_only();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0007_more_police_areas'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ändrad')),
                ('email', models.EmailField(max_length=254, verbose_name='e-postadress')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='förnamn')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='efternamn')),
                ('role', models.CharField(choices=[('samordnare', 'Samordnare'), ('firmatecknare', 'Undertecknare'), ('lasare', 'Läsare'), ('administrator', 'Lokal administratör')], max_length=20, verbose_name='roll')),
                ('signing_role', models.CharField(blank=True, choices=[('lpo_chef', 'Lokalpolisområdeschef'), ('polisomradeschef', 'Polisområdeschef'), ('kommunpolis', 'Kommunpolis'), ('kommunens_foretradare', 'Kommunens företrädare'), ('ks_ordforande', 'Kommunstyrelsens ordförande'), ('kommunalrad', 'Kommunalråd'), ('kommunchef', 'Kommunchef eller kommundirektör'), ('partens_foretradare', 'Partens företrädare')], help_text='För undertecknare: vilket krav på underskrift personen kan uppfylla.', max_length=30, verbose_name='undertecknar i egenskap av')),
                ('title', models.CharField(blank=True, max_length=120, verbose_name='titel')),
                ('token_sha256', models.CharField(editable=False, max_length=64, unique=True, verbose_name='länkens SHA-256')),
                ('expires_at', models.DateTimeField(verbose_name='gäller till')),
                ('status', models.CharField(choices=[('skickad', 'Skickad'), ('accepterad', 'Accepterad'), ('aterkallad', 'Återkallad')], default='skickad', max_length=20, verbose_name='status')),
                ('sent_count', models.PositiveSmallIntegerField(default=1, verbose_name='antal utskick')),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepterad')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='återkallad')),
            ],
            options={
                'verbose_name': 'inbjudan',
                'verbose_name_plural': 'inbjudningar',
                'ordering': ['organisation', '-created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='OrganisationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('inbjudan_skickad', 'Inbjudan skickad'), ('inbjudan_skickad_igen', 'Inbjudan skickad igen'), ('inbjudan_aterkallad', 'Inbjudan återkallad'), ('inbjudan_accepterad', 'Inbjudan accepterad'), ('roll_tillagd', 'Roll tillagd'), ('roll_andrad', 'Roll ändrad'), ('roll_borttagen', 'Roll borttagen'), ('medlem_avstangd', 'Medlem avstängd'), ('samverkan_foreslagen', 'Samverkan föreslagen'), ('krav_andrade_i_forslaget', 'Krav ändrade i förslaget'), ('krav_foreslagna', 'Nya krav föreslagna'), ('forslag_godtaget', 'Förslag godtaget'), ('forslag_avbojt', 'Förslag avböjt'), ('forslag_atertaget', 'Förslag återtaget'), ('samverkan_overenskommen', 'Samverkan överenskommen'), ('krav_andrade', 'Krav på underskrifter ändrade'), ('tema', 'Tema'), ('omrade', 'Område'), ('administration', 'Ändrat av den nationella administratören')], max_length=30, verbose_name='vad')),
                ('summary', models.CharField(max_length=500, verbose_name='beskrivning')),
                ('at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='när')),
            ],
            options={
                'verbose_name': 'händelse i administrationen',
                'verbose_name_plural': 'händelser i administrationen',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PartnershipProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ändrad')),
                ('kind', models.CharField(choices=[('overenskommelse', 'Samverkan'), ('underskrifter', 'Nya krav på underskrifter')], max_length=20, verbose_name='förslag om')),
                ('status', models.CharField(choices=[('oppet', 'Väntar på svar'), ('godtaget', 'Godtaget av alla parter'), ('avbojt', 'Avböjt'), ('atertaget', 'Återtaget')], default='oppet', max_length=20, verbose_name='status')),
                ('requirements', models.JSONField(blank=True, default=list, verbose_name='föreslagna krav')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='avgjort')),
                ('note', models.TextField(blank=True, verbose_name='kommentar')),
            ],
            options={
                'verbose_name': 'förslag',
                'verbose_name_plural': 'förslag',
                'ordering': ['partnership', '-created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProposalAcceptance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('accepted_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='godtaget')),
            ],
            options={
                'verbose_name': 'godkännande',
                'verbose_name_plural': 'godkännanden',
                'ordering': ['proposal', 'accepted_at', 'pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='signatoryrequirement',
            name='signatory_requirement_unique',
        ),
        migrations.AddField(
            model_name='partnership',
            name='proposed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organisation', verbose_name='föreslagen av'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='status',
            field=models.CharField(choices=[('foreslagen', 'Föreslagen, väntar på parterna'), ('overenskommen', 'Överenskommen'), ('ej_overenskommen', 'Inte överenskommen')], default='overenskommen', max_length=20, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='signatoryrequirement',
            name='archived_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='gäller inte längre sedan'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='role',
            field=models.CharField(choices=[('samordnare', 'Samordnare'), ('firmatecknare', 'Undertecknare'), ('lasare', 'Läsare'), ('administrator', 'Lokal administratör')], max_length=20, verbose_name='roll'),
        ),
        migrations.AddConstraint(
            model_name='signatoryrequirement',
            constraint=models.UniqueConstraint(condition=models.Q(('archived_at__isnull', True)), fields=('partnership', 'organisation', 'title'), name='signatory_requirement_unique_current', violation_error_message='Det kravet finns redan.'),
        ),
        migrations.AddField(
            model_name='invitation',
            name='accepted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='accepted_invitations', to=settings.AUTH_USER_MODEL, verbose_name='konto'),
        ),
        migrations.AddField(
            model_name='invitation',
            name='invited_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='inbjuden av'),
        ),
        migrations.AddField(
            model_name='invitation',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='organizations.organisation', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='organisationevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='vem'),
        ),
        migrations.AddField(
            model_name='organisationevent',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='organizations.organisation', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='organisationevent',
            name='partnership',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='organizations.partnership', verbose_name='samverkan'),
        ),
        migrations.AddField(
            model_name='partnershipproposal',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='skrivet av'),
        ),
        migrations.AddField(
            model_name='partnershipproposal',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='avgjort av'),
        ),
        migrations.AddField(
            model_name='partnershipproposal',
            name='partnership',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='organizations.partnership', verbose_name='samverkan'),
        ),
        migrations.AddField(
            model_name='partnershipproposal',
            name='proposed_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organisation', verbose_name='föreslaget av'),
        ),
        migrations.AddField(
            model_name='proposalacceptance',
            name='accepted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='godtaget av'),
        ),
        migrations.AddField(
            model_name='proposalacceptance',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organisation', verbose_name='part'),
        ),
        migrations.AddField(
            model_name='proposalacceptance',
            name='proposal',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acceptances', to='organizations.partnershipproposal', verbose_name='förslag'),
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('organisation'), models.F('role'), condition=models.Q(('status', 'skickad')), name='invitation_one_open_per_address_and_role', violation_error_message='Den e-postadressen har redan en inbjudan till den rollen. Skicka den igen i stället.'),
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.CheckConstraint(condition=models.Q(('role', 'firmatecknare'), ('signing_role', ''), _connector='OR'), name='invitation_signing_role_only_for_signatories', violation_error_message='Bara undertecknare undertecknar i en viss egenskap.'),
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'firmatecknare'), _negated=True), models.Q(('signing_role', ''), _negated=True), _connector='OR'), name='invitation_signatory_has_signing_role', violation_error_message='Ange i vilken egenskap undertecknaren skriver under.'),
        ),
        migrations.AddConstraint(
            model_name='organisationevent',
            constraint=models.CheckConstraint(condition=models.Q(('organisation__isnull', False), ('partnership__isnull', False), _connector='OR'), name='organisation_event_has_subject', violation_error_message='En händelse gäller en organisation eller en samverkan.'),
        ),
        migrations.AddConstraint(
            model_name='partnershipproposal',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'oppet')), fields=('partnership', 'kind'), name='proposal_one_open_per_kind', violation_error_message='Det finns redan ett förslag som väntar på svar. Godta, avböj eller återta det först.'),
        ),
        migrations.AddConstraint(
            model_name='proposalacceptance',
            constraint=models.UniqueConstraint(fields=('proposal', 'organisation'), name='proposal_acceptance_once_per_party', violation_error_message='Parten har redan godtagit förslaget.'),
        ),
        migrations.RunSQL(APPEND_ONLY, DROP),
    ]
