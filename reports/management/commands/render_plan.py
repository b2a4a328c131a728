from pathlib import Path

from django.core.management.base import BaseCommand

from budgets.management.plan_input import add_plan_arguments, plan_input, unusable
from budgets.selectors import guidance_bands
from reports.pdf import pdf_filename, render_document, report_for_document
from reports.weasy import document_pdf
from reports.services import plan_report


class Command(BaseCommand):
    help = (
        "Render a plan as the PDF the board adopts: a stored one (FEDERATION-SLUG YEAR, its newest revision) "
        "or a plan file (--file), which is not stored. Exit status 2 when the input is unusable."
    )

    def add_arguments(self, parser):
        add_plan_arguments(parser, file_help="a finsam-plan/1 file to render without storing it")
        parser.add_argument(
            "-o",
            "--output",
            metavar="OUT.pdf",
            help="where to write the PDF (default: verksamhetsplan-<federation>-<year>.pdf, or FILE with .pdf)",
        )

    def handle(self, *args, federation, year, file, output, **options):
        document, plan = plan_input(federation=federation, year=year, file=file)
        if plan is None:
            report = report_for_document(document, bands=guidance_bands())
            output = output or str(Path(file).with_suffix(".pdf"))
        else:
            report = plan_report(plan)
            output = output or pdf_filename(plan.federation.slug, plan.year, plan.revision)

        rendered = render_document(report)
        try:
            Path(output).write_bytes(document_pdf(rendered))
        except OSError as error:
            raise unusable([f"{output}: cannot write the file: {error.strerror}"])
        self.stdout.write(f"wrote {output} ({len(rendered.pages)} pages)")
