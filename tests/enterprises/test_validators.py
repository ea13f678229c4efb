"""USCC (GB 32100-2015 with the GB 11714 organization code inside), PCT and WO number validators."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprises.forms import EnterpriseForm
from enterprises.models import Enterprise
from enterprises.validators import (
    USCC_ALPHABET,
    organization_code_check_digit,
    uscc_check_character,
    validate_office_codes,
    validate_pct_number,
    validate_uscc,
    validate_wo_number,
)
from tests.factories import make_uscc

# Published codes of well-known companies (from their business licences).
REAL_USCC = {
    "91330100716105852F": "Alibaba (China) Co., Ltd.",
    "914403001922038216": "Huawei Technologies Co., Ltd.",
    "91110000802100433B": "Baidu Online Network Technology (Beijing) Co., Ltd.",
    "91440300708461136T": "Shenzhen Tencent Computer Systems Co., Ltd.",
    "91520000214434146R": "Kweichow Moutai Co., Ltd.",
    "91110108551385082Q": "Xiaomi Technology Co., Ltd.",
}


@pytest.mark.parametrize("code", list(REAL_USCC))
def test_real_codes_accepted(code):
    validate_uscc(code)
    assert uscc_check_character(code[:17]) == code[17]
    assert organization_code_check_digit(code[8:16]) == code[16]


@pytest.mark.parametrize("code", list(REAL_USCC))
def test_lowercase_and_spaces_accepted(code):
    validate_uscc(f"  {code.lower()} ")


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(REAL_USCC))
def test_form_normalises_lowercase(code):
    form = EnterpriseForm(
        data={
            "name_zh": REAL_USCC[code],
            "uscc": code.lower(),
            "registration_type": "private",
            "industry_group": "electronic_information",
            "province": "北京",
            "city": "北京",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == code
    assert form.instance.uscc == code


@pytest.mark.django_db
def test_lowercase_through_the_register_view_is_stored_uppercase(client_a):
    data = {
        "name_zh": "小米科技有限责任公司",
        "uscc": "91110108551385082q",
        "registration_type": "llc",
        "industry_group": "electronic_information",
        "province": "北京",
        "city": "北京",
    }
    assert client_a.post(reverse("enterprises:register"), data).status_code == 302
    assert Enterprise.objects.filter(uscc="91110108551385082Q").exists()


def _one_changed(code: str):
    """Every code with exactly one character replaced by another character of the alphabet (same place)."""
    for position in range(18):
        for character in USCC_ALPHABET:
            if character != code[position]:
                yield code[:position] + character + code[position + 1 :]


def _invalid(code: str) -> bool:
    try:
        validate_uscc(code)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("code", list(REAL_USCC))
def test_every_single_character_change_rejected(code):
    """The mod-31 check character catches every single substitution (31 is prime)."""
    changed = [candidate for candidate in _one_changed(code) if not _invalid(candidate)]
    assert changed == []


@pytest.mark.parametrize("code", list(REAL_USCC))
def test_adjacent_swaps_rejected(code):
    for position in range(17):
        a, b = code[position], code[position + 1]
        if a == b:
            continue
        swapped = code[:position] + b + a + code[position + 2 :]
        assert _invalid(swapped), swapped


@pytest.mark.parametrize(
    "code",
    [
        "",
        "9133010071610585",
        "91330100716105852",
        "91330100716105852FF",
        "91330100716105852F0",
        "91330100-716105852F",
        "\uff19\uff11\uff13\uff13\uff10\uff11\uff10\uff10716105852F",  # full-width digits
    ],
)
def test_wrong_length_or_shape_rejected(code):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == "uscc_format"


@pytest.mark.parametrize("letter", "IOSVZ")
def test_letters_outside_the_alphabet_rejected(letter):
    code = "91330100716105852F"
    for position in (0, 1, 17):
        with pytest.raises(ValidationError):
            validate_uscc(code[:position] + letter + code[position + 1 :])


def test_region_code_must_be_digits():
    code = make_uscc(12345678, region="11010A")
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == "uscc_format"


def test_organization_code_check_digit_alone_is_checked():
    # A code whose 18th character is right but whose GB 11714 digit (17th) is wrong.
    code = "91330100716105853"
    code += uscc_check_character(code)
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == "uscc_organization_code"


def test_check_character_code():
    with pytest.raises(ValidationError) as error:
        validate_uscc("91330100716105852G")
    assert error.value.code == "uscc_check"


@pytest.mark.parametrize(
    ("first8", "digit"),
    [("71610585", "2"), ("19220382", "1"), ("80210043", "3"), ("70846113", "6"), ("D2143414", None)],
)
def test_organization_code_check_digit(first8, digit):
    result = organization_code_check_digit(first8)
    assert result in "0123456789X"
    if digit is not None:
        assert result == digit


def test_organization_code_check_digit_x_and_zero():
    """11 - (sum mod 11) gives 10 → X and 11 → 0."""
    results = {organization_code_check_digit(f"{n:08d}") for n in range(2000)}
    assert {"X", "0"} <= results


@pytest.mark.parametrize("serial", [0, 1, 7, 99_999_999, 12_345_678, 55_555_555])
def test_factory_codes_valid(serial):
    validate_uscc(make_uscc(serial))


def test_validate_uscc_is_a_stable_interface():
    """DESIGN §7: raises Django's ValidationError for an invalid USCC and returns None for a valid one."""
    assert validate_uscc("91330100716105852F") is None
    with pytest.raises(ValidationError):
        validate_uscc(None)


# --- PCT and WO numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["PCT/CN2014/000123", "PCT/US2009/999999", "PCT/EP2020/000001", "PCT/IB2013/050505"])
def test_pct_numbers_accepted(number):
    validate_pct_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "",
        "PCT/CN14/000123",
        "PCT/CN2014/00123",
        "PCT/CN2014/0001234",
        "PCT/cn2014/000123",
        "PCT CN2014 000123",
        "WO 2014/000123",
        "PCT/CN2014/000123 ",
        "PCT/C2014/000123",
        "PCT/CNN2014/000123",
    ],
)
def test_pct_numbers_rejected(number):
    with pytest.raises(ValidationError):
        validate_pct_number(number)


@pytest.mark.parametrize("number", ["WO 2015/012345", "WO2015/012345"])
def test_wo_numbers_accepted(number):
    validate_wo_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "WO 15/012345",
        "WO 2015/12345",
        "WO-2015/012345",
        "EP 2015/012345",
        "wo 2015/012345",
        "WO 2015/0123456",
        "WO  2015/012345",
    ],
)
def test_wo_numbers_rejected(number):
    with pytest.raises(ValidationError):
        validate_wo_number(number)


@pytest.mark.parametrize("codes", [[], ["US"], ["US", "EP", "JP"]])
def test_office_codes_accepted(codes):
    validate_office_codes(codes)


@pytest.mark.parametrize("codes", [["USA"], ["us"], [1], "US", ["U S"], None])
def test_office_codes_rejected(codes):
    with pytest.raises(ValidationError):
        validate_office_codes(codes)


@pytest.mark.parametrize(("region", "code"), [("110108", "10000001"), ("999998", "00000042"), ("440300", "MA5FXXXX")])
def test_build_uscc_makes_codes_the_validator_accepts(region, code):
    from enterprises.validators import build_uscc

    uscc = build_uscc(region, code)
    assert uscc[:16] == "91" + region + code and len(uscc) == 18
    validate_uscc(uscc)
