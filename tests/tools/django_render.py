#!/usr/bin/python3
"""Oracle for the template engine: renders every corpus template with Django 3.2.

Usage: /usr/bin/python3 tests/tools/django_render.py CORPUS_DIR OUT_DIR

For each CORPUS_DIR/NAME.html (not starting with '_', not in sub-folders) with its context
CORPUS_DIR/NAME.json, writes OUT_DIR/NAME.out (the rendered bytes) or OUT_DIR/NAME.err (the
exception class and message) when Django raises. All in one process: Django starts slowly.

Context JSON conventions (shared with templates::value_from_json):
  {"$datetime": "2024-03-05T14:07:09Z"}  -> aware datetime in UTC
  {"$safe": "<b>x</b>"}                  -> mark_safe("<b>x</b>")
"""
import datetime
import json
import os
import sys

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

# Route names the corpus reverses; mirrors render_routes() in src/cli/render_command.cpp.
def _view(request, **kwargs):
    return HttpResponse('')

urlpatterns = [
    path('', _view, name='home'),
    path('ping/', _view, name='ping'),
    path('fortunes/<int:id>/', _view, name='fortune'),
    path('fortunes/', _view, name='fortune_list'),
    path('articles/<int:year>/<slug:slug>/', _view, name='article'),
    path('search/<str:term>/', _view, name='search'),
]


def decode(value):
    from django.utils.safestring import mark_safe
    if isinstance(value, dict):
        if len(value) == 1 and '$datetime' in value:
            text = value['$datetime'].replace('Z', '+00:00')
            dt = datetime.datetime.fromisoformat(text)
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=datetime.timezone.utc)
            return dt.astimezone(datetime.timezone.utc)
        if len(value) == 1 and '$safe' in value:
            return mark_safe(value['$safe'])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def case_names(corpus):
    return sorted(f[:-5] for f in os.listdir(corpus)
                  if f.endswith('.html') and not f.startswith('_')
                  and os.path.isfile(os.path.join(corpus, f)))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    corpus, out_dir = (os.path.abspath(a) for a in sys.argv[1:])
    settings.configure(
        DEBUG=False,
        SECRET_KEY='corpus',
        USE_TZ=True,
        TIME_ZONE='UTC',
        STATIC_URL='/static/',
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        TEMPLATES=[{
            'BACKEND': 'django.template.backends.django.DjangoTemplates',
            'DIRS': [corpus],
        }],
    )
    django.setup()
    from django.template.loader import get_template

    os.makedirs(out_dir, exist_ok=True)
    for name in case_names(corpus):
        context_path = os.path.join(corpus, name + '.json')
        context = {}
        if os.path.exists(context_path):
            with open(context_path, encoding='utf-8') as f:
                context = decode(json.load(f))
        try:
            output = get_template(name + '.html').render(context)
        except Exception as e:  # the differential test only checks that both sides fail
            with open(os.path.join(out_dir, name + '.err'), 'w', encoding='utf-8') as f:
                f.write('%s: %s\n' % (type(e).__name__, e))
            continue
        with open(os.path.join(out_dir, name + '.out'), 'wb') as f:
            f.write(output.encode('utf-8'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
