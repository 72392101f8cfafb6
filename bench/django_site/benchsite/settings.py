"""Settings of the reference Django site used by `make bench` (not part of the product).

Mirrors mysite's embedded default: DEBUG off, the same templates and the same database, which
`mysite migrate` created (DB_NAME for SQLite; DB_ENGINE=mysql with DB_HOST/DB_PORT/DB_USER/
DB_PASSWORD/DB_NAME[/DB_SSL_CA] for MariaDB).
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "bench-only-not-a-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = ["django.contrib.staticfiles", "benchsite"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "benchsite.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [os.environ.get("MYSITE_TEMPLATES", str(BASE_DIR / "templates"))],
    "APP_DIRS": False,
    "OPTIONS": {"loaders": [("django.template.loaders.cached.Loader",
                             ["django.template.loaders.filesystem.Loader"])]},
}]
if os.environ.get("DB_ENGINE") == "mysql":
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": os.environ["DB_NAME"], "USER": os.environ["DB_USER"],
        "PASSWORD": os.environ.get("DB_PASSWORD", ""), "HOST": os.environ["DB_HOST"],
        "PORT": os.environ.get("DB_PORT", "3306"), "CONN_MAX_AGE": 600,
    }}
    # Over TLS like mysite (DB_SSL_CA), so both sides pay for it equally.
    if os.environ.get("DB_SSL_CA"):
        DATABASES["default"]["OPTIONS"] = {"ssl": {"ca": os.environ["DB_SSL_CA"]}}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DB_NAME"],
                             "CONN_MAX_AGE": 600}}
STATIC_URL = "/static/"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
