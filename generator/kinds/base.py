"""What a content kind is: one record that every stage reads, so that a new kind is one
module (plus its templates), not an edit in every stage.

A kind says where its files are and how messages name it (for the read and check stages),
how its files become views and calendar items (`load`, with the shared `Loader`), which
pages it adds (`jobs`, with the shared `Planner`), what it puts in the search index
(`search`) and whether each view gets its own feed (`feed_of`). The stages take the kinds
as data (`Site.kinds`); none of them imports a kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.assemble.content import Loader
from generator.memo import Memo
from generator.plan.pages import Job, NavItem, Planner
from generator.read.words import Words
from generator.render.search_index import SearchEntry

if TYPE_CHECKING:
    from generator.assemble.site import Site


@dataclass(frozen=True)
class NamedPerson:
    """Someone a kind's files name outside the rosters (an honour's winner), for the public
    build to mask like a roster's people (`transform.privacy`)."""

    name: str
    pupil: bool
    klass: str | None = None
    gender: str | None = None


@dataclass(frozen=True)
class Related:
    """A link from another kind's page to one of this kind's (an honour naming a roster's
    people): its words (a message id and values, translated where shown), where it goes,
    and the file it comes from."""

    label: str
    values: Mapping[str, str]
    path: str
    source: str


@dataclass(frozen=True)
class Kind:
    """The record; a kind's module subclasses it for the stage methods and makes its one
    instance with the record's values."""

    name: str  # how calendar items, links, feeds and search entries name it
    folder: str  # content/<folder>/; "" for a kind without files of its own
    words: Mapping[str, str]  # how messages name it: {"zh": …, "en": …}
    model: type[Any]  # what validates a file (its front matter for .md)
    suffix: str = ".yaml"
    linkable: bool = False  # a calendar item may name one of its files (`festival: <id>`)
    # the JSON Schema of its files (YAML kinds): (schema name, its title)
    schema: tuple[str, str] | None = None
    # the kinds of search entry it adds → their message ids
    search_labels: Mapping[str, str] = field(default_factory=dict)
    feed_described: str | None = None  # message id describing a view's own feed, if any
    menu: int | None = None  # where its index stands in the main menu (None: not there)
    # a view's feed also takes the calendar items `belongs` picks (a class's: those for it)
    picks: bool = False
    # the kinds whose views its loading looks at (`Loader.loaded`): earlier in the order
    reads: tuple[str, ...] = ()
    # its pages are made from its views alone (not the terms, the links into the calendar
    # or the feeds): the preview keeps its jobs while its views are the same
    jobs_from_views: bool = False

    def load(self, loader: Loader) -> tuple[Any, ...]:
        raise NotImplementedError

    def ids(self, views: tuple[Any, ...]) -> list[str]:
        return [view.id for view in views]

    def nav(self, site: Site) -> list[NavItem]:
        """Its entries in the main menu."""
        return []

    def jobs(self, planner: Planner, views: tuple[Any, ...]) -> list[Job]:
        return []

    def search(self, view: Any, w: Words, memo: Memo) -> SearchEntry | list[SearchEntry]:
        return []

    def belongs(self, view: Any, occ: Any) -> bool:
        """Whether a calendar item is in the view's feed though it names no page of the kind
        (a class's feed: the items for the class)."""
        return False

    def picked(self, views: tuple[Any, ...], items: Sequence[Any]) -> list[list[int]]:
        """For each view, the indexes of the calendar items `belongs` picks for it, in
        order; a kind with many views picks them in one pass over the items."""
        return [[i for i, occ in enumerate(items) if self.belongs(view, occ)] for view in views]

    def publish(self, views: tuple[Any, ...], settings: Any) -> tuple[Any, ...]:
        """Its views as the public build shows them, after every text in them was masked
        (`generator.transform.privacy`): a kind that holds more than names and contacts
        (numbers about small groups) takes out what must not be published."""
        return views

    def feed_of(self, view: Any) -> tuple[str, str] | None:
        """(id, name) of the view's own feed, when the kind gives each view one."""
        return None

    def related(self, site: Site, views: tuple[Any, ...], kind: str, item_id: str) -> list[Related]:
        """Its pages that a page of another kind links to (`kind`, `item_id`: that page's
        view): an honour naming a festival's winners or a roster's people."""
        return []

    def people(self, views: tuple[Any, ...]) -> list[NamedPerson]:
        """The people its files name that the public build must mask (beyond rosters)."""
        return []

    def files(self, site: Site, memo: Memo) -> dict[str, bytes]:
        """Outputs that are not pages (a .docx), by path: what its `file_tasks` make."""
        return {path: data for task in self.file_tasks(site, memo) for path, data in task().items()}

    def file_tasks(self, site: Site, memo: Memo) -> list[Callable[[], dict[str, bytes]]]:
        """The kind's outputs that are not pages, as pieces of work any process may do (a
        cold build's render workers do them beside the pages); made from the site as
        planned (through `memo`, by what they are made of). A kind overrides this, not
        `files`."""
        return []
