"""The reconfirmation link from the mail (without logging in): confirm the next period or release the dates."""

from django.core import signing
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import reconfirm
from .models import BookingSeries


@require_http_methods(["GET", "POST"])
def series_reconfirm(request, token):
    """Shows the dates asked about with 'confirm' and 'release'. A replay (the period was confirmed or released
    meanwhile) changes nothing and says so; a changed link is refused, an old one has expired."""
    try:
        series, until = reconfirm.series_from_token(token)
    except signing.SignatureExpired:
        return render(request, "rooms/series_reconfirm.html", {"state": "link_expired"}, status=410)
    except (signing.BadSignature, BookingSeries.DoesNotExist):
        return render(request, "rooms/series_reconfirm.html", {"state": "invalid"}, status=404)
    open_period = not series.released_at and reconfirm.period_end(series).isoformat() == until
    state = "open" if open_period else "done"
    if request.method == "POST" and open_period:
        if request.POST.get("answer") == "confirm" and reconfirm.confirm(series=series, until=until):
            state = "confirmed"
        elif request.POST.get("answer") == "release":
            reconfirm.release(series=series, until=until, by=series.booked_by)
            state = "released"
        series.refresh_from_db()
    context = {
        "state": state,
        "series": series,
        "dates": list(reconfirm.unconfirmed_dates(series)) if state == "open" else [],
        "period_end": reconfirm.period_end(series),
    }
    return render(request, "rooms/series_reconfirm.html", context)
