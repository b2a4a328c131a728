"""The `finsam-plan/2` interchange format: strict reading and faithful writing.

`finsam-plan/1` files are still read; they are a subset of the second edition
and come out of `read_plan_file` as `finsam-plan/2` documents.

`read_plan_file` turns the bytes of a plan file into a `PlanDocument` or raises
`PlanFileError` with one line per problem, each naming the JSON path and what
was expected (`costs[3].amounts.b2025: "12,5x" is not a number`). Nothing here
touches the database: storing a document is `budgets.services.plan_import`,
and the reverse is `budgets.selectors.plan_document` + `plan_file_data`.

The format itself is described in docs/plan-format.md.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from django.utils.text import slugify
from pydantic import (
    BaseModel,
    PrivateAttr,
    model_validator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_LIMIT, plain
from finsam.lib.partial_dates import parse_partial_date

FORMAT = "finsam-plan/2"
FORMAT_V1 = "finsam-plan/1"
READABLE_FORMATS = (FORMAT_V1, FORMAT)

YEAR_MIN = 1990
YEAR_MAX = 2100

# \Z, not $: "$" would let a trailing newline through ("b2025\n").
_DECIMAL_TEXT_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?\Z")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")
_FULL_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# The longest address name a federation can have (federations.Federation.slug).
FEDERATION_SLUG_MAX = 80


class PlanFileError(Exception):
    """A plan file that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _show(value: Any) -> str:
    """A value as it would look in the file, for messages."""
    if isinstance(value, Decimal):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


# ---------------------------------------------------------------------------
# Value types. Each refuses with a message a person can act on.


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise PydanticCustomError("not_a_number", "{shown} is not a number", {"shown": _show(value)})
    if isinstance(value, str) and not _DECIMAL_TEXT_RE.match(value):
        raise PydanticCustomError("not_a_number", "{shown} is not a number", {"shown": _show(value)})
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise PydanticCustomError("not_a_number", "{shown} is not a number", {"shown": _show(value)})
    if not number.is_finite():
        raise PydanticCustomError("not_a_number", "{shown} is not a number", {"shown": _show(value)})
    return number


def _amount(value: Any) -> Decimal:
    number = _decimal(value)
    if abs(number) >= AMOUNT_LIMIT:
        raise PydanticCustomError(
            "too_large",
            "{shown} is too large (amounts must be below {limit})",
            {"shown": _show(value), "limit": f"{AMOUNT_LIMIT:,}".replace(",", " ")},
        )
    if plain(number).as_tuple().exponent < -AMOUNT_DECIMAL_PLACES:
        raise PydanticCustomError(
            "too_precise",
            "{shown} has more than {places} decimals",
            {"shown": _show(value), "places": AMOUNT_DECIMAL_PLACES},
        )
    return plain(number)


def _line_amount(value: Any) -> Decimal:
    number = _amount(value)
    if number < 0:
        raise PydanticCustomError(
            "negative",
            "{shown} is negative; amounts are positive and the section gives the sign",
            {"shown": _show(value)},
        )
    return number


def _as_printed(value: Any, number: Decimal) -> Decimal:
    """The amount with the decimals it is printed with ("125000.10" keeps its öre,
    "1E+3" is 1000); precision is a property of each printed amount."""
    written = _decimal(value)
    exponent = written.as_tuple().exponent
    if exponent >= 0:
        return number
    return number.quantize(Decimal(1).scaleb(max(exponent, -AMOUNT_DECIMAL_PLACES)))


def _printed_line_amount(value: Any) -> Decimal:
    return _as_printed(value, _line_amount(value))


def _printed_signed_amount(value: Any) -> Decimal:
    return _as_printed(value, _amount(value))


def _positive_amount(value: Any) -> Decimal:
    number = _amount(value)
    if number <= 0:
        raise PydanticCustomError("not_positive", "{shown} is not above zero", {"shown": _show(value)})
    return number


_PERCENT_TEXT_RE = re.compile(r"^([0-9]+(?:[.,][0-9]+)?) ?%\Z")


