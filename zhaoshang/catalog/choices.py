# The 12 key industries of the 2022-12-01 opinion (DOMAIN.md), in the order the policy lists them.
KEY_INDUSTRIES = [
    ("plateau_agriculture", "高原特色现代农业"),
    ("green_aluminium", "绿色铝"),
    ("green_silicon", "绿色硅"),
    ("advanced_manufacturing", "先进制造"),
    ("green_energy", "绿色能源"),
    ("new_materials", "新材料"),
    ("biomedicine", "生物医药"),
    ("digital_economy", "数字经济"),
    ("tourism_wellness", "文旅康养"),
    ("modern_logistics", "现代物流"),
    ("export_oriented", "出口导向型"),
    ("tobacco", "烟草"),
]
