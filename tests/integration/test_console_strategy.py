"""Console → Mål og landstal on both databases: targets per indicator (the instrument's is the
default) and reference figures from CSV (all or nothing), and that the report and the results
table use them."""

from __future__ import annotations

import pytest

from exports.report.source import load_report_inputs, results_of
from surveys.db.tables import IndicatorTarget, ReferenceFigure
from surveys.responses.importing import insert_responses, stored_instrument
from surveys.responses.synthetic import synthetic_responses
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

pytestmark = pytest.mark.anyio

GOOD = (
    "source;year;indicator;value;n;ci_low;ci_high\n"
    "Skolebørnsundersøgelsen;2022;har_proevet_hash;18;3500;;\n"
    "Den nationale trivselsmåling;2025;trivsel_skala;3,8;;3,78;3,82\n"
).encode("utf-8-sig")  # as Danish Excel saves it: BOM, semicolons, decimal commas


async def _upload(client, data: bytes):
    from tests.integration.console_world import csrf_token

    return await client.post(
        "/console/strategy/references", data={"_csrf_token": await csrf_token(client)},
        files={"file": ("tal.csv", data, "text/csv")},
    )


@pytest.mark.parametrize("role", ["coordinator_a", "teacher_a"])
async def test_only_admins_and_analysts_set_targets_and_figures(client, world: World, role: str) -> None:
    await login_as(client, world, role)
    assert (await client.get("/console/strategy")).status_code == 403
    form = {"indicator": "foeler_sig_ofte_ensom", "op": "<=", "value": "12", "year": "2028"}
    assert (await post_form(client, "/console/strategy/targets", form)).status_code == 403
    assert (await _upload(client, GOOD)).status_code == 403
    assert "/console/strategy" not in (await client.get("/console")).text
    assert await IndicatorTarget.count() == 0 and await ReferenceFigure.count() == 0


async def test_an_analyst_sets_a_target_and_the_analysis_uses_it(client, world: World) -> None:
    await login_as(client, world, "analyst")
    page = await client.get("/console/strategy")
    assert page.status_code == 200 and "højst 25 % i 2020" in page.text  # the instrument's default target
    bad = await post_form(client, "/console/strategy/targets", {"indicator": "foeler_sig_ofte_ensom", "op": "<=",
                                                                 "value": "120", "year": "20x8"})
    assert bad.status_code == 422
    assert "Målet skal være en procent fra 0 til 100." in bad.text and "Året skal være et årstal" in bad.text
    assert await IndicatorTarget.count() == 0
    saved = await post_form(client, "/console/strategy/targets", {"indicator": "foeler_sig_ofte_ensom", "op": "<=",
                                                                   "value": "12,5", "year": "2028"})
    assert saved.status_code == 303 and saved.headers["location"] == "/console/strategy?saved=target"
    none = await post_form(client, "/console/strategy/targets", {"indicator": "har_proevet_hash", "op": "none"})
    assert none.status_code == 303
    page = await client.get("/console/strategy?saved=target")
    assert "Målet er gemt." in page.text and "højst 12,5 % i 2028" in page.text

    version_id, instrument = await stored_instrument("ung-trivsel-rusmidler")
    data = synthetic_responses(instrument, schools=2, years=[2025, 2026], pupils=40, seed=3)
    await insert_responses(version_id, data.rows(), create_schools=True)
    inputs = await load_report_inputs("ung-trivsel-rusmidler", [2025, 2026], with_events=False)
    goals = {i.id: i.target for i in inputs.instrument.indicators if i.goal}
    assert set(goals) == {"foeler_sig_ofte_ensom"}  # "intet mål" removed the file's hash target
    assert goals["foeler_sig_ofte_ensom"].value == pytest.approx(0.125) and goals["foeler_sig_ofte_ensom"].year == 2028
    rows = results_of(inputs)
    targets = {r.indicator for r in rows if r.comparison == "target"}
    assert targets == {"foeler_sig_ofte_ensom"}

    removed = await post_form(client, "/console/strategy/targets/har_proevet_hash/remove")
    assert removed.status_code == 303
    inputs = await load_report_inputs("ung-trivsel-rusmidler", [2025, 2026], with_events=False)
    assert {i.id for i in inputs.instrument.indicators if i.goal} == {"foeler_sig_ofte_ensom", "har_proevet_hash"}
    assert (await post_form(client, "/console/strategy/targets/har_proevet_hash/remove")).status_code == 404


async def test_reference_figures_upload_all_or_nothing_and_replace(client, world: World) -> None:
    await login_as(client, world, "admin")
    broken = GOOD.decode("utf-8-sig").replace("har_proevet_hash;18;3500", "har_proevet_hasj;180;-3").encode()
    response = await _upload(client, broken)
    assert response.status_code == 422
    assert "linje 2, kolonne indicator" in response.text and "linje 2, kolonne n" in response.text
    assert await ReferenceFigure.count() == 0
    response = await _upload(client, GOOD)
    assert response.status_code == 200 and "Importeret: 2 tal" in response.text
    assert "Skolebørnsundersøgelsen" in response.text and "3,78–3,82" in response.text  # Danish decimal commas
    rows = await ReferenceFigure.select().order_by(ReferenceFigure.year)
    assert [(r["source"], r["year"], r["value"], r["n"], r["ci_low"], r["ci_high"]) for r in rows] == [
        ("Skolebørnsundersøgelsen", 2022, 18.0, 3500, None, None),
        ("Den nationale trivselsmåling", 2025, 3.8, None, 3.78, 3.82),
    ]
    again = GOOD.decode("utf-8-sig").replace(";18;3500;", ";17;3400;").encode()
    response = await _upload(client, again)
    assert "heraf 2 erstattet" in response.text and await ReferenceFigure.count() == 2
    first = (await ReferenceFigure.select(ReferenceFigure.id).order_by(ReferenceFigure.year).first())["id"]
    assert (await post_form(client, f"/console/strategy/references/{first}/delete")).status_code == 303
    assert await ReferenceFigure.count() == 1
    assert (await post_form(client, f"/console/strategy/references/{first}/delete")).status_code == 404
