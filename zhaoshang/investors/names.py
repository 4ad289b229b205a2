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


def name_lines(text: str) -> list[str]:
    """The names of a one-name-a-line field (曾用名, 简称), blank lines and repeats dropped, in their order."""
    seen: dict[str, None] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            seen.setdefault(line, None)
    return list(seen)


def normalised_aliases(normalised_name: str, names) -> str:
    """The other names an enterprise is searched by (Chinese, English, short and former names), normalised, without
    the normalised name itself and without repeats, separated by a space: normalisation removes spaces, so a search
    fragment never matches across two names."""
    seen: dict[str, None] = {}
    for name in names:
        normalised = normalise_enterprise_name(name)
        if normalised and normalised != normalised_name:
            seen.setdefault(normalised, None)
    return " ".join(seen)
