"""Word lists the demo population is drawn from (names, cities, titles, venues, providers)."""

from enterprises.models import CertificationScheme as Scheme
from enterprises.models import ExpenseCategory as Cat
from enterprises.models import IndustryGroup as Ind
from enterprises.models import RegistrationType as Reg

# Brand characters with their pinyin: a firm's brand is two of them (华信 → Huaxin).
BRAND_CHARACTERS = [
    ("华", "hua"), ("中", "zhong"), ("京", "jing"), ("联", "lian"), ("创", "chuang"), ("新", "xin"), ("达", "da"),
    ("通", "tong"), ("宇", "yu"), ("航", "hang"), ("天", "tian"), ("瑞", "rui"), ("博", "bo"), ("凯", "kai"),
    ("恒", "heng"), ("泰", "tai"), ("盛", "sheng"), ("安", "an"), ("易", "yi"), ("智", "zhi"), ("思", "si"),
    ("源", "yuan"), ("明", "ming"), ("光", "guang"), ("星", "xing"), ("海", "hai"), ("峰", "feng"), ("锐", "rui"),
    ("康", "kang"), ("健", "jian"), ("汇", "hui"), ("嘉", "jia"), ("德", "de"), ("鼎", "ding"), ("睿", "rui"),
    ("诚", "cheng"), ("兴", "xing"), ("龙", "long"), ("云", "yun"), ("弘", "hong"), ("立", "li"), ("方", "fang"),
    ("正", "zheng"), ("和", "he"), ("贝", "bei"), ("诺", "nuo"), ("维", "wei"), ("捷", "jie"), ("迅", "xun"),
    ("奥", "ao"), ("普", "pu"), ("晶", "jing"), ("微", "wei"), ("芯", "xin"), ("清", "qing"), ("燕", "yan"),
    ("润", "run"), ("永", "yong"), ("佳", "jia"), ("讯", "xun"), ("图", "tu"), ("腾", "teng"), ("科", "ke"),
]

INDUSTRY_WORDS = {
    Ind.ELECTRONIC_INFORMATION: [("电子", "Electronics"), ("信息技术", "Information Technology"),
                                 ("微电子", "Microelectronics"), ("通信技术", "Communication Technology"),
                                 ("软件", "Software")],
    Ind.BIOPHARMACEUTICAL: [("生物技术", "Biotechnology"), ("医药", "Pharmaceutical"),
                            ("医疗器械", "Medical Devices"), ("生物医药", "Biomedicine")],
    Ind.AEROSPACE: [("航空科技", "Aviation Technology"), ("航天技术", "Aerospace Technology"),
                    ("卫星导航", "Satellite Navigation")],
    Ind.NEW_MATERIALS: [("新材料", "New Materials"), ("材料科技", "Materials Technology"),
                        ("纳米科技", "Nanotechnology")],
    Ind.NEW_ENERGY: [("新能源", "New Energy"), ("光伏科技", "Photovoltaic Technology"),
                     ("电池科技", "Battery Technology"), ("节能科技", "Energy Saving Technology")],
    Ind.HIGH_TECH_SERVICES: [("信息服务", "Information Services"), ("数据科技", "Data Technology"),
                             ("检测技术", "Testing Technology"), ("技术咨询", "Technology Consulting")],
    Ind.ADVANCED_MANUFACTURING: [("智能装备", "Intelligent Equipment"), ("精密机械", "Precision Machinery"),
                                 ("自动化", "Automation"), ("仪器", "Instruments")],
    Ind.OTHER: [("科技", "Technology"), ("科贸", "Science and Trade")],
}

LEGAL_FORMS = {
    Reg.STATE_OWNED: ("总公司", "General Corporation"),
    Reg.COLLECTIVE: ("公司", "Company"),
    Reg.PRIVATE: ("有限公司", "Co., Ltd."),
    Reg.LIMITED_LIABILITY: ("有限公司", "Co., Ltd."),
    Reg.JOINT_STOCK: ("股份有限公司", "Corporation"),
    Reg.JOINT_VENTURE: ("有限公司", "Co., Ltd."),
    Reg.WHOLLY_FOREIGN: ("(中国)有限公司", "(China) Co., Ltd."),
    Reg.HMT: ("有限公司", "Co., Ltd."),
}

