"""One valid API record per kind, and bad records with the field each must be refused on."""

VALID = {
    "annual-reports": {
        "year": 2014,
        "currency": "CNY",
        "revenue_total": "50000000.00",
        "revenue_foreign": "12000000.00",
        "assets_total": "80000000",
        "assets_foreign": "5000000",
        "employees_total": 200,
        "employees_foreign": 12,
        "imports_total": "3000000.50",
        "domestic_scope": "national",
    },
    "exports": {"year": 2014, "destination": "US", "channel": "agent", "currency": "USD", "value": "1000000.00"},
    "establishments": {
        "country": "DE",
        "city": "Berlin",
        "kind": "sales",
        "ownership_pct": "100",
        "opened": "2012-03-01",
        "closed": None,
        "employees": 8,
    },
    "pct-applications": {
        "number": "PCT/CN2014/000123",
        "filed": "2014-05-20",
        "title": "Method and device for signal processing",
        "publication_number": "",
        "national_phase": ["US", "EP"],
    },
    "certifications": {
        "scheme": "CE",
        "scheme_other": "",
        "number": "CE-000001",
        "issuer": "TÜV SÜD",
        "target_market": "DE",
        "issued": "2013-01-15",
        "expires": "2018-01-14",
    },
    "publications": {
        "title": "Low-power networks",
        "venue": "IEEE Communications Magazine",
        "country": "US",
        "year": 2014,
    },
    "expenses": {
        "category": "exhibition",
        "description": "Booth at a trade fair",
        "currency": "CNY",
        "amount": "20000.00",
        "date": "2014-04-10",
        "provider": "Messe Frankfurt",
    },
}

#: kind → [(changes to the valid record, the field named in the error)]: the site's rules, among them one
#: case for every check constraint of the models (the API relies on their validators and clean() mirroring them)
BAD = {
    "annual-reports": [
        ({"revenue_foreign": "60000000"}, "revenue_foreign"),
        ({"employees_foreign": 201}, "employees_foreign"),
        ({"assets_foreign": "80000001"}, "assets_foreign"),
        ({"year": 1900}, "year"),
        ({"currency": "XYZ"}, "currency"),
        ({"imports_total": "-1"}, "imports_total"),
        ({"revenue_total": "1.234"}, "revenue_total"),
        ({"domestic_scope": "galactic"}, "domestic_scope"),
        ({"year": "twenty"}, "year"),
    ],
    "exports": [
        ({"value": "-1"}, "value"),
        ({"destination": "XX"}, "destination"),
        ({"channel": "pigeon"}, "channel"),
        ({"year": None}, "year"),
    ],
    "establishments": [
        ({"closed": "2011-01-01"}, "closed"),
        ({"ownership_pct": "0"}, "ownership_pct"),
        ({"opened": "2012-02-30"}, "opened"),
        ({"city": ""}, "city"),
    ],
    "pct-applications": [
        ({"number": "PCT/CN2013/000123"}, "number"),
        ({"number": "12345"}, "number"),
        ({"national_phase": ["USA"]}, "national_phase"),
        ({"publication_number": "WO-1"}, "publication_number"),
    ],
    "certifications": [
        ({"scheme": "other", "scheme_other": ""}, "scheme_other"),
        ({"expires": "2012-01-01"}, "expires"),
        ({"target_market": "ZZ"}, "target_market"),
    ],
    "publications": [
        ({"year": 1900}, "year"),
        ({"country": ""}, "country"),
        ({"title": "x" * 301}, "title"),
    ],
    "expenses": [
        ({"amount": "-5"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"category": "lunch"}, "category"),
        ({"date": "yesterday"}, "date"),
    ],
}

#: kind → changes giving a valid record another upsert key than VALID's
OTHER_KEY = {
    "annual-reports": {"year": 2013},
    "exports": {"destination": "JP"},
    "establishments": {"city": "Munich"},
    "pct-applications": {"number": "PCT/CN2014/000999"},
    "certifications": {"number": "CE-000002"},
    "publications": {"title": "Another paper"},
    "expenses": {"amount": "30000.00"},
}
