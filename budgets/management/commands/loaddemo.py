"""Demo data for local use: the five example plans and a user for each role.

The passwords are printed and are the same on every machine: never run this
on a server that others can reach.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from board.models import Comment, Sending

from budgets.models import Plan
from budgets.planfile import read_plan_file
from budgets.services import federation_slug, plan_import, plan_new_revision, plan_record_change
from federations.access import ADMINISTRATORS_GROUP, NATIONAL_GROUP
from federations.models import Federation, Role

DEMO_PLANS = Path(settings.BASE_DIR) / "demo" / "plans"
ACCOUNTANTS_GROUP = "Ekonomer"
ACCOUNTANT_APPS = ["federations", "budgets", "interventions"]
BOARD_FEDERATION = "sodra-vatterbygden"


class Command(BaseCommand):
    help = "Load the five example plans and demo users (local use only). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        for path in sorted(DEMO_PLANS.glob("*.json")):
            document = read_plan_file(path.read_bytes())
            slug = federation_slug(document)
            if Plan.objects.filter(federation__slug=slug, year=document.plan.year).exists():
                self.stdout.write(f"kept {slug} {document.plan.year}")
                continue
            plan = plan_import(document=document)
            self.stdout.write(f"imported {plan.federation.slug} {plan.year}")

        accounts = []
        for federation in Federation.objects.order_by("slug"):
            username = f"chef-{federation.slug}"
            self._user(username, f"{username}-demo", first_name="Förbundschef", last_name=federation.display_name)
            Role.objects.update_or_create(
                user=get_user_model().objects.get(username=username),
                federation=federation,
                defaults={"kind": Role.Kind.CHIEF},
            )
            accounts.append((username, f"{username}-demo", f"förbundschef, {federation.display_name}"))

        board = self._user("styrelse", "styrelse-demo", first_name="Styrelseledamot")
        board_federation = Federation.objects.filter(slug=BOARD_FEDERATION).first()
        if board_federation is not None:
            Role.objects.update_or_create(
                user=board, federation=board_federation, defaults={"kind": Role.Kind.BOARD}
            )
            accounts.append(("styrelse", "styrelse-demo", f"styrelseledamot, {board_federation.display_name}"))
            self._draft_sent_to_the_board(board_federation, board)

        accountant = self._user("ekonom", "ekonom-demo", first_name="Ekonom", is_staff=True)
        accountant.groups.add(self._accountants_group())
        accounts.append(("ekonom", "ekonom-demo", "ekonom (administrationen)"))

        # The demo federations show their adopted plans to the national level.
        Federation.objects.update(in_national_view=True)
        national = self._user("nationell", "nationell-demo", first_name="Nationella rådet")
        national.groups.add(Group.objects.get_or_create(name=NATIONAL_GROUP)[0])
        accounts.append(("nationell", "nationell-demo", "nationell nivå (nationell översikt)"))

        self._administrators_group()
        self._user("admin", "admin-demo", is_staff=True, is_superuser=True)
        accounts.append(("admin", "admin-demo", "superanvändare"))

        self.stdout.write("\nDemo users (local use only):")
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<28} {password:<34} {role}")

    def _draft_sent_to_the_board(self, federation, board_member):
        """A new revision of the federation's adopted plan, sent to the board with one comment
        of its board member, so that the board's side has something to show. Written
        directly, without the e-mails the services would send."""
        adopted = Plan.objects.filter(federation=federation, status=Plan.Status.ADOPTED).order_by("-year", "-revision").first()
        if adopted is None or Plan.objects.filter(federation=federation, year=adopted.year, revision__gt=adopted.revision).exists():
            return
        chief = get_user_model().objects.get(username=f"chef-{federation.slug}")
        draft = plan_new_revision(plan=adopted, acting_user=chief)
        plan_record_change(plan=draft, seen_version=None)
        Sending.objects.create(
            plan=draft,
            kind=Sending.Kind.BOARD,
            meeting_date=datetime.date(adopted.year + 1, 12, 15),
            sent_at=timezone.now(),
            sent_by=chief,
            plan_version=draft.version,
        )
        line = draft.lines.filter(section="cost").order_by("order", "pk").first()
        Comment.objects.create(
            plan=draft,
            anchor_kind=Comment.Anchor.LINE,
            anchor_id=line.pk,
            anchor_label=line.display_label,
            author=board_member,
            body="Vad ingår i den här posten, och varför ändras den jämfört med förra året?",
        )
        self.stdout.write(f"sent {federation.slug} {draft.year} revision {draft.revision} to the board")

    def _user(self, username, password, **fields):
        user, _ = get_user_model().objects.update_or_create(username=username, defaults=fields)
        user.set_password(password)
        user.save()
        return user

    def _accountants_group(self):
        # Accountants correct plans; who may edit which federation (roles) is the administrators' call.
        group, _ = Group.objects.get_or_create(name=ACCOUNTANTS_GROUP)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=ACCOUNTANT_APPS).exclude(
                content_type__app_label="federations",
                content_type__model="role",
                codename__in=["add_role", "change_role", "delete_role"],
            )
        )
        return group

    def _administrators_group(self):
        """The group whose members give people roles and accounts (federations.access)."""
        group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
        group.permissions.set(
            Permission.objects.filter(
                Q(content_type__app_label="federations", content_type__model="role")
                | Q(content_type__app_label="auth", codename__in=["view_user", "add_user", "change_user"])
            )
        )
        return group
