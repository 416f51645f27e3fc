"""One-off side-by-side of point 8 (docs/PERFORMANCE.md): run from the repository root with letter-70c22c3.css
(git show 70c22c3:templates/letters/letter.css) and html.pkl (the three letters' HTML as bench.overhead reads it
off WeasyPrint: {label: (html, pages)}) in the working directory."""
import sys, pickle, json
sys.path.insert(0, ".")
from bench.reference import Bare, alternating, BASE_URL, PDF_VARIANT, LETTER_CSS
from weasyprint import HTML, CSS
data = pickle.load(open("html.pkl", "rb"))
bare = Bare()
old = CSS(string=open("letter-70c22c3.css").read(), base_url=str(LETTER_CSS), font_config=bare.font_config)
new = bare.letter_css
out = {}
for label in ("shortest", "longest", "german"):
    html, pages = data[label]
    plain = bare.same_length(html, pages)
    def full(h, css): return HTML(string=h, base_url=BASE_URL).write_pdf(stylesheets=[css], font_config=bare.font_config, pdf_variant=PDF_VARIANT)
    res = alternating({"before": lambda: full(html, old), "after": lambda: full(html, new), "same_length": lambda: full(plain, bare.plain_css)}, runs=20)
    out[label] = {"pages": pages, **{k + "_ms": round(v * 1000, 1) for k, v in res.items()},
                  "before_vs_same_length": round(res["before"] / res["same_length"], 3),
                  "after_vs_same_length": round(res["after"] / res["same_length"], 3),
                  "after_vs_before": round(res["after"] / res["before"], 3)}
    print(label, out[label], file=sys.stderr)
print(json.dumps({"what": "the same letter HTML (0.15.1) rendered bare with letter.css of 70c22c3 (before) and of 0.15.1 (after), and the plain reference of the same length; 20 alternating runs, CPU medians", "letters": out}, indent=2))
