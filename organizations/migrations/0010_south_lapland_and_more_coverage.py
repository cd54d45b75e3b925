"""Lokalpolisområde Södra Lappland and 13 more kommuner with a sourced lokalpolisområde.

Runs the police-area loader again (see 0007): it adds Södra Lappland (Lycksele,
Storuman, Sorsele, Dorotea, Vilhelmina, Åsele) and the coverage of Ockelbo,
Nordanstig, Bräcke, Ragunda, Tranås, Örkelljunga, Svenljunga, Grästorp, Götene,
Vara, Tidaholm, Hjo and Partille, each with the source the data file's header
quotes. Coverage an administrator added (no source) is kept.
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
    dependencies = [("organizations", "0009_shared_themes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
