#!/bin/sh
# Translation workflow.
#   sh scripts/translations.sh extract   re-extract translations/messages.pot from the code
#   sh scripts/translations.sh update    merge the .pot into every translations/<lang>/LC_MESSAGES/messages.po
#   sh scripts/translations.sh init LANG start a new language: its catalog and an empty language.json
#   sh scripts/translations.sh compile   build the .mo files (the install script does this)
#   sh scripts/translations.sh readme    README's list of languages and of those no lawyer has reviewed
set -eu
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
PYTHON=.venv/bin/python

case "${1:-}" in
  extract)
    # No creation date and no source locations: the .pot changes only when a string does.
    $BABEL extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
      --add-comments=Translators: --no-location --omit-header --sort-output \
      --project=FaceRights -o translations/messages.pot . ;;
  update)
    $BABEL update -i translations/messages.pot -d translations --no-fuzzy-matching --no-wrap --ignore-obsolete ;;
  init)
    $BABEL init -i translations/messages.pot -d translations -l "$2"
    $PYTHON scripts/language_files.py new "$2" ;;
  compile)
    $BABEL compile -d translations ;;
  readme)
    $PYTHON scripts/language_files.py readme ;;
  *)
    echo "usage: sh scripts/translations.sh extract|update|init LANG|compile|readme" >&2; exit 2 ;;
esac
