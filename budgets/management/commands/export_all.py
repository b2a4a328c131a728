from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.planfile import dump_plan_file
from budgets.selectors import live_shared_data, plan_document, plan_queryset


def backup_file_name(plan) -> str:
    """<federation>-<year>-r<revision>.json: one file per revision, found at a glance."""
    return f"{plan.federation.slug}-{plan.year}-r{plan.revision}.json"


class Command(BaseCommand):
    help = "Write every plan, every revision, as finsam-plan/2 files into DIR (a backup; see import_all)."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{directory}: cannot create the folder: {error.strerror}")
        count = 0
        for plan in plan_queryset().order_by("federation__slug", "year", "revision"):
            # As export_plan: the profile and names as they are now.
            text = dump_plan_file(plan_document(plan, shared=live_shared_data(plan)))
            (target / backup_file_name(plan)).write_text(text, encoding="utf-8")
            count += 1
        self.stdout.write(f"wrote {count} plans to {target}")
