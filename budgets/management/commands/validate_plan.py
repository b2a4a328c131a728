import json
import sys

from django.core.management.base import BaseCommand

from budgets.management.plan_input import add_plan_arguments, plan_input
from budgets.selectors import guidance_bands, intervention_costs, plan_shared_data
from budgets.validation import validate_document
from finsam.lib.money import plain

EXIT_ERRORS = 1


class Command(BaseCommand):
    help = (
        "Check a plan: a stored one (FEDERATION-SLUG YEAR) or a plan file (--file), which is not stored. "
        "Exit status 0 without error-level findings, 1 with, 2 when the input is unusable."
    )

    def add_arguments(self, parser):
        add_plan_arguments(parser, file_help="a finsam-plan/2 (or /1) file to check without storing it")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")

    def handle(self, *args, federation, year, file, output_format, **options):
        document, plan = plan_input(federation=federation, year=year, file=file)
        # A stored plan is checked against its own guidance (kept at adoption if adopted).
        bands = plan_shared_data(plan).bands if plan is not None else guidance_bands()
        findings = validate_document(
            document,
            bands=bands,
            intervention_costs=intervention_costs(plan) if plan is not None else None,
        )
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

    @staticmethod
    def _json_finding(finding):
        data = finding.as_dict()
        for key in ("actual", "expected", "difference"):
            if data[key] is not None:
                data[key] = str(plain(data[key]))
        return data
