#!/usr/bin/env bash
# Re-extract every marked string into web/translations/messages.pot and merge it
# into the Urdu catalogue (created on first run). Then translate the new or
# changed entries in web/translations/ur/LC_MESSAGES/messages.po (no "fuzzy",
# keep %(name)s placeholders) and run: .venv/bin/pytest tests/web/test_i18n.py
#
# The app compiles .po -> .mo itself at start (web/translations.py); --check
# here only validates that the catalogue compiles.
set -euo pipefail

cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
[ -x "$PYBABEL" ] || PYBABEL=pybabel

POT=web/translations/messages.pot
DIR=web/translations
LOCALES=(ur)

"$PYBABEL" extract \
    -F babel.cfg \
    -k _l -k lazy_gettext \
    --ignore-dirs '.* ._ __pycache__ var bench tests node_modules' \
    --project Mizan --version "$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)" \
    --copyright-holder 'Sindh Prosecution Department' \
    --msgid-bugs-address '' \
    --sort-by-file \
    -o "$POT" \
    .

for lang in "${LOCALES[@]}"; do
    po="$DIR/$lang/LC_MESSAGES/messages.po"
    if [ -f "$po" ]; then
        # No fuzzy guesses: a new msgid stays untranslated until someone translates it.
        "$PYBABEL" update -i "$POT" -d "$DIR" -l "$lang" \
            --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
    else
        "$PYBABEL" init -i "$POT" -d "$DIR" -l "$lang"
    fi
done

# Report untranslated entries and make sure the catalogues compile (to a throwaway file).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for lang in "${LOCALES[@]}"; do
    "$PYBABEL" compile --statistics -l "$lang" -D messages \
        -i "$DIR/$lang/LC_MESSAGES/messages.po" -o "$tmp/$lang.mo"
done
