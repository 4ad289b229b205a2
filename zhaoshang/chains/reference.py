"""The shipped chain data (``data/chains/*.yaml``, ``data/thresholds.yaml``), read and checked.

A chain file lists its nodes flat, each with its parent's id: a node without a parent is a segment (环节) and
names its position (upstream / midstream / downstream / supporting); its children are modules and theirs are
products or technologies (three levels). ``tier`` is 高 / 中 / 低 (default 中), ``key: true`` marks a key link,
``words`` and ``ex`` are |-separated identifying and excluding words, ``gbt`` GB/T 4754-2017 小类 codes.
``flows`` are ``source > target`` pairs of node ids (source supplies target). See ``data/SOURCES.md``.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from zhaoshang.chains.choices import NodeLevel, Position, ValueTier

DATA = Path(__file__).resolve().parent / "data"
CHAIN_DIR = DATA / "chains"
THRESHOLDS_FILE = DATA / "thresholds.yaml"
MAKERS_FILE = DATA / "makers.yaml"
TIERS = {"高": ValueTier.HIGH, "中": ValueTier.MEDIUM, "低": ValueTier.LOW}
POSITIONS = {value for value, _ in Position.choices}


class ChainDataError(ValueError):
    pass


@dataclass(frozen=True)
class NodeRow:
    key: str
    name: str
    parent_key: str
    level: int
    position: str
    value_tier: str
    is_key_link: bool
    keywords: str
    exclude_words: str
    gbt_codes: str
    description: str
    seq: int


@dataclass(frozen=True)
class ChainData:
    code: str
    name: str
    short_name: str
    key_industry: str
    is_focus: bool
    sort_order: int
    source: str
    nodes: list[NodeRow] = field(default_factory=list)
    flows: list[tuple[str, str]] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """The content of the shipped version, to tell whether the file changed since it was loaded."""
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def _words(value) -> str:
    """|-separated words as stored: one a line."""
    if value is None:
        return ""
    return "\n".join(w.strip() for w in str(value).split("|") if w.strip())


def read_chain(path: Path) -> ChainData:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    for key in ("code", "name", "short_name", "nodes"):
        if not raw.get(key):
            raise ChainDataError(f"{where}: 缺少 {key}")
    nodes: list[NodeRow] = []
    by_key: dict[str, NodeRow] = {}
    seq: dict[str, int] = {}
    for item in raw["nodes"]:
        key, parent_key = str(item["id"]), str(item.get("parent") or "")
        if key in by_key:
            raise ChainDataError(f"{where}: 节点 {key} 重复")
        if parent_key:
            parent = by_key.get(parent_key)
            if parent is None:
                raise ChainDataError(f"{where}: 节点 {key} 的上级 {parent_key} 不存在（上级须写在前面）")
            level, position = parent.level + 1, parent.position
            if level > NodeLevel.PRODUCT:
                raise ChainDataError(f"{where}: 节点 {key} 超过三层")
        else:
            level, position = NodeLevel.SEGMENT, str(item.get("pos") or "")
            if position not in POSITIONS:
                raise ChainDataError(f"{where}: 环节 {key} 的位置 {position!r} 应为 {sorted(POSITIONS)} 之一")
        tier = TIERS.get(str(item.get("tier") or "中"))
        if tier is None:
            raise ChainDataError(f"{where}: 节点 {key} 的价值层级应为 高/中/低")
        seq[parent_key] = seq.get(parent_key, 0) + 10
        row = NodeRow(
            key=key,
            name=str(item["name"]),
            parent_key=parent_key,
            level=int(level),
            position=position,
            value_tier=str(tier),
            is_key_link=bool(item.get("key", False)),
            keywords=_words(item.get("words")),
            exclude_words=_words(item.get("ex")),
            gbt_codes=",".join(c.strip() for c in str(item.get("gbt") or "").split(",") if c.strip()),
            description=str(item.get("desc") or ""),
            seq=seq[parent_key],
        )
        by_key[key] = row
        nodes.append(row)
    flows = []
    for line in raw.get("flows") or []:
        source, _, target = str(line).partition(">")
        source, target = source.strip(), target.strip()
        if source not in by_key or target not in by_key or source == target:
            raise ChainDataError(f"{where}: 供给关系 {line!r} 的节点不存在或首尾相同")
        flows.append((source, target))
    return ChainData(
        code=str(raw["code"]),
        name=str(raw["name"]),
        short_name=str(raw["short_name"]),
        key_industry=str(raw.get("key_industry") or ""),
        is_focus=bool(raw.get("focus", False)),
        sort_order=int(raw.get("order") or 0),
        source=" ".join(str(raw.get("source") or "").split()),
        nodes=nodes,
        flows=flows,
    )


def shipped_chains() -> list[ChainData]:
    chains = [read_chain(path) for path in sorted(CHAIN_DIR.glob("*.yaml"))]
    return sorted(chains, key=lambda c: (c.sort_order, c.code))


@lru_cache(maxsize=1)
def default_thresholds() -> dict:
    return dict(yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_products() -> dict[str, str]:
    """What the enterprises of the shipped maker table make: {enterprise name: products}, the team's own list of
    listed companies' main products (``data/makers.yaml``), used as strong evidence by the placement."""
    if not MAKERS_FILE.exists():
        return {}
    raw = yaml.safe_load(MAKERS_FILE.read_text(encoding="utf-8")) or {}
    return {str(name): str(products) for name, products in raw.get("makers", {}).items()}