def _key_share(value: Any) -> Decimal:
    """A key share as a fraction ("0.16") or in percent ("16 %"), with the decimals it is
    printed with: "16 %" is 0.16, printed to two decimals of the fraction."""
    if isinstance(value, str):
        match = _PERCENT_TEXT_RE.match(value.strip())
        if match:
            percent = Decimal(match.group(1).replace(",", "."))
            if percent > 100:
                raise PydanticCustomError(
                    "out_of_range", "{shown} is not a percentage between 0 and 100", {"shown": _show(value)}
                )
            value = percent.scaleb(-2)
    return _bounded(Decimal(0), Decimal(1), "a fraction", places=6, as_printed=True)(value)


def is_percent_text(value: Any) -> bool:
    return isinstance(value, str) and bool(_PERCENT_TEXT_RE.match(value.strip()))


def _not_negative_amount(value: Any) -> Decimal:
    number = _amount(value)
    if number < 0:
        raise PydanticCustomError("negative", "{shown} is negative", {"shown": _show(value)})
    return number


def _bounded(low: Decimal, high: Decimal, what: str, *, places: int, as_printed: bool = False):
    """A number in [low, high] with at most `places` decimals. With `as_printed`, the
    number keeps the decimals it is written with ("0.50" stays 0.50): a printed key's
    precision is part of what it says."""

    def check(value: Any) -> Decimal:
        number = _decimal(value)
        if not low <= number <= high:
            raise PydanticCustomError(
                "out_of_range",
                "{shown} is not {what} between {low} and {high}",
                {"shown": _show(value), "what": what, "low": str(low), "high": str(high)},
            )
        if plain(number).as_tuple().exponent < -places:
            raise PydanticCustomError(
                "too_precise", "{shown} has more than {places} decimals", {"shown": _show(value), "places": places}
            )
        if as_printed and number.as_tuple().exponent < 0:
            return number.quantize(Decimal(1).scaleb(max(number.as_tuple().exponent, -places)))
        return plain(number)

    return check


def _identifier(value: Any) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value) or len(value) > 80:
        raise PydanticCustomError(
            "bad_id",
            "{shown} is not an id (lower-case letters, digits, - and _, at most 80 characters)",
            {"shown": _show(value)},
        )
    return value


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("not_a_year", "{shown} is not a year", {"shown": _show(value)})
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise PydanticCustomError(
            "year_range",
            "{shown} is not a year between {low} and {high}",
            {"shown": _show(value), "low": YEAR_MIN, "high": YEAR_MAX},
        )
    return value


def _full_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _FULL_DATE_RE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("not_a_date", "{shown} is not a date (YYYY-MM-DD)", {"shown": _show(value)})


def _partial_date(allowed: str):
    def check(value: Any) -> str:
        if isinstance(value, str):
            try:
                parse_partial_date(value)
            except ValueError:
                pass
            else:
                if allowed != "day-or-month" or len(value) >= 7:
                    return value
        formats = "YYYY-MM-DD or YYYY-MM" if allowed == "day-or-month" else "YYYY-MM-DD, YYYY-MM or YYYY"
        raise PydanticCustomError(
            "not_a_date", "{shown} is not a date ({formats})", {"shown": _show(value), "formats": formats}
        )

    return check


def _text(max_length: int, min_length: int = 0):
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length)]


Amount = Annotated[Decimal, BeforeValidator(_amount)]
LineAmount = Annotated[Decimal, BeforeValidator(_printed_line_amount)]
SignedLineAmount = Annotated[Decimal, BeforeValidator(_printed_signed_amount)]
PositiveAmount = Annotated[Decimal, BeforeValidator(_positive_amount)]
NotNegativeAmount = Annotated[Decimal, BeforeValidator(_not_negative_amount)]
Weight = Annotated[Decimal, BeforeValidator(_line_amount)]
Percent = Annotated[Decimal, BeforeValidator(_bounded(Decimal(0), Decimal(100), "a percentage", places=3))]
Fraction = Annotated[Decimal, BeforeValidator(_bounded(Decimal(0), Decimal(1), "a fraction", places=4))]
KeyShare = Annotated[Decimal, BeforeValidator(_key_share)]
Identifier = Annotated[str, BeforeValidator(_identifier)]
Year = Annotated[int, BeforeValidator(_year)]
FullDate = Annotated[datetime.date, BeforeValidator(_full_date)]
PartialDate = Annotated[str, BeforeValidator(_partial_date("any"))]
MeetingDate = Annotated[str, BeforeValidator(_partial_date("day-or-month"))]
Count = Annotated[StrictInt, Field(ge=0, le=10_000_000)]


