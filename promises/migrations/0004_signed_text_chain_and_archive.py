"""Signed text kept byte for byte, a per-promise hash chain, archived commitments.

- ``PromiseVersion.content``: the canonical JSON exactly as hashed (filled for
  existing versions from their snapshot, which is what was hashed).
- Versions and signatures get their place and link in the promise's chain,
  computed for existing rows in the order they were written.
- The append-only triggers move from pgtrigger to plain PL/pgSQL that honours
  no ``pgtrigger.ignore`` and also covers versions: only a role that may
  disable triggers (a superuser or the tables' owner) can get past them, and
  what it forces is caught by the hash checks.
- Foreign keys from the append-only tables become PROTECT: SET_NULL would be
  an UPDATE the trigger refuses.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


def fill_content_and_chain(apps, schema_editor):
    from promises.chain import GENESIS, link, signature_record, version_record
    from promises.snapshot import canonical_json, sha256_hex

    Promise = apps.get_model("promises", "Promise")
    PromiseVersion = apps.get_model("promises", "PromiseVersion")
    Signature = apps.get_model("promises", "Signature")
    for promise_id in Promise.objects.order_by("pk").values_list("pk", flat=True):
        versions = list(PromiseVersion.objects.filter(promise_id=promise_id).order_by("number"))
        numbers = {v.pk: v.number for v in versions}
        rows = [(v.created_at, 0, v.number, v) for v in versions]
        rows += [
            (s.signed_at, 1, numbers[s.version_id], s)
            for s in Signature.objects.filter(version__promise_id=promise_id).order_by("pk")
        ]
        # Each version before its own signatures; otherwise in the order written.
        rows.sort(key=lambda r: (r[2], r[1], r[0], r[3].pk))
        previous = GENESIS
        for position, (_at, kind, number, row) in enumerate(rows, start=1):
            if kind == 0:
                row.content = canonical_json(row.snapshot)
                if sha256_hex(row.content) != row.content_sha256:
                    raise RuntimeError(
                        f"Version {row.pk} hashar inte till sin SHA-256; "
                        "avbryter i stället för att kedja in en ändrad version."
                    )
                record = version_record(row)
            else:
                record = signature_record(row, promise_id=promise_id, version_number=number)
            row.chain_position = position
            row.previous_sha256 = previous
            row.chain_sha256 = link(previous, record)
            previous = row.chain_sha256
            row.save()


APPEND_ONLY = """
CREATE OR REPLACE FUNCTION medborgarlofte_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Raden i % kan inte ändras eller tas bort: tabellen är append-only.',
        TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ["promises_promiseversion", "promises_signature", "promises_promisetransition"]
