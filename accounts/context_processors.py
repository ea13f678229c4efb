def roles(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "is_officer": authenticated and user.is_officer,
        "is_administrator": authenticated and user.is_administrator,
    }