# ---------------------------------------------------------------------------
# The document, section by section, in the format's key order.


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Goals(_Strict):
    equity_floor: NotNegativeAmount | None = None
    admin_share_max: Percent | None = None
    intervention_share_min: Percent | None = None


class FederationData(_Strict):
    name: _text(200, min_length=1)
    short_name: _text(100) | None = None
    org_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}-[0-9]{4}$")] | None = None
    founded: PartialDate | None = None
    vision: str | None = None
    website: _text(200) | None = None
    goals: Goals | None = None


MemberKindName = Literal["forsakringskassan", "arbetsformedlingen", "state", "region", "municipality"]


class MemberData(_Strict):
    id: Identifier
    name: _text(200)
    kind: MemberKindName
    population: Count | None = None
    key_share: KeyShare | None = None
    # Whether the key share is written in percent ("16 %"); the file says so by the
    # way it writes `key_share`, not by a key of its own.
    _key_share_in_percent: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _note_percent(cls, data: Any, handler) -> "MemberData":
        member = handler(data)
        if isinstance(data, dict) and is_percent_text(data.get("key_share")):
            member._key_share_in_percent = True
        return member

    @property
    def key_share_in_percent(self) -> bool:
        return self._key_share_in_percent


class SectionData(_Strict):
    heading: _text(300)
    body: str


class PlanInfo(_Strict):
    year: Year
    last_year: Year
    unit: Literal["SEK", "tkr"]
    title: _text(300) | None = None
    reference: _text(100) | None = None
    status: Literal["draft", "adopted"] | None = None
    adopted_on: FullDate | None = None
    municipal_key: Literal["fixed", "population", "equal", "amounts"] | None = None
    # The revision of the year's plan (1 when absent) and the revision it was made from.
    revision: Annotated[StrictInt, Field(ge=1, le=1000)] | None = None
    revises: Annotated[StrictInt, Field(ge=1, le=1000)] | None = None
    # The rounding of a document coarser than its unit (to 100 kr: 100), in the plan's unit.
    precision: PositiveAmount | None = None
    sections: list[SectionData] | None = None


class ColumnData(_Strict):
    id: Annotated[Identifier, StringConstraints(max_length=40)]
    year: Year
    kind: Literal["actual", "forecast", "budget", "plan"]
    label: _text(100) | None = None


class ContributionData(_Strict):
    """A member's contribution, or (with `id` and `label` instead of `member`) the
    contributions of all members printed only as one total."""

    member: Identifier | None = None
    id: Identifier | None = None
    label: _text(300) | None = None
    amounts: dict[str, LineAmount]

    @property
    def is_total(self) -> bool:
        return self.member is None


class IncomeData(_Strict):
    id: Identifier
    label: _text(300)
    kind: Literal["external", "other"]
    # Other income may be negative (negative interest, repayments).
    amounts: dict[str, SignedLineAmount]


class CostData(_Strict):
    id: Identifier
    label: _text(300)
    group: CostGroupName
    intervention: Identifier | None = None
    amounts: dict[str, LineAmount]


class OpeningEquity(_Strict):
    year: Year
    amount: Amount


class EquityData(_Strict):
    opening: OpeningEquity | None = None


CostGroupName = Literal["intervention", "reserve", "operations", "administration", "unspecified"]


class SubtotalData(_Strict):
    """A printed subtotal of one or more cost groups ("Delsumma administration")."""

    label: _text(300, min_length=1)
    groups: Annotated[list[CostGroupName], Field(min_length=1)]
    amount: Amount


class StatedData(_Strict):
    contributions: Amount | None = None
    income: Amount | None = None
    costs: Amount | None = None
    result: Amount | None = None
    closing_equity: Amount | None = None
    subtotals: list[SubtotalData] | None = None


