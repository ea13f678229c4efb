"""The PDF of an issued report, rendered with WeasyPrint from the same HTML template in any language.

WeasyPrint is imported inside `render_pdf` only: its system libraries (Pango, HarfBuzz) are needed to make a
PDF, not to start the site. Chinese text needs a CJK font: Noto Sans SC from the npm package
`@expo-google-fonts/noto-sans-sc` (`REPORT_FONT_DIR`), else any Noto Sans CJK SC that fontconfig knows.
WeasyPrint may read only those font files and the report's style sheet: nothing else, and nothing over the network.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STYLESHEET = "css/report-pdf.css"
FONT_FILES = {400: "400Regular/NotoSansSC_400Regular.ttf", 700: "700Bold/NotoSansSC_700Bold.ttf"}


class PdfUnavailable(Exception):
    """This server cannot render PDFs (WeasyPrint or its system libraries are missing)."""


def font_files() -> dict[int, Path]:
    """The Noto Sans SC files present, by weight."""
    folder = Path(settings.REPORT_FONT_DIR)
    return {weight: folder / name for weight, name in FONT_FILES.items() if (folder / name).is_file()}


def _font_faces(files: dict[int, Path]) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "Report Sans"; src: url("{path.as_uri()}"); font-weight: {weight}; }}'
        for weight, path in files.items()
    )


def render_pdf(html: str) -> bytes:
    """The PDF of `html` (a complete document rendered from reports/report_pdf.html)."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: the Python package is there, Pango is not
        raise PdfUnavailable(str(error)) from error

    files = font_files()
    stylesheet = Path(finders.find(STYLESHEET))
    allowed = {path.as_uri() for path in (*files.values(), stylesheet)}

    class LocalFiles(URLFetcher):
        """Only the fonts and the style sheet: an address in the HTML fetches nothing."""

        def fetch(self, url, headers=None):
            if url.split("?")[0] not in allowed:
                raise ValueError(f"not fetched: {url[:80]}")
            return super().fetch(url, headers)

    fetcher = LocalFiles(allowed_protocols=["file"])
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=_font_faces(files), font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(stylesheet), font_config=fonts, url_fetcher=fetcher),
    ]
    # base_url only resolves the links printed in the PDF (methodology, verification) to the site's address
    document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts)
