"""The bundled library: it loads cleanly, its seeds are untouched, and its curation holds."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from briefing_tui.cli import main
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import (
    AnchorStatus,
    Brief,
    Claim,
    ClaimStatus,
    Library,
    Passage,
    Source,
    Span,
    Stance,
)

# sha256 of the seed articles as delivered, before any front matter was added.
SEED_SHA256 = {
    "seeds/000_9292bdf23f8d844a.txt": (
        "4996a7531963f3435014296ceac4bdaa64d469e50080cb5fd300913b623d2b2a"
    ),
    "seeds/001_ed268c52213b23d3.txt": (
        "56acce6ab8fc2fc4c8c3d72e5cf1fca54b93412a3fdc9d2b17e3723824f2eba7"
    ),
    "seeds/002_9e1c9d8b89780489.txt": (
        "5708f8746c5188d7f4a84caf768584a132e193fbaca8871f3d9cc03f7030a6fd"
    ),
    "seeds/003_ec36a14128f0579a.txt": (
        "b4dc3e0c0d5f7c8c3804657d2fde6dff5843c342c1b8f87fc84a4c2ae754eeaf"
    ),
    "seeds/004_cf691fe66a475043.txt": (
        "160a9c4ef687d24ef29ee985e9efc1884fe802e913787117008e923bae8986d6"
    ),
}
GMI = "seeds/000_9292bdf23f8d844a.txt"
UNSIGNED_REPORT = "seeds/001_ed268c52213b23d3.txt"
SUMMARY = "seeds/002_9e1c9d8b89780489.txt"
ANALYSIS = "seeds/003_ec36a14128f0579a.txt"
PREVIEW = "seeds/004_cf691fe66a475043.txt"


@pytest.fixture(scope="module")
def library() -> Library:
    """The bundled library, loaded once for the module."""
    return load_library()


def brief_named(library: Library, stem: str) -> Brief:
    """The brief whose file is briefs/<stem>.yaml."""
    return next(b for b in library.briefs if b.path == f"briefs/{stem}.yaml")


def claim_with_id(library: Library, stem: str, claim_id: str) -> Claim:
    """A claim found by its brief's file stem and its id."""
    return next(c for c in brief_named(library, stem).claims if c.id == claim_id)


def supporting_paths(brief: Brief, claim: Claim) -> set[str]:
    """The seed files whose passages support a claim."""
    return {
        source.source.path
        for p in claim.passages
        if p.stance is Stance.SUPPORTS and (source := brief.source(p.source_key)) is not None
    }


def passage_path(brief: Brief, passage: Passage) -> str | None:
    """The seed file a passage quotes."""
    source = brief.source(passage.source_key)
    return source.source.path if source is not None else None


def passage_set(brief: Brief, claim: Claim) -> frozenset[tuple[str | None, Span | None]]:
    """What a claim cites: each passage as its source file and anchored span."""
    return frozenset((passage_path(brief, p), p.span) for p in claim.passages)


def body_bytes(root: Path, source: Source) -> bytes:
    """The bytes of a source file from the line its body starts on."""
    lines = (root / source.path).read_bytes().splitlines(keepends=True)
    return b"".join(lines[source.body_line - 1 :])


def test_loads_without_errors_or_warnings(library: Library) -> None:
    """Every brief and source loads, and nothing is reported."""
    assert [d.format() for d in library.diagnostics] == []


def test_every_passage_anchors_exactly_or_after_normalisation(library: Library) -> None:
    """No quote is approximate, ambiguous or orphaned."""
    loose = [
        (brief.path, passage.quote, passage.anchor.status)
        for brief in library.briefs
        for passage in brief.passages()
        if passage.anchor.status not in (AnchorStatus.EXACT, AnchorStatus.NORMALISED)
    ]
    assert loose == []


def test_has_enough_briefs_and_uses_every_seed(library: Library) -> None:
    """At least eight topics, and each seed is quoted somewhere."""
    assert len(library.briefs) >= 8
    quoted = {
        source.source.path
        for brief in library.briefs
        for passage in brief.passages()
        if (source := brief.source(passage.source_key)) is not None
    }
    assert quoted == set(SEED_SHA256)


def test_seed_bodies_are_the_articles_as_delivered(library: Library) -> None:
    """Front matter was only prepended: each body is byte-for-byte the original article."""
    assert set(library.sources) == set(SEED_SHA256)
    for path, source in library.sources.items():
        body = body_bytes(library.root, source)
        assert hashlib.sha256(body).hexdigest() == SEED_SHA256[path], path
        assert source.text == body.decode("utf-8"), path