class Participants(_Strict):
    total: Count | None = None
    women: Count | None = None
    men: Count | None = None


class FundingData(_Strict):
    """What the board grants an intervention in one column, and the share the budget counts."""

    granted: NotNegativeAmount
    share: Fraction | None = None


class InterventionData(_Strict):
    id: Identifier
    name: _text(300, min_length=1)
    kind: Literal["individual", "structural"]
    sus_category: _text(200) | None = None
    markings: list[_text(100)] | None = None
    status: Literal["planned", "active", "ended"] | None = None
    long_term: StrictBool | None = None
    owner: Identifier | None = None
    members: list[Identifier] | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    participants: Participants | None = None
    utilization: Fraction | None = None
    target_group: str | None = None
    description: str | None = None
    goals: list[str] | None = None
    indicators: list[str] | None = None
    municipal_allocation: dict[str, Weight] | None = None
    funding: dict[str, FundingData] | None = None


class MeetingData(_Strict):
    date: MeetingDate
    body: Literal["board", "preparatory", "presidium", "members"]
    topic: _text(300) | None = None


class ActivityData(_Strict):
    name: _text(300)
    when: _text(200) | None = None
    responsible: _text(200) | None = None
    follow_up: _text(200) | None = None


def _decimal_text(value: Any) -> str:
    """A number kept as the text it was stored as ("20.000"): the copy is read back as written."""
    if not isinstance(value, str) or not _DECIMAL_TEXT_RE.match(value):
        raise PydanticCustomError(
            "not_decimal_text", "{shown} is not a number written as text (\"20.000\")", {"shown": _show(value)}
        )
    return value


def _date_text(value: Any) -> str:
    if isinstance(value, str) and _FULL_DATE_RE.match(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise PydanticCustomError("not_a_date", "{shown} is not a date (YYYY-MM-DD)", {"shown": _show(value)})


def _org_number_text(value: Any) -> str:
    if isinstance(value, str) and (value == "" or re.fullmatch(r"[0-9]{6}-[0-9]{4}", value)):
        return value
    raise PydanticCustomError("not_org_number", "{shown} is not empty or NNNNNN-NNNN", {"shown": _show(value)})


def _founded_text(value: Any) -> str:
    # Blank when the profile did not say.
    if value == "":
        return value
    return _partial_date("any")(value)


DecimalText = Annotated[str, BeforeValidator(_decimal_text)]
DateText = Annotated[str, BeforeValidator(_date_text)]


def _strict_text(max_length: int | None = None, min_length: int = 0):
    return Annotated[StrictStr, StringConstraints(min_length=min_length, max_length=max_length)]


class KeptFederation(_Strict):
    """The federation's profile as the plan showed it when adopted; blank text, not null,
    where the profile said nothing."""

    name: _strict_text(200, min_length=1)
    short_name: _strict_text(100)
    org_number: Annotated[str, BeforeValidator(_org_number_text)]
    founded: Annotated[str, BeforeValidator(_founded_text)]
    vision: StrictStr
    website: _strict_text(200)


class KeptBand(_Strict):
    """The equity guidance band one year's contributions fell in at adoption."""

    ceiling_percent: DecimalText
    contributions_from: DecimalText
    contributions_to: DecimalText | None
    valid_from: DateText
    valid_until: DateText | None


class AdoptedCopyData(_Strict):
    """An adopted plan's own copy of the data it shares with other plans, as it was at
    adoption. Categories and markings are keyed by the name the file's interventions
    give them, each with the name the plan showed when adopted; guidance is keyed by
    year ("2026"), null for a year no band applied to."""

    federation: KeptFederation
    categories: dict[str, _strict_text(200, min_length=1)]
    markings: dict[str, _strict_text(100, min_length=1)]
    guidance: dict[str, KeptBand | None]


class PlanDocument(_Strict):
    """A whole plan file. Every amount is in `plan.unit`."""

    format: str
    federation: FederationData
    members: list[MemberData]
    plan: PlanInfo
    columns: list[ColumnData]
    contributions: list[ContributionData]
    income: list[IncomeData] | None = None
    costs: list[CostData]
    equity: EquityData | None = None
    stated: dict[str, StatedData] | None = None
    interventions: list[InterventionData] | None = None
    meetings: list[MeetingData] | None = None
    activities: list[ActivityData] | None = None
    # An adopted plan's own copy of shared data (the federation's profile, the names
    # of categories and markings, the guidance bands) as it was at adoption.
    adopted_copy: AdoptedCopyData | None = None


# ---------------------------------------------------------------------------
# Reading.

_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known key",
    "string_type": "expected text, got {shown}",
    "int_type": "{shown} is not a whole number",
    "bool_type": "expected true or false, got {shown}",
    "list_type": "expected a list, got {shown}",
    "dict_type": "expected an object, got {shown}",
    "model_type": "expected an object, got {shown}",
    "model_attributes_type": "expected an object, got {shown}",
    "literal_error": "{shown} is not one of {expected}",
    "string_too_long": "is longer than {max_length} characters",
    "string_too_short": "is empty",
    "string_pattern_mismatch": "{shown} does not have the form {pattern}",
    "greater_than_equal": "{shown} is less than {ge}",
    "less_than_equal": "{shown} is more than {le}",
}


