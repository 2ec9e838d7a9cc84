"""Demo province 1: Sở GD&ĐT Cao Bằng, with its communes, schools, a training institution, the
accounts of every role (the ministry's and the institution's among them), about 2,200 staff.

The history is the reform of 01/07/2025: schools sat under district education offices (Phòng
GD&ĐT) until 30/06/2025, then moved to the communes and wards (UBND xã/phường); the district
offices were dissolved the same day.

Commune, ward and school codes here are demo codes, not the official ones (QĐ 19/2025/QĐ-TTg
for communes, the ministry's database for schools); the district codes are the pre-2025 district
codes of QĐ 124/2004/QĐ-TTg. Commune and ward names are the post-2025 names; the schools and
their staff are invented, with names typical of the province.
"""

from bdtx.accounts.models import Role
from bdtx.demo.places import (
    MINISTRY_CODE,
    TH,
    THCS,
    THPT,
    Commune,
    DemoAccount,
    DemoProvince,
    District,
    S,
    mn,
    ptdtbt,
    th,
    thcs,
    thpt,
)
from bdtx.organisations.models import Ownership, SchoolLevel, SchoolType

PROVINCE_CODE = "04"  # Cao Bằng kept its code under QĐ 19/2025/QĐ-TTg

DISTRICTS = (
    District(
        "PGD-040",
        "Phòng Giáo dục và Đào tạo thành phố Cao Bằng",
        "Phòng GD&ĐT TP Cao Bằng",
        (
            Commune(
                "01261",
                "UBND phường Thục Phán",
                "Phường Thục Phán",
                "city",
                False,
                (
                    mn("04MN001", "Trường Mầm non Hợp Giang"),
                    mn("04MN002", "Trường Mầm non tư thục Hoa Sen", ownership=Ownership.PRIVATE),
                    th("04TH001", "Trường Tiểu học Hợp Giang"),
                    th("04TH002", "Trường Tiểu học Sông Bằng"),
                    thcs("04CS001", "Trường THCS Hợp Giang"),
                ),
            ),
            Commune(
                "01264",
                "UBND phường Nùng Trí Cao",
                "Phường Nùng Trí Cao",
                "city",
                False,
                (
                    mn("04MN003", "Trường Mầm non Sông Hiến"),
                    th("04TH003", "Trường Tiểu học Sông Hiến"),
                    thcs("04CS002", "Trường THCS Sông Hiến"),
                ),
            ),
            Commune(
                "01267",
                "UBND phường Tân Giang",
                "Phường Tân Giang",
                "city",
                False,
                (
                    mn("04MN004", "Trường Mầm non Tân Giang"),
                    th("04TH004", "Trường Tiểu học Ngọc Xuân"),
                    thcs("04CS003", "Trường THCS Đề Thám"),
                ),
            ),
        ),
    ),
    District(
        "PGD-051",
        "Phòng Giáo dục và Đào tạo huyện Hòa An",
        "Phòng GD&ĐT huyện Hòa An",
        (
            Commune(
                "01456",
                "UBND xã Hòa An",
                "Xã Hòa An",
                "lowland",
                False,
                (
                    mn("04MN005", "Trường Mầm non Nước Hai"),
                    th("04TH005", "Trường Tiểu học Nước Hai"),
                    thcs("04CS004", "Trường THCS Nước Hai"),
                    th("04TH006", "Trường Tiểu học Hồng Việt"),
                ),
            ),
            Commune(
                "01459",
                "UBND xã Nam Tuấn",
                "Xã Nam Tuấn",
                "lowland",
                False,
                (
                    mn("04MN006", "Trường Mầm non Nam Tuấn"),
                    S("04LC001", "Trường TH&THCS Nam Tuấn", (TH, THCS), 34),
                    ptdtbt("04LC002", "Trường PTDTBT TH&THCS Đức Long"),
                ),
            ),
            Commune(
                "01462",
                "UBND xã Bạch Đằng",
                "Xã Bạch Đằng",
                "lowland",
                True,
                (
                    mn("04MN007", "Trường Mầm non Bạch Đằng", difficult_area=True),
                    th("04TH007", "Trường Tiểu học Bạch Đằng", difficult_area=True),
                    thcs("04CS005", "Trường THCS Bạch Đằng", difficult_area=True),
                ),
            ),
            Commune(
                "01465",
                "UBND xã Nguyễn Huệ",
                "Xã Nguyễn Huệ",
                "lowland",
                True,
                (
                    mn("04MN008", "Trường Mầm non Nguyễn Huệ", difficult_area=True),
                    ptdtbt("04LC003", "Trường PTDTBT TH&THCS Nguyễn Huệ"),
                ),
            ),
        ),
        centres=(S("04TX001", "Trung tâm GDNN-GDTX huyện Hòa An", (SchoolLevel.GDTX,), 20),),
    ),
    District(
        "PGD-047",
        "Phòng Giáo dục và Đào tạo huyện Trùng Khánh",
        "Phòng GD&ĐT huyện Trùng Khánh",
        (
            Commune(
                "01378",
                "UBND xã Trùng Khánh",
                "Xã Trùng Khánh",
                "border",
                False,
                (
                    mn("04MN009", "Trường Mầm non Trùng Khánh"),
                    th("04TH008", "Trường Tiểu học Trùng Khánh"),
                    thcs("04CS006", "Trường THCS Trùng Khánh"),
                    ptdtbt("04LC004", "Trường PTDTBT TH&THCS Ngọc Khê"),
                ),
            ),
            Commune(
                "01381",
                "UBND xã Đàm Thủy",
                "Xã Đàm Thủy",
                "border",
                True,
                (
                    mn("04MN010", "Trường Mầm non Đàm Thủy", difficult_area=True),
                    S("04LC005", "Trường TH&THCS Đàm Thủy", (TH, THCS), 34, {"difficult_area": True}),
                    ptdtbt("04LC006", "Trường PTDTBT TH&THCS Chí Viễn"),
                ),
            ),
        ),
        centres=(S("04TX002", "Trung tâm GDNN-GDTX huyện Trùng Khánh", (SchoolLevel.GDTX,), 16),),
    ),
    District(
        "PGD-043",
        "Phòng Giáo dục và Đào tạo huyện Bảo Lạc",
        "Phòng GD&ĐT huyện Bảo Lạc",
        (
            Commune(
                "01288",
                "UBND xã Bảo Lạc",
                "Xã Bảo Lạc",
                "highland",
                True,
                (
                    mn("04MN011", "Trường Mầm non Bảo Lạc", difficult_area=True),
                    th("04TH009", "Trường Tiểu học Bảo Lạc", difficult_area=True),
                    thcs("04CS007", "Trường THCS Bảo Lạc", difficult_area=True),
                    S(
                        "04CS008",
                        "Trường PTDTNT THCS huyện Bảo Lạc",
                        (THCS,),
                        30,
                        {"school_type": SchoolType.ETHNIC_BOARDING, "difficult_area": True},
                    ),
                ),
            ),
            Commune(
                "01291",
                "UBND xã Cốc Pàng",
                "Xã Cốc Pàng",
                "highland",
                True,
                (
                    mn("04MN012", "Trường Mầm non Cốc Pàng", difficult_area=True),
                    ptdtbt("04LC007", "Trường PTDTBT TH&THCS Cốc Pàng"),
                    S(
                        "04TH010",
                        "Trường PTDTBT Tiểu học Cốc Pàng",
                        (TH,),
                        26,
                        {"school_type": SchoolType.ETHNIC_SEMI_BOARDING, "difficult_area": True},
                    ),
                ),
            ),
        ),
    ),
)

