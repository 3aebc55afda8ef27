"""What the pages call things, in Vietnamese."""
from __future__ import annotations

KIND_NAMES = {"admin": "Văn bản hành chính", "cccd": "Căn cước công dân", "birth": "Giấy khai sinh",
              "other": "Giấy tờ khác"}

FIELD_NAMES = {
    # administrative documents
    "agency": "Cơ quan ban hành", "parent_agency": "Cơ quan chủ quản", "number": "Số, ký hiệu",
    "doc_type": "Loại văn bản", "place": "Địa danh", "date": "Ngày ban hành", "summary": "Trích yếu",
    "signer_title": "Chức vụ người ký", "signer": "Người ký", "recipients": "Nơi nhận",
    # CCCD
    "id": "Số định danh", "old_id": "Số CMND cũ", "full_name": "Họ và tên", "date_of_birth": "Ngày sinh",
    "sex": "Giới tính", "nationality": "Quốc tịch", "place_of_origin": "Quê quán",
    "place_of_birth": "Nơi đăng ký khai sinh", "residence": "Nơi thường trú", "expiry": "Có giá trị đến",
    "issue_date": "Ngày cấp",
    # birth certificates
    "child_name": "Họ và tên người được khai sinh", "ethnicity": "Dân tộc", "mother_name": "Họ và tên mẹ",
    "father_name": "Họ và tên cha", "registering_authority": "Nơi đăng ký", "registration_date": "Ngày đăng ký",
    "registration_number": "Số đăng ký", "registration_book": "Quyển số",
}

# The same key named as each paper prints it: a card's place of birth is where the birth was
# registered, a birth certificate has both a place of birth and a place of registration.
FIELD_NAMES_BY_KIND = {
    "birth": {"place_of_birth": "Nơi sinh", "registering_authority": "Nơi đăng ký khai sinh"},
}

SOURCE_NAMES = {"qr": "mã QR", "mrz": "vùng MRZ", "ocr": "nhận dạng chữ", "human": "cán bộ nhập"}

ACTION_NAMES = {"read_manifest": "Xem bản kê", "read_pdf": "Tải bản PDF", "verify": "Kiểm tra chữ ký",
                "read_fields": "Xem biểu mẫu", "correct_fields": "Sửa, xác nhận biểu mẫu",
                "read_fields_history": "Xem lịch sử biểu mẫu", "received": "Tiếp nhận bản quét",
                "digitized": "Số hóa", "signed": "Ký số bản điện tử", "linked_existing": "Dùng lại giấy tờ đã có",
                "sign_off_fields": "Ký xác nhận biểu mẫu", "read_page_image": "Xem ảnh trang",
                "read_snippet": "Xem trong kết quả tìm kiếm", "login": "Đăng nhập", "logout": "Đăng xuất",
                "login_failed": "Đăng nhập sai", "login_refused": "Đăng nhập bị chặn",
                "new_version": "Phiên bản mới (sửa trang)", "merged_into": "Gộp vào giấy tờ khác",
                "split_confirmed": "Xác nhận cách tách tệp",
                "read_archive_page": "Xem hồ sơ lưu trữ (kèm kiểm tra chữ ký)"}

DOSSIER_BADGES = {"done": "ok", "to_check": "warn", "supplement": "warn"}  # a status's badge style

LOW_CONFIDENCE = 0.9  # fields below this stand out on the review page


def field_name(key: str, kind: str | None = None) -> str:
    return FIELD_NAMES_BY_KIND.get(kind or "", {}).get(key) or FIELD_NAMES.get(key, key.replace("_", " "))
