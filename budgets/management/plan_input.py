"""The plan a command works on: a stored one (FEDERATION-SLUG YEAR, its newest revision)
or a plan file (--file) that is read and not stored."""

from pathlib import Path

from django.core.management.base import CommandError

from budgets.models import Plan
from budgets.planfile import PlanDocument, PlanFileError, read_plan_file
from budgets.selectors import current_plan, plan_document

EXIT_UNUSABLE = 2


def add_plan_arguments(parser, *, file_help: str) -> None:
    parser.add_argument("federation", nargs="?", metavar="FEDERATION-SLUG")
    parser.add_argument("year", nargs="?", type=int)
    parser.add_argument("--file", metavar="FILE", help=file_help)


def unusable(problems: list[str]) -> CommandError:
    return CommandError("\n".join(problems), returncode=EXIT_UNUSABLE)


def plan_input(*, federation: str | None, year: int | None, file: str | None) -> tuple[PlanDocument, Plan | None]:
    """The document, and the stored plan when there is one; CommandError (exit 2) naming
    what is wrong with the input otherwise."""
    if file and (federation or year):
        raise unusable(["give either FEDERATION-SLUG YEAR or --file, not both"])
    if file:
        try:
            return read_plan_file(Path(file).read_bytes()), None
        except OSError as error:
            raise unusable([f"{file}: cannot read the file: {error.strerror}"])
        except PlanFileError as error:
            raise unusable([f"{file}: {problem}" for problem in error.problems])
    if federation and year:
        try:
            plan = current_plan(federation, year)
        except Plan.DoesNotExist:
            raise unusable([f"there is no plan for {federation} {year}"])
        return plan_document(plan), plan
    raise unusable(["give FEDERATION-SLUG YEAR or --file FILE"])
