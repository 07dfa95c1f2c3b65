from django.db import migrations


def seed(apps, schema_editor):
    from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES

    Theme = apps.get_model("registry", "Theme")
    TargetPublic = apps.get_model("registry", "TargetPublic")
    for code, (_label, dac) in THEMES.items():
        Theme.objects.update_or_create(code=code, defaults={"dac_code": dac})
    for code in TARGET_PUBLICS:
        TargetPublic.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
