"""Enterprise names compared the way officers compare them: legal-form suffixes and brackets do not count."""

import re

# Longest first, stripped repeatedly from the end: 中国铝业（集团）有限公司 → 中国铝业.
SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团", "公司")
BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
SPACES = re.compile(r"[\s·・.,，、\-—_]+")


def normalise_enterprise_name(name: str) -> str:
    text = (name or "").strip().translate(BRACKETS).lower()
    text = text.replace("(集团)", "").replace("(", "").replace(")", "")
    text = SPACES.sub("", text)
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text
