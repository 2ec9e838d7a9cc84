import io
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import segno
from django.core.exceptions import ValidationError
from PIL import Image

from bdtx.certificates.render import (
    CertificateData,
    CertificateLayout,
    hours_text,
    place_and_date,
    render_certificate,
    render_certificates,
)

ROOT = Path(__file__).resolve().parents[3]
URL = "https://bdtx.caobang.edu.vn/xac-minh/SGD-2026-000125"


def sample(**changes) -> CertificateData:
    data = CertificateData(
        full_name="Nguyễn Thị Hương Giang",
        unit_name="Trường Tiểu học Đức Long, xã Hòa An",
        school_year_label="2025-2026",
        result_label="Hoàn thành",
        modules=[
            ("Chương trình bồi dưỡng 01: Đáp ứng yêu cầu thực hiện nhiệm vụ năm học cấp tiểu học", 40),
            ("Chương trình bồi dưỡng 02: Phát triển giáo dục tiểu học tại địa phương", 40),
            ("Mô-đun GVPT 04: Xây dựng kế hoạch dạy học và giáo dục theo hướng phát triển phẩm chất, năng lực", 40),
            ("Mô-đun GVPT 09: Ứng dụng công nghệ thông tin, khai thác và sử dụng thiết bị công nghệ", 40),
        ],
        number="125/GCN-SGDĐT",
        issued_on=date(2026, 11, 27),
        place="Cao Bằng",
        verification_url=URL,
        issuer_name="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        managing_authority="UBND TỈNH CAO BẰNG",
        signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        signer_name="Nông Văn Bình",
    )
    return replace(data, **changes)


def pdf_text(pdf: bytes, tmp_path, *, first: int = 1, last: int = 1) -> str:
    f = tmp_path / "c.pdf"
    f.write_bytes(pdf)
    run = subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(f), "-"],
        capture_output=True,
        check=True,
    )
    return unicodedata.normalize("NFC", run.stdout.decode("utf-8"))


def page_count(pdf: bytes, tmp_path) -> int:
    f = tmp_path / "n.pdf"
    f.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def png(pdf: bytes, tmp_path, dpi: int = 80, page: int = 1) -> Path:
    f = tmp_path / "p.pdf"
    f.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(f),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    return tmp_path / "p.png"


def test_a_bulk_pdf_has_one_page_per_certificate(tmp_path):
    layout = CertificateLayout()
    items = [(sample(full_name=f"Lò Văn Hùng {i}", number=f"{i}/GCN"), layout) for i in range(5)]
    pdf = render_certificates(items)
    assert page_count(pdf, tmp_path) == 5
    assert "Lò Văn Hùng 3" in pdf_text(pdf, tmp_path, first=4, last=4)


def test_the_certificate_holds_the_persons_name_with_its_diacritics_and_every_field(tmp_path):
    # A decomposed name (as some keyboards type it) comes out precomposed, letter for letter.
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương Giang")
    text = pdf_text(render_certificate(sample(full_name=decomposed), CertificateLayout()), tmp_path)
    for expected in [
        "Nguyễn Thị Hương Giang",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CHỨNG NHẬN",
        "Hoàn thành chương trình bồi dưỡng thường xuyên",
        "UBND TỈNH CAO BẰNG",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 125/GCN-SGDĐT",
        "Trường Tiểu học Đức Long, xã Hòa An",
        "năm học 2025-2026",
        "Tổng số: 160 tiết.",
        "Kết quả: Hoàn thành",
        "Cao Bằng, ngày 27 tháng 11 năm 2026",
        "PHÓ GIÁM ĐỐC",
        "Nông Văn Bình",
        URL,
    ]:
        assert expected in text, expected


