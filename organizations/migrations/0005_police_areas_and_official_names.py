"""Official kommun names, corrected police regions and the sourced lokalpolisområden.

Runs the reference loaders again on existing databases: every kommun gets the
name it calls itself (``full_name``), the three län whose police region was
wrong (Västernorrland and Jämtland belong to Nord, Västmanland to Mitt) move,
and the lokalpolisområden in organizations/data/lokalpolisomraden.csv are
created or, where the demo already made "lpo-kalmar" or "lpo-katrineholm",
adopted by slug.
"""

from django.db import migrations

from organizations.reference import load_police_areas, load_reference_data


def load(apps, schema_editor):
    PoliceRegion = apps.get_model("organizations", "PoliceRegion")
    Organisation = apps.get_model("organizations", "Organisation")
    load_reference_data(PoliceRegion, apps.get_model("organizations", "County"), Organisation)
    load_police_areas(
        PoliceRegion, Organisation, apps.get_model("organizations", "PoliceAreaCoverage")
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_police_area_coverage")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
