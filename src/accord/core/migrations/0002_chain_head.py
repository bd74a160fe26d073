from django.db import migrations


def create_head(apps, schema_editor):
    """The chain head exists from the start, so appends only ever lock it, never race to create it."""
    apps.get_model("core", "AuditChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