def test_front_matter_states_only_what_the_articles_state(library: Library) -> None:
    """Titles, outlets and authors appear in the article; no date is invented."""
    for path, source in library.sources.items():
        meta = source.meta
        assert meta.published is None, path
        assert meta.kind and meta.note, path
        for stated in (meta.title, meta.outlet, meta.author):
            assert stated is None or stated in source.text, (path, stated)
    gmi = library.sources[GMI].meta
    assert (gmi.outlet, gmi.author) == ("GMI POST", "Rey Alcaraz")
    assert library.sources[PREVIEW].meta.kind == "preview"


def test_source_keys_name_the_same_seed_in_every_brief(library: Library) -> None:
    """A reader can rely on a key such as `gmi` meaning one article throughout."""
    paths_by_key: dict[str, set[str]] = {}
    for brief in library.briefs:
        for source in brief.sources:
            paths_by_key.setdefault(source.key, set()).add(source.source.path)
    assert all(len(paths) == 1 for paths in paths_by_key.values()), paths_by_key


def test_source_keys_describe_each_article_not_one_of_its_stories(library: Library) -> None:
    """One neutral key per seed, used in every brief that cites it."""
    keys_by_path: dict[str, set[str]] = {}
    for brief in library.briefs:
        for source in brief.sources:
            keys_by_path.setdefault(source.source.path, set()).add(source.key)
    assert keys_by_path == {
        GMI: {"gmi"},
        UNSIGNED_REPORT: {"unsigned-report"},
        SUMMARY: {"summary"},
        ANALYSIS: {"analysis"},
        PREVIEW: {"preview"},
    }
    assert library.sources[SUMMARY].meta.kind == "summary"


def test_source_notes_keep_to_what_each_article_states(library: Library) -> None:
    """Comparisons with other sources belong in claim notes, not in a source's own note."""
    others = {
        GMI: ("analysis", "joint-forces"),
        UNSIGNED_REPORT: ("GMI POST", "no other source", "analysis"),
        SUMMARY: ("only source", "GMI POST"),
        ANALYSIS: ("GMI POST", "only source"),
        PREVIEW: ("GMI POST", "analysis"),
    }
    for path, words in others.items():
        note = library.sources[path].meta.note or ""
        assert not [word for word in words if word in note], (path, note)


def test_claims_have_unique_ids_and_conflicts_explain_themselves(library: Library) -> None:
    """Every claim has a stable id, and every conflicting passage says what differs."""
    for brief in library.briefs:
        ids = [claim.id for claim in brief.claims]
        assert None not in ids and len(ids) == len(set(ids)), brief.path
        for passage in brief.passages():
            if passage.stance is Stance.CONFLICTS:
                assert passage.note, (brief.path, passage.quote)


def test_preview_passages_are_marked_as_written_before_the_summit(library: Library) -> None:
    """What the preview expected is never passed off as an outcome."""
    for brief in library.briefs:
        for passage in brief.passages():
            source = brief.source(passage.source_key)
            if source is not None and source.source.path == PREVIEW:
                assert "before the summit" in (passage.note or ""), (brief.path, passage.quote)


def test_troop_numbers_are_contested(library: Library) -> None:
    """54,000 troops (GMI POST) against 55,000 personnel (unsigned report)."""
    claim = claim_with_id(library, "03-forces-command", "troop-numbers")
    assert claim.status is ClaimStatus.CONTESTED
    conflicting = [p for p in claim.passages if p.stance is Stance.CONFLICTS]
    assert [p.quote for p in conflicting] == [
        "operational command over 55,000 U.S. personnel in Japan"
    ]


def test_meeting_date_is_not_contested_by_a_posting_date(library: Library) -> None:
    """The GMI POST report dates the meeting, the preview planned it for that day, and the
    February 8 on the embedded post is when it was posted, so it is context, not a conflict."""
    brief = brief_named(library, "01-meeting")
    date = claim_with_id(library, "01-meeting", "date-february-7")
    assert date.status is ClaimStatus.CORROBORATED
    assert supporting_paths(brief, date) == {GMI, PREVIEW}
    post = next(p for p in date.passages if "February 8" in p.quote)
    assert post.stance is Stance.CONTEXT
    assert "posted" in (post.note or "")
    assert "different day" not in (brief.summary or "")


def test_japan_defence_budget_is_contested(library: Library) -> None:
    """The $23 billion budget is contested by the analysis's $95.2 billion."""
    budget = claim_with_id(library, "04-defence-spending", "japan-budget-now")
    assert budget.status is ClaimStatus.CONTESTED
    assert all("$95.2 billion" in p.quote for p in budget.passages if p.stance is Stance.CONFLICTS)


