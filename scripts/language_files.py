"""Language files for people adding a language (scripts/translations.sh runs this).

    python scripts/language_files.py new CODE   an empty translations/CODE/language.json to fill in
    python scripts/language_files.py readme     README's list of languages and of those no lawyer has reviewed
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere, as a script

from app import languages  # noqa: E402  (after the path is set)

TRANSLATIONS = ROOT / "translations"


def main(command: str = "", *arguments: str) -> None:
    if command == "readme":
        languages.update_readme(ROOT / "README.md", TRANSLATIONS)
    elif command == "new" and len(arguments) == 1:
        path = TRANSLATIONS / arguments[0] / languages.LANGUAGE_FILE
        if not path.exists():
            path.write_text(json.dumps(languages.skeleton(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{path}: fill it in (README, 'Adding a language')")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(*sys.argv[1:])
