from django_countries import countries

from zone.regions import COUNTRY_REGION, Region, region_for


def test_every_country_has_a_region():
    missing = [country.code for country in countries if country.code not in COUNTRY_REGION]
    assert missing == []


def test_each_country_in_one_region():
    from zone.regions import _MEMBERS

    codes = [code for members in _MEMBERS.values() for code in members.split()]
    assert len(codes) == len(set(codes))


def test_paper_markets():
    assert region_for("US") == Region.NORTH_AMERICA
    assert region_for("jp") == Region.JAPAN
    assert {region_for(code) for code in ("HK", "MO", "TW")} == {Region.HMT}
    assert region_for("KR") == Region.KOREA
    assert region_for("SG") == Region.SOUTHEAST_ASIA
    assert region_for("IN") == Region.SOUTH_ASIA
    assert region_for("AU") == Region.OCEANIA
    assert region_for("RU") == Region.RUSSIA_CENTRAL_ASIA
    assert region_for("BR") == Region.LATIN_AMERICA
    assert region_for("SA") == Region.MIDDLE_EAST
    assert region_for("NG") == Region.AFRICA
    assert region_for("MN") == Region.OTHER_ASIA
    assert region_for("DE") == Region.EUROPE
    assert region_for("") == Region.OTHER and region_for("ZZ") == Region.OTHER
