"""Uploaded images: real JPEG/PNG/WebP only, bounded in size and pixels, EXIF (GPS!) stripped, scaled down.

One place for every app that takes photos or logos.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_EDGE = 1600


def validate_image(upload) -> None:
    """Refuse anything that is not a real, reasonably sized JPEG, PNG or WebP image."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB. Please upload a smaller image."))
    file = getattr(upload, "file", upload)
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        # Reading only the header: Image.open does not decode the pixels yet.
        with Image.open(file) as image:
            width, height = image.size
            image_format = image.format
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels (at most 40 megapixels). Please make it smaller.")
                )
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG or WebP image."))
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The image has too many pixels (at most 40 megapixels). Please make it smaller.")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP image.")
        ) from None
    finally:
        if hasattr(file, "seek"):
            file.seek(position)


def clean_image(upload, *, max_edge: int = MAX_EDGE):
    """Validate, drop all metadata (EXIF with GPS, comments) by copying only the pixels, and scale the image
    to at most `max_edge` pixels on its longer side. Returns a new upload to store instead."""
    validate_image(upload)
    file = getattr(upload, "file", upload)
    file.seek(0)
    with Image.open(file) as image:
        image_format = image.format
        image = ImageOps.exif_transpose(image)  # keep the photo upright once the orientation tag is gone
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.thumbnail((max_edge, max_edge))
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P" and image.getpalette():
            clean.putpalette(image.getpalette())
        buffer = BytesIO()
        clean.save(buffer, format=image_format, quality=85)
    size = buffer.tell()
    buffer.seek(0)
    name = getattr(upload, "name", "image") or "image"
    return InMemoryUploadedFile(buffer, "image", name, ALLOWED_FORMATS[image_format], size, None)


def clean_image_field(image, *, max_edge: int = MAX_EDGE):
    """For a form's `clean_<field>`: a new upload is validated and cleaned; an image already stored is kept.

    A refusal is a ValidationError, which the form shows at the field.
    """
    if image and hasattr(image, "content_type"):
        return clean_image(image, max_edge=max_edge)
    return image
