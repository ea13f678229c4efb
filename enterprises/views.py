import copy
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import administrator_required
from core.forms import add_validation_error
from enterprises import selectors, services
from enterprises.forms import EnterpriseForm, EvidenceUploadForm, InvitationForm
from enterprises.models import Enterprise, Invitation
from enterprises.permissions import can_manage_members, evidence_deletable_by
from enterprises.records import KIND_FOR_MODEL, RECORD_KINDS, RecordKind, display_value
from enterprises.shortcuts import firm_or_404, year_or_latest, year_param

PAGE_SIZE = 25


def home(request):
    """Anonymous visitors see the landing page; signed-in users go to their starting point."""
    user = request.user
    if user.is_authenticated and not (user.is_officer or user.is_administrator):
        if selectors.enterprises_for(user).exists():
            return redirect("enterprises:list")
        return redirect("enterprises:register")
    return render(request, "home.html")


def _kind(slug: str) -> RecordKind:
    try:
        return RECORD_KINDS[slug]
    except KeyError:
        raise Http404 from None


def _record(kind: RecordKind, enterprise: Enterprise, pk: int):
    return get_object_or_404(kind.model.objects.filter(enterprise=enterprise), pk=pk)


@login_required
def firm_list(request):
    firms = selectors.enterprises_for(request.user).order_by("name_zh")
    if len(firms) == 1 and not request.GET.get("all"):
        return redirect("enterprises:overview", firms[0].pk)
    return render(request, "enterprises/firm_list.html", {"firms": firms})


