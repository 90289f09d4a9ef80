"""The source view draws each passage's style on exactly its characters (on a small host)."""

from __future__ import annotations

from reader_helpers import PassageRef, passage_at, style_of, styled_chars, where
from textual.app import App, ComposeResult

from briefing_tui.core.library.model import Library
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.source_view import SourceView

SIZE = (120, 40)


class ViewHost(App[None]):
    """A source view alone, showing one source of a topic with the topic's passages."""

    def __init__(self, library: Library, source_key: str, brief: int = 0) -> None:
        super().__init__()
        self.brief = library.briefs[brief]
        self.source_key = source_key

    def compose(self) -> ComposeResult:
        yield SourceView()

    def on_mount(self) -> None:
        named = self.brief.source(self.source_key)
        assert named is not None
        highlights = ReaderScreen.highlights(self.brief, self.source_key)
        self.query_one(SourceView).show(named.source.text, highlights, None)


async def test_passages_are_styled_by_stance_on_exactly_their_characters(
    library: Library,
) -> None:
    app = ViewHost(library, "a")
    async with app.run_test(size=SIZE):
        article = passage_at(library, PassageRef(0, 0, 0))
        assert article.span is not None
        text, chars = styled_chars(app, article.span)
        assert text.startswith("✔ They reaffirmed that Article 5")
        quote = text.index("Article 5 applies to the islands")
        underlined = [i for i, (_, style) in enumerate(chars) if style.underline]
        assert underlined == list(range(quote, quote + len(article.quote)))


async def test_a_tab_before_a_passage_keeps_the_highlight_on_the_quote(library: Library) -> None:
    app = ViewHost(library, "a")
    async with app.run_test(size=SIZE):
        tariffs = passage_at(library, PassageRef(0, 1, 0))
        assert tariffs.span is not None
        text, chars = styled_chars(app, tariffs.span)
        # The gutter (2 cells), then the tab expanded to the next stop, then the quote.
        assert text.startswith("✔ " + " " * 8 + "Tariffs were not discussed")
        assert not any(style.underline for _, style in chars[2:10])
        assert all(style.underline for style in style_of(app, tariffs.span, tariffs.quote))


async def test_a_wide_character_before_a_passage_keeps_the_highlight_on_the_quote(
    library: Library,
) -> None:
    app = ViewHost(library, "a")
    async with app.run_test(size=SIZE):
        investment = passage_at(library, PassageRef(0, 2, 0))
        assert investment.span is not None
        text, chars = styled_chars(app, investment.span)
        assert text.startswith("✔ 東京 🎌 Investment")
        start = text.index("Investment")
        assert not any(style.underline for _, style in chars[:start])
        assert all(style.underline for style in style_of(app, investment.span, investment.quote))


async def test_stances_are_told_apart_without_colour(library: Library) -> None:
    app = ViewHost(library, "b")
    async with app.run_test(size=SIZE):
        conflicts = passage_at(library, PassageRef(0, 1, 1))
        supports = passage_at(library, PassageRef(0, 0, 1))
        assert conflicts.span is not None and supports.span is not None
        conflict_styles = style_of(app, conflicts.span, conflicts.quote)
        support_styles = style_of(app, supports.span, supports.quote)
        assert all(s.italic and s.underline for s in conflict_styles)
        assert all(s.underline and not s.italic for s in support_styles)
        assert styled_chars(app, conflicts.span)[0].startswith("✖ ")
    app = ViewHost(library, "c")
    async with app.run_test(size=SIZE):
        context = passage_at(library, PassageRef(0, 1, 2))
        assert context.span is not None
        assert all(s.italic and not s.underline for s in style_of(app, context.span, "Analysts"))
        assert styled_chars(app, context.span)[0].startswith("○ ")


async def test_the_selected_passage_stands_out(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")
        tariffs = passage_at(library, PassageRef(0, 1, 0))
        assert tariffs.span is not None
        styles = style_of(app, tariffs.span, tariffs.quote)
        assert all(style.bold and style.reverse for style in styles)
        assert styled_chars(app, tariffs.span)[0].startswith("▶ ")
        article = passage_at(library, PassageRef(0, 0, 0))
        assert article.span is not None
        assert not any(s.reverse for s in style_of(app, article.span, article.quote))


async def test_source_text_is_never_read_as_markup(library: Library) -> None:
    app = ViewHost(library, "c")
    async with app.run_test(size=SIZE):
        view = app.query_one(SourceView)
        lines = [view.render_line(y).text for y in range(4)]
        assert any("[@click=app.quit]not a link[/] stays literal." in line for line in lines)


async def test_a_jump_far_down_scrolls_the_passage_into_view(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=(80, 16)) as pilot:
        view = app.query_one(SourceView)
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("p")
        assert where(app) is not None and where(app).passage == PassageRef(0, 2, 0)
        span = passage_at(library, PassageRef(0, 2, 0)).span
        assert span is not None and view.wrapped is not None
        line = view.wrapped.line_of(span.start)
        assert view.scroll_y <= line < view.scroll_y + view.scrollable_content_region.height


async def test_rewrapping_on_resize_keeps_the_highlights_right(library: Library) -> None:
    app = ViewHost(library, "a")
    async with app.run_test(size=(200, 50)) as pilot:
        view = app.query_one(SourceView)
        wide = view.wrapped
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert view.wrapped is not None and wide is not None
        assert view.wrapped.width < wide.width
        investment = passage_at(library, PassageRef(0, 2, 0))
        assert investment.span is not None
        styles = style_of(app, investment.span, "Investment")
        assert all(style.underline for style in styles)
