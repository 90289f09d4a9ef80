"""The sidebar: briefs as topics, with their claims and a status badge per claim.

It stays cheap however large the library: a topic's claim nodes are made when the topic is
first expanded (a long library opens as an outline, only the current topic expanded), nodes
are added with one repaint for the batch instead of one each, and a label's width, which
the tree asks for every line each time it counts its lines, is measured once per label.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Self

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text, TextType
from textual import on
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import NodeID, TreeNode

from briefing_tui.core.library.model import Brief, ClaimStatus, Library
from briefing_tui.ui.labels import badge_text

# A library with at most this many topics and claims opens with every topic expanded; a
# longer one opens as an outline, with only the topic being read expanded.
EXPANDED_LINES = 500


@dataclass(frozen=True, slots=True)
class TopicNode:
    """What a tree node stands for: a brief (by path), or one of its claims (by key)."""

    brief: str
    claim: str | None = None


class TopicTree(Tree[TopicNode]):
    """Briefs and their claims; Enter or a click chooses one."""

    HELP_NAME = "In the topics"

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {f"topic-tree--{status}" for status in ClaimStatus}
    DEFAULT_CSS = """
    TopicTree {
        & > .topic-tree--corroborated { color: $text-success; }
        & > .topic-tree--contested { color: $text-error; text-style: bold; }
        & > .topic-tree--single-source { color: $text-muted; text-style: italic; }
    }
    """

    class TopicChosen(Message):
        """A topic, or one of its claims, was chosen in the tree."""

        def __init__(self, brief: str, claim: str | None) -> None:
            super().__init__()
            self.brief = brief
            self.claim = claim

    class TopicHighlighted(Message):
        """The cursor moved onto a topic or one of its claims, without choosing it."""

        def __init__(self, brief: str, claim: str | None) -> None:
            super().__init__()
            self.brief = brief
            self.claim = claim

    def __init__(self, *, id: str | None = None) -> None:
        self._topic_nodes: dict[TopicNode, TreeNode[TopicNode]] = {}
        self._badges: dict[TopicNode, tuple[int, ClaimStatus]] = {}
        self._styles_by_status: dict[ClaimStatus, Style] = {}
        self._shown: dict[str, Brief] = {}  # the brief each topic node shows, by path
        self._filled: set[str] = set()  # the topics whose claim nodes have been made
        self._widths: dict[NodeID, tuple[TextType, int]] = {}
        self._held: list[bool] | None = None  # while batching: the layouts asked for
        super().__init__(Text("Topics"), id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2

    def show_library(self, library: Library) -> None:
        """List the topics and claims of a library; a reload redoes only the topics it changed."""
        with self._batch():
            self._show_library(library)

    def _show_library(self, library: Library) -> None:
        paths = [brief.path for brief in library.briefs]
        if paths != list(self._shown):
            expanded = {
                data.brief: node.is_expanded
                for data, node in self._topic_nodes.items()
                if data.claim is None
            }
            lines = len(library.briefs) + sum(len(brief.claims) for brief in library.briefs)
            outline = lines > EXPANDED_LINES
            self.clear()
            self._topic_nodes.clear()
            self._badges.clear()
            self._shown = {brief.path: brief for brief in library.briefs}
            self._filled.clear()
            self._widths.clear()
            for brief in library.briefs:
                data = TopicNode(brief.path)
                expand = expanded.get(brief.path, not outline)
                node = self.root.add(self._title(brief), data, expand=expand)
                self._topic_nodes[data] = node
                if expand:
                    self._fill(node)
            return
        for brief in library.briefs:
            if self._shown[brief.path] is brief:
                continue  # a topic the reload kept as it was: same object, same nodes
            node = self._topic_nodes[TopicNode(brief.path)]
            for claim in self._shown[brief.path].claims:
                data = TopicNode(brief.path, claim.key)
                self._topic_nodes.pop(data, None)
                self._badges.pop(data, None)
            node.set_label(self._title(brief))
            self._shown[brief.path] = brief
            if brief.path in self._filled:
                for child in node.children:
                    self._widths.pop(child.id, None)
                node.remove_children()
                self._filled.discard(brief.path)
                self._fill(node)

    @staticmethod
    def _title(brief: Brief) -> Text:
        return Text(brief.title + (" (stale)" if brief.stale else ""), style="bold")

    def _fill(self, node: TreeNode[TopicNode]) -> None:
        """Make the claim nodes of a topic node, unless they are made already."""
        if node.data is None or node.data.claim is not None or node.data.brief in self._filled:
            return
        brief = self._shown[node.data.brief]
        self._filled.add(brief.path)
        for claim in brief.claims:
            # Tree takes Rich labels; Text never parses markup. Badges are coloured when
            # drawn, so the colours follow the theme.
            badge = badge_text(claim)
            data = TopicNode(brief.path, claim.key)
            self._topic_nodes[data] = node.add_leaf(Text(f"{badge} {claim.text}"), data)
            self._badges[data] = (len(badge), claim.status)

    def _expand(self, node: TreeNode[TopicNode]) -> None:
        """Expand a topic node, making its claim nodes first."""
        with self._batch():
            self._fill(node)
            if not node.is_expanded:
                node.expand()

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Hold the repaint each added node asks for, and repaint once at the end."""
        if self._held is not None:
            yield
            return
        held: list[bool] = []
        self._held = held
        try:
            yield
        finally:
            self._held = None
            if held:
                super().refresh(layout=any(held))

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Repaint; while nodes are being added, once for the batch (each node asks for one)."""
        if self._held is not None and not regions and not recompose:
            self._held.append(layout)
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def process_label(self, label: TextType) -> Text:
        """The label itself when it is one line of Text, as the sidebar's always are."""
        # The tree's own processing splits every label into lines, a copy per node.
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[TopicNode]) -> int:
        """The cells a node's label takes, measured once per label."""
        # The tree asks for every line's width each time it counts its lines (several times
        # while starting); by default it renders the label each time to measure it.
        label = node.label
        known = self._widths.get(node.id)
        if known is None or known[0] is not label:
            width = label.cell_len if isinstance(label, Text) else cell_len(label)
            known = self._widths[node.id] = (label, width)
        icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        return known[1] + (cell_len(icon) if node.allow_expand else 0)

    def render_label(self, node: TreeNode[TopicNode], base_style: Style, style: Style) -> Text:
        """The node's label, with a claim's badge coloured by its status."""
        label = super().render_label(node, base_style, style)
        if node.data in self._badges:
            length, status = self._badges[node.data]
            label.stylize(self._badge_styles[status], 0, length)
        return label

    @property
    def _badge_styles(self) -> dict[ClaimStatus, Style]:
        # Looked up once per theme, not once per drawn line.
        if not self._styles_by_status:
            self._styles_by_status = {
                status: self.get_component_rich_style(f"topic-tree--{status}")
                for status in ClaimStatus
            }
        return self._styles_by_status

    def notify_style_update(self) -> None:
        """Look the badge colours up again after a theme change."""
        super().notify_style_update()
        self._styles_by_status = {}

    def show_place(self, brief: str, claim: str | None) -> None:
        """Put the cursor on a topic or claim without choosing it again."""
        topic = self._topic_nodes.get(TopicNode(brief))
        if topic is None:
            return
        if claim is not None or brief not in self._filled:
            # A claim is shown inside its topic; a topic read for the first time is expanded
            # too (a long library opens with its topics collapsed).
            self._expand(topic)
        node = self._topic_nodes.get(TopicNode(brief, claim), topic) if claim else topic
        if node.line < 0:
            # Nodes just added have no line until the tree counts its lines, which asking
            # for its last line makes it do (the cursor would otherwise stay at the top).
            self.last_line  # noqa: B018
        self.move_cursor(node)
        if node.data is not None and node.data.claim is None and node.is_expanded:
            # A topic chosen shows its claims too, as far as the sidebar's height allows.
            shown = min(len(node.children) + 1, max(1, self.scrollable_content_region.height))
            self.scroll_to_region(Region(0, node.line, 1, shown), animate=False, immediate=True)

    @on(Tree.NodeSelected)
    def _announce_choice(self, event: Tree.NodeSelected[TopicNode]) -> None:
        event.stop()
        data = event.node.data
        if data is None:
            return
        if data.claim is None:
            self._expand(event.node)
        self.post_message(self.TopicChosen(data.brief, data.claim))

    @on(Tree.NodeExpanded)
    def _fill_expanded(self, event: Tree.NodeExpanded[TopicNode]) -> None:
        event.stop()
        with self._batch():
            self._fill(event.node)  # expanded by a key or a click on its arrow

    @on(Tree.NodeHighlighted)
    def _announce_highlight(self, event: Tree.NodeHighlighted[TopicNode]) -> None:
        event.stop()
        if event.node is not self.cursor_node:
            return  # the cursor has moved on since (a rebuilt tree starts at its top)
        data = event.node.data
        if data is not None:
            self.post_message(self.TopicHighlighted(data.brief, data.claim))
