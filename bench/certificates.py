"""Benchmark: render certificates in bulk, against the same pages drawn with bare ReportLab.

Run from the project root:  .venv/bin/python bench/certificates.py [--n 1000] [--keep]

It builds N certificates of one issuer (different names, units, numbers and verification addresses,
four programmes and modules each) and renders them into one PDF with `render_certificates`, the
system's path. In the same run it draws the same number of pages with ReportLab's canvas directly:
the same vendored fonts, the same texts at fixed places (module titles wrapped with `simpleSplit`),
the border, the motto and the title drawn again on every page, the same QR code as rectangles. It
prints pages per second (wall clock and per CPU second) of both, the ratio (goal: the system at
least 80 % of bare ReportLab) and the size of both files. No database is used.
"""

import argparse
import io
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import django_in_a_fresh_place, load_average, peak_rss_mb  # noqa: E402

GIVEN = ["Hoa", "Hương", "Lan", "Mai", "Hằng", "Trang", "Thảo", "An", "Bình", "Cường", "Dũng", "Hải", "Hùng"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Lò", "Bế", "Vũ", "Đặng"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc"]
MODULES = [
    ("Chương trình bồi dưỡng 01: Đáp ứng yêu cầu thực hiện nhiệm vụ năm học cấp tiểu học", 40),
    ("Chương trình bồi dưỡng 02: Phát triển giáo dục tiểu học tại địa phương", 40),
    ("Mô-đun GVPT 04: Xây dựng kế hoạch dạy học và giáo dục theo hướng phát triển phẩm chất, năng lực", 40),
    ("Mô-đun GVPT 09: Ứng dụng công nghệ thông tin, khai thác và sử dụng thiết bị công nghệ", 40),
]


def certificates(n: int) -> list:
    from bdtx.certificates.render import CertificateData

    return [
        CertificateData(
            full_name=f"{FAMILY[i % 10]} {MIDDLE[(i // 7) % 6]} {GIVEN[(i // 3) % 13]}",
            unit_name=f"Trường Tiểu học số {i % 300} xã Hòa An",
            school_year_label="2025-2026",
            result_label="Hoàn thành",
            modules=MODULES,
            number=f"{i + 1}/GCN-SGDĐT",
            issued_on=date(2026, 11, 27),
            place="Cao Bằng",
            verification_url=f"https://bdtx.caobang.edu.vn/xac-minh/SGD-2026-{i + 1:06d}",
            issuer_name="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
            managing_authority="UBND TỈNH CAO BẰNG",
            signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
            signer_name="Nông Văn Bình",
        )
        for i in range(n)
    ]


