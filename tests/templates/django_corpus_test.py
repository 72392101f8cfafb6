#!/usr/bin/python3
"""Differential test: every corpus template must render byte for byte as Django 3.2 renders it.

Usage: /usr/bin/python3 django_corpus_test.py --tool RENDER_COMMAND... [--corpus DIR]

RENDER_COMMAND takes `NAME --dir DIR --context @FILE` (template_render_tool, or `mysite render`).
Cases named error_* must fail in both engines. The corpus must also use every filter and tag the
engine promises. Prints a unified diff per mismatch and a final line `N passed, N failed`;
exits 1 on any failure.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, '..', 'tools', 'django_render.py')

# The subset the engine promises; each must appear in a corpus case that is not an error case.
REQUIRED_FILTERS = (
    'escape safe default default_if_none length upper lower title capfirst truncatechars '
    'truncatewords linebreaksbr join yesno pluralize urlencode date floatformat add first last '
    'slice striptags addslashes cut center ljust rjust wordcount force_escape phone2numeric '
    'escapejs linenumbers iriencode make_list safeseq divisibleby get_digit filesizeformat '
    'dictsort dictsortreversed linebreaks unordered_list stringformat wordwrap json_script '
    'random urlize urlizetrunc truncatechars_html truncatewords_html timesince timeuntil time '
    'slugify localize unlocalize').split()
REQUIRED_TAGS = (
    'extends block include if elif else for empty with comment load static url csrf_token '
    'autoescape spaceless now cycle firstof verbatim templatetag widthratio ifchanged '
    'resetcycle filter regroup lorem get_static_prefix trans translate blocktrans blocktranslate '
    'language get_current_language get_current_language_bidi cache localize').split()


def missing_coverage(corpus):
    sources = []
    for root, _, files in os.walk(corpus):
        for f in files:
            if f.endswith('.html') and not f.startswith('error_'):
                with open(os.path.join(root, f), encoding='utf-8') as fh:
                    sources.append(fh.read())
    text = '\n'.join(sources)
    missing = [f for f in REQUIRED_FILTERS if not re.search(r'\|\s*%s\b' % f, text)]
    missing += ['{%% %s %%}' % t for t in REQUIRED_TAGS if not re.search(r'{%%\s*%s\b' % t, text)]
    if '{#' not in text:
        missing.append('{# #}')
    return missing


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--tool', required=True, nargs='+',
                        help='render command, e.g. path/to/template_render_tool or mysite render')
    parser.add_argument('--corpus', default=os.path.join(HERE, 'corpus'))
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)

    with tempfile.TemporaryDirectory() as django_out:
        subprocess.run(['/usr/bin/python3', ORACLE, corpus, django_out], check=True)
        names = sorted(f[:-5] for f in os.listdir(corpus)
                       if f.endswith('.html') and not f.startswith('_')
                       and os.path.isfile(os.path.join(corpus, f)))
        passed = failed = 0
        for name in names:
            context = os.path.join(corpus, name + '.json')
            cmd = list(args.tool) + [name + '.html', '--dir', corpus]
            if os.path.exists(context):
                cmd += ['--context', '@' + context]
            ours = subprocess.run(cmd, capture_output=True)
            expected_path = os.path.join(django_out, name + '.out')
            django_failed = not os.path.exists(expected_path)
            if name.startswith('error_') or django_failed:
                if django_failed and ours.returncode != 0 and name.startswith('error_'):
                    passed += 1
                    continue
                failed += 1
                print('FAIL %s: Django %s, ours exit %d: %s' % (
                    name, 'failed' if django_failed else 'rendered', ours.returncode,
                    ours.stderr.decode('utf-8', 'replace').strip()))
                if django_failed:
                    with open(os.path.join(django_out, name + '.err'), encoding='utf-8') as f:
                        print('  Django: ' + f.read().strip())
                continue
            with open(expected_path, 'rb') as f:
                expected = f.read()
            if ours.returncode == 0 and ours.stdout == expected:
                passed += 1
                continue
            failed += 1
            print('FAIL %s (exit %d) %s' % (name, ours.returncode,
                                            ours.stderr.decode('utf-8', 'replace').strip()))
            diff = difflib.unified_diff(
                expected.decode('utf-8', 'replace').splitlines(keepends=True),
                ours.stdout.decode('utf-8', 'replace').splitlines(keepends=True),
                fromfile=name + ' (django)', tofile=name + ' (ours)')
            sys.stdout.writelines(line if line.endswith('\n') else line + '\n' for line in diff)
        missing = missing_coverage(corpus)
        if missing:
            failed += 1
            print('FAIL coverage: no corpus case uses ' + ', '.join(missing))
        print('%d passed, %d failed' % (passed, failed))
        return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
