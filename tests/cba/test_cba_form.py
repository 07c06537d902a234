"""An appraisal as a form's fields (cba/form.py, the web editor's): read from YAML or the
XLSX template, checked by the same loader, and written back as YAML, with the same figures
as the file it came from."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from wholeplace.cba import analysis_service, service
from wholeplace.cba.compute import compute
from wholeplace.cba.form import AppraisalForm, form_of, yaml_text
from wholeplace.cba.load import loads_appraisal
from wholeplace.errors import InputError

EXAMPLE = Path(str(resources.files("wholeplace") / "data" / "cba" / "example_appraisal.yaml"))


def test_the_example_through_the_form_keeps_every_figure() -> None:
    form = form_of(EXAMPLE)
    expected = service.run(EXAMPLE).to_json()
    assert service.run_form(form).to_json() == expected
    # and written back as YAML, distributions and all
    again = loads_appraisal(yaml_text(form))
    assert compute(again).to_json() == expected
    assert analysis_service.simulate(EXAMPLE, draws=50).to_json() is not None


def test_the_xlsx_template_opens_into_the_form(tmp_path: Path) -> None:
    book = service.template(tmp_path / "t.xlsx").path
    form = form_of(book)
    assert form.costs[0]["amounts"] == "180000, 180000, 180000, 0, 0"
    assert service.run_form(form).to_json() == service.run(book).to_json()


def test_text_stays_text_and_lists_are_split() -> None:
    form = AppraisalForm(
        {
            "name": "A, B",
            "price_year": "2015/16",
            "start_year": "2015/16",
            "years": "2",
            "discount_rate": "0.25",
            "optimism_bias": "0, 0.1, 0.2, 0.3, 0.4, 0.5",
        },
        [
            {
                "description": "Team, and manager",
                "agency": "Council",
                "confidence": "1",
                "amounts": "1000, 500",
            }
        ],
        [],
    )
    a = service.load_form(form)
    assert a.settings.name == "A, B" and a.costs[0].description == "Team, and manager"
    assert str(service.run_form(form).to_json()["pv_costs"]) == "1400.00"  # 1000 + 500 / 1.25


def test_a_problem_names_the_forms_row() -> None:
    form = form_of(EXAMPLE)
    form.outcomes[2]["deadweight"] = "lots"
    with pytest.raises(InputError) as err:
        service.load_form(form, label="mine.yaml")
    [p] = err.value.problems
    assert (p.file, p.sheet, p.row, p.column, p.value) == (
        "mine.yaml",
        "Outcomes",
        3,
        "outcomes[2].deadweight",
        "lots",
    )