# Zhongguancun parks by district (administrative division codes, USCC characters 3-8), weighted.
DISTRICTS = [("110108", 50), ("110105", 9), ("110114", 10), ("110115", 9), ("110106", 7), ("110107", 5),
             ("110112", 3), ("110113", 3), ("110101", 2), ("110102", 2)]

CITIES = {
    "US": ["San Jose", "Seattle", "Boston", "Houston", "New York", "Los Angeles", "Chicago"],
    "CA": ["Toronto", "Vancouver", "Montreal"], "MX": ["Monterrey", "Mexico City", "Guadalajara"],
    "BR": ["São Paulo", "Campinas", "Rio de Janeiro"], "AR": ["Buenos Aires"], "CL": ["Santiago"],
    "CO": ["Bogotá"], "PE": ["Lima"],
    "DE": ["Munich", "Frankfurt am Main", "Düsseldorf", "Hamburg", "Stuttgart", "Berlin"],
    "FR": ["Paris", "Lyon", "Grenoble"], "GB": ["London", "Cambridge", "Manchester"],
    "NL": ["Amsterdam", "Eindhoven", "Rotterdam"], "IT": ["Milan", "Turin"], "ES": ["Madrid", "Barcelona"],
    "SE": ["Stockholm", "Gothenburg"], "PL": ["Warsaw"], "CZ": ["Prague"], "BE": ["Brussels", "Antwerp"],
    "CH": ["Zurich", "Geneva"], "RU": ["Moscow", "Saint Petersburg", "Novosibirsk"],
    "JP": ["Tokyo", "Osaka", "Yokohama", "Nagoya"], "KR": ["Seoul", "Busan"], "HK": ["Hong Kong"],
    "MO": ["Macau"], "TW": ["Taipei", "Hsinchu", "Taichung"], "SG": ["Singapore"],
    "MY": ["Kuala Lumpur", "Penang"], "TH": ["Bangkok"], "VN": ["Ho Chi Minh City", "Hanoi", "Hai Phong"],
    "ID": ["Jakarta", "Surabaya"], "PH": ["Manila"], "MM": ["Yangon"], "KH": ["Phnom Penh"], "LA": ["Vientiane"],
    "BN": ["Bandar Seri Begawan"], "IN": ["Bangalore", "Mumbai", "New Delhi", "Chennai"],
    "AU": ["Sydney", "Melbourne"], "NZ": ["Auckland"], "AE": ["Dubai", "Abu Dhabi"], "SA": ["Riyadh"],
    "TR": ["Istanbul"], "IL": ["Tel Aviv"], "ZA": ["Johannesburg"], "NG": ["Lagos"], "EG": ["Cairo"],
    "KZ": ["Almaty"], "PK": ["Karachi"], "MN": ["Ulaanbaatar"],
}

# Export destinations of the zone with base weights (percent of exports, roughly): Europe, the USA,
# Japan, Hong Kong, Macau and Taiwan lead (reference/paper_facts.md).
DESTINATIONS = {
    "US": 14.0, "HK": 12.0, "JP": 8.0, "DE": 8.0, "KR": 3.5, "TW": 4.5, "NL": 4.0, "GB": 4.5, "FR": 3.5,
    "IT": 2.5, "ES": 1.2, "SE": 0.8, "PL": 0.8, "CZ": 0.5, "BE": 0.8, "CH": 0.7, "RU": 2.0, "MO": 1.5,
    "SG": 2.6, "MY": 1.5, "TH": 1.5, "VN": 1.9, "ID": 1.5, "PH": 0.8, "MM": 0.3, "KH": 0.2, "LA": 0.1,
    "BN": 0.05, "IN": 2.6, "AU": 2.2, "CA": 1.5, "MX": 1.2, "BR": 1.8, "AR": 0.4, "CL": 0.4, "CO": 0.2,
    "PE": 0.2, "AE": 1.2, "SA": 0.8, "TR": 0.6, "IL": 0.4, "ZA": 0.8, "NG": 0.4, "EG": 0.3, "KZ": 0.6,
    "PK": 0.5, "MN": 0.3, "NZ": 0.3,
}
HMT_MARKETS = ("HK", "MO", "TW")
EURO_COUNTRIES = ("DE", "FR", "NL", "IT", "ES", "BE")
LOCAL_CURRENCY = {"US": "USD", "JP": "JPY", "HK": "HKD", **{c: "EUR" for c in EURO_COUNTRIES}}
MANUFACTURING_COUNTRIES = ("VN", "IN", "MX", "US", "DE", "BR", "TH", "ID", "MY", "RU")

