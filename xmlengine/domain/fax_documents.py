"""Rendering documents into fax pages: PDF, TIFF, PNG, JPEG and plain text, one PDF out.

Every page comes out at the fax's page format (letter, legal, A4). What a fax machine
would scan is rasterized at the resolution's dots per inch — images in grey levels
dithered to black and white, or in colour for `color` — and a PDF page is scaled onto
the page format as it is (its text stays sharp: the far end's machine rasterizes it).
Plain text is set in a fixed-width font, a form feed starting a new page. The cover
page, when the profile asks for one, comes first. The kind of a file is read from its
content, never trusted from its name: anything else is refused (`NotADocument`).

pypdf reads and assembles the pages, Pillow reads and rasterizes the images, fpdf2
writes the pages made here (images, text, the cover).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from fpdf import FPDF
from fpdf.enums import WrapMode
from PIL import Image, ImageSequence, UnidentifiedImageError
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError

# Page formats, in PDF points (1/72 inch).
PAGE_SIZES: Final = {
    "letter": (612.0, 792.0),
    "legal": (612.0, 1008.0),
    "a4": (595.28, 841.89),
}
# Dots per inch (horizontal, vertical) of each resolution, as fax machines scan.
RESOLUTIONS: Final = {
    "standard": (204, 98),
    "fine": (204, 196),
    "super_fine": (204, 392),
    "ultra_fine": (408, 392),
    "color": (200, 200),
}
IMAGE_FORMATS: Final = frozenset({"TIFF", "PNG", "JPEG", "MPO"})  # MPO: a camera's JPEG
MAX_PAGES: Final = 200
MAX_SOURCE_PIXELS: Final = 50_000_000  # a larger image is refused, not decoded
TEXT_MARGIN: Final = 36.0  # points: half an inch
TEXT_SIZE: Final = 10.0


class NotADocument(Exception):
    """A file that is none of the kinds a fax takes, is damaged, or is too large."""


@dataclass(frozen=True, slots=True)
class Source:
    """One uploaded file."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Cover:
    """What the cover page says."""

    sender: str  # name_from
    header: str  # the profile's fax_header
    from_number: str
    to_number: str
    moment: str  # when it is sent, in the account's time zone


@dataclass(frozen=True, slots=True)
class Rendered:
    data: bytes  # the PDF
    pages: int


def render(
    sources: Sequence[Source], page_format: str, resolution: str, cover: Cover | None = None
) -> Rendered:
    """The fax's document: the cover (if any), then every file's pages in order."""
    size = PAGE_SIZES[page_format]
    dpi = RESOLUTIONS[resolution]
    writer = PdfWriter()
    for source in sources:
        for page in _pages(source, size, dpi):
            writer.add_page(page)
            if len(writer.pages) > MAX_PAGES:
                raise NotADocument(f"more than {MAX_PAGES} pages")
    if not writer.pages:
        raise NotADocument("no page")
    if cover is not None:
        total = len(writer.pages) + 1
        (page,) = _written(_cover_pdf(cover, size, total))
        writer.insert_page(page, 0)
    out = io.BytesIO()
    writer.write(out)
    return Rendered(out.getvalue(), len(writer.pages))


def _kind_of(source: Source) -> str:
    """ "pdf", "image" or "text", from the content; NotADocument otherwise."""
    head = source.data[:1024]
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        return "pdf"
    if _image_format(source.data) in IMAGE_FORMATS:
        return "image"
    if _text(source) is not None:
        return "text"
    raise NotADocument(f"{source.filename or 'a file'}: not a PDF, TIFF, PNG, JPEG or text")


def _pages(source: Source, size: tuple[float, float], dpi: tuple[int, int]) -> Iterator[PageObject]:
    kind = _kind_of(source)
    if kind == "pdf":
        yield from _pdf_pages(source.data, size)
    elif kind == "image":
        yield from _written(_image_pdf(source.data, size, dpi))
    else:
        yield from _written(_text_pdf(_text(source) or "", size))