def test_forecast_budget_is_contested_by_the_gmi_base(library: Library) -> None:
    """$125 billion as 31% over 2024 implies about $95.4 billion, which $23 billion does not fit."""
    brief = brief_named(library, "04-defence-spending")
    claim = claim_with_id(library, "04-defence-spending", "japan-budget-2028")
    assert claim.status is ClaimStatus.CONTESTED
    conflicting = {
        source.source.path
        for p in claim.passages
        if p.stance is Stance.CONFLICTS and (source := brief.source(p.source_key)) is not None
    }
    assert conflicting == {GMI}
    assert "95.4" in (claim.note or "")


def test_analysis_military_items_done_and_to_come_are_contested(library: Library) -> None:
    """The table's systems in place against the forecast's systems still to come, one article."""
    brief = brief_named(library, "04-defence-spending")
    claim = claim_with_id(library, "04-defence-spending", "military-tech-in-place")
    assert claim.status is ClaimStatus.CONTESTED
    assert {passage_path(brief, p) for p in claim.passages} == {ANALYSIS}


def test_inconsistencies_inside_the_analysis_are_recorded(library: Library) -> None:
    """Offset imbalances against imbalances to address, and parts that fall short of a total."""
    offset = claim_with_id(library, "07-trade-tariffs", "deficit-offset")
    assert offset.status is ClaimStatus.CONTESTED
    supply = claim_with_id(library, "07-trade-tariffs", "supply-chains-520bn")
    assert "$420 billion" in (supply.note or "")
    cyber = claim_with_id(library, "04-defence-spending", "cyber-92bn")
    context = " ".join(p.quote for p in cyber.passages if p.stance is Stance.CONTEXT)
    assert "$112 billion" in context and "$185 billion" in context


def test_figures_are_read_as_written(library: Library) -> None:
    """'Command over 55,000' is a preposition, and Okinawa is named outside the analysis."""
    troops = claim_with_id(library, "03-forces-command", "troop-numbers")
    assert "Says over 55,000" not in " ".join(p.note or "" for p in troops.passages)
    assert "2%" in (troops.note or "")
    okinawa = claim_with_id(library, "03-forces-command", "okinawa-realignment")
    assert "Okinawa realignment" in (okinawa.note or "")


def test_article_5_is_corroborated_by_at_least_three_sources(library: Library) -> None:
    """The GMI POST report, the unsigned report and the analysis all report it."""
    brief = brief_named(library, "02-treaty-senkaku")
    claim = claim_with_id(library, "02-treaty-senkaku", "article-5-senkaku")
    assert claim.status is ClaimStatus.CORROBORATED
    assert len(supporting_paths(brief, claim)) >= 3


def test_trillion_dollar_pledge_is_stated_by_two_reports(library: Library) -> None:
    """The unsigned report and the analysis both state the $1 trillion pledge."""
    brief = brief_named(library, "05-investment-jobs")
    claim = claim_with_id(library, "05-investment-jobs", "trillion-pledge")
    assert claim.status is ClaimStatus.CORROBORATED
    assert supporting_paths(brief, claim) == {UNSIGNED_REPORT, ANALYSIS}


def test_job_figures_are_different_measures_not_a_conflict(library: Library) -> None:
    """850,000 jobs supported today and 1.5 million projected new jobs stay separate claims."""
    for claim_id in ("jobs-supported-850000", "jobs-new-1-5m"):
        claim = claim_with_id(library, "05-investment-jobs", claim_id)
        assert claim.status is ClaimStatus.SINGLE_SOURCE
        assert claim.note and "different measure" in claim.note


def test_trump_seeing_jobs_is_not_an_agreement_on_employment(library: Library) -> None:
    """Only the summary reports an agreement to increase investment and employment."""
    brief = brief_named(library, "05-investment-jobs")
    claim = claim_with_id(library, "05-investment-jobs", "investment-employment")
    assert claim.status is ClaimStatus.SINGLE_SOURCE
    assert supporting_paths(brief, claim) == {SUMMARY}


def test_single_source_figures_stay_single_source(library: Library) -> None:
    """China's $230 billion and the 40% of trade through the Taiwan Strait have one source."""
    brief = brief_named(library, "04-defence-spending")
    china = claim_with_id(library, "04-defence-spending", "china-budget-230bn")
    taiwan = claim_with_id(library, "09-region", "taiwan-strait-40-percent")
    assert china.status is ClaimStatus.SINGLE_SOURCE
    assert taiwan.status is ClaimStatus.SINGLE_SOURCE
    assert supporting_paths(brief, china) == {GMI}


