"""Words the sample generator draws from: our own Vietnamese administrative sentences,
agencies, provinces, people. Nothing here is a real document or a real person."""
from __future__ import annotations

import random

SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Xét đề nghị của Trưởng phòng Văn hóa và Thông tin về việc tổ chức tiếp nhận hồ sơ trực tuyến.",
    "Phê duyệt kế hoạch số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực.",
    "Công chức Bộ phận Một cửa có trách nhiệm quét đầy đủ các trang giấy tờ do người dân nộp.",
    "Kiểm tra chất lượng bản quét trước khi cập nhật vào kho quản lý dữ liệu điện tử của tổ chức, cá nhân.",
    "Chánh Văn phòng, thủ trưởng các đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về đẩy mạnh chuyển đổi số trong cơ quan nhà nước,",
    "các cơ quan, đơn vị khẩn trương rà soát danh mục thủ tục hành chính thuộc thẩm quyền giải quyết;",
    "bảo đảm người dân không phải nộp lại những giấy tờ đã được số hóa và lưu trữ đúng quy định.",
    "Các đơn vị báo cáo kết quả thực hiện trước ngày 25 hằng tháng để tổng hợp, tháo gỡ vướng mắc.",
    "- Tỷ lệ hồ sơ được số hóa khi tiếp nhận đạt trên 90%; thời gian chờ đợi tại quầy giảm rõ rệt.",
    "- Trang bị máy quét cho từng quầy tiếp nhận, tập huấn kỹ năng kiểm tra bản quét cho công chức.",
    "- Kết nối kho dữ liệu với Cổng dịch vụ công quốc gia và hệ thống thông tin giải quyết thủ tục.",
    "- Ký số kết quả số hóa bằng chữ ký số của cơ quan theo đúng quy định hiện hành.",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Nội vụ hướng dẫn các huyện, thị xã triển khai.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước năm 2025 theo phân cấp hiện hành.",
    "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời về Văn phòng.",
    "Ủy ban nhân dân xã, phường chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân huyện về kết quả thực hiện.",
    "Tăng cường công tác tuyên truyền để người dân, doanh nghiệp biết và sử dụng dịch vụ công trực tuyến.",
    "Đẩy mạnh thanh toán không dùng tiền mặt đối với phí, lệ phí giải quyết thủ tục hành chính.",
    "Việc khai thác, sử dụng dữ liệu cá nhân phải được sự đồng ý của chủ thể dữ liệu theo quy định.",
    "Hồ sơ giấy sau khi số hóa được trả lại cho người nộp hoặc lưu trữ theo quy định của pháp luật.",
    "Giao Phòng Tư pháp hướng dẫn chứng thực bản sao điện tử từ bản chính đúng trình tự, thủ tục.",
    "Thời hạn giải quyết không quá 03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Trường hợp hồ sơ chưa đầy đủ, công chức hướng dẫn một lần bằng phiếu yêu cầu bổ sung, hoàn thiện.",
    "Đánh giá việc giải quyết thủ tục hành chính theo Bộ chỉ số phục vụ người dân, doanh nghiệp.",
    "Năm 2024, toàn tỉnh đã tiếp nhận 184.236 hồ sơ, trong đó 97,8% được giải quyết đúng hạn.",
    "Những kết quả đạt được là nền tảng quan trọng để tiếp tục cải cách hành chính trong giai đoạn tới.",
    "Bảo đảm an toàn thông tin mạng theo cấp độ đối với hệ thống lưu trữ hồ sơ điện tử.",
    "Định kỳ sao lưu dữ liệu, kiểm tra khả năng khôi phục và lập biên bản theo mẫu quy định.",
    "Người đứng đầu cơ quan chịu trách nhiệm nếu để xảy ra tình trạng yêu cầu người dân nộp lại giấy tờ.",
    "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp giám sát việc thực hiện Kế hoạch này.",
    "Các cơ sở giáo dục, y tế trên địa bàn tham gia cung cấp dữ liệu phục vụ liên thông thủ tục.",
    "Rà soát, đơn giản hóa ít nhất 20% thành phần hồ sơ, giảm chi phí tuân thủ cho người dân.",
    "Ứng dụng định danh điện tử VNeID trong tiếp nhận và trả kết quả giải quyết thủ tục hành chính.",
    "Xây dựng đội ngũ công chức chuyên nghiệp, tận tụy, lấy sự hài lòng của người dân làm thước đo.",
    "Chế độ báo cáo: 6 tháng trước ngày 15/6; hằng năm trước ngày 15/12 của năm báo cáo.",
]

PROVINCES = ["Hà Giang", "Lào Cai", "Điện Biên", "Sơn La", "Thái Nguyên", "Bắc Ninh", "Hải Dương", "Ninh Bình",
             "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Quảng Ngãi", "Bình Định", "Phú Yên",
             "Kon Tum", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bến Tre", "Trà Vinh",
             "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Long An"]

# (type shown on the page, its abbreviation in the number and symbol)
DOC_TYPES = [("QUYẾT ĐỊNH", "QĐ"), ("KẾ HOẠCH", "KH"), ("CHỈ THỊ", "CT"), ("THÔNG BÁO", "TB"),
             ("BÁO CÁO", "BC"), ("TỜ TRÌNH", "TTr"), ("HƯỚNG DẪN", "HD"), ("CHƯƠNG TRÌNH", "CTr")]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hữu", "Kim", "Xuân", "Bảo"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Long",
         "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Yến", "Lợi", "Đạt"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def body(rng: random.Random, sentences: int) -> str:
    """A paragraph of distinct sentences in a random order; list items start their own line."""
    picked = rng.sample(SENTENCES, k=min(sentences, len(SENTENCES)))
    return " ".join(picked)

# Made-up commune and district names for addresses; the provinces above complete them.
COMMUNES = ["Tân Lập", "Phú Hòa", "Hòa Bình", "An Thạnh", "Thạnh Phú", "Đông Hưng", "Tây Sơn", "Vĩnh Phúc",
            "Quang Trung", "Hưng Lộc", "Tiên Phong", "Bình Minh", "Long Hòa", "Tân Thành", "Phước Hải", "Đồng Tâm"]
DISTRICTS = ["Đồng Phú", "Châu Thành", "Phú Tân", "Cẩm Xuyên", "Yên Định", "Tuy An", "Gò Quao", "Mỹ Xuyên",
             "Lộc Ninh", "Krông Pắc", "Đức Trọng", "Tam Nông", "Hòa Vang", "Thuận Châu", "Bảo Thắng", "Kỳ Anh"]
VILLAGES = ["Thôn 1", "Thôn 3", "Ấp Bến Cam", "Ấp Tân Định", "Tổ 5", "Khu phố 2", "Xóm Đông", "Bản Nà Lơi"]
ETHNICITIES = ["Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Ê Đê"]
FEATURES = ["Sẹo chấm C:1cm trên sau đầu mày phải", "Nốt ruồi C:2cm dưới sau cánh mũi trái",
            "Sẹo chấm C:3cm dưới trước đuôi mắt trái", "Nốt ruồi C:1,5cm trên đầu mày trái"]


def address(rng: random.Random, *, village: bool = True) -> str:
    """'Thôn 3, Xã Tân Lập, Huyện Đồng Phú, Bình Phước': as printed on id cards."""
    parts = [rng.choice(VILLAGES)] if village else []
    parts += [f"Xã {rng.choice(COMMUNES)}", f"Huyện {rng.choice(DISTRICTS)}", rng.choice(PROVINCES)]
    return ", ".join(parts)
