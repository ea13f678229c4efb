from django.shortcuts import redirect, render

from enterprises.selectors import enterprises_for


def home(request):
    """Anonymous visitors see the landing page; signed-in users go to their starting point."""
    user = request.user
    if user.is_authenticated and not (user.is_officer or user.is_administrator):
        if enterprises_for(user).exists():
            return redirect("enterprises:list")
        return redirect("enterprises:register")
    return render(request, "home.html")
