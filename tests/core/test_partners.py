from pathlib import Path

import pytest

from wholeplace.errors import InputError
from wholeplace.partners import (
    add_partner,
    import_partners,
    list_partners,
    normalise_type,
    read_partners,
)
from wholeplace.workspace import Workspace


def test_import_partners_with_types_and_population(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "partners.csv"
    f.write_text(
        "id,name,type,group,sector,population_served\n"
        "lcc,Lancashire County Council,County Council,County council,Local government,1250000\n"
        "icb,NHS ICB,nhs-commissioner,NHS,Health,\n"
    )
    import_partners(ws, f)
    ps = {p.id: p for p in list_partners(ws)}
    assert ps["lcc"].type == "county council"
    assert ps["lcc"].population_served == 1_250_000
    assert ps["icb"].type == "nhs commissioner"
    assert ws.audit_log(1)[0].action == "partners import"


def test_bad_partner_file_lists_every_problem_and_writes_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "partners.csv"
    f.write_text(
        "id,name,type,group,sector\na,A,county councl,G,S\na,B,district,G,S\nc,,police,G,S\n"
    )
    with pytest.raises(InputError) as e:
        import_partners(ws, f)
    where = [(p.row, p.column) for p in e.value.problems]
    assert where == [(2, "type"), (3, "id"), (4, "name")]
    assert "did you mean 'county council'" in e.value.problems[0].fix
    assert list_partners(ws) == []


def test_add_partner_rejects_unknown_type(ws: Workspace) -> None:
    with pytest.raises(InputError, match="unknown partner type"):
        add_partner(ws, {"id": "x", "name": "X", "type": "bank", "group": "G", "sector": "S"})


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        # forms accepted before labels.match_key: case, spaces, '-' and '_' ignored
        ("County Council", "county council"),
        ("  NHS_Trust ", "nhs trust"),
        ("nhs--commissioner", "nhs commissioner"),
        ("Combined\tAuthority", "combined authority"),
        ("DWP", "dwp"),
        # now also other punctuation, as every other name match
        ("County Council.", "county council"),
        ("Housing Association (RSL)", None),
        ("academy/trust", "academy trust"),
        ("bank", None),
        ("", None),
    ],
)
def test_normalise_type(typed: str, key: str | None) -> None:
    assert normalise_type(typed) == key


def test_read_partners_empty_file_is_one_problem(tmp_path: Path) -> None:
    f = tmp_path / "partners.csv"
    f.write_text("id,name,type,group,sector\n")
    with pytest.raises(InputError) as e:
        read_partners(f)
    assert [(p.file, p.row, p.message) for p in e.value.problems] == [
        ("partners.csv", None, "no partners in the file")
    ]
