"""Destination regions of the statistics page: ISO 3166-1 alpha-2 country → region (data, not code).

Grouping decisions: Hong Kong, Macau and Taiwan form one region (markets of their own, as in the paper's
"Hong Kong, Macau, Taiwan"); Japan and (South) Korea are regions of their own (the paper names them);
Türkiye is counted in the Middle East; the former Soviet Caucasus (Armenia, Azerbaijan, Georgia) with Russia
and Central Asia; Belarus, Ukraine and Moldova in Europe; Mexico, Central America and the Caribbean in
Latin America; North Korea and Mongolia in "Other Asia". Antarctic territories (and any code not listed)
fall into "Other".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    EUROPE = "europe", _("Europe")
    NORTH_AMERICA = "north_america", _("North America")
    LATIN_AMERICA = "latin_america", _("Latin America")
    JAPAN = "japan", _("Japan")
    KOREA = "korea", _("Korea")
    HMT = "hmt", _("Hong Kong/Macau/Taiwan")
    SOUTHEAST_ASIA = "southeast_asia", _("Southeast Asia")
    SOUTH_ASIA = "south_asia", _("South Asia")
    OCEANIA = "oceania", _("Oceania")
    MIDDLE_EAST = "middle_east", _("Middle East")
    AFRICA = "africa", _("Africa")
    RUSSIA_CENTRAL_ASIA = "russia_central_asia", _("Russia/Central Asia")
    OTHER_ASIA = "other_asia", _("Other Asia")
    OTHER = "other", _("Other")


_MEMBERS: dict[Region, str] = {
    Region.EUROPE: (
        "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV "
        "MC MD ME MK MT NL NO PL PT RO RS SE SI SJ SK SM UA VA XK"
    ),
    Region.NORTH_AMERICA: "BM CA GL PM UM US",
    Region.LATIN_AMERICA: (
        "AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GT GY HN HT JM KN KY LC MF MQ MS "
        "MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI"
    ),
    Region.JAPAN: "JP",
    Region.KOREA: "KR",
    Region.HMT: "HK MO TW",
    Region.SOUTHEAST_ASIA: "BN ID KH LA MM MY PH SG TH TL VN",
    Region.SOUTH_ASIA: "AF BD BT IN IO LK MV NP PK",
    Region.OCEANIA: "AS AU CC CK CX FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS",
    Region.MIDDLE_EAST: "AE BH IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    Region.AFRICA: (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU "
        "MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW"
    ),
    Region.RUSSIA_CENTRAL_ASIA: "AM AZ GE KG KZ RU TJ TM UZ",
    Region.OTHER_ASIA: "CN KP MN",
    Region.OTHER: "AQ BV GS HM TF",
}

COUNTRY_REGION: dict[str, Region] = {code: region for region, codes in _MEMBERS.items() for code in codes.split()}


def region_for(country_code: str) -> Region:
    """The destination region of a country code; unknown codes are "Other"."""
    return COUNTRY_REGION.get((country_code or "").upper(), Region.OTHER)
