"""Load the 7 police regions, 21 län and 290 kommuner shipped in organizations/data/."""

from django.db import migrations

from organizations.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("organizations", "PoliceRegion"),
        apps.get_model("organizations", "County"),
        apps.get_model("organizations", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
