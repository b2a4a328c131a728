import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from budgets.management.plan_input import unusable
from followup.models import FollowUp
from followup.report import report_filename, report_pdf
from followup.selectors import follow_up_overview


class Command(BaseCommand):
    help = (
        "Write the tertial report (delårsrapport) of a federation's adopted plan for YEAR, with the outcome "
        "to --to YYYY-MM-DD: as sent to the board once it is, else of the current figures. "
        "Exit status 2 when the input is unusable."
    )

    def add_arguments(self, parser):
        parser.add_argument("federation", metavar="FEDERATION-SLUG")
        parser.add_argument("year", type=int)
        parser.add_argument("--to", required=True, metavar="YYYY-MM-DD", help="the follow-up's end date")
        parser.add_argument("-o", "--output", metavar="OUT.pdf", help="default: delarsrapport-<federation>-<date>.pdf")

    def handle(self, *args, federation, year, to, output, **options):
        try:
            period_end = datetime.date.fromisoformat(to)
        except ValueError:
            raise unusable([f"--to {to}: not a date (YYYY-MM-DD)"])
        follow_up = (
            FollowUp.objects.filter(
                plan__federation__slug=federation, plan__year=year, plan__status="adopted", period_end=period_end
            )
            .order_by("-plan__revision")
            .first()
        )
        if follow_up is None:
            raise unusable([f"there is no follow-up of {federation} {year} to {period_end.isoformat()}"])
        output = output or report_filename(federation, period_end)
        if follow_up.sent_to_board_on and follow_up.report_pdf:
            with follow_up.report_pdf.open("rb") as kept:
                pdf = kept.read()
            how = f"as sent to the board {follow_up.sent_to_board_on.isoformat()}"
        else:
            pdf = report_pdf(follow_up_overview(follow_up))
            how = "of the current figures"
        try:
            Path(output).write_bytes(pdf)
        except OSError as error:
            raise unusable([f"{output}: cannot write the file: {error.strerror}"])
        self.stdout.write(f"wrote {output} ({how})")
