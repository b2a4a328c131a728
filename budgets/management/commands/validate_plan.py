import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.models import Plan
from budgets.planfile import PlanFileError, read_plan_file
from budgets.selectors import current_plan, guidance_bands, plan_document
from budgets.validation import validate_document
from finsam.lib.money import plain

EXIT_ERRORS = 1
EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Check a plan: a stored one (FEDERATION-SLUG YEAR) or a plan file (--file), which is not stored. "
        "Exit status 0 without error-level findings, 1 with, 2 when the input is unusable."
    )

    def add_arguments(self, parser):
        parser.add_argument("federation", nargs="?", metavar="FEDERATION-SLUG")
        parser.add_argument("year", nargs="?", type=int)
        parser.add_argument("--file", metavar="FILE", help="a finsam-plan/1 file to check without storing it")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")

    def handle(self, *args, federation, year, file, output_format, **options):
        if file and (federation or year):
            self._unusable(["give either FEDERATION-SLUG YEAR or --file, not both"])
        if file:
            try:
                document = read_plan_file(Path(file).read_bytes())
            except OSError as error:
                self._unusable([f"{file}: cannot read the file: {error.strerror}"])
            except PlanFileError as error:
                self._unusable([f"{file}: {problem}" for problem in error.problems])
        elif federation and year:
            try:
                document = plan_document(current_plan(federation, year))
            except Plan.DoesNotExist:
                self._unusable([f"there is no plan for {federation} {year}"])
        else:
            raise CommandError("give FEDERATION-SLUG YEAR or --file FILE", returncode=EXIT_UNUSABLE)

        findings = validate_document(document, bands=guidance_bands())
        if output_format == "json":
            data = {"findings": [self._json_finding(finding) for finding in findings]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif findings:
            for finding in findings:
                self.stdout.write(f"{finding.severity.upper():7} {finding.code:20} {finding.message}")
        else:
            self.stdout.write("Inga fel eller varningar.")
        if any(finding.is_error for finding in findings):
            sys.exit(EXIT_ERRORS)

    def _unusable(self, problems):
        raise CommandError("\n".join(problems), returncode=EXIT_UNUSABLE)

    @staticmethod
    def _json_finding(finding):
        data = finding.as_dict()
        for key in ("actual", "expected", "difference"):
            if data[key] is not None:
                data[key] = str(plain(data[key]))
        return data
