from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.excel_import import MAX_FILE_BYTES, ExcelRefused, ExcelUnusable, compare, excel_apply, preview, read_workbook
from budgets.models import Plan
from budgets.services import StaleEdit

REFUSED = 1
UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Read an edited Excel file of a plan back into the plan it was exported from. "
        "Prints every changed cell and the findings the plan would then have. "
        "Exit status: 0 stored (or nothing to store), 1 refused, 2 the file is unusable."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="show the changes without storing them")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{file}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB", returncode=UNUSABLE)
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file: {error.strerror}", returncode=UNUSABLE)
        try:
            workbook = read_workbook(raw)
        except ExcelUnusable as unusable:
            raise CommandError(f"{file}: {unusable}", returncode=UNUSABLE)
        plan = Plan.objects.select_related("federation").filter(pk=workbook.plan_id).first()
        if plan is None:
            raise CommandError(f"{file}: the plan the file was exported from is not stored here", returncode=REFUSED)
        try:
            changes = compare(plan, workbook)
        except ExcelRefused as refused:
            raise CommandError(f"{file}:\n" + "\n".join(refused.problems), returncode=REFUSED)

        self.stdout.write(f"{plan} (version {plan.version})")
        if changes.is_empty:
            self.stdout.write("no change")
            return
        result = preview(plan, changes)
        for change in changes.changes:
            self.stdout.write(f"{change.cell}\t{change.row}\t{change.column}\t{change.old or '–'} → {change.new or '–'}")
        for line in changes.new_lines:
            self.stdout.write(f"{line.cell}\tnew line\t{line.group_label}\t{line.label}")
        for finding in result.findings:
            self.stdout.write(f"{finding.severity}: {finding.message}")
        if dry_run:
            self.stdout.write(f"{len(changes.changes)} changed cells, {len(changes.new_lines)} new lines (dry run: nothing stored)")
            return
        try:
            excel_apply(plan=plan, changes=changes, acting_user=None)
        except StaleEdit:
            raise CommandError(f"{file}: the plan changed while the file was read; nothing stored", returncode=REFUSED)
        self.stdout.write(f"{len(changes.changes)} changed cells, {len(changes.new_lines)} new lines stored")
