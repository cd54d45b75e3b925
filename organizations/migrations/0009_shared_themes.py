"""The shared theme vocabulary, so that a new installation has it.

Until now only the demo created shared themes (five of them), so on a database
without the demo the importer found themes in a document ("langning",
"grannsamverkan") and had none to propose, and a coordinator had none to
choose. These are the themes the importer's vocabulary (``importer/vocab.py``)
recognises, named as medborgarlöften name their areas of work. Existing themes
with the same slug are left as they are; a national administrator renames or
adds themes in the admin, a partnership adds its own in the workspace.
"""

from django.db import migrations

THEMES = [
    ("narkotika", "Narkotika"),
    ("alkohol-och-tobak", "Alkohol och tobak"),
    ("trafik", "Trafik"),
    ("ungdomsbrottslighet", "Ungdomsbrottslighet"),
    ("trygghet-i-centrum", "Trygghet i centrum"),
    ("trygghet-i-stadsdelar", "Trygghet i stadsdelar"),
    ("upplevd-trygghet", "Upplevd trygghet"),
    ("bostadsinbrott", "Bostadsinbrott"),
    ("bedragerier", "Bedrägerier"),
    ("vald-i-nara-relationer", "Våld i nära relationer"),
    ("vald-i-offentlig-miljo", "Våld i offentlig miljö"),
    ("skadegorelse", "Skadegörelse"),
    ("manniskohandel", "Prostitution och människohandel"),
]


def create(apps, schema_editor):
    Theme = apps.get_model("organizations", "Theme")
    have = set(Theme.objects.filter(partnership__isnull=True).values_list("slug", flat=True))
    Theme.objects.bulk_create(
        Theme(slug=slug, name=name) for slug, name in THEMES if slug not in have
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0008_local_administration")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