def test_quad_claim_quotes_the_groupings_and_partners_the_analysis_names(library: Library) -> None:
    """The analysis names the Quad, the G7 and three partners, though not the Philippines."""
    brief = brief_named(library, "09-region")
    claim = claim_with_id(library, "09-region", "quad-trilaterals")
    analysis = " ".join(
        p.quote
        for p in claim.passages
        if (source := brief.source(p.source_key)) is not None and source.source.path == ANALYSIS
    )
    assert "Quadrilateral Security Dialogue (Quad)" in analysis
    assert "(Australia, India, and South Korea)" in analysis
    assert "names no grouping" not in (claim.note or "")
    assert "Philippines" in (claim.note or "")


def test_no_two_claims_in_the_library_cite_the_same_passages(library: Library) -> None:
    """A claim repeated under another name would count its evidence twice."""
    cited: dict[frozenset[tuple[str | None, Span | None]], list[str]] = {}
    for brief in library.briefs:
        for claim in brief.claims:
            cited.setdefault(passage_set(brief, claim), []).append(f"{brief.path}:{claim.id}")
    assert [names for names in cited.values() if len(names) > 1] == []


def test_preview_brief_claims_are_expectations_backed_by_the_preview_alone(
    library: Library,
) -> None:
    """Each claim of brief 10 is one thing the preview expected, supported only by the preview;
    what later sources report stands beside it as context, so no outcome badge is inflated."""
    brief = brief_named(library, "10-preview-vs-outcome")
    for claim in brief.claims:
        assert claim.text.startswith(("The preview", "Before the summit")), claim.id
        assert claim.status is ClaimStatus.SINGLE_SOURCE, claim.id
        assert supporting_paths(brief, claim) == {PREVIEW}, claim.id
        later = [p for p in claim.passages if passage_path(brief, p) != PREVIEW]
        assert all(p.stance is Stance.CONTEXT for p in later), claim.id
    ids = {claim.id for claim in brief.claims}
    assert {
        "economy-tied-to-security",
        "agreements-reversed",
        "yen-weaker",
        "new-treaty-commitments",
        "defence-spending-discussed",
        "trump-endorsement-deterrent",
    } <= ids
    assert not ids & {"article-5-sought-and-given", "tariffs-feared"}


def test_transactional_pressure_weighs_the_tariff_talk(library: Library) -> None:
    """The analysis's tariffs kept open and Tokyo expected to act are set beside the fear."""
    claim = claim_with_id(library, "10-preview-vs-outcome", "transactional-pressure")
    quotes = " ".join(p.quote for p in claim.passages)
    assert "did not explicitly rule out" in quotes
    assert "address trade imbalances" in quotes
    assert "No later source reports such a demand" not in (claim.note or "")


def test_every_claim_has_an_id_fit_for_bookmarks_and_links(library: Library) -> None:
    """Ids are lowercase words joined by hyphens, so places named by them stay stable."""
    for brief in library.briefs:
        for claim in brief.claims:
            assert claim.id is not None, (brief.path, claim.text)
            assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", claim.id), (brief.path, claim.id)


def test_no_claim_mirrors_another_in_its_brief(library: Library) -> None:
    """Two claims of one brief never each cite, as context, what the other quotes in support:
    a comparison between two figures is recorded once, not from both sides."""
    for brief in library.briefs:
        cited = []
        for claim in brief.claims:
            cites = passage_set(brief, claim)
            support = {
                (passage_path(brief, p), p.span)
                for p in claim.passages
                if p.stance is Stance.SUPPORTS
            }
            cited.append((claim.id, support, cites - support))
        for index, (first, first_support, first_other) in enumerate(cited):
            for second, second_support, second_other in cited[index + 1 :]:
                mirrored = bool(first_support & second_other and second_support & first_other)
                assert not mirrored, (brief.path, first, second)


def test_energy_claims_say_no_more_than_their_sources(library: Library) -> None:
    """Energy is corroborated; the LNG focus is the analysis's alone, Alaska LNG the report's."""
    brief = brief_named(library, "08-technology-energy")
    energy = claim_with_id(library, "08-technology-energy", "energy-cooperation")
    lng = claim_with_id(library, "08-technology-energy", "lng-exports")
    assert energy.status is ClaimStatus.CORROBORATED
    assert GMI in supporting_paths(brief, energy)
    assert supporting_paths(brief, lng) == {ANALYSIS}


def test_strict_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    """`briefing check --strict` on the bundled library exits 0."""
    assert main(["check", "--strict"]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out
