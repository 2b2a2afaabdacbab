"""Uploaded images: real JPEG/PNG/WebP only, bounded in size and pixels, EXIF (GPS!) stripped, scaled down.

One place for every app that takes photos or logos. The pixel count is read from the header and checked before
anything is decoded: decoding costs CPU by the pixel, whatever the file size (a one-colour PNG of 40 megapixels is
150 KB and took 1.6 s). Photos may have the 12 megapixels of a phone camera; a logo (shown at most 800 pixels wide)
needs far fewer.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 13_000_000
LOGO_MAX_PIXELS = 4_000_000
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_EDGE = 1600


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("The image has too many pixels (at most %(limit)s megapixels). Please make it smaller.")
        % {"limit": max_pixels // 1_000_000}
    )


def validate_image(upload, *, max_pixels: int = PHOTO_MAX_PIXELS) -> None:
    """Refuse anything that is not a real, reasonably sized JPEG, PNG or WebP image (read from its header only)."""
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
            if width * height > max_pixels:
                raise _too_many_pixels(max_pixels)
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG or WebP image."))
            image.verify()
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP image.")
        ) from None
    finally:
        if hasattr(file, "seek"):
            file.seek(position)


def clean_image(upload, *, max_edge: int = MAX_EDGE, max_pixels: int = PHOTO_MAX_PIXELS):
    """Validate, drop all metadata (EXIF with GPS, comments) by copying only the pixels, and scale the image
    to at most `max_edge` pixels on its longer side. Returns a new upload to store instead."""
    validate_image(upload, max_pixels=max_pixels)
    file = getattr(upload, "file", upload)
    file.seek(0)
    with Image.open(file) as image:
        image_format = image.format
        # Scaled first, turned upright after: thumbnail() lets the JPEG decoder skip pixels (draft) and halves
        # other images by whole factors (reduce) before resampling, so the full picture is never turned or copied.
        image.thumbnail((max_edge, max_edge), reducing_gap=1.0)
        image = ImageOps.exif_transpose(image)  # keep the photo upright once the orientation tag is gone
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P" and image.getpalette():
            clean.putpalette(image.getpalette())
        buffer = BytesIO()
        clean.save(buffer, format=image_format, quality=85)
    size = buffer.tell()
    buffer.seek(0)
    name = getattr(upload, "name", "image") or "image"
    return InMemoryUploadedFile(buffer, "image", name, ALLOWED_FORMATS[image_format], size, None)


def clean_image_field(image, *, max_edge: int = MAX_EDGE, max_pixels: int = PHOTO_MAX_PIXELS):
    """For a form's `clean_<field>`: a new upload is validated and cleaned; an image already stored is kept.

    A refusal is a ValidationError, which the form shows at the field.
    """
    if image and hasattr(image, "content_type"):
        return clean_image(image, max_edge=max_edge, max_pixels=max_pixels)
    return image
