"""The panorama report: the study published as a PDF, in French or in English.

``render_report(language=, campaign=, progress=)`` gathers what the dashboard shows
(``selectors.panorama``), draws the maps and charts as inline SVG (``maps``, ``charts``),
analyses both questionnaires of the study (``surveys.analysis.analyse``), adds the experience
sheets selected as highlights, and lays it all out with WeasyPrint (HTML + CSS paged media:
cover, table of contents with page numbers, running headers, "page X of Y").

The CLI (``reciprocite report panorama``) and the background job ``panorama.report`` (the
button of the panorama page) both call it. Nothing is fetched from the network: the fonts are
the system's DejaVu, the CSS is inline and the URL fetcher refuses every scheme but ``data:``.

One module per part of the work:

- ``rendering``: what the CLI and the job call (``render_report``, ``render_html``,
  ``find_campaign``, ``report_filename``, ``ReportError``, ``LANGUAGES``);
- ``document``: the steps of the work and ``report_context``, everything the template shows;
- ``dashboard``: the key figures, maps and charts chapters (what the dashboard shows);
- ``surveys``: the chapters of the two questionnaires;
- ``sheets``: the highlighted experience sheets;
- ``method``: the chapter "Method and sources";
- ``parts``: sections, figures and tables, and the bar charts sized for the page;
- ``formatting``: numbers, amounts, shares and dates in the report's language, CSS strings.
"""
