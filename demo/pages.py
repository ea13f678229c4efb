"""The pages each role reaches on the seeded data, for the page benchmark and the load test.

One list, built from the database's own objects (a firm's records and assessments, the rounds, the review
queue), so that `benchmark_pages` times every page a firm member, an officer and an administrator can open,
and the load test visits the same URLs.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from anomalies.models import Finding
from assessments.models import Assessment, AssessmentStatus
from bulkimport.models import ImportBatch
from enterprises.models import Enterprise, EvidenceFile
from enterprises.records import RECORD_KINDS
from providers.models import ServiceProvider
from rewards.models import RewardRound, RoundStatus
from rewards.workflow import RoundAction, round_allows

FIRM, OFFICER, ADMINISTRATOR, ANONYMOUS = "firm", "officer", "administrator", "anonymous"
#: server-time targets (issue 10): the firm's everyday pages, and every other page
EVERYDAY_MS, PAGE_MS = 30, 100


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    #: a firm's everyday page (overview, record lists, maturity report, assessments list): the 30 ms target
    everyday: bool = False
    #: the answer expected (a redirect for pages that only send one on)
    status: int = 200

    @property
    def target_ms(self) -> int:
        return EVERYDAY_MS if self.everyday else PAGE_MS


def firm_pages(firm: Enterprise) -> list[Page]:
    """Every page a member of `firm` reaches (besides the pages every signed-in user has)."""
    pk = firm.pk
    pages = [
        Page("home", reverse("home"), status=302),
        Page("firm list", reverse("enterprises:list") + "?all=1"),
        Page("firm register", reverse("enterprises:register")),
        Page("firm overview", reverse("enterprises:overview", args=[pk]), everyday=True),
        Page("firm edit", reverse("enterprises:edit", args=[pk])),
        Page("firm members", reverse("enterprises:members", args=[pk])),
    ]
    for kind in RECORD_KINDS.values():
        pages.append(Page(f"{kind.slug} list", reverse("enterprises:record_list", args=[pk, kind.slug]), everyday=True))
        pages.append(Page(f"{kind.slug} new", reverse("enterprises:record_create", args=[pk, kind.slug])))
        record = kind.model.objects.filter(enterprise=firm).order_by("pk").first()
        if record is not None:
            args = [pk, kind.slug, record.pk]
            pages.append(Page(f"{kind.slug} detail", reverse("enterprises:record_detail", args=args)))
            pages.append(Page(f"{kind.slug} edit", reverse("enterprises:record_edit", args=args)))
            pages.append(Page(f"{kind.slug} delete", reverse("enterprises:record_delete", args=args)))
    pages += [
        Page("assessments", reverse("assessments:list", args=[pk]), everyday=True),
        Page("maturity report", reverse("assessments:maturity", args=[pk]), everyday=True),
    ]
    assessments = Assessment.objects.filter(enterprise=firm)
    verified = assessments.filter(status=AssessmentStatus.VERIFIED).order_by("-reference_year").first()
    if verified is not None:
        url = reverse("assessments:detail", args=[pk, verified.pk])
        pages.append(Page("assessment (verified)", url))
    draft = assessments.filter(status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED]).first()
    if draft is not None:
        pages.append(Page("assessment (draft)", reverse("assessments:detail", args=[pk, draft.pk])))
    evidence = EvidenceFile.objects.filter(enterprise=firm).order_by("pk").first()
    if evidence is not None:
        pages.append(Page("evidence download", reverse("evidence:download", args=[evidence.pk])))
    return pages


def signed_in_pages() -> list[Page]:
    """The pages every signed-in user has."""
    pages = [
        Page("notifications", reverse("notifications:list")),
        Page("profile", reverse("profile")),
        Page("tokens", reverse("api_tokens:list")),
        Page("password change", reverse("password_change")),
        Page("providers", reverse("providers:list")),
    ]
    provider = ServiceProvider.objects.order_by("pk").first()
    if provider is not None:
        pages.append(Page("provider", reverse("providers:detail", args=[provider.pk])))
    return pages


def public_pages() -> list[Page]:
    """Published results and their downloads (also what anonymous visitors see)."""
    pages = [Page("rounds", reverse("rewards:public_list"))]
    published = RewardRound.objects.filter(status=RoundStatus.PUBLISHED).order_by("-reference_year").first()
    if published is not None:
        pages += [
            Page("round results", reverse("rewards:results", args=[published.pk])),
            Page("results.csv", reverse("rewards:results_csv", args=[published.pk])),
            Page("results.xlsx", reverse("rewards:results_xlsx", args=[published.pk])),
        ]
    return pages


def officer_pages(officer: User) -> list[Page]:
    """Every page of the officer role (reviewable assessments are never the officer's own firm's)."""
    own = Q(enterprise__memberships__user=officer)
    queue = Assessment.objects.exclude(status=AssessmentStatus.DRAFT).exclude(own)
    pages = [
        Page("review queue", reverse("review:queue")),
        Page("review queue (submitted, by score)", reverse("review:queue") + "?status=submitted&sort=-score"),
    ]
    for status in (AssessmentStatus.SUBMITTED, AssessmentStatus.VERIFIED):
        assessment = queue.filter(status=status).order_by("pk").first()
        if assessment is not None:
            pages.append(Page(f"review ({status.label.lower()})", reverse("review:detail", args=[assessment.pk])))
    pages += [
        Page("statistics", reverse("zone:statistics")),
        Page("trade.csv", reverse("zone:trade_csv")),
        Page("anomalies", reverse("anomalies:list")),
        Page("anomalies.csv", reverse("anomalies:csv")),
        Page("import", reverse("bulkimport:upload")),
        Page("import template", reverse("bulkimport:template", args=["export_records", "csv"])),
    ]
    finding = Finding.objects.exclude(enterprise__memberships__user=officer).order_by("pk").first()
    if finding is not None:
        key = [finding.rule, finding.enterprise_id, finding.year, finding.record_id]
        pages.append(Page("anomaly explain", reverse("anomalies:explain", args=key)))
    batch = ImportBatch.objects.order_by("-pk").first()
    if batch is not None:
        pages.append(Page("import batch", reverse("bulkimport:batch", args=[batch.pk])))
    return pages


def administrator_pages(firm: Enterprise) -> list[Page]:
    """The pages only administrators have (they have every officer page too); `firm` for its history."""
    pages = [
        Page("rounds manage", reverse("rewards:manage_list")),
        Page("round new", reverse("rewards:create")),
    ]
    for status in RoundStatus:
        reward_round = RewardRound.objects.filter(status=status).order_by("-reference_year").first()
        if reward_round is None:
            continue
        label, args = status.label.lower(), [reward_round.pk]
        pages.append(Page(f"round manage ({label})", reverse("rewards:manage", args=args)))
        if status == RoundStatus.DRAFT:  # only a draft is edited
            pages.append(Page(f"round edit ({label})", reverse("rewards:edit", args=args)))
        if round_allows(status, RoundAction.SIMULATE):
            pages.append(Page(f"round simulate ({label})", reverse("rewards:simulate", args=args)))
    pages += [
        Page("users", reverse("accounts:users")),
        Page("user new", reverse("accounts:staff_create")),
        Page("provider new", reverse("providers:create")),
        Page("admin index", reverse("admin:index")),
        Page("admin firms", reverse("admin:enterprises_enterprise_changelist")),
        Page("admin assessments", reverse("admin:assessments_assessment_changelist")),
    ]
    pages += [
        Page("firm history", reverse("enterprises:history", args=[firm.pk])),
        Page("admin firm", reverse("admin:enterprises_enterprise_change", args=[firm.pk])),
    ]
    return pages


def pages_by_role(firm: Enterprise, officer: User) -> dict[str, list[Page]]:
    """Every page of each role: a member of `firm`, an officer (`officer`), an administrator."""
    return {
        FIRM: firm_pages(firm) + signed_in_pages() + public_pages(),
        OFFICER: officer_pages(officer) + signed_in_pages(),
        ADMINISTRATOR: administrator_pages(firm),
        ANONYMOUS: [Page("log-in", reverse("login")), Page("landing", reverse("home")), *public_pages()],
    }
