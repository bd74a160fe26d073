"""The survey instrument that ships with Accord (see accord.health.default_instrument)."""

from django.db import migrations


def create_default(apps, schema_editor):  # type: ignore[no-untyped-def]
    from accord.health import default_instrument as default

    Instrument = apps.get_model("health", "SurveyInstrument")
    Dimension = apps.get_model("health", "SurveyDimension")
    Statement = apps.get_model("health", "SurveyStatement")
    if Instrument.objects.filter(owner__isnull=True, name=default.NAME).exists():
        return
    instrument = Instrument.objects.create(name=default.NAME, description=default.DESCRIPTION)
    for position, (code, name, description, about_relationship, about_side) in enumerate(
        default.DIMENSIONS
    ):
        dimension = Dimension.objects.create(
            instrument=instrument, code=code, name=name, description=description,
            position=position,
        )  # fmt: skip
        Statement.objects.create(
            dimension=dimension, text=about_relationship, about="relationship", position=0
        )
        Statement.objects.create(dimension=dimension, text=about_side, about="parties", position=1)


def remove_default(apps, schema_editor):  # type: ignore[no-untyped-def]
    from accord.health import default_instrument as default

    Instrument = apps.get_model("health", "SurveyInstrument")
    Instrument.objects.filter(owner__isnull=True, name=default.NAME, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]

    operations = [migrations.RunPython(create_default, remove_default)]
