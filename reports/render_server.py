"""Imported by the render server, the process that forks each render process
(`reports.services.render_isolated`), before it forks any: WeasyPrint loaded, the fonts
and print stylesheets parsed and a small document rendered once, so that every render
process starts with all of it ready and nothing of the task worker's own memory."""

from reports import weasy

# Every print stylesheet a document is rendered with.
STYLESHEETS = ("reports/print.css", "followup/report.css")

for name in STYLESHEETS:
    weasy.stylesheet(name)
# Loads the rest of WeasyPrint, pydyf and the font subsetting, which the first render
# would otherwise load in each process.
weasy.html_to_pdf('<html lang="sv"><title>–</title><p>Finsam Plan 0123456789</p></html>', STYLESHEETS)
