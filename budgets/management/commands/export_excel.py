from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.excel import plan_csv, plan_workbook
from budgets.models import Plan
from budgets.selectors import current_plan


class Command(BaseCommand):
    help = "Write a stored plan's budget grid as an Excel workbook (or CSV with --csv)."

    def add_arguments(self, parser):
        parser.add_argument("federation", metavar="FEDERATION-SLUG")
        parser.add_argument("year", type=int)
        parser.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write")
        parser.add_argument("--csv", action="store_true", help="write the grid as CSV instead")

    def handle(self, *args, federation, year, output, csv, **options):
        try:
            plan = current_plan(federation, year)
        except Plan.DoesNotExist:
            raise CommandError(f"there is no plan for {federation} {year}")
        try:
            if csv:
                Path(output).write_text(plan_csv(plan), encoding="utf-8")
            else:
                Path(output).write_bytes(plan_workbook(plan))
        except OSError as error:
            raise CommandError(f"{output}: cannot write the file: {error.strerror}")
        self.stdout.write(f"{plan} (version {plan.version}) written to {output}")
