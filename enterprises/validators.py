"""Validators for identifiers firms enter: USCC (GB 32100-2015), PCT and WO numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organization_code_check_digit(first8: str) -> str:
    """GB 11714: digits count as their value, letters A-Z as 10-35."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def build_uscc(region: str, organization_code: str, *, registration: str = "91") -> str:
    """A well-formed USCC: registration authority and type, 6-digit region, the 8-character organization code
    with its GB 11714 check digit, then the GB 32100 check character (demo, examples, benchmarks, tests)."""
    first17 = registration + region + organization_code + organization_code_check_digit(organization_code)
    return first17 + uscc_check_character(first17)


def validate_uscc(value: str) -> None:
    """Raise ValidationError unless `value` is a well-formed unified social credit code."""
    code = (value or "").strip().upper()
    if not USCC_PATTERN.match(code):
        raise ValidationError(
            _("A unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z."),
            code="uscc_format",
        )
    organization_code = code[8:17]
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", organization_code) or (
        organization_code_check_digit(organization_code[:8]) != organization_code[8]
    ):
        raise ValidationError(
            _("The organization code part (characters 9-17) fails its GB 11714 check digit."),
            code="uscc_organization_code",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(_("The check character (the 18th) does not match."), code="uscc_check")


PCT_NUMBER = re.compile(r"^PCT/(?P<office>[A-Z]{2})(?P<year>\d{4})/(?P<serial>\d{6})$")
WO_NUMBER = re.compile(r"^WO ?(?P<year>\d{4})/(?P<serial>\d{6})$")


def validate_pct_number(value: str) -> None:
    if not PCT_NUMBER.match(value or ""):
        raise ValidationError(_("Use the form PCT/CCYYYY/NNNNNN, e.g. PCT/CN2014/000123."), code="pct_number")


def validate_wo_number(value: str) -> None:
    if not WO_NUMBER.match(value or ""):
        raise ValidationError(_("Use the form WO YYYY/NNNNNN, e.g. WO 2015/012345."), code="wo_number")


OFFICE_CODE = re.compile(r"^[A-Z]{2}$")


def validate_office_codes(value: list) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and OFFICE_CODE.match(v) for v in value):
        raise ValidationError(_("List two-letter office codes such as US, EP, JP."), code="office_codes")
