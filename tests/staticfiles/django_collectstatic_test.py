#!/usr/bin/python3
"""Differential test: our collectstatic against Django 3.2's ManifestStaticFilesStorage.

Builds a tree of static files (CSS with url() to images, nested @import, fonts with ?#iefix and
#fragment, data: URIs, absolute URLs, names with spaces and accents, a second folder whose
duplicate must lose), collects it with Django (tests/tools/django_collectstatic.py) and with our
tool, then compares the manifest's paths and the bytes of every hashed file.
Prints "N passed, N failed"; exits 1 on any failure.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DJANGO = os.path.join(HERE, "..", "tools", "django_collectstatic.py")

PNG = bytes(range(256)) * 3
TREE = {
    "one/css/site.css": (
        '@import "base.css";\n'
        "@import url(\"theme/dark.css\");\n"
        "@IMPORT 'theme/dark.css' screen;\n"
        "body { background: url(../img/bg.jpg) no-repeat; }\n"
        ".logo { background-image: url('../img/logo.png'); }\n"
        ".spaced { background: url(\"  ../img/a b.png\"); }\n"
        ".trailing { background: url(  ../img/bg.jpg  ); }\n"
        ".encoded { background: URL(../img/a%20b.png); }\n"
        ".accent { background: url(../img/caf\u00e9.png); }\n"
        ".data { background: url(data:image/png;base64,iVBORw0KGgo=); }\n"
        ".svgdata { background: url('data:image/svg+xml;charset=utf8,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27%3E%3C/svg%3E'); }\n"
        ".abs { background: url(http://example.com/x.png); }\n"
        ".https { background: url(\"https://example.com/y.png?z=1\"); }\n"
        ".proto { background: url(//cdn.example.com/z.png); }\n"
        ".media { background: url(/media/m.png); }\n"
        ".ours { background: url(/static/img/logo.png); }\n"
        ".filter { filter: url(#blur); }\n"
        ".folder { background: url(../img/); }\n"
        ".query { background: url(../img/logo.png?v=3); }\n"
        "@font-face {\n"
        "  font-family: 'F';\n"
        "  src: url('../fonts/f.eot');\n"
        "  src: url('../fonts/f.eot?#iefix') format('embedded-opentype'),\n"
        "       url(../fonts/f.woff2#frag) format('woff2'),\n"
        "       url(\"../fonts/f.svg?v=1#icon\") format('svg');\n"
        "}\n"
        "/* url(../img/logo.png) in a comment is rewritten too */\n"
        "@import url(/static/css/plain.css);\n"
        ".versioned { background: url(theme/dark.css?v=2); }\n"
    ),
    "one/css/base.css": "@import 'theme/dark.css';\nh1 { background: url(../img/bg.jpg); }\n",
    "one/css/theme/dark.css": (
        "@import \"../deep/deeper.css\";\n"
        "body { background: url(../../img/logo.png); color: #eee; }\n"
    ),
    "one/css/deep/deeper.css": "p { background: url('../../fonts/f.woff2'); }\n",
    "one/css/plain.css": "p { color: red; }\n",
    "one/img/logo.png": PNG,
    "one/img/bg.jpg": PNG[::-1],
    "one/img/a b.png": b"\x89PNG spaced",
    "one/img/caf\u00e9.png": b"\x89PNG accent",
    "one/fonts/f.eot": b"eot-font-bytes",
    "one/fonts/f.woff2": b"woff2-font-bytes",
    "one/fonts/f.svg": "<svg xmlns='http://www.w3.org/2000/svg'></svg>\n",
    "one/js/app.js": "console.log('one');\n",
    "one/LICENSE": "no extension\n",
    "one/archive.tar.gz": b"\x1f\x8b fake gzip",
    "one/a/b/c/d.txt": "deep file\n",
    "one/.hidden": "ignored\n",
    "one/notes.txt~": "ignored\n",
    # Corner cases of Django's regexes and URL handling, at the root and one level down.
    "one/root.css": 'a{b:url()}\na{b:url(\'\')}\na{b:Url(./img/logo.png)}\na{b:url(img/./logo.png)}\na{b:url(/static/sub/../img/logo.png)}\na{b:url("sub/dir x/b.png")}\na{b:url(sub/dir%20x/b.png#x?y)}\na{b:url(img/logo.png?#)}\na{b:url(img/logo.png?a=1&b=2#c)}\n@import url(sub/one.css) screen;\n@import"sub/one.css";\n@import   \'sub/one.css\'  ;\na{b:url(img/logo.png)}x{y:url(img/logo.png)}\na{b:url(  img/logo.png  )}\na{b:url(img/logo.png)}/* ) */\na{c:url(\'img/logo.png\'}\n',
    "one/sub/dir x/b.png": b"X",
    "one/sub/one.css": '@import "two.css";\n',
    "one/sub/two.css": '@import "three.css";\n',
    "one/sub/three.css": '@import "four.css";\n',
    "one/sub/four.css": "q{r:url(../img/logo.png)}\n",
    "one/sub/dots.css": 'a{b:url(..)}\na{b:url(sub/..)}\na{b:url(../img)}\na{b:url(dir%20x/)}\na{b:url(../img/logo.png?#)}\n',
    "two/js/app.js": "console.log('two: shadowed');\n",
    "two/js/extra.js": "console.log('extra');\n",
    "two/css/other.css": "@import '../css/site.css';\ndiv { background: url('../img/logo.png'); }\n",
}


def build_tree(base):
    for rel, content in TREE.items():
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
    return [os.path.join(base, "one"), os.path.join(base, "two")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True, help="collectstatic_tool")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="mysite-collectstatic-oracle-")
    dirs = build_tree(os.path.join(tmp, "src"))
    django_root = os.path.join(tmp, "django")
    ours_root = os.path.join(tmp, "ours")
    subprocess.run(["/usr/bin/python3", DJANGO, "--quiet", "--root", django_root] + dirs, check=True)
    subprocess.run([args.tool, "--root", ours_root] + dirs, check=True, stdout=subprocess.DEVNULL)

    with open(os.path.join(django_root, "staticfiles.json")) as f:
        django_manifest = json.load(f)
    with open(os.path.join(ours_root, "staticfiles.json")) as f:
        ours_manifest = json.load(f)

    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL", what)

    check(ours_manifest.get("version") == django_manifest.get("version"), "manifest version")
    dpaths, opaths = django_manifest["paths"], ours_manifest["paths"]
    check(sorted(dpaths) == sorted(opaths),
          "manifest names: only Django %s, only ours %s" % (sorted(set(dpaths) - set(opaths)),
                                                           sorted(set(opaths) - set(dpaths))))
    for name in sorted(dpaths):
        check(opaths.get(name) == dpaths[name],
              "hashed name of %s: django %s, ours %s" % (name, dpaths[name], opaths.get(name)))
        with open(os.path.join(django_root, dpaths[name]), "rb") as f:
            expected = f.read()
        try:
            with open(os.path.join(ours_root, dpaths[name]), "rb") as f:
                actual = f.read()
        except OSError as e:
            actual = repr(e).encode()
        check(actual == expected, "bytes of %s:\n--- django\n%s\n--- ours\n%s" % (
            dpaths[name], expected.decode("utf-8", "replace"), actual.decode("utf-8", "replace")))
        with open(os.path.join(ours_root, name), "rb") as f:
            plain = f.read()
        with open(os.path.join(django_root, name), "rb") as f:
            check(plain == f.read(), "plain copy of %s" % name)

    # Both refuse a CSS reference to a missing file, and a cycle of @imports.
    for case, files in (("missing", {"css/x.css": "a{b:url(missing.png)}"}),
                        ("cycle", {"a.css": "@import 'b.css';", "b.css": "@import 'a.css';"})):
        bad = os.path.join(tmp, "bad-" + case)
        for rel, content in files.items():
            os.makedirs(os.path.dirname(os.path.join(bad, rel)), exist_ok=True)
            with open(os.path.join(bad, rel), "w") as f:
                f.write(content)
        theirs = subprocess.run(["/usr/bin/python3", DJANGO, "--quiet", "--root", bad + "-django", bad],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        ours = subprocess.run([args.tool, "--root", bad + "-ours", bad],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        check(theirs != 0 and ours != 0, "%s reference: django exit %d, ours exit %d" % (case, theirs, ours))
        check(not os.path.exists(os.path.join(bad + "-ours", "staticfiles.json")),
              "%s reference: ours wrote a manifest" % case)

    print("%d passed, %d failed" % (passed, failed))
    if not args.keep and failed == 0:
        subprocess.run(["rm", "-rf", tmp])
    else:
        print("files kept in", tmp)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
