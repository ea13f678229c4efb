"""Display names of the regions of regional statistics (stored by their English name, e.g. "Beijing")."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: China's provincial-level divisions; a region not listed shows as stored
REGION_NAMES = {
    "Beijing": _("Beijing"),
    "Tianjin": _("Tianjin"),
    "Hebei": _("Hebei"),
    "Shanxi": _("Shanxi"),
    "Inner Mongolia": _("Inner Mongolia"),
    "Liaoning": _("Liaoning"),
    "Jilin": _("Jilin"),
    "Heilongjiang": _("Heilongjiang"),
    "Shanghai": _("Shanghai"),
    "Jiangsu": _("Jiangsu"),
    "Zhejiang": _("Zhejiang"),
    "Anhui": _("Anhui"),
    "Fujian": _("Fujian"),
    "Jiangxi": _("Jiangxi"),
    "Shandong": _("Shandong"),
    "Henan": _("Henan"),
    "Hubei": _("Hubei"),
    "Hunan": _("Hunan"),
    "Guangdong": _("Guangdong"),
    "Guangxi": _("Guangxi"),
    "Hainan": _("Hainan"),
    "Chongqing": _("Chongqing"),
    "Sichuan": _("Sichuan"),
    "Guizhou": _("Guizhou"),
    "Yunnan": _("Yunnan"),
    "Tibet": _("Tibet"),
    "Shaanxi": _("Shaanxi"),
    "Gansu": _("Gansu"),
    "Qinghai": _("Qinghai"),
    "Ningxia": _("Ningxia"),
    "Xinjiang": _("Xinjiang"),
    "Hong Kong": _("Hong Kong"),
    "Macau": _("Macau"),
    "Taiwan": _("Taiwan"),
}


def region_label(name: str) -> str:
    return gettext(REGION_NAMES[name]) if name in REGION_NAMES else name