def test_blank_issuer_and_signer_come_from_the_layout(tmp_path):
    layout = CertificateLayout(
        issuer_lines=("UBND HUYỆN HÒA AN", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
        signer_title="TRƯỞNG PHÒNG",
        signer_name="Bế Thị Mai",
    )
    data = sample(issuer_name="", managing_authority="", signer_title="", signer_name="")
    text = pdf_text(render_certificate(data, layout), tmp_path)
    assert "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" in text and "TRƯỞNG PHÒNG" in text and "Bế Thị Mai" in text


def _qr_matrix_from_page(image: Image.Image, modules: int) -> list[list[bool]]:
    """Read the QR's modules back from the rendered page (300 dpi): find the dark box in the corner
    left of the small print (below 116 pt from the left, 140 pt from the bottom), sample the centre of
    each module."""
    gray = image.convert("L")
    h = gray.size[1]
    px = 300 / 72
    dark = [(x, y) for y in range(h - int(140 * px), h) for x in range(int(116 * px)) if gray.getpixel((x, y)) < 100]
    x0, y0 = min(x for x, _ in dark), min(y for _, y in dark)
    x1, y1 = max(x for x, _ in dark), max(y for _, y in dark)
    step_x, step_y = (x1 - x0 + 1) / modules, (y1 - y0 + 1) / modules
    return [
        [gray.getpixel((int(x0 + (c + 0.5) * step_x), int(y0 + (r + 0.5) * step_y))) < 128 for c in range(modules)]
        for r in range(modules)
    ]


def test_the_qr_code_encodes_the_verification_address(tmp_path):
    """No QR decoder is installed: read the drawn modules back and compare them with the symbol of the
    address; the address is also printed under the code."""
    pdf = render_certificate(sample(), CertificateLayout(border=False))
    expected = [[bool(v) for v in row] for row in segno.make(URL, error="m", boost_error=False).matrix]
    image = Image.open(png(pdf, tmp_path, dpi=300))
    assert _qr_matrix_from_page(image, len(expected)) == expected
    assert URL in pdf_text(pdf, tmp_path)


def test_a_long_module_list_still_fits_on_one_page(tmp_path):
    modules = [
        (f"Mô-đun {i}: Phát triển năng lực chuyên môn của giáo viên trong dạy học phân hóa, số {i}", 10)
        for i in range(1, 21)
    ]
    pdf = render_certificate(sample(modules=modules), CertificateLayout())
    assert page_count(pdf, tmp_path) == 1
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "số 1 " in text + " " and "số 20" in text
    assert "Tổng số: 200 tiết." in text
    # The signer's block is not overdrawn: the name and the title read whole.
    assert "Nông Văn Bình" in text and "Kết quả: Hoàn thành" in text


def test_an_absurd_module_list_says_how_many_it_leaves_out(tmp_path):
    modules = [
        (f"Mô-đun {i}: Nội dung bồi dưỡng có tên rất dài để xuống dòng nhiều lần, số {i}", 1) for i in range(200)
    ]
    pdf = render_certificate(sample(modules=modules), CertificateLayout())
    assert page_count(pdf, tmp_path) == 1
    assert "nội dung khác" in pdf_text(pdf, tmp_path)


def test_the_sample_certificate_as_a_picture(tmp_path):
    """artifacts/screenshots/certificate-sample.png, to look at."""
    pdf = render_certificate(sample(), CertificateLayout())
    out = ROOT / "artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(png(pdf, tmp_path), out / "certificate-sample.png")
    assert Image.open(out / "certificate-sample.png").size == (936, 662)  # A4 landscape at 80 dpi


def test_a_background_image_is_embedded_once_for_many_pages():
    buf = io.BytesIO()
    Image.new("RGB", (400, 280), (250, 240, 215)).save(buf, format="PNG")
    layout = CertificateLayout(background=buf.getvalue())
    one = render_certificates([(sample(), layout)])
    ten = render_certificates([(sample(number=str(i)), layout) for i in range(10)])
    assert ten.count(b"/Subtype /Image") == one.count(b"/Subtype /Image") == 1


def test_place_and_date_follow_the_administrative_style():
    assert place_and_date("Cao Bằng", date(2026, 11, 27)) == "Cao Bằng, ngày 27 tháng 11 năm 2026"
    assert place_and_date("Cao Bằng", date(2026, 2, 5)) == "Cao Bằng, ngày 05 tháng 02 năm 2026"
    assert place_and_date("Cao Bằng", date(2026, 3, 5)) == "Cao Bằng, ngày 05 tháng 3 năm 2026"
    assert hours_text(40) == "40" and hours_text(1.5) == "1,5"


def test_a_layout_goes_to_json_and_back():
    layout = CertificateLayout(issuer_lines=("UBND TỈNH CAO BẰNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"), margin_mm=10)
    assert CertificateLayout.from_dict(layout.to_dict()) == layout
    assert "background" not in layout.to_dict()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "Bố cục giấy chứng nhận phải là một đối tượng JSON."),
        ({"colour": "red"}, "Thiết lập bố cục không xác định: “colour”."),
        ({"margin_mm": "12"}, "“margin_mm” phải là một số."),
        ({"title_size": 200}, "“title_size” phải nằm trong khoảng từ 4 đến 72."),
        ({"border": "yes"}, "“border” phải là true hoặc false."),
        ({"issuer_lines": "SỞ GD"}, "“issuer_lines” phải là một danh sách văn bản."),
        ({"issuer_lines": ["a"] * 5}, "“issuer_lines” có tối đa 4 dòng, mỗi dòng 120 ký tự."),
        ({"page": "A3"}, "“page” phải là một trong: A4 landscape, A4 portrait."),
        ({"signer_name": 7}, "“signer_name” phải là văn bản."),
    ],
)
def test_a_wrong_layout_is_refused_with_a_vietnamese_message(raw, message):
    with pytest.raises(ValidationError) as e:
        CertificateLayout.from_dict(raw)
    assert message in e.value.messages


def test_every_problem_of_a_layout_is_reported_at_once():
    with pytest.raises(ValidationError) as e:
        CertificateLayout.from_dict({"colour": "red", "margin_mm": "x"})
    assert len(e.value.messages) == 2


def test_a_portrait_layout_renders(tmp_path):
    pdf = render_certificate(sample(), CertificateLayout.from_dict({"page": "A4 portrait"}))
    assert "Nguyễn Thị Hương Giang" in pdf_text(pdf, tmp_path)