_PLAIN_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")


def _key(name: Any) -> str:
    """A key as a step of a path: `.b2025`, or quoted when it is anything else (`["a b"]`),
    so that an odd key cannot break a problem's line or pass for another path."""
    if isinstance(name, str) and _PLAIN_KEY_RE.fullmatch(name):
        return f".{name}"
    return f"[{_show(name)}]"


def _path(location: tuple) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += _key(part)
    return path.removeprefix(".") or "(file)"


def _message(error: dict) -> str:
    template = _MESSAGES.get(error["type"])
    if template is None:
        return error["msg"]
    context = dict(error.get("ctx") or {})
    context["shown"] = _show(error.get("input"))
    if error["type"] == "string_pattern_mismatch":
        context["pattern"] = "NNNNNN-NNNN"
    return template.format(**context)


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    data = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {_show(key)}")
        data[key] = value
    return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number")


def parse_json(raw: bytes | str) -> Any:
    """JSON with every non-integer number as Decimal; raises PlanFileError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PlanFileError([f"(file): not UTF-8 text (byte {error.start})"])
    try:
        return json.loads(
            raw,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_reject_duplicate_keys,
        )
    except json.JSONDecodeError as error:
        raise PlanFileError([f"(file): not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"])
    except ValueError as error:
        raise PlanFileError([f"(file): not valid JSON: {error}"])
    except RecursionError:
        # The parser recurses once per level; no plan file nests anywhere near that deep.
        raise PlanFileError(["(file): not valid JSON: nested too deeply"])


def read_plan_data(data: Any) -> PlanDocument:
    """Check parsed JSON against the format; raise PlanFileError naming every problem."""
    if not isinstance(data, dict):
        raise PlanFileError([f"(file): expected a JSON object, got {type(data).__name__}"])
    if "format" in data and data["format"] not in READABLE_FORMATS:
        raise PlanFileError(
            [f"format: {_show(data['format'])} is not a supported format (expected \"{FORMAT}\" or \"{FORMAT_V1}\")"]
        )
    problems = _nul_problems(data)
    try:
        document = PlanDocument.model_validate(data)
    except ValidationError as error:
        raise PlanFileError(problems + [f"{_path(e['loc'])}: {_message(e)}" for e in error.errors()])
    problems += _reference_problems(document)
    if problems:
        raise PlanFileError(problems)
    # The first edition is a subset of the second: read, it is a second-edition document.
    document.format = FORMAT
    return document


def _nul_problems(data: Any) -> list[str]:
    """Text holding a NUL character, which PostgreSQL cannot store. A loop, not recursion:
    the data may nest as deep as the JSON parser allows."""
    problems = []
    pending = [((), data)]
    while pending:
        location, value = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            problems.append(f"{_path(location)}: contains a NUL character (\\u0000)")
        elif isinstance(value, dict):
            pending += [((*location, key), item) for key, item in reversed(value.items())]
        elif isinstance(value, list):
            pending += [((*location, index), item) for index, item in reversed(list(enumerate(value)))]
    return problems


def address_name(name: str) -> str:
    """A federation's address name made from its (short) name: "Härnösand/Timrå" ->
    "harnosand-timra"; empty when the name has no letter or digit to make one from."""
    return slugify(name.replace("/", " "))[:FEDERATION_SLUG_MAX].strip("-")


def federation_slug(document: PlanDocument) -> str:
    """The federation's address name, from its short name or else its name."""
    return address_name(document.federation.short_name or document.federation.name)


