"""The lokalpolisområden added to organizations/data/lokalpolisomraden.csv since 0005.

Runs the police-area loader again on existing databases. It adds the 80 new
lokalpolisområden (92 in all) with the kommuner they cover, including the three
kommuner that several of them share (Stockholm, Göteborg, Malmö). Rows already
there are updated by slug, and coverage an administrator added (no source) is
kept.
"""

from django.db import migrations

from organizations.reference import load_police_areas


def load(apps, schema_editor):
    load_police_areas(
        apps.get_model("organizations", "PoliceRegion"),
        apps.get_model("organizations", "Organisation"),
        apps.get_model("organizations", "PoliceAreaCoverage"),
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0006_signing_roles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
