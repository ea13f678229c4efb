"""Writes on firm data. Each function is one transaction; history rows record who changed what."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.emails import email_on_commit
from enterprises.evidence import safe_display_name, sha256_of, validate_evidence
from enterprises.models import Enterprise, EvidenceFile, Invitation, MemberRole, Membership


class InvitationError(Exception):
    pass


def _save(instance: models.Model, **kwargs) -> None:
    """Saves a validated instance. When another request saved the same unique values in between (a double
    submit), the database refuses the row: that becomes the ValidationError the form shows, never a 500."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as error:
        instance.full_clean()  # sees the other request's row now, and names the field
        raise ValidationError(_("Someone saved the same data at the same time; reload and check.")) from error


@transaction.atomic
def enterprise_register(*, user: User, enterprise: Enterprise) -> Enterprise:
    """A new firm, with the registering user as its owner."""
    enterprise.full_clean()
    _save(enterprise)
    Membership.objects.create(user=user, enterprise=enterprise, role=MemberRole.OWNER)
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, fields: list[str]) -> Enterprise:
    enterprise.full_clean()
    _save(enterprise, update_fields=fields)
    return enterprise


@transaction.atomic
def record_save(*, record: models.Model) -> models.Model:
    """Create or update a firm record after full model validation (constraints included)."""
    record.full_clean()
    _save(record)
    return record


def _remove_stored_files(names: list[str]) -> None:
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def _delete_evidence(evidence) -> None:
    """Delete evidence rows, then their stored files once the deletion is committed."""
    names = [name for name in evidence.values_list("file", flat=True) if name]
    evidence.delete()
    transaction.on_commit(lambda: _remove_stored_files(names))


@transaction.atomic
def enterprise_delete(*, enterprise: Enterprise) -> None:
    """A firm with all its records and evidence files (refused by the database once it has assessments)."""
    _delete_evidence(EvidenceFile.objects.filter(enterprise=enterprise))
    enterprise.delete()


@transaction.atomic
def record_delete(*, record: models.Model) -> None:
    """The record and its evidence, except files frozen in a submitted snapshot: officers still need those."""
    evidence = EvidenceFile.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
    _delete_evidence(evidence.filter(snapshots__isnull=True))
    record.delete()


@transaction.atomic
def evidence_attach(*, record: models.Model, upload, user: User) -> EvidenceFile:
    mime = validate_evidence(upload)
    evidence = EvidenceFile(
        enterprise_id=record.enterprise_id,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        original_name=safe_display_name(upload.name),
        mime_type=mime,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=user,
    )
    evidence.file.save("evidence", upload, save=False)
    stored_name = evidence.file.name
    try:
        evidence.save()
    except Exception:
        _remove_stored_files([stored_name])
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: EvidenceFile) -> None:
    if evidence.snapshots.exists():
        raise ValidationError(
            _("This file is part of a submitted assessment and is kept as its evidence; attach a new file instead.")
        )
    _delete_evidence(EvidenceFile.objects.filter(pk=evidence.pk))


@transaction.atomic
def invitation_create(
    *, enterprise: Enterprise, email: str, role: str, invited_by: User, accept_url_base: str
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(enterprise=enterprise, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the firm.")})
    invitation = Invitation.objects.create(
        enterprise=enterprise,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = accept_url_base.rstrip("/") + reverse("invitations:accept", args=[invitation.token])
    subject = _("Invitation to %(firm)s") % {"firm": enterprise.name_zh}
    body = _(
        "%(inviter)s invites you to record the internationalization of %(firm)s.\n\n"
        "Accept within %(days)s days: %(link)s"
    ) % {"inviter": invited_by, "firm": enterprise, "days": settings.INVITATION_VALID_DAYS, "link": link}
    email_on_commit(to=[email], subject=subject, body=body)
    return invitation


@transaction.atomic
def invitation_accept(*, token, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("enterprise").filter(token=token).first()
    if invitation is None:
        raise InvitationError(_("This invitation does not exist."))
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.expires_at < timezone.now():
        raise InvitationError(_("This invitation has expired. Ask the firm's owner for a new one."))
    if user.email.strip().lower() != invitation.email:
        raise InvitationError(_("This invitation was sent to another email address."))
    membership, _created = Membership.objects.get_or_create(
        user=user, enterprise=invitation.enterprise, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