CREATE = "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION medborgarlofte_append_only();\n"
    for table in TABLES
)
DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_themes_and_areas'),
        ('promises', '0003_track_commitment_deletions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='commitment',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='commitment',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='commitment',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='promisetransition',
            name='promise_transition_append_only',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='signature',
            name='signature_append_only',
        ),
        migrations.AddField(
            model_name='commitment',
            name='archived_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='borttaget ur löftet'),
        ),
        migrations.AddField(
            model_name='commitmentevent',
            name='archived_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='borttaget ur löftet'),
        ),
        migrations.AddField(
            model_name='promiseversion',
            name='chain_position',
            field=models.PositiveIntegerField(default=0, verbose_name='plats i kedjan'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='promiseversion',
            name='chain_sha256',
            field=models.CharField(default='', max_length=64, verbose_name='länk (SHA-256)'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='promiseversion',
            name='content',
            field=models.TextField(default='', verbose_name='signerad text (kanonisk JSON)'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='promiseversion',
            name='previous_sha256',
            field=models.CharField(default='', max_length=64, verbose_name='föregående länk (SHA-256)'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='signature',
            name='chain_position',
            field=models.PositiveIntegerField(default=0, verbose_name='plats i kedjan'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='signature',
            name='chain_sha256',
            field=models.CharField(default='', max_length=64, verbose_name='länk (SHA-256)'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='signature',
            name='previous_sha256',
            field=models.CharField(default='', max_length=64, verbose_name='föregående länk (SHA-256)'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='promisetransition',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utförd av'),
        ),
        migrations.AlterField(
            model_name='promiseversion',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='skapad av'),
        ),
        migrations.AlterField(
            model_name='signature',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='signature',
            name='requirement',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.signatoryrequirement', verbose_name='krav'),
        ),
        migrations.AlterField(
            model_name='signature',
            name='signer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to=settings.AUTH_USER_MODEL, verbose_name='undertecknare'),
        ),
        migrations.RunPython(fill_content_and_chain, migrations.RunPython.noop),
        migrations.RunSQL(APPEND_ONLY + CREATE, DROP),
        pgtrigger.migrations.AddTrigger(
            model_name='commitment',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "promises_commitmentevent" ("archived_at", "condition", "created_at", "id", "lock_version", "municipality_id", "order", "partner_id", "party", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "promise_id", "target_per_area", "target_period", "target_quantity", "target_unit", "text", "theme_id") VALUES (NEW."archived_at", NEW."condition", NEW."created_at", NEW."id", NEW."lock_version", NEW."municipality_id", NEW."order", NEW."partner_id", NEW."party", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."promise_id", NEW."target_per_area", NEW."target_period", NEW."target_quantity", NEW."target_unit", NEW."text", NEW."theme_id"); RETURN NULL;', hash='a94a2d2ea3374a8cf25f179d348d27953accce55', operation='INSERT', pgid='pgtrigger_insert_insert_453c8', table='promises_commitment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='commitment',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."archived_at" IS DISTINCT FROM (NEW."archived_at") OR OLD."condition" IS DISTINCT FROM (NEW."condition") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."lock_version" IS DISTINCT FROM (NEW."lock_version") OR OLD."municipality_id" IS DISTINCT FROM (NEW."municipality_id") OR OLD."order" IS DISTINCT FROM (NEW."order") OR OLD."partner_id" IS DISTINCT FROM (NEW."partner_id") OR OLD."party" IS DISTINCT FROM (NEW."party") OR OLD."promise_id" IS DISTINCT FROM (NEW."promise_id") OR OLD."target_per_area" IS DISTINCT FROM (NEW."target_per_area") OR OLD."target_period" IS DISTINCT FROM (NEW."target_period") OR OLD."target_quantity" IS DISTINCT FROM (NEW."target_quantity") OR OLD."target_unit" IS DISTINCT FROM (NEW."target_unit") OR OLD."text" IS DISTINCT FROM (NEW."text") OR OLD."theme_id" IS DISTINCT FROM (NEW."theme_id"))', func='INSERT INTO "promises_commitmentevent" ("archived_at", "condition", "created_at", "id", "lock_version", "municipality_id", "order", "partner_id", "party", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "promise_id", "target_per_area", "target_period", "target_quantity", "target_unit", "text", "theme_id") VALUES (NEW."archived_at", NEW."condition", NEW."created_at", NEW."id", NEW."lock_version", NEW."municipality_id", NEW."order", NEW."partner_id", NEW."party", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."promise_id", NEW."target_per_area", NEW."target_period", NEW."target_quantity", NEW."target_unit", NEW."text", NEW."theme_id"); RETURN NULL;', hash='fc64a794acae55eee085c2b64ad2cadf235026bf', operation='UPDATE', pgid='pgtrigger_update_update_3e41e', table='promises_commitment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='commitment',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "promises_commitmentevent" ("archived_at", "condition", "created_at", "id", "lock_version", "municipality_id", "order", "partner_id", "party", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "promise_id", "target_per_area", "target_period", "target_quantity", "target_unit", "text", "theme_id") VALUES (OLD."archived_at", OLD."condition", OLD."created_at", OLD."id", OLD."lock_version", OLD."municipality_id", OLD."order", OLD."partner_id", OLD."party", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."promise_id", OLD."target_per_area", OLD."target_period", OLD."target_quantity", OLD."target_unit", OLD."text", OLD."theme_id"); RETURN NULL;', hash='3b5b7b06f6cabfdf866859e64d300015b0584ac4', operation='DELETE', pgid='pgtrigger_delete_delete_f9c66', table='promises_commitment', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='promiseversion',
            constraint=models.UniqueConstraint(fields=('promise', 'chain_position'), name='promise_version_chain_position_unique'),
        ),
    ]
