"""Uploaded images: only real JPEG/PNG/WebP, bounded size and pixels, metadata stripped."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from quartier.images import clean_image, validate_image


def _image(fmt="JPEG", size=(40, 30), **save) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _upload(content: bytes, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_accepted(fmt):
    validate_image(_upload(_image(fmt)))


def test_a_text_file_renamed_jpg_is_refused():
    with pytest.raises(ValidationError, match="kein Bild"):
        validate_image(_upload(b"Das ist kein Bild, nur Text.\n" * 10))


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError):
        validate_image(_upload(svg, "bild.svg", "image/svg+xml"))


def test_gif_is_refused_as_an_unsupported_format():
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        validate_image(_upload(_image("GIF"), "bild.gif", "image/gif"))


def test_a_decompression_bomb_is_refused():
    """20 000 × 20 000 pixels in a small PNG: refused from the header, never decoded."""
    buffer = BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    with pytest.raises(ValidationError, match="13 Megapixel"):
        validate_image(_upload(buffer.getvalue(), "bombe.png", "image/png"))


def test_a_file_over_10_mb_is_refused():
    upload = _upload(_image() + b"\0" * (12 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB"):
        validate_image(upload)


def test_exif_with_gps_is_stripped_and_large_images_are_scaled():
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 31.0, 0.0)}  # GPS IFD
    exif[0x010F] = "Kamera GmbH"
    content = _image("JPEG", size=(3000, 2000), exif=exif.tobytes())
    assert Image.open(BytesIO(content)).getexif()
    cleaned = clean_image(_upload(content))
    result = Image.open(cleaned)
    assert dict(result.getexif()) == {}
    assert max(result.size) == 1600
