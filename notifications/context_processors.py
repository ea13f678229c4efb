def unread(request) -> dict:
    """The unread count in the navigation: a counter on the user row, so no query of its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.unread_notifications}
