"""How a catalogued park's county was decided, in a sentence for its 来源 (the 2018 catalogue names only a
prefecture and a short location; ``tools/prepare_reference_data.py`` decides the node and records its rule)."""


def placement_note(*, rule: str, location: str, prefecture: str, region: str) -> str:
    """The rule the prepare script recorded (``region_rule``), as the sentence a reader needs: where the park was
    placed and why. ``region`` is the node chosen, ``prefecture`` the catalogue's prefecture."""
    if rule.startswith("所在地简称即州市名"):
        return f"目录所列所在地“{location}”即州市名，未指明县市区，归属{prefecture}（州市直属）。"
    if rule.startswith("所在地简称匹配县市区名"):
        return f"目录所列所在地“{location}”对应{region}，归属{region}。"
    if rule.startswith("地理编码地址含县市区名"):
        return f"目录未指明县市区，按园区地址所在的{region}归属。"
    if rule.startswith("坐标落在县市区边界内"):
        return f"目录未指明县市区，按园区坐标所在的{region}归属。"
    if rule.startswith("无法确定县市区"):
        return f"目录所列所在地“{location}”无法对应到县市区，暂归属{prefecture}（州市直属）。"
    return f"归属{region}。"