def read_plan_file(raw: bytes | str) -> PlanDocument:
    """Read the text of a plan file; raise PlanFileError naming every problem."""
    return read_plan_data(parse_json(raw))


def _duplicates(items: list, key: str, path: str) -> list[str]:
    seen = set()
    problems = []
    for index, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            problems.append(f"{path}[{index}].{key}: duplicate id {_show(value)}")
        seen.add(value)
    return problems


def _reference_problems(document: PlanDocument) -> list[str]:
    """Cross references and rules that span keys: unique ids, known members, columns, interventions."""
    problems: list[str] = []
    if not federation_slug(document):
        key = "short_name" if document.federation.short_name else "name"
        problems.append(
            f"federation.{key}: {_show(getattr(document.federation, key))} has no letter or digit "
            "to make the federation's address name from"
        )
    plan = document.plan
    if plan.last_year < plan.year:
        problems.append(f"plan.last_year: {plan.last_year} is before plan.year {plan.year}")
    elif plan.last_year > plan.year + 10:
        problems.append(f"plan.last_year: {plan.last_year} is more than ten years after plan.year {plan.year}")

    problems += _duplicates(document.members, "id", "members")
    problems += _duplicates(document.columns, "id", "columns")
    problems += _duplicates(document.income or [], "id", "income")
    problems += _duplicates(document.costs, "id", "costs")
    problems += _duplicates(document.interventions or [], "id", "interventions")

    members = {member.id for member in document.members}
    columns = {column.id for column in document.columns}
    interventions = {intervention.id for intervention in document.interventions or []}

    def check_member(value: str, path: str) -> None:
        if value not in members:
            problems.append(f"{path}: {_show(value)} is not a member id")

    def check_amounts(amounts: dict, path: str) -> None:
        for column_id in amounts:
            if column_id not in columns:
                problems.append(f"{path}{_key(column_id)}: {_show(column_id)} is not a column id")

    contributing = set()
    totals_seen = set()
    for index, contribution in enumerate(document.contributions):
        path = f"contributions[{index}]"
        if contribution.member is None:
            # A total of all members' contributions: the document prints no line per member.
            if contribution.id is None or contribution.label is None:
                problems.append(f"{path}: names a member, or gives an id and a label for a total of all members")
            elif contribution.id in totals_seen:
                problems.append(f"{path}.id: duplicate id {_show(contribution.id)}")
            totals_seen.add(contribution.id)
        else:
            if contribution.id is not None or contribution.label is not None:
                key = "id" if contribution.id is not None else "label"
                problems.append(f"{path}.{key}: a member's contribution has no {key}; its member names it")
            check_member(contribution.member, f"{path}.member")
            if contribution.member in contributing:
                problems.append(f"{path}.member: {_show(contribution.member)} has a contribution already")
            contributing.add(contribution.member)
        check_amounts(contribution.amounts, f"{path}.amounts")
    if contributing and totals_seen:
        problems.append("contributions: lines per member and a total of all members cannot be mixed")
    for index, line in enumerate(document.income or []):
        check_amounts(line.amounts, f"income[{index}].amounts")
    for index, line in enumerate(document.costs):
        check_amounts(line.amounts, f"costs[{index}].amounts")
        if line.intervention is not None:
            if line.intervention not in interventions:
                problems.append(
                    f"costs[{index}].intervention: {_show(line.intervention)} is not an intervention id"
                )
            if line.group != "intervention":
                problems.append(
                    f"costs[{index}].intervention: only lines in the group \"intervention\" name an intervention"
                )
    for column_id, stated in (document.stated or {}).items():
        if column_id not in columns:
            problems.append(f"stated{_key(column_id)}: {_show(column_id)} is not a column id")
        for position, subtotal in enumerate(stated.subtotals or []):
            if len(set(subtotal.groups)) != len(subtotal.groups):
                problems.append(f"stated{_key(column_id)}.subtotals[{position}].groups: a group is listed twice")
    if plan.revises is not None and plan.revises >= (plan.revision or 1):
        problems.append(f"plan.revises: revision {plan.revises} is not before this plan's revision {plan.revision or 1}")
    for index, intervention in enumerate(document.interventions or []):
        path = f"interventions[{index}]"
        if intervention.owner is not None:
            check_member(intervention.owner, f"{path}.owner")
        for position, member in enumerate(intervention.members or []):
            check_member(member, f"{path}.members[{position}]")
        if len(set(intervention.members or [])) != len(intervention.members or []):
            problems.append(f"{path}.members: a member is listed twice")
        if len(set(intervention.markings or [])) != len(intervention.markings or []):
            problems.append(f"{path}.markings: a marking is listed twice")
        for member in intervention.municipal_allocation or {}:
            check_member(member, f"{path}.municipal_allocation{_key(member)}")
        check_amounts(intervention.funding or {}, f"{path}.funding")
        participants = intervention.participants
        if (
            participants is not None
            and None not in (participants.total, participants.women, participants.men)
            and participants.women + participants.men > participants.total
        ):
            problems.append(
                f"{path}.participants: women ({participants.women}) and men ({participants.men}) "
                f"are more than the total ({participants.total})"
            )
    problems += _adopted_copy_problems(document)
    return problems


