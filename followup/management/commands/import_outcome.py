"""python manage.py import_outcome FEDERATION-SLUG YEAR FILE --to YYYY-MM-DD [--mapping FILE]

Reads the outcome of the adopted plan's year from 1 January to --to out of a SIE 4
file or a CSV/Excel file (rad;belopp) and makes it that period's outcome, replacing
what was there (the follow-up is opened when it does not exist). With --mapping, a
konto;rad file updates the federation's account mapping first, in the same
transaction: a refused import keeps the old mapping too.

Exit status, as validate_plan: 0 stored; 1 the file was read but its outcome cannot be
stored (accounts without a mapping, unknown lines, amounts that are not numbers);
2 the input is unusable (no adopted plan, unreadable file, a bad date).
"""

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from budgets.models import Plan
from budgets.management.plan_input import unusable
from followup import services
from followup.models import FollowUp
from followup.outcome_files import (
    MAPPING_HEADER,
    MAPPING_MAX_ROWS,
    OUTCOME_HEADER,
    OUTCOME_MAX_ROWS,
    FileRefused,
    outcome_from_sie,
    outcome_from_table,
    read_mapping_rows,
    read_table,
)
from followup.sie import SIE_MAX_BYTES, SieRefused, read_sie

EXIT_REFUSED = 1
SIE_SUFFIXES = {".se", ".si", ".sie"}


class Refused(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


class Command(BaseCommand):
    help = (
        "Import a period's outcome (SIE 4, or CSV/Excel with rad;belopp) into the follow-up of an adopted plan. "
        "Exit status 0 stored, 1 refused (unmapped accounts, unknown lines, bad amounts), 2 unusable input."
    )

    def add_arguments(self, parser):
        parser.add_argument("federation", metavar="FEDERATION-SLUG")
        parser.add_argument("year", type=int)
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--to", required=True, metavar="YYYY-MM-DD", help="the period's last day")
        parser.add_argument("--mapping", metavar="FILE", help="a konto;rad file to update the account mapping with first")

    def handle(self, *args, federation, year, file, to, mapping, **options):
        try:
            period_end = date.fromisoformat(to)
        except ValueError:
            raise unusable([f"--to {to}: not a date (YYYY-MM-DD)"]) from None
        plan = (
            Plan.objects.select_related("federation")
            .filter(federation__slug=federation, year=year, status=Plan.Status.ADOPTED)
            .order_by("-revision")
            .first()
        )
        if plan is None:
            raise unusable([f"there is no adopted plan for {federation} {year}"])
        raw = self._read(file)
        mapping_raw = self._read(mapping) if mapping else None
        name = Path(file).name
        try:
            with transaction.atomic():
                follow_up = FollowUp.objects.filter(plan=plan, period_end=period_end).first()
                if follow_up is None:
                    follow_up = services.open_follow_up(plan=plan, period_end=period_end)
                if mapping_raw is not None:
                    mapping_name = Path(mapping).name
                    rows = self._table(mapping_raw, mapping_name, header=MAPPING_HEADER, max_rows=MAPPING_MAX_ROWS)
                    changes = self._refusable(read_mapping_rows, plan, rows, mapping_name)
                    services.account_mappings_update(federation=plan.federation, changes=changes)
                if self._is_sie(file, raw):
                    try:
                        books = read_sie(raw, period_start=date(plan.year, 1, 1), period_end=period_end)
                    except SieRefused as refusal:
                        raise unusable([f"{name}: {refusal.message}"]) from None
                    result = outcome_from_sie(plan, books, services.account_mappings(plan.federation))
                    if result.unmapped:
                        raise Refused(
                            [f"{name}: accounts without a line in the plan (map them with --mapping):"]
                            + [f"  {account} {account_name} {amount}".rstrip() for account, account_name, amount in result.unmapped]
                        )
                    source = services.SOURCE_SIE
                else:
                    rows = self._table(raw, name, header=OUTCOME_HEADER, max_rows=OUTCOME_MAX_ROWS)
                    result = self._refusable(outcome_from_table, plan, rows, name)
                    source = services.SOURCE_FILE
                count = services.outcome_replace(
                    follow_up=follow_up, amounts=result.amounts, source=source, source_name=name, seen_version=None
                )
        except services.FollowUpRefused as refusal:
            raise unusable([refusal.message]) from None
        except Refused as refusal:
            for problem in refusal.problems:
                self.stderr.write(problem)
            sys.exit(EXIT_REFUSED)
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(f"{plan} {period_end.isoformat()}: outcome of {count} lines stored from {name}")

    @staticmethod
    def _read(path: str) -> bytes:
        try:
            file = Path(path)
            if file.stat().st_size > SIE_MAX_BYTES:
                raise unusable([f"{path}: larger than {SIE_MAX_BYTES // 1024 // 1024} MB"])
            return file.read_bytes()
        except OSError as error:
            raise unusable([f"{path}: cannot read the file: {error.strerror}"]) from None

    @staticmethod
    def _is_sie(path: str, raw: bytes) -> bool:
        return Path(path).suffix.lower() in SIE_SUFFIXES or raw.lstrip()[:1] == b"#"

    @staticmethod
    def _table(raw, name, *, header, max_rows):
        try:
            return read_table(raw, name, header=header, max_rows=max_rows)
        except FileRefused as refusal:
            raise unusable(refusal.problems) from None

    @staticmethod
    def _refusable(function, *args):
        try:
            return function(*args)
        except FileRefused as refusal:
            raise Refused(refusal.problems) from None


