from notifications.selectors import unread_count


def unread(request) -> dict:
    """The unread count in the navigation (lazy: one COUNT only on pages that show it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