@login_required
def firm_register(request):
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            firm = services.enterprise_register(user=request.user, enterprise=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Firm %(firm)s registered; you are its owner.") % {"firm": firm})
            return redirect("enterprises:overview", firm.pk)
    return render(request, "enterprises/firm_form.html", {"form": form, "title": _("Register a firm")})


@login_required
def firm_edit(request, enterprise_id: int):
    firm = firm_or_404(request, enterprise_id)
    # The form edits a copy: after invalid input the page header still shows the saved profile.
    form = EnterpriseForm(request.POST or None, instance=copy.copy(firm))
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(enterprise=form.instance, fields=form.changed_data or ["name_zh"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Firm profile saved."))
            return redirect("enterprises:overview", firm.pk)
    return render(request, "enterprises/firm_form.html", {"form": form, "firm": firm, "title": _("Firm profile")})


@login_required
def firm_overview(request, enterprise_id: int):
    """What the firm recorded for one year, and what is still missing."""
    firm = firm_or_404(request, enterprise_id)
    year = year_or_latest(request, firm)
    counts = selectors.record_counts(firm, year)
    rows = [{"kind": kind, **counts[kind.slug]} for kind in RECORD_KINDS.values()]
    report = firm.annual_reports.filter(year=year).first()
    missing = []
    if report is None:
        missing.append(_("the annual report for %(year)s") % {"year": year})
    for row in rows:
        if row["kind"].slug == "exports" and row["total"] == 0:
            missing.append(_("export records for %(year)s") % {"year": year})
        if row["without_evidence"]:
            missing.append(
                _("evidence for %(count)s %(what)s") % {"count": row["without_evidence"], "what": row["kind"].title}
            )
    context = {
        "firm": firm,
        "year": year,
        "rows": rows,
        "report": report,
        "missing": missing,
        "years": list(range(date.today().year, 2007, -1)),
        "recent_exports": firm.export_records.filter(year=year).order_by("-value")[:10],
        "active_establishments": firm.establishments.active_at(date(year, 12, 31)).order_by("country")[:20],
    }
    return render(request, "enterprises/overview.html", context)


@login_required
def firm_members(request, enterprise_id: int):
    firm = firm_or_404(request, enterprise_id)
    membership = selectors.membership_of(request.user, firm)
    may_invite = can_manage_members(membership)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not may_invite:
            messages.error(request, _("Only the firm's owner can invite colleagues."))
            return redirect("enterprises:members", firm.pk)
        if form.is_valid():
            try:
                services.invitation_create(
                    enterprise=firm,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                    accept_url_base=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("enterprises:members", firm.pk)
    context = {
        "firm": firm,
        "members": selectors.members_of(firm),
        "form": form,
        "may_invite": may_invite,
        "invitations": firm.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now()).order_by(
            "-created_at"
        )[:20],
    }
    return render(request, "enterprises/members.html", context)


@login_required
def record_list(request, enterprise_id: int, kind: str):
    firm, record_kind = firm_or_404(request, enterprise_id), _kind(kind)
    records = selectors.records_for(firm, record_kind.model)
    year = year_param(request)
    if year is not None:
        records = records.filter(**{record_kind.year_lookup: year})
    page = Paginator(records.order_by(*record_kind.model._meta.ordering, "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"firm": firm, "kind": record_kind, "page": page, "year": year or ""}
    return render(request, "enterprises/record_list.html", context)


@login_required
def record_form(request, enterprise_id: int, kind: str, pk: int | None = None):
    firm, record_kind = firm_or_404(request, enterprise_id), _kind(kind)
    instance = _record(record_kind, firm, pk) if pk else None
    form = record_kind.form_class(request.POST or None, instance=instance, enterprise=firm)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_save(record=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(what)s saved.") % {"what": capfirst(record_kind.verbose_name)})
            return redirect("enterprises:record_detail", firm.pk, record_kind.slug, record.pk)
    context = {"firm": firm, "kind": record_kind, "form": form, "record": instance}
    return render(request, "enterprises/record_form.html", context)


@login_required
def record_detail(request, enterprise_id: int, kind: str, pk: int):
    firm, record_kind = firm_or_404(request, enterprise_id), _kind(kind)
    record = _record(record_kind, firm, pk)
    return render(request, "enterprises/record_detail.html", _detail_context(firm, record_kind, record))


def _detail_context(firm: Enterprise, kind: RecordKind, record, upload_form=None) -> dict:
    return {
        "firm": firm,
        "kind": kind,
        "record": record,
        "evidence": selectors.evidence_for_record(record),
        "upload_form": upload_form or EvidenceUploadForm(),
        "fields": [
            (record._meta.get_field(name).verbose_name, display_value(record, name))
            for name in kind.form_class._meta.fields
        ],
    }


@login_required
def record_delete(request, enterprise_id: int, kind: str, pk: int):
    firm, record_kind = firm_or_404(request, enterprise_id), _kind(kind)
    record = _record(record_kind, firm, pk)
    if request.method == "POST":
        services.record_delete(record=record)
        messages.success(request, _("%(what)s deleted.") % {"what": capfirst(record_kind.verbose_name)})
        return redirect("enterprises:record_list", firm.pk, record_kind.slug)
    context = {"firm": firm, "kind": record_kind, "record": record}
    return render(request, "enterprises/record_confirm_delete.html", context)


@login_required
@require_POST
def evidence_upload(request, enterprise_id: int, kind: str, pk: int):
    firm, record_kind = firm_or_404(request, enterprise_id), _kind(kind)
    record = _record(record_kind, firm, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = services.evidence_attach(record=record, upload=form.cleaned_data["file"], user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Evidence %(name)s uploaded.") % {"name": evidence.original_name})
    if form.errors:
        context = _detail_context(firm, record_kind, record, upload_form=form)
        if request.htmx:
            return render(request, "enterprises/_evidence.html", context)
        return render(request, "enterprises/record_detail.html", context, status=400)
    if request.htmx:
        return render(request, "enterprises/_evidence.html", _detail_context(firm, record_kind, record))
    return redirect("enterprises:record_detail", firm.pk, record_kind.slug, record.pk)


@login_required
@require_POST
def evidence_delete(request, evidence_id: int):
    evidence = get_object_or_404(evidence_deletable_by(request.user).select_related("content_type"), pk=evidence_id)
    record = evidence.record
    try:
        services.evidence_delete(evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Evidence file deleted."))
    kind = KIND_FOR_MODEL.get(type(record))
    if record is not None and kind is not None:
        return redirect("enterprises:record_detail", record.enterprise_id, kind.slug, record.pk)
    return redirect("enterprises:list")


@login_required
def invitation_accept(request, token):
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except services.InvitationError as error:
            messages.error(request, str(error))
            return redirect("home")
        messages.success(request, _("You are now a member of %(firm)s.") % {"firm": membership.enterprise})
        return redirect("enterprises:overview", membership.enterprise_id)
    invitation = get_object_or_404(Invitation.objects.select_related("enterprise"), token=token)
    usable = invitation.accepted_at is None and invitation.expires_at > timezone.now()
    return render(request, "enterprises/invitation_accept.html", {"invitation": invitation, "usable": usable})


@administrator_required
def firm_history(request, enterprise_id: int):
    firm = get_object_or_404(Enterprise, pk=enterprise_id)
    return render(request, "enterprises/history.html", {"firm": firm, "entries": selectors.firm_history(firm)})