def _pdf_pages(data: bytes, size: tuple[float, float]) -> Iterator[PageObject]:
    width, height = size
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise NotADocument("an encrypted PDF")
        # Pages turn (`/Rotate`) only once they belong to a writer.
        for page in PdfWriter(clone_from=reader).pages:
            if page.rotation:
                page.transfer_rotation_to_content()
            box = page.mediabox
            w, h = float(box.width), float(box.height)
            if w <= 0 or h <= 0:
                raise NotADocument("a PDF page without a size")
            scale = min(width / w, height / h)
            move = Transformation().translate(-float(box.left), -float(box.bottom))
            fitted = move.scale(scale, scale).translate(
                (width - w * scale) / 2, (height - h * scale) / 2
            )
            target = PageObject.create_blank_page(width=width, height=height)
            target.merge_transformed_page(page, fitted)
            yield target
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise NotADocument(f"a damaged PDF: {error}") from error


def _image_format(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return str(image.format)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _image_pdf(data: bytes, size: tuple[float, float], dpi: tuple[int, int]) -> bytes:
    pdf = _document(size)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise NotADocument("an image too large")
            for frame in ImageSequence.Iterator(image):
                pdf.add_page()
                pdf.image(_raster(frame, size, dpi), x=0, y=0, w=size[0], h=size[1])
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise NotADocument(f"a damaged image: {error}") from error
    return bytes(pdf.output())


def _raster(frame: Image.Image, size: tuple[float, float], dpi: tuple[int, int]) -> Image.Image:
    """The frame on a whole page at the fax resolution, centred and as large as it fits."""
    colour = dpi == RESOLUTIONS["color"]
    across, down = round(size[0] / 72 * dpi[0]), round(size[1] / 72 * dpi[1])
    picture = frame.convert("RGB" if colour else "L")
    stretch = dpi[1] / dpi[0]  # vertical dots per horizontal dot: pixels are not square
    scale = min(across / picture.width, down / (picture.height * stretch))
    shape = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale * stretch)))
    picture = picture.resize(shape, Image.Resampling.LANCZOS)
    page = Image.new(picture.mode, (across, down), "white")
    page.paste(picture, ((across - shape[0]) // 2, (down - shape[1]) // 2))
    return page if colour else page.convert("1")  # dithered to black and white


def _text(source: Source) -> str | None:
    """The file as text when it is text: UTF-8 (or Latin-1 when said so), no control bytes."""
    named_text = source.content_type.startswith("text/") or source.filename.lower().endswith(".txt")
    if not named_text:
        return None
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            text = source.data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
            return None
        return text
    return None


def _text_pdf(text: str, size: tuple[float, float]) -> bytes:
    pdf = _document(size)
    pdf.set_margins(TEXT_MARGIN, TEXT_MARGIN, TEXT_MARGIN)
    pdf.set_auto_page_break(True, margin=TEXT_MARGIN)
    pdf.set_font("Courier", size=TEXT_SIZE)
    for part in text.replace("\r\n", "\n").split("\f"):
        pdf.add_page()
        body = _latin(part.expandtabs(8))
        if body.strip():
            pdf.multi_cell(0, TEXT_SIZE * 1.2, body, wrapmode=WrapMode.CHAR)
    return bytes(pdf.output())


def _cover_pdf(cover: Cover, size: tuple[float, float], total: int) -> bytes:
    pdf = _document(size)
    pdf.set_margins(72, 72, 72)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 28)
    pdf.cell(0, 48, _latin(cover.header or "FAX"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=14)
    for label, value in (
        ("From", cover.sender),
        ("Fax number", cover.from_number),
        ("To", cover.to_number),
        ("Date", cover.moment),
        ("Pages", f"{total} (this page included)"),
    ):
        pdf.cell(0, 24, _latin(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _document(size: tuple[float, float]) -> FPDF:
    pdf = FPDF(unit="pt", format=size)
    pdf.set_auto_page_break(False)
    pdf.set_creator("xmlengine")
    return pdf


def _written(data: bytes) -> list[PageObject]:
    return list(PdfReader(io.BytesIO(data)).pages)


def _latin(text: str) -> str:
    """The PDF core fonts hold Latin-1: other characters show as `?`."""
    return text.encode("latin-1", "replace").decode("latin-1")