PCT_SUBJECTS = {
    Ind.ELECTRONIC_INFORMATION: ["wireless sensor network scheduling", "low-power baseband processing",
                                 "image recognition in video streams", "secure data transmission",
                                 "touch panel signal detection", "distributed storage of log data",
                                 "antenna array calibration", "LED driver circuits"],
    Ind.BIOPHARMACEUTICAL: ["recombinant antibody purification", "sustained-release tablet formulation",
                            "portable blood glucose monitoring", "vaccine adjuvant preparation",
                            "rapid nucleic acid detection", "minimally invasive stent delivery"],
    Ind.AEROSPACE: ["satellite attitude determination", "GNSS signal acquisition", "composite wing spar layup",
                    "UAV flight control", "turbine blade cooling"],
    Ind.NEW_MATERIALS: ["graphene film transfer", "high-strength aluminium alloy casting", "ceramic coating deposition",
                        "rare-earth permanent magnet sintering", "biodegradable polymer blending"],
    Ind.NEW_ENERGY: ["lithium-ion cathode coating", "photovoltaic module encapsulation", "wind turbine pitch control",
                     "battery state-of-charge estimation", "grid-tied inverter synchronisation"],
    Ind.HIGH_TECH_SERVICES: ["cloud resource scheduling", "online payment risk control", "map data compression",
                             "speech recognition of Chinese dialects", "logistics route optimisation"],
    Ind.ADVANCED_MANUFACTURING: ["CNC tool wear compensation", "industrial robot path planning",
                                "laser cladding of shafts", "machine vision inspection", "precision bearing grinding"],
    Ind.OTHER: ["water treatment membranes", "smart card personalisation", "environmental monitoring"],
}
PCT_PREFIXES = ["Method and device for", "System and method for", "Apparatus for", "Method for"]
PCT_OFFICES = [("US", 0.6), ("EP", 0.45), ("JP", 0.3), ("KR", 0.15), ("IN", 0.12), ("AU", 0.08), ("CA", 0.08),
               ("RU", 0.08), ("BR", 0.06)]

