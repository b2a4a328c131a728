"""Imported by the render server, the process that forks each render process
(`reports.services.render_isolated`), before it forks any: WeasyPrint loaded, the fonts
and print stylesheets parsed and a sample document rendered once, so that every render
process starts with all of it ready and nothing of the task worker's own memory."""

import traceback

from reports import weasy

# Every print stylesheet a document is rendered with.
STYLESHEETS = ("reports/print.css", "followup/report.css")

# A page of what the print documents are made of (headings, text, lists, the tables, the
# running header and footer, in each weight of the font). Rendering it loads the rest of
# WeasyPrint, pydyf and the font subsetting, and fills the font and text shaping caches,
# which every render process would otherwise fill from nothing: a tenth of a small plan's
# render.
SAMPLE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head><body>
<div class="running"><span class="running-federation">Förbund</span><span class="running-title">Plan</span>
<span class="running-draft">UTKAST</span><span class="running-status">Utkast</span></div>
<section class="cover"><p class="cover-federation">Samordningsförbundet</p><h1 class="cover-title">Verksamhetsplan 2025</h1>
<p class="cover-subtitle">med budget 2025</p><dl class="cover-facts"><dt>Status</dt><dd>Utkast</dd></dl>
<p class="draft-stamp">UTKAST<span>Förslag</span></p></section>
<section class="chapter major"><h2>Kapitel</h2><p class="section-lead">Belopp i kronor.</p>
<p>Förbundet <strong>finansierar</strong> <em>insatser</em> för 1 234 567 kr, −89 %.</p>
<ul class="bullets"><li>Åtgärd</li></ul><h3>Rubrik</h3><h4>Mål</h4></section>
<section class="budget major"><table class="budget-table"><thead><tr><th scope="col" class="label">Rad</th>
<th scope="col" class="num">Budget 2025</th></tr></thead><tbody>
<tr class="row-heading"><th scope="rowgroup" colspan="2">Intäkter</th></tr>
<tr class="row-line"><th scope="row" class="label">Försäkringskassan</th><td class="num">7 200 000</td></tr>
<tr class="row-subtotal"><th scope="row" class="label">Staten</th><td class="num">7 200 000<span class="share">50 %</span></td></tr>
<tr class="row-total"><th scope="row" class="label">Summa</th><td class="num has-error">14 400 000</td></tr>
<tr class="row-result"><th scope="row" class="label">Resultat</th><td class="num">−655 500</td></tr>
</tbody></table></section>
<article class="intervention"><div class="intervention-head"><h3>Insats 1</h3><table class="facts"><tbody>
<tr><th scope="row">Slag</th><td>Individinriktad</td></tr></tbody></table></div>
<table class="costs"><thead><tr><th scope="col" class="num">Budget 2025</th></tr></thead>
<tbody><tr><td class="num">129 600</td></tr></tbody></table></article>
<table class="list findings-table"><thead><tr><th scope="col">Nr</th></tr></thead><tbody><tr class="error">
<td class="severity">Fel</td></tr></tbody></table>
</body></html>"""

try:
    for name in STYLESHEETS:
        weasy.stylesheet(name)
    weasy.html_to_pdf(SAMPLE, STYLESHEETS)
except Exception:
    # multiprocessing's server ends on any error but an ImportError in what it loads, and
    # every render after it would fail without saying why. Kept running, it forks render
    # processes that prepare again, and report the error as theirs.
    traceback.print_exc()
    weasy.forget_setup()
