#!/usr/bin/env python3
"""Oracle: Django's own MultiPartParser (Debian python3-django) on the multipart bodies given on
stdin, one JSON object per line {"content_type": ..., "body": base64}; prints one JSON line per
body: {"fields": [[name, base64 value]...], "files": [[name, filename, content type, base64
content]...]} in the body's order, or {"error": "<exception class>"}. Exits 77 without Django."""
import base64
import io
import json
import sys

try:
    import django
    from django.conf import settings
except ImportError:
    sys.exit(77)

settings.configure(DATA_UPLOAD_MAX_NUMBER_FIELDS=1000, DATA_UPLOAD_MAX_NUMBER_FILES=100,
                   DATA_UPLOAD_MAX_MEMORY_SIZE=2621440, FILE_UPLOAD_MAX_MEMORY_SIZE=2621440,
                   DEFAULT_CHARSET="utf-8")
django.setup()
from django.core.files.uploadhandler import MemoryFileUploadHandler  # noqa: E402
from django.http.multipartparser import MultiPartParser  # noqa: E402


def b64(data):
    return base64.b64encode(data if isinstance(data, bytes) else data.encode("utf-8")).decode()


for line in sys.stdin:
    case = json.loads(line)
    body = base64.b64decode(case["body"])
    meta = {"CONTENT_TYPE": case["content_type"], "CONTENT_LENGTH": str(len(body))}
    try:
        post, files = MultiPartParser(meta, io.BytesIO(body), [MemoryFileUploadHandler()], "utf-8").parse()
        fields = [[k, b64(v)] for k, values in post.lists() for v in values]
        uploaded = [[k, f.name, f.content_type or "", b64(f.read())] for k, fs in files.lists() for f in fs]
        print(json.dumps({"fields": fields, "files": uploaded}))
    except Exception as e:  # noqa: BLE001 - the class is the answer
        print(json.dumps({"error": type(e).__name__}))
