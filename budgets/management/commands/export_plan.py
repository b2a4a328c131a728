from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.models import Plan
from budgets.planfile import dump_plan_file
from budgets.selectors import current_plan, live_shared_data, plan_document


class Command(BaseCommand):
    help = "Write a stored plan as a finsam-plan/2 file."

    def add_arguments(self, parser):
        parser.add_argument("federation", metavar="FEDERATION-SLUG")
        parser.add_argument("year", type=int)
        parser.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output)")

    def handle(self, *args, federation, year, output, **options):
        try:
            plan = current_plan(federation, year)
        except Plan.DoesNotExist:
            raise CommandError(f"there is no plan for {federation} {year}")
        # The file carries the federation's profile and the names as they are now: importing
        # it writes the profile back, and an adopted plan's copy is not part of the file.
        text = dump_plan_file(plan_document(plan, shared=live_shared_data(plan)))
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{output}: cannot write the file: {error.strerror}")
        else:
            self.stdout.write(text, ending="")
