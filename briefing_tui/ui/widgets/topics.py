"""The sidebar: briefs as topics, with their claims and a status badge per claim."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from briefing_tui.core.library.model import Brief, ClaimStatus, Library
from briefing_tui.ui.labels import badge_text


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
        super().__init__(Text("Topics"), id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2

    def show_library(self, library: Library) -> None:
        """List the topics and claims of a library; a reload redoes only the topics it changed."""
        paths = [brief.path for brief in library.briefs]
        if paths != list(self._shown):
            collapsed = {
                data.brief
                for data, node in self._topic_nodes.items()
                if data.claim is None and not node.is_expanded
            }
            self.clear()
            self._topic_nodes.clear()
            self._badges.clear()
            self._shown.clear()
            for brief in library.briefs:
                data = TopicNode(brief.path)
                node = self.root.add(self._title(brief), data, expand=data.brief not in collapsed)
                self._topic_nodes[data] = node
                self._add_claims(node, brief)
            self._shown = {brief.path: brief for brief in library.briefs}
            return
        for brief in library.briefs:
            if self._shown[brief.path] is brief:
                continue  # a topic the reload kept as it was: same object, same nodes
            node = self._topic_nodes[TopicNode(brief.path)]
            for claim in self._shown[brief.path].claims:
                data = TopicNode(brief.path, claim.key)
                self._topic_nodes.pop(data, None)
                self._badges.pop(data, None)
            node.remove_children()
            node.set_label(self._title(brief))
            self._add_claims(node, brief)
            self._shown[brief.path] = brief

    @staticmethod
    def _title(brief: Brief) -> Text:
        return Text(brief.title + (" (stale)" if brief.stale else ""), style="bold")

    def _add_claims(self, node: TreeNode[TopicNode], brief: Brief) -> None:
        for claim in brief.claims:
            # Tree takes Rich labels; Text never parses markup. Badges are coloured when
            # drawn, so the colours follow the theme.
            badge = badge_text(claim)
            data = TopicNode(brief.path, claim.key)
            self._topic_nodes[data] = node.add_leaf(Text(f"{badge} {claim.text}"), data)
            self._badges[data] = (len(badge), claim.status)

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
        node = self._topic_nodes.get(TopicNode(brief, claim)) or self._topic_nodes.get(
            TopicNode(brief)
        )
        if node is None:
            return
        if node.parent is not None and not node.parent.is_expanded and node.parent.data:
            node.parent.expand()
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
            event.node.expand()
        self.post_message(self.TopicChosen(data.brief, data.claim))

    @on(Tree.NodeHighlighted)
    def _announce_highlight(self, event: Tree.NodeHighlighted[TopicNode]) -> None:
        event.stop()
        if event.node is not self.cursor_node:
            return  # the cursor has moved on since (a rebuilt tree starts at its top)
        data = event.node.data
        if data is not None:
            self.post_message(self.TopicHighlighted(data.brief, data.claim))
