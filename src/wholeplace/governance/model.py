"""The governance register: delivery models and boards, information-sharing agreements and the
data flows they cover, and the risk register. Plain typed records; :mod:`.load` builds them
from a person's file and :mod:`.checks` finds what needs attention on a date."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# Delivery models (CIPFA ALPS; section 75 of the NHS Act 2006 for pooled budgets).
MODELS: dict[str, str] = {
    "lead_commissioning": "Lead commissioning",
    "pooled_budget": "Pooled budget (section 75)",
    "shared_service": "Shared service",
    "joint_venture": "Joint venture",
    "company": "Company",
    "other": "Other",
}
ROLES: dict[str, str] = {
    "chair": "Chair",
    "sro": "Senior responsible owner",
    "sponsor": "Sponsor",
    "member": "Member",
}
# UK GDPR article 6(1) lawful bases and article 9(2) conditions for special category data.
ARTICLE_6: dict[str, str] = {
    "a": "consent",
    "b": "contract",
    "c": "legal obligation",
    "d": "vital interests",
    "e": "public task",
    "f": "legitimate interests",
}
ARTICLE_9: dict[str, str] = {
    "a": "explicit consent",
    "b": "employment, social security and social protection law",
    "c": "vital interests",
    "d": "not-for-profit bodies",
    "e": "made public by the data subject",
    "f": "legal claims or judicial acts",
    "g": "reasons of substantial public interest",
    "h": "health or social care",
    "i": "public health",
    "j": "archiving, research and statistics",
}


def plain(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists: the form JSON and the database keep."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Member:
    name: str
    organisation: str
    role: str  # a key of ROLES


@dataclass(frozen=True)
class Board:
    id: str
    name: str
    members: tuple[Member, ...]

    def with_role(self, role: str) -> list[Member]:
        return [m for m in self.members if m.role == role]


@dataclass(frozen=True)
class DeliveryModel:
    service: str
    model: str  # a key of MODELS
    accountable_body: str
    commissioner: str
    deliverer: str
    boards: tuple[str, ...] = ()
    description: str | None = None

    @property
    def model_label(self) -> str:
        return MODELS[self.model]


@dataclass(frozen=True)
class DataFlow:
    id: str
    source: str  # the partner sending
    recipient: str  # the partner receiving
    data_items: tuple[str, ...]
    use: str


@dataclass(frozen=True)
class Agreement:
    id: str
    title: str
    parties: tuple[str, ...]
    purpose: str
    uses: tuple[str, ...]  # what the shared data may be used for; a flow's use must be one
    article_6: tuple[str, ...]  # "6(1)(e)"
    article_9: tuple[str, ...]  # "9(2)(h)"; empty unless special_category
    special_category: bool
    data_items: tuple[str, ...]
    retention: str
    security: str
    review_date: date
    expires: date | None
    flows: tuple[str, ...]

    @property
    def ends(self) -> date:
        """The last day it is in force: ``expires``, or the review date when none is given."""
        return self.expires or self.review_date


BANDS = (  # (lowest score, label): a 5 x 5 score of 1 to 25
    (15, "very high"),
    (10, "high"),
    (5, "medium"),
    (1, "low"),
)


def band(score: int) -> str:
    for lowest, label in BANDS:
        if score >= lowest:
            return label
    raise ValueError(f"a score is 1 to 25, not {score}")


@dataclass(frozen=True)
class Risk:
    id: str
    risk: str
    owner: str
    likelihood: int  # 1 to 5
    impact: int  # 1 to 5
    mitigations: tuple[str, ...]
    residual_likelihood: int
    residual_impact: int
    review_date: date

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    @property
    def band(self) -> str:
        return band(self.score)

    @property
    def residual_band(self) -> str:
        return band(self.residual_score)


@dataclass
class Register:
    delivery_models: list[DeliveryModel] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    data_flows: list[DataFlow] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = plain(asdict(self))
        for m, d in zip(out["delivery_models"], self.delivery_models, strict=True):
            m["model_label"] = d.model_label
        for a, agreement in zip(out["agreements"], self.agreements, strict=True):
            a["ends"] = agreement.ends.isoformat()
        for r, risk in zip(out["risks"], self.risks, strict=True):
            r.update(
                score=risk.score,
                band=risk.band,
                residual_score=risk.residual_score,
                residual_band=risk.residual_band,
            )
        return out


def register_from_json(data: dict[str, Any]) -> Register:
    """The inverse of :meth:`Register.to_json` (extra keys it adds are ignored)."""

    def d(v: str | None) -> date | None:
        return None if v is None else date.fromisoformat(v)

    return Register(
        [
            DeliveryModel(
                m["service"],
                m["model"],
                m["accountable_body"],
                m["commissioner"],
                m["deliverer"],
                tuple(m["boards"]),
                m["description"],
            )
            for m in data["delivery_models"]
        ],
        [
            Board(b["id"], b["name"], tuple(Member(**x) for x in b["members"]))
            for b in data["boards"]
        ],
        [
            DataFlow(f["id"], f["source"], f["recipient"], tuple(f["data_items"]), f["use"])
            for f in data["data_flows"]
        ],
        [
            Agreement(
                a["id"],
                a["title"],
                tuple(a["parties"]),
                a["purpose"],
                tuple(a["uses"]),
                tuple(a["article_6"]),
                tuple(a["article_9"]),
                a["special_category"],
                tuple(a["data_items"]),
                a["retention"],
                a["security"],
                date.fromisoformat(a["review_date"]),
                d(a["expires"]),
                tuple(a["flows"]),
            )
            for a in data["agreements"]
        ],
        [
            Risk(
                r["id"],
                r["risk"],
                r["owner"],
                r["likelihood"],
                r["impact"],
                tuple(r["mitigations"]),
                r["residual_likelihood"],
                r["residual_impact"],
                date.fromisoformat(r["review_date"]),
            )
            for r in data["risks"]
        ],
    )
