from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.models import Plan
from budgets.planfile import PlanFileError, read_plan_file
from budgets.selectors import current_plan, guidance_bands
from reports.pdf import document_pdf, pdf_filename, render_document, report_for_document
from reports.services import plan_report

EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Render a plan as the PDF the board adopts: a stored one (FEDERATION-SLUG YEAR, its newest revision) "
        "or a plan file (--file), which is not stored. Exit status 2 when the input is unusable."
    )

    def add_arguments(self, parser):
        parser.add_argument("federation", nargs="?", metavar="FEDERATION-SLUG")
        parser.add_argument("year", nargs="?", type=int)
        parser.add_argument("--file", metavar="FILE", help="a finsam-plan/1 file to render without storing it")
        parser.add_argument(
            "-o",
            "--output",
            metavar="OUT.pdf",
            help="where to write the PDF (default: verksamhetsplan-<federation>-<year>.pdf, or FILE with .pdf)",
        )

    def handle(self, *args, federation, year, file, output, **options):
        if file and (federation or year):
            self._unusable(["give either FEDERATION-SLUG YEAR or --file, not both"])
        if file:
            try:
                document = read_plan_file(Path(file).read_bytes())
            except OSError as error:
                self._unusable([f"{file}: cannot read the file: {error.strerror}"])
            except PlanFileError as error:
                self._unusable([f"{file}: {problem}" for problem in error.problems])
            report = report_for_document(document, bands=guidance_bands())
            output = output or str(Path(file).with_suffix(".pdf"))
        elif federation and year:
            try:
                plan = current_plan(federation, year)
            except Plan.DoesNotExist:
                self._unusable([f"there is no plan for {federation} {year}"])
            report = plan_report(plan)
            output = output or pdf_filename(plan.federation.slug, plan.year, plan.revision)
        else:
            raise CommandError("give FEDERATION-SLUG YEAR or --file FILE", returncode=EXIT_UNUSABLE)

        rendered = render_document(report)
        try:
            Path(output).write_bytes(document_pdf(rendered))
        except OSError as error:
            self._unusable([f"{output}: cannot write the file: {error.strerror}"])
        self.stdout.write(f"wrote {output} ({len(rendered.pages)} pages)")

    def _unusable(self, problems):
        raise CommandError("\n".join(problems), returncode=EXIT_UNUSABLE)
