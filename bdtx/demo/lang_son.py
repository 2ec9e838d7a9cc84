"""Demo province 2: Sở GD&ĐT Lạng Sơn, about a fifth of Cao Bằng, so that the ministry's pages
have two provinces to set side by side. It has its own Sở account (`so2`) and nothing else: the
school-level journeys are Cao Bằng's.

Lạng Sơn is one of the eleven provinces the 2025 merger left as they were (NQ 202/2025/QH15), and
kept its code 20. Its history is the same reform as Cao Bằng's: schools under the district offices
until 30/06/2025, under the communes and wards (NQ 1672/NQ-UBTVQH15) from 01/07/2025. Codes of
communes, wards and schools are demo codes; district codes are those of QĐ 124/2004/QĐ-TTg; the
schools and their staff are invented, with names typical of the province (mostly Nùng and Tày).
"""

from bdtx.accounts.models import Role
from bdtx.demo.places import Commune, DemoAccount, DemoProvince, District, S, mn, ptdtbt, th, thcs, thpt
from bdtx.organisations.models import SchoolLevel

PROVINCE_CODE = "20"

DISTRICTS = (
    District(
        "PGD-178",
        "Phòng Giáo dục và Đào tạo thành phố Lạng Sơn",
        "Phòng GD&ĐT TP Lạng Sơn",
        (
            Commune(
                "06001",
                "UBND phường Lương Văn Tri",
                "Phường Lương Văn Tri",
                "lang_son_city",
                False,
                (
                    mn("20MN001", "Trường Mầm non Vĩnh Trại"),
                    th("20TH001", "Trường Tiểu học Vĩnh Trại"),
                    thcs("20CS001", "Trường THCS Chi Lăng"),
                ),
            ),
            Commune(
                "06004",
                "UBND phường Tam Thanh",
                "Phường Tam Thanh",
                "lang_son_city",
                False,
                (th("20TH002", "Trường Tiểu học Tam Thanh"),),
            ),
        ),
    ),
    District(
        "PGD-183",
        "Phòng Giáo dục và Đào tạo huyện Cao Lộc",
        "Phòng GD&ĐT huyện Cao Lộc",
        (
            Commune(
                "06010",
                "UBND xã Đồng Đăng",
                "Xã Đồng Đăng",
                "lang_son_border",
                False,
                (
                    mn("20MN002", "Trường Mầm non Đồng Đăng"),
                    th("20TH003", "Trường Tiểu học Đồng Đăng"),
                    thcs("20CS002", "Trường THCS Đồng Đăng"),
                ),
            ),
        ),
        centres=(S("20TX001", "Trung tâm GDNN-GDTX huyện Cao Lộc", (SchoolLevel.GDTX,), 14),),
    ),
    District(
        "PGD-188",
        "Phòng Giáo dục và Đào tạo huyện Lộc Bình",
        "Phòng GD&ĐT huyện Lộc Bình",
        (
            Commune(
                "06016",
                "UBND xã Mẫu Sơn",
                "Xã Mẫu Sơn",
                "lang_son_highland",
                True,
                (
                    mn("20MN003", "Trường Mầm non Mẫu Sơn", difficult_area=True),
                    ptdtbt("20LC001", "Trường PTDTBT TH&THCS Mẫu Sơn"),
                ),
            ),
        ),
    ),
)

PROVINCE_SCHOOLS = (thpt("20PT001", "Trường THPT Việt Bắc"),)

LANG_SON = DemoProvince(
    code=PROVINCE_CODE,
    name="Lạng Sơn",
    address="Đường Hùng Vương, phường Lương Văn Tri, tỉnh Lạng Sơn",
    area_code="0205",
    id_province="020",
    seed=2020,
    staff=440,
    districts=DISTRICTS,
    schools=PROVINCE_SCHOOLS,
    profile="lang_son",
    difficult_profile="lang_son_highland",
    accounts=(DemoAccount("so2", Role.DEPARTMENT_STAFF, PROVINCE_CODE, "Vi Thị", "Hạnh"),),
)
