import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from budgets.models import Plan
from budgets.planfile import PlanFileError, read_plan_file
from budgets.services import plan_import

BACKUP_NAME = re.compile(r"^(?P<stem>.+)-r(?P<revision>[0-9]+)\.json$")


class Command(BaseCommand):
    help = "Restore the plans that export_all wrote into DIR, into a database without plans. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        source = Path(directory)
        if not source.is_dir():
            raise CommandError(f"{directory}: no such folder")
        if Plan.objects.exists():
            raise CommandError("the database has plans already; import_all restores into an empty one")
        files = []
        problems = []
        for path in sorted(source.glob("*.json")):
            match = BACKUP_NAME.match(path.name)
            if not match:
                problems.append(f"{path.name}: not a backup file name (<federation>-<year>-r<revision>.json)")
                continue
            try:
                document = read_plan_file(path.read_bytes())
                # A second-edition file says its revision; a first-edition one only in its name.
                files.append((document.plan.revision or int(match["revision"]), path.name, document))
            except PlanFileError as error:
                problems += [f"{path.name}: {problem}" for problem in error.problems]
        if problems:
            raise CommandError("\n".join(problems) + "\nNothing was imported.")
        with transaction.atomic():
            # Revision 1 of a year first: later revisions join the year it opens.
            for revision, name, document in sorted(files, key=lambda item: (item[0], item[1])):
                try:
                    plan_import(document=document, revision=revision)
                except ValidationError as error:
                    problems += [f"{name}: {message}" for message in error.messages]
            if problems:
                transaction.set_rollback(True)
        if problems:
            raise CommandError("\n".join(problems) + "\nNothing was imported.")
        self.stdout.write(f"restored {len(files)} plans from {source}")