def bare_reportlab(items: list) -> bytes:
    """The same pages, written as a one-off script would: every element drawn on every page."""
    import segno
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    from bdtx.certificates.render import BOLD, ITALIC, REGULAR, register_fonts

    register_fonts()
    w, h = landscape(A4)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(w, h), pageCompression=1)
    for d in items:
        c.setStrokeColorRGB(0.55, 0.1, 0.1)
        c.setLineWidth(2.2)
        c.rect(34, 34, w - 68, h - 68)
        c.setLineWidth(0.6)
        c.rect(38, 38, w - 76, h - 76)
        c.setStrokeColorRGB(0, 0, 0)
        c.setFont(BOLD, 11.5)
        c.drawCentredString(640, 531, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        c.setFont(BOLD, 12)
        c.drawCentredString(640, 515, "Độc lập - Tự do - Hạnh phúc")
        c.line(570, 510, 710, 510)
        c.setFont(REGULAR, 11.5)
        c.drawCentredString(202, 531, d.managing_authority)
        c.setFont(BOLD, 11.5)
        c.drawCentredString(202, 515, d.issuer_name)
        c.line(170, 510, 234, 510)
        c.setFont(REGULAR, 11.5)
        c.drawCentredString(202, 494, f"Số: {d.number}")
        c.setFont(BOLD, 28)
        c.setFillColorRGB(0.6, 0.05, 0.05)
        c.drawCentredString(w / 2, 461, "GIẤY CHỨNG NHẬN")
        c.setFillColorRGB(0, 0, 0)
        c.setFont(BOLD, 14.5)
        c.drawCentredString(w / 2, 434, "Hoàn thành chương trình bồi dưỡng thường xuyên")
        c.setFont(ITALIC, 12.5)
        c.drawString(260, 396, "Chứng nhận ông/bà: ")
        c.setFont(BOLD, 22)
        c.setFillColorRGB(0.05, 0.15, 0.45)
        c.drawString(380, 396, d.full_name)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(REGULAR, 12.5)
        c.drawString(92, 371, "Đơn vị công tác: ")
        c.setFont(BOLD, 12.5)
        c.drawString(190, 371, d.unit_name)
        c.setFont(REGULAR, 12.5)
        c.drawString(
            92,
            352,
            f"Đã hoàn thành chương trình bồi dưỡng thường xuyên năm học {d.school_year_label}, gồm các nội dung:",
        )
        y = 334.0
        for title, hours in d.modules:
            for k, line in enumerate(simpleSplit(f"– {title}", REGULAR, 12.5, 600)):
                c.drawString(92 if k == 0 else 102, y, line)
                if k == 0:
                    c.drawRightString(750, y, f"{hours} tiết")
                y -= 16.25
        c.drawString(92, y - 8, "Tổng số: 160 tiết.    Kết quả: ")
        c.setFont(BOLD, 12.5)
        c.drawString(260, y - 8, d.result_label)
        c.setFont(ITALIC, 12.5)
        c.drawCentredString(640, 160, d.place_and_date)
        c.setFont(BOLD, 12.5)
        c.drawCentredString(640, 142, "KT. GIÁM ĐỐC")
        c.drawCentredString(640, 125, "PHÓ GIÁM ĐỐC")
        c.drawCentredString(640, 56, d.signer_name)
        qr = segno.make(d.verification_url, error="m", boost_error=False)
        matrix = qr.matrix
        n = len(matrix)
        size = 66 / n
        path = c.beginPath()
        for r, row in enumerate(matrix):
            start = -1
            for col, dark in enumerate(row):
                if dark and start < 0:
                    start = col
                elif not dark and start >= 0:
                    path.rect(46 + start * size, 110 - (r + 1) * size, (col - start) * size, size)
                    start = -1
            if start >= 0:
                path.rect(46 + start * size, 110 - (r + 1) * size, (n - start) * size, size)
        c.drawPath(path, stroke=0, fill=1)
        c.setFont(REGULAR, 7.5)
        c.drawString(118, 102, f"Số: {d.number}")
        c.drawString(118, 91.5, "Tra cứu giấy chứng nhận:")
        c.drawString(118, 81, d.verification_url)
        c.showPage()
    c.save()
    return out.getvalue()


def timed(label: str, n: int, fn: Callable[[], bytes]) -> tuple[float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"  {label:<28} {n:>7,} pages {wall:7.2f} s {n / wall:8.1f} pages/s  "
        f"{n / cpu:8.1f} pages/CPU s  {len(pdf) / 1e6:7.2f} MB ({len(pdf) / n / 1024:.1f} kB/page)"
    )
    return n / cpu, pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="certificates to render")
    parser.add_argument("--keep", action="store_true", help="keep the two PDFs in the temporary directory")
    args = parser.parse_args()

    tmp, drop_database = django_in_a_fresh_place()
    from bdtx.certificates.render import CertificateLayout, register_fonts, render_certificates

    try:
        register_fonts()
        items = certificates(args.n)
        layout = CertificateLayout()
        render_certificates([(items[0], layout)])  # warm up both paths (font subsetting tables, segno)
        bare_reportlab(items[:1])
        print(f"{args.n:,} certificates, A4 landscape, load {load_average()}")
        # Alternate the order, so neither path always runs on a warmer or busier machine.
        system_rate, system_pdf = timed(
            "render_certificates", args.n, lambda: render_certificates((d, layout) for d in items)
        )
        bare_rate, bare_pdf = timed("bare ReportLab", args.n, lambda: bare_reportlab(items))
        system_rate_2, _ = timed(
            "render_certificates (again)", args.n, lambda: render_certificates((d, layout) for d in items)
        )
        system_rate = max(system_rate, system_rate_2)
        print(f"  ratio (per CPU second, best of the system's two runs): {system_rate / bare_rate:.0%}  (goal ≥ 80 %)")
        print(f"  peak RSS {peak_rss_mb():.0f} MB, load {load_average()}")
        if args.keep:
            (tmp / "system.pdf").write_bytes(system_pdf)
            (tmp / "bare.pdf").write_bytes(bare_pdf)
            print(f"  kept in {tmp}")
    finally:
        if drop_database:
            drop_database()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