CERTIFICATION_SCHEMES = {
    Ind.ELECTRONIC_INFORMATION: [Scheme.CE, Scheme.UL, Scheme.ISO_9001, Scheme.ISO_27001, Scheme.CMMI,
                                 Scheme.ISO_14001],
    Ind.BIOPHARMACEUTICAL: [Scheme.ISO_13485, Scheme.FDA_510K, Scheme.CE, Scheme.GMP_EU, Scheme.ISO_9001],
    Ind.AEROSPACE: [Scheme.ISO_9001, "AS9100", Scheme.ISO_14001],
    Ind.NEW_MATERIALS: [Scheme.ISO_9001, Scheme.ISO_14001, "REACH registration", Scheme.UL],
    Ind.NEW_ENERGY: [Scheme.CE, Scheme.UL, Scheme.ISO_9001, Scheme.ISO_14001, "IEC 61215"],
    Ind.HIGH_TECH_SERVICES: [Scheme.ISO_27001, Scheme.CMMI, Scheme.ISO_9001, "ISO/IEC 20000-1"],
    Ind.ADVANCED_MANUFACTURING: [Scheme.CE, Scheme.ISO_9001, Scheme.ISO_14001, Scheme.UL],
    Ind.OTHER: [Scheme.ISO_9001, Scheme.CE],
}
ISO_ISSUERS = ["SGS", "BSI", "Bureau Veritas", "DNV", "TÜV SÜD", "China Quality Certification Centre"]
CERTIFICATION_ISSUERS = {
    Scheme.CE: ["TÜV SÜD", "TÜV Rheinland", "SGS", "Intertek"], Scheme.FDA_510K: ["U.S. Food and Drug Administration"],
    Scheme.UL: ["UL LLC"], Scheme.CMMI: ["CMMI Institute"], Scheme.GMP_EU: ["EU GMP inspectorate"],
    Scheme.ISO_9001: ISO_ISSUERS, Scheme.ISO_13485: ISO_ISSUERS, Scheme.ISO_14001: ISO_ISSUERS,
    Scheme.ISO_27001: ISO_ISSUERS, Scheme.OTHER: ["SAI Global", "TÜV Rheinland", "Intertek"],
}
CERTIFICATION_TARGET = {Scheme.FDA_510K: "US", Scheme.UL: "US"}
CERTIFICATION_COST = {Scheme.FDA_510K: (120_000, 450_000), Scheme.GMP_EU: (150_000, 500_000),
                      Scheme.CE: (40_000, 220_000), Scheme.UL: (50_000, 250_000), Scheme.CMMI: (150_000, 600_000)}

VENUES = [
    ("IEEE Transactions on Industrial Electronics", "US"), ("IEEE Sensors Journal", "US"),
    ("IEEE International Conference on Communications", "US"), ("Applied Physics Letters", "US"),
    ("Journal of Medicinal Chemistry", "US"), ("Nature Communications", "GB"), ("Acta Astronautica", "GB"),
    ("Journal of Materials Chemistry A", "GB"), ("Medical Engineering & Physics", "GB"),
    ("The International Journal of Advanced Manufacturing Technology", "GB"), ("Biomaterials", "NL"),
    ("Solar Energy Materials and Solar Cells", "NL"), ("Journal of Power Sources", "NL"), ("Sensors", "CH"),
    ("Energies", "CH"), ("Lecture Notes in Computer Science", "DE"), ("European Conference on Computer Vision", "DE"),
    ("Japanese Journal of Applied Physics", "JP"), ("ETRI Journal", "KR"), ("IEEE Access", "US"),
]
PUBLICATION_OPENINGS = ["A study of", "Experimental evaluation of", "Towards", "Design and analysis of",
                        "An improved approach to", "Field results on"]

PROVIDERS = {
    Cat.PATENT_FEES: ["Beijing Huaxia Patent Agency", "Jingcheng IP Law Office", "Sino-Global Patent Attorneys"],
    Cat.ESTABLISHMENT: ["Euro-China Business Services GmbH", "Pacific Corporate Services Ltd.",
                        "Atlas Incorporation Services"],
    Cat.EXHIBITION: ["CeBIT, Hannover", "CES, Las Vegas", "MEDICA, Düsseldorf", "Hannover Messe",
                     "Mobile World Congress, Barcelona", "Computex, Taipei", "Intersolar Europe, Munich",
                     "Hong Kong Electronics Fair", "SEMICON West, San Francisco", "GITEX, Dubai"],
    Cat.TRAINING: ["Zhongguancun International Talent Center", "Export Compliance Training Institute",
                   "Beijing Foreign Trade Academy"],
    Cat.MARKET_RESEARCH: ["Global Market Insight Co.", "Asia Pacific Research Partners", "EuroMarket Analytics"],
    Cat.SERVICES: ["Sino-Euro Legal Consulting", "Pacific Tax Advisory", "Jinghua Law Firm",
                   "Crossborder Consulting Group"],
}
EXPENSE_COST = {Cat.EXHIBITION: (30_000, 400_000), Cat.TRAINING: (5_000, 60_000),
                Cat.MARKET_RESEARCH: (20_000, 300_000), Cat.SERVICES: (10_000, 500_000)}
