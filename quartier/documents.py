"""Uploaded documents (signed declarations, fund receipts, conference minutes, the office's sign-language video):
one place for every app.

The type is read from the content, never from the claimed name or type: a file is stored under a generated name
with the extension of what it is, and served with that type, as a download, with `nosniff`. An HTML page that
starts with `%PDF-` is a PDF to us, stored as `.pdf` and sent as `application/pdf`, so no browser runs it as a page.
Private documents (personal and accounting data) lie in the "private" storage of settings.STORAGES, beside
MEDIA_ROOT on disk (which the proxy serves to anyone) or under a private S3 prefix or bucket.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .images import validate_image

# kind: (content type, extension); the order is that of the messages ("PDF, JPEG or PNG").
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "mp4": ("video/mp4", ".mp4"),
    "webm": ("video/webm", ".webm"),
}
# MP4 is an ISO media file ("ftyp" box) of one of these brands; HEIC/AVIF pictures and QuickTime films are ISO media
# files too, but no video element of every browser plays them.
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"mmp4"}
NOT_MP4_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis", b"qt  "}
# Documents are stored as they are, never decoded here: a 600-dpi scan of a page has about 35 megapixels.
DOCUMENT_MAX_PIXELS = 40_000_000


class PrivateStorage(FileSystemStorage):
    """Files with personal data on disk: stored beside MEDIA_ROOT (which the proxy serves to anyone)."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, Path(settings.MEDIA_ROOT).parent / "private")


def private_storage() -> Storage:
    """The "private" storage of settings.STORAGES: PrivateStorage on disk, a private S3 prefix or bucket with S3."""
    return storages["private"]


def detect_kind(file) -> str | None:
    """A kind of KINDS from the first bytes of the file; None for anything else. The position is kept."""
    position = file.tell()
    file.seek(0)
    header = file.read(64)
    file.seek(position)
    if header.startswith(b"%PDF-"):
        return "pdf"
    if header.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if header.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if _is_mp4(header):
        return "mp4"
    # WebM is Matroska (EBML magic) whose document type (element 0x4282) says "webm"; a .mkv says "matroska".
    doctype = header.find(b"\x42\x82")
    if header.startswith(b"\x1a\x45\xdf\xa3") and doctype > 0 and b"webm" in header[doctype : doctype + 8]:
        return "webm"
    return None


def _is_mp4(header: bytes) -> bool:
    """An "ftyp" box first: its size, "ftyp", the major brand, a version, then the compatible brands."""
    if header[4:8] != b"ftyp":
        return False
    size = int.from_bytes(header[:4], "big")
    box = header[8 : min(max(size, 16), len(header))]
    brands = {box[index : index + 4] for index in range(0, len(box) - 3, 4)} - {box[4:8]}  # without the version
    return box[:4] not in NOT_MP4_BRANDS and bool(brands & MP4_BRANDS)


def _wrong_kind(kinds: tuple[str, ...]) -> ValidationError:
    if kinds == ("pdf",):
        return ValidationError(_("Please upload a PDF file."))
    if set(kinds) <= {"mp4", "webm"}:
        return ValidationError(_("Please upload a video as an MP4 or WebM file."))
    return ValidationError(_("Please upload a PDF, JPEG or PNG file."))


@deconstructible
class DocumentValidator:
    """A document of one of `kinds` (by content), at most `max_mb` MB; an image must also be a readable image."""

    def __init__(self, kinds=("pdf", "jpeg", "png"), max_mb=10):
        self.kinds = tuple(kinds)
        self.max_mb = max_mb

    def __call__(self, upload) -> None:
        if upload.size > self.max_mb * 1024 * 1024:
            raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": self.max_mb})
        kind = detect_kind(upload)
        if kind not in self.kinds:
            raise _wrong_kind(self.kinds)
        if kind in ("jpeg", "png"):
            validate_image(upload, max_pixels=DOCUMENT_MAX_PIXELS)

    def __eq__(self, other):
        return isinstance(other, DocumentValidator) and (self.kinds, self.max_mb) == (other.kinds, other.max_mb)


validate_document = DocumentValidator()
validate_pdf = DocumentValidator(kinds=("pdf",), max_mb=20)
# A few minutes of sign language in good quality; the proxy must let requests this large through.
validate_video = DocumentValidator(kinds=("mp4", "webm"), max_mb=100)


@deconstructible
class DocumentName:
    """`upload_to` of a document field: `<folder>/<random>.<detected extension>`; the claimed name is dropped (it
    may carry a person's name, or `.html`)."""

    def __init__(self, folder: str, field: str):
        self.folder = folder
        self.field = field

    def __call__(self, instance, filename: str) -> str:
        kind = detect_kind(getattr(instance, self.field))
        extension = KINDS[kind][1] if kind else ".bin"
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, DocumentName) and (self.folder, self.field) == (other.folder, other.field)


def document_response(field_file, *, name: str) -> FileResponse:
    """A stored document as a download (`name` plus the detected extension), sent with the type of its content.

    Files stored before names were generated keep their old name on disk; the type comes from the content too."""
    file = field_file.open("rb")
    kind = detect_kind(file)
    content_type, extension = KINDS[kind] if kind else ("application/octet-stream", ".bin")
    response = FileResponse(file, as_attachment=True, filename=f"{name}{extension}", content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
