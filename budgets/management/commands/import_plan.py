from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from budgets.planfile import PlanFileError, read_plan_file
from budgets.services import PlanExists, federation_slug, plan_import


class Command(BaseCommand):
    help = "Import finsam-plan/2 (or /1) files. All files are imported, or none."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--replace", action="store_true", help="replace a stored plan for the same federation and year"
        )

    def handle(self, *args, files, replace, **options):
        documents = []
        problems = []
        seen = {}
        for name in files:
            try:
                document = read_plan_file(Path(name).read_bytes())
            except OSError as error:
                problems.append(f"{name}: cannot read the file: {error.strerror}")
                continue
            except PlanFileError as error:
                problems += [f"{name}: {problem}" for problem in error.problems]
                continue
            key = (federation_slug(document), document.plan.year)
            if key in seen:
                problems.append(f"{name}: the same plan ({key[0]} {key[1]}) as {seen[key]}")
                continue
            seen[key] = name
            documents.append((name, document))
        if problems:
            raise CommandError(self._refusal(problems))

        imported = []
        try:
            with transaction.atomic():
                for name, document in documents:
                    try:
                        plan = plan_import(document=document, replace=replace)
                    except PlanExists as error:
                        problems.append(f"{name}: {error}")
                        continue
                    except ValidationError as error:
                        problems += [f"{name}: {message}" for message in error.messages]
                        continue
                    imported.append(f"imported {plan.federation.slug} {plan.year}")
                if problems:
                    raise _Refused
        except _Refused:
            raise CommandError(self._refusal(problems))
        for line in imported:
            self.stdout.write(line)

    def _refusal(self, problems):
        return "\n".join(problems) + "\nNothing was imported."


class _Refused(Exception):
    pass
