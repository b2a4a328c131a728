"""Writes to federations and people's roles in them. Each service is atomic."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from budgets.planfile import address_name
from federations.models import Federation, Role


class FederationRefused(Exception):
    """A federation or role that cannot be made as asked; the message says why, in Swedish."""


FEDERATION_FIELDS = ("name", "short_name", "org_number", "founded", "website")


@transaction.atomic
def federation_create(*, values: dict, acting_user) -> Federation:
    """A new federation; its address name comes from its short name, else its name,
    as a plan file's federation is matched by."""
    slug = address_name(values.get("short_name") or values["name"])
    if not slug:
        raise FederationRefused(_("Namnet behöver minst en bokstav eller siffra."))
    if Federation.objects.filter(slug=slug).exists():
        raise FederationRefused(_("Det finns redan ett förbund med adressen %(slug)s.") % {"slug": slug})
    federation = Federation(slug=slug, **{name: values.get(name) or "" for name in FEDERATION_FIELDS})
    federation._history_user = acting_user
    federation.full_clean()
    federation.save()
    return federation


def invitation_link(request, user) -> str:
    """A link where the person sets a password: Django's password-reset token, valid for
    PASSWORD_RESET_TIMEOUT and spent once the password changes."""
    path = reverse(
        "password_set",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return request.build_absolute_uri(path)


@transaction.atomic
def role_give(
    *, federation: Federation, email: str, first_name: str, last_name: str, kind: str, acting_user, request, member_name: str = ""
) -> tuple[Role, bool]:
    """Give the person with this e-mail address a role in the federation.

    A new person gets an account without a password and an e-mail with a link
    to set one; a known person's role is set (one role per federation).
    Returns the role and whether an invitation was sent.
    """
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    invited = False
    if user is None:
        if User.objects.filter(username__iexact=email).exists():
            raise FederationRefused(_("Det finns redan ett konto med användarnamnet %(email)s.") % {"email": email})
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
        invited = True
    role = Role.objects.filter(user=user, federation=federation).first() or Role(user=user, federation=federation)
    role.kind = kind
    role.member_name = member_name if kind == Role.Kind.MEMBER_CONTACT else ""
    role._history_user = acting_user
    role.full_clean()
    role.save()
    if invited:
        context = {
            "federation": federation,
            "role": role.get_kind_display(),
            "link": invitation_link(request, user),
            "username": user.username,
            "inviter": acting_user.get_full_name() or acting_user.get_username(),
        }
        send_mail(
            subject=_("Inbjudan till Finsam Plan: %(federation)s") % {"federation": federation.display_name},
            message=render_to_string("federations/invitation_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    return role, invited


@transaction.atomic
def role_remove(*, role: Role, acting_user) -> None:
    role._history_user = acting_user
    role.delete()