# Upper secondary schools report to the Sở directly, before and after the reform.
PROVINCE_SCHOOLS = (
    S("04PT001", "Trường THPT Chuyên Cao Bằng", (THPT,), 50, {"school_type": SchoolType.SPECIALISED}),
    S(
        "04PT002",
        "Trường Phổ thông Dân tộc Nội trú tỉnh Cao Bằng",
        (THCS, THPT),
        48,
        {"short_name": "Trường PT DTNT tỉnh Cao Bằng", "school_type": SchoolType.ETHNIC_BOARDING},
    ),
    thpt("04PT003", "Trường THPT Thành phố Cao Bằng"),
    thpt("04PT004", "Trường THPT Cao Bình"),
    thpt("04PT005", "Trường THPT Hòa An"),
    thpt("04PT006", "Trường THPT Trùng Khánh"),
    thpt("04PT007", "Trường THPT Bảo Lạc", difficult_area=True),
    thpt("04PT008", "Trường THPT Nà Giàng", difficult_area=True),
    thpt("04PT009", "Trường THPT Quảng Uyên"),
    thpt("04PT010", "Trường THPT Thông Nông", difficult_area=True),
    thpt("04PT011", "Trường THPT Bế Văn Đàn"),
)
INSTITUTION = ("CDSP-CB", "Trường Cao đẳng Sư phạm Cao Bằng", "CĐSP Cao Bằng")

# The district office whose account shows the history, and the school of the school accounts.
HISTORIC_DISTRICT = "PGD-051"
ACCOUNT_COMMUNE = "01456"
ACCOUNT_SCHOOL = "04TH005"

CAO_BANG = DemoProvince(
    code=PROVINCE_CODE,
    name="Cao Bằng",
    address="Số 020 đường Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng",
    area_code="0206",
    id_province="004",
    seed=2025,
    staff=2200,
    districts=DISTRICTS,
    schools=PROVINCE_SCHOOLS,
    institution=INSTITUTION,
    account_school=ACCOUNT_SCHOOL,
    accounts=(
        DemoAccount("sysadmin", Role.SYSTEM_ADMIN, MINISTRY_CODE, "Trần Minh", "Đức"),
        DemoAccount("bo", Role.MINISTRY_STAFF, MINISTRY_CODE, "Nguyễn Thu", "Hằng"),
        DemoAccount("so", Role.DEPARTMENT_STAFF, PROVINCE_CODE, "Hoàng Văn", "Thắng"),
        DemoAccount("xa", Role.OFFICE_STAFF, ACCOUNT_COMMUNE, "Lục Thị", "Huyền"),
        DemoAccount("hieutruong", Role.SCHOOL_ADMIN, ACCOUNT_SCHOOL, person="principal"),
        DemoAccount("giaovien", Role.LEARNER, ACCOUNT_SCHOOL, person="teacher"),
        DemoAccount("cotcan", Role.MENTOR, ACCOUNT_SCHOOL, person="mentor"),
        DemoAccount("csdt", Role.INSTITUTION_STAFF, INSTITUTION[0], "Bế Thị", "Ngọc Anh"),
    ),
)
