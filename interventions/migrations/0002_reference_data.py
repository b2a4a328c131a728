"""The national follow-up system's categories and markings, as editable starting data."""

from django.db import migrations

CATEGORIES = [
    "Förberedande insatser",
    "Rehabilitering till arbete eller utbildning",
    "Arbetsmarknad",
    "Utbildning",
    "Dialog och kommunikation",
    "Kartläggning och analys",
    "Metodutveckling",
]
MARKINGS = ["LTS PRIO", "Unga AE PRIO", "Unga FUNK PRIO", "ESF ÄG", "ESF MF"]


def add_reference_data(apps, schema_editor):
    Category = apps.get_model("interventions", "Category")
    Marking = apps.get_model("interventions", "Marking")
    for name in CATEGORIES:
        Category.objects.get_or_create(name=name)
    for name in MARKINGS:
        Marking.objects.get_or_create(name=name)


def remove_reference_data(apps, schema_editor):
    Category = apps.get_model("interventions", "Category")
    Marking = apps.get_model("interventions", "Marking")
    Category.objects.filter(name__in=CATEGORIES, intervention__isnull=True).delete()
    Marking.objects.filter(name__in=MARKINGS, interventionmarking__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial")]

    operations = [migrations.RunPython(add_reference_data, remove_reference_data)]