def _adopted_copy_problems(document: PlanDocument) -> list[str]:
    kept = document.adopted_copy
    if kept is None:
        return []
    if document.plan.status != "adopted":
        return [
            f"adopted_copy: only an adopted plan keeps a copy of shared data; "
            f"plan.status is {_show(document.plan.status)}"
        ]
    problems = []
    interventions = document.interventions or []
    categories = {intervention.sus_category for intervention in interventions if intervention.sus_category}
    markings = {marking for intervention in interventions for marking in intervention.markings or []}
    for name in kept.categories:
        if name not in categories:
            problems.append(
                f"adopted_copy.categories{_key(name)}: {_show(name)} is not the sus_category of an intervention"
            )
    for name in kept.markings:
        if name not in markings:
            problems.append(f"adopted_copy.markings{_key(name)}: {_show(name)} is not a marking of an intervention")
    years = {str(column.year) for column in document.columns}
    for year in kept.guidance:
        if year not in years:
            problems.append(f"adopted_copy.guidance{_key(year)}: {_show(year)} is not the year of a column")
    return problems


# ---------------------------------------------------------------------------
# Writing.


def _json_number(value: Decimal) -> int | str:
    """A Decimal as the file carries it: a JSON integer, or a decimal string with the
    decimals it was printed with ("0.50"); never a float."""
    if value.as_tuple().exponent >= 0:
        return int(value)
    return format(value, "f")


def _to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _json_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


def plan_file_data(document: PlanDocument) -> dict:
    """The document as JSON-ready data, keys in the format's order."""
    data = _to_json(document.model_dump(mode="python"))
    for member, written in zip(document.members, data["members"]):
        if member.key_share_in_percent and member.key_share is not None:
            written["key_share"] = f"{format(member.key_share.scaleb(2), 'f')} %"
    return data


def dump_plan_file(document: PlanDocument) -> str:
    return json.dumps(plan_file_data(document), ensure_ascii=False, indent=2) + "\n"


def comparable(value: Any) -> Any:
    """Plan-file data in a form where equal plans compare equal.

    Amounts compare as decimals ("1866.50" equals 1866.5), and a key that is
    absent, null, an empty list or an empty object says the same thing: nothing.
    """
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            item = comparable(item)
            if item is not None:
                result[key] = item
        return result or None
    if isinstance(value, list):
        return [comparable(item) for item in value] or None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, Decimal)):
        return plain(Decimal(value))
    if isinstance(value, str) and _DECIMAL_TEXT_RE.match(value):
        return plain(Decimal(value))
    return value
