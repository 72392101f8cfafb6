from django.http import HttpResponse
from django.shortcuts import render

from .models import Fortune


def ping(request):
    return HttpResponse("pong", content_type="text/plain")


def home(request):
    return render(request, "home.html")


def fortunes(request):
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message="Additional fortune added at request time."))
    rows.sort(key=lambda f: f.message)
    return render(request, "fortunes.html", {"fortunes": rows})
