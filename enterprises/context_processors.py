from enterprises.records import RECORD_KINDS


def record_kinds(request):
    return {"record_kinds": RECORD_KINDS.values()}
