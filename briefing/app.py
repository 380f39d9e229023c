"""The reader application: loads content and themes, hosts the screens, runs the actions."""

from __future__ import annotations

import gc

# Importing Textual and the reader makes some 35,000 objects, nearly all of which live as
# long as the process (~500 are garbage), and the cycle collector would scan them over and
# over while they are made (~90 passes, ~20 ms of a 0.4 s start, measured by starts with
# and without). It is paused for these imports, and what they made is kept out of its
# later passes.
_collector_was_on = gc.isenabled()
gc.disable()
try:
    import threading
    from collections.abc import Callable
    from pathlib import Path
    from typing import TYPE_CHECKING, ClassVar, TypeVar

    from textual import on, work
    from textual.app import App
    from textual.binding import Binding
    from textual.message import Message

    from briefing.actions import DEFAULT_THEME, ReaderActions
    from briefing.library import Library
    from briefing.messages import FileSaved, RefreshFinished
    from briefing.models import Briefing, Problem
    from briefing.opening import Opening, Row, list_rows
    from briefing.paths import BUNDLED_THEMES, config_dir
    from briefing.screens.main import MainScreen
finally:
    gc.freeze()
    if _collector_was_on:
        gc.enable()

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen
    from textual.theme import Theme

    from briefing.feed.client import RefreshOptions
    from briefing.feed.readstate import ReadState
    from briefing.search import SearchIndex, SearchResult, StoreSearchIndex

T = TypeVar("T")
FIRST_BUDGET = 0.05
"""Seconds of parsing new or changed files before the first screen (a few files, at ~16 ms
a file; 0.15 s made a cold start at 10,000 files 0.70 s instead of 0.59 s)."""
LATER_BUDGET = 2.0
"""Seconds of parsing before the list's first update while a large folder is indexed."""
MAX_BUDGET = 16.0
BUSY_PATIENCE = 60.0
"""Seconds a load goes on retrying while another process holds the content index."""
FIRST_FRAME_WAIT = 2.0
"""Seconds indexing waits for the first frame to be painted before it goes on."""


def _briefing_commands() -> type[Provider]:
    # The palette's module costs ~50 ms of import; only pay for it when the palette opens.
    from briefing.commands import BriefingCommands

    return BriefingCommands


def _view_commands() -> type[Provider]:
    from briefing.commands import ViewCommands

    return ViewCommands


class LibraryLoaded(Message):
    """Content loaded (in a worker); `pending` files are still being indexed."""

    def __init__(self, library: Library, rows: list[Row], pending: int = 0,
                 generation: int = 0) -> None:
        super().__init__()
        self.library = library
        self.rows = rows
        self.pending = pending
        self.generation = generation


class IndexBuilt(Message):
    """The search index of the current library is ready."""

    def __init__(self, library: Library, index: SearchIndex | StoreSearchIndex) -> None:
        super().__init__()
        self.library = library
        self.index = index


class BriefingApp(ReaderActions, App[None]):
    """A terminal reader of structured news briefings."""

    TITLE = "briefing"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (150, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-short"), (40, "-tall")]
    _theme_chosen = False
    """Whether `_setup_themes` has chosen the theme (see `get_css_variables`)."""
    COMMANDS: ClassVar = App.COMMANDS | {_briefing_commands, _view_commands}
    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("s", "story_view", "Story"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("n", "next_match(1)", "Next match", show=False),
        Binding("N", "next_match(-1)", "Previous match", show=False),
        Binding("t", "cycle_theme", "Theme", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("c", "copy", "Copy", show=False),
        Binding("p", "problems", "Problems", show=False),
    ]

    def __init__(self, content_dir: Path, *, theme: str | None = None,
                 user_themes: Path | None = None, feed: str | None = None,
                 refresh_at_start: bool = False, refresh_options: RefreshOptions | None = None,
                 ) -> None:
        super().__init__()
        self.content_dir = content_dir
        self.feed_option = feed
        self.refresh_at_start = refresh_at_start
        self.refresh_options = refresh_options
        self.refresh_problems: list[object] = []
        self._read_state: ReadState | None = None
        self._read_state_failed = False
        self._load_generation = 0
        self._collector_was_on = gc.isenabled()
        self._froze = False
        self._first_frame = threading.Event()
        self.library = Library()
        self.opening: Opening | None = None
        """Shown until the first library is loaded (see `briefing.opening`)."""
        self._library_shown = False
        self._library_complete = False
        self.main_screen = MainScreen()
        self.own_themes: list[str] = []
        self.search_index: SearchIndex | StoreSearchIndex | None = None
        self.search_wanted = False
        self.matches: list[SearchResult] = []
        self.match_at = 0
        self.extra_problems: list[Problem] = []
        self._setup_themes(theme, config_dir() / "themes" if user_themes is None else user_themes)

    def _setup_themes(self, override: str | None, user_themes: Path) -> None:
        from briefing.paths import cache_dir, config_path, display_name
        from briefing.themes import load_themes

        themes, problems = load_themes(BUNDLED_THEMES, user_themes, cache_dir() / "themes.json")
        for theme in themes:
            self.register_theme(theme)
        self.own_themes = [theme.name for theme in themes]
        self.extra_problems += problems
        # The config file's problems are listed even when --theme overrides its theme.
        setting = None
        if config_path().is_file():  # without one, its reader's modules are not imported
            from briefing.settings import read_theme_setting

            setting = read_theme_setting()
        config_problems = list(setting.problems) if setting is not None else []
        wanted = override or (setting and setting.name) or DEFAULT_THEME
        if wanted not in self.available_themes:
            where = (("--theme", 1, 1) if override or setting is None else
                     (display_name(config_path()), setting.line, setting.column))
            config_problems.append(Problem(*where, f"theme: no theme named {wanted!r}; "
                                                   f"using {DEFAULT_THEME}"))
            wanted = DEFAULT_THEME
        # The config file's problems in its order, the unknown theme among them.
        self.extra_problems += sorted(config_problems, key=lambda problem: (
            problem.file != "--theme", problem.line, problem.column))
        self._theme_chosen = True
        self.theme = wanted
        # The chosen theme's variables, worked out once, here, whether or not the theme
        # changed (the refresh a change queues finds no screen yet, see `refresh_css`).
        self.stylesheet.set_variables(self.get_css_variables())

    def breakpoint_classes(self) -> set[str]:
        """The responsive classes (see the breakpoints above) for the terminal's size."""
        classes = set()
        for size, breakpoints in ((self.size.width, self.HORIZONTAL_BREAKPOINTS),
                                  (self.size.height, self.VERTICAL_BREAKPOINTS)):
            classes.add(max((b for b in breakpoints if size >= b[0]), default=(0, ""))[1])
        return classes - {""}

    @property
    def current_theme(self) -> Theme:
        """The theme in use. Textual's own lookup copies the theme registry on every call,
        and styling asks for it hundreds of times per frame."""
        theme = self._registered_themes.get(self.theme)
        return theme if theme is not None else super().current_theme

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's CSS refresh, except before the first screen exists (see below)."""
        if not self.screen_stack:
            # Choosing the theme in __init__ queues this refresh, which would parse every
            # stylesheet read so far only for the first screen to parse them again (~10 ms
            # of the first frame). Nothing is styled yet; `_setup_themes` has set the
            # theme's variables, and the first screen always adds stylesheets of its own
            # (Screen's, at least), which makes Textual parse them all with those; a test
            # checks the first frame's colours.
            return
        super().refresh_css(animate)

    def get_css_variables(self) -> dict[str, str]:
        """Textual's CSS variables of the theme in use; none while `App.__init__` runs,
        before the reader has chosen its theme: the variables of Textual's default theme
        would be worked out (~2-4 ms) only to be replaced before anything is styled (see
        `refresh_css`)."""
        if not self._theme_chosen:
            return {}
        return super().get_css_variables()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from briefing.themes import THEME_VARIABLE_DEFAULTS

        return THEME_VARIABLE_DEFAULTS

    def on_load(self) -> None:
        # Start-up allocates ~100,000 objects at 10,000 briefings; the cycle collector
        # would scan them again and again (~80 ms). It resumes once the library is on screen.
        self._collector_was_on = gc.isenabled()
        gc.disable()

    def _first_painted(self) -> None:
        """The first frame with content (the opening's) is painted: loading may start,
        and indexing go on."""
        self._first_frame.set()
        if not self._load_generation:
            self.load_content()

    def _started(self) -> None:
        """The library is on screen: turn the cycle collector back on, and move what
        start-up built (the library, the screen) out of its sight, so that its full
        passes stay short while keys are pressed."""
        self._first_frame.set()
        if self._collector_was_on and not gc.isenabled():
            gc.enable()
            # Not collected first: that pause (133 ms at 10,000 briefings, 40 ms at 5)
            # would fall on the first key. The cost is start-up's own cyclic garbage kept
            # until exit: about 18,000 objects at 10,000 briefings (5,000 at 5), once.
            gc.freeze()
            self._froze = True

    def on_mount(self) -> None:
        # The main screen is the first screen when an opening is kept; otherwise it is
        # pushed once the content is in, so that its first frame already shows briefings.
        self.watch(self, "theme", self._remember_theme, init=False)
        if self.opening is None:
            self.load_content()
        # Otherwise the load starts once the opening's frame is painted: its thread,
        # started before, competed with that frame for the interpreter (~0.5 ms).

    @property
    def problems(self) -> list[object]:
        """Every problem for the problems view: content, themes, settings, last refresh."""
        return [*self.extra_problems, *self.library.problems, *self.refresh_problems]

    def load_content(self) -> None:
        """(Re)load the content in the background; a newer load supersedes an older one."""
        self._load_generation += 1
        self._load_worker(self._load_generation)

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self, generation: int) -> None:
        """Read the content folder (through its index) merged with the feed cache.

        Files the index has not seen are parsed in batches, each batch shown as it is done,
        so a first start on a large folder shows the screen at once.
        """
        import sqlite3
        import time

        from textual.worker import get_current_worker

        worker = get_current_worker()
        budget = FIRST_BUDGET
        try:
            if self.opening is not None:
                # The opening is on screen (or about to be): checking the files competes
                # for the interpreter, so let its frame be painted first.
                self._first_frame.wait(timeout=FIRST_FRAME_WAIT)
                if worker.is_cancelled:
                    return
            from briefing.feed.cache import load_library  # after: its imports (YAML) would delay it

            busy_since: float | None = None
            while True:
                try:
                    library, pending = load_library(self.content_dir, budget=budget)
                except sqlite3.OperationalError as error:
                    from briefing.indexdb import is_busy

                    # Another reader of this folder writes a large batch: wait for it.
                    busy_since = busy_since or time.monotonic()
                    if not is_busy(error) or time.monotonic() - busy_since > BUSY_PATIENCE:
                        raise
                    if worker.is_cancelled:
                        return
                    time.sleep(0.2)
                    continue
                busy_since = None
                if worker.is_cancelled:
                    return
                rows = list_rows(library)  # here, not on the UI thread: ~16 ms at 10,000
                self.post_message(LibraryLoaded(library, rows, pending, generation))
                if not pending:
                    if not worker.is_cancelled:  # a newer load would save a newer opening
                        self._save_opening(library, rows)
                    return
                # Indexing holds the interpreter most of the time: let the first frame be
                # drawn before going on (a cold start at 10,000 files shows it sooner).
                self._first_frame.wait(timeout=FIRST_FRAME_WAIT)
                budget = min(LATER_BUDGET if budget == FIRST_BUDGET else budget * 2,
                             MAX_BUDGET)  # fewer, larger steps: each redraws the list
        except (OSError, sqlite3.Error) as error:
            self.call_from_thread(self.notify, f"Could not read the content index: {error}",
                                  title="Loading failed", severity="error", markup=False)
            self.call_from_thread(self._load_failed)

    def _load_failed(self) -> None:
        """No library will come: drop the opening (the list as it was) and resume."""
        if self.opening is not None:
            self.opening = None
            self.main_screen.briefing_list.show_rows([], {})
            self.main_screen.show_count(0)
        self._started()

    def _save_opening(self, library: Library, rows: list[Row]) -> None:
        """Keep what the next start's first frame shows. It is only a head start: a
        failure costs the next start that, and is not worth a message."""
        import sqlite3
        from contextlib import suppress

        from briefing.opening import make_opening
        from briefing.store import store_for

        with suppress(OSError, sqlite3.Error, KeyError, ValueError):
            store_for(self.content_dir).save_opening(make_opening(library, rows))

    def with_read_state(self, use: Callable[[ReadState], T], default: T) -> T:
        """Use the read state (SQLite, opened on first use); if it fails, say so once and
        go on without marks rather than stop the reader."""
        import sqlite3

        if self._read_state_failed:
            return default
        try:
            if self._read_state is None:
                from briefing.feed.readstate import ReadState

                self._read_state = ReadState()
                if self._read_state.recovered:
                    self.notify(f"The read-state file was damaged and is kept as "
                                f"{self._read_state.moved_to}; every briefing counts as "
                                "new again.", title="Read marks reset", severity="warning",
                                markup=False, timeout=10)
            return use(self._read_state)
        except (sqlite3.Error, OSError) as error:
            self._read_state_failed = True
            self.notify(f"Read marks are off for this run: {error}", title="Read state",
                        severity="error", markup=False)
            return default

    def list_marks(self) -> dict[str, str]:
        """A marker per briefing that is new (●) or updated (▲) since it was last opened."""
        return self.marks_for({i: s.version for i, s in self.library.briefings.summaries.items()})

    def marks_for(self, versions: dict[str, str]) -> dict[str, str]:
        """`list_marks` for the briefings given with their versions (by id)."""
        symbols = {"new": "●", "updated": "▲"}
        statuses = self.with_read_state(lambda state: state.statuses(versions), {})
        return {briefing_id: symbols[status]
                for briefing_id, status in statuses.items() if status is not None}

    def get_default_screen(self) -> Screen:
        """The main screen, filled from the opening the last run kept, if there is one: the
        first frame then shows the briefings. Without one, a blank screen until the first
        part of the library is loaded (see `_library_loaded`)."""
        from briefing.opening import read_opening
        from briefing.paths import index_path

        # One small read (~4 ms) on the UI thread, because the first screen is composed
        # from it: a worker's round trip cost the first frame ~30 ms more.
        opening = read_opening(index_path(self.content_dir.resolve()))
        if opening is None:
            return super().get_default_screen()
        self.opening = opening
        versions = {row.summary.id: row.summary.version for row in opening.rows
                    if row.summary is not None}
        self._prepare_main_screen(opening.rows, self.marks_for(versions),
                                  opening.briefing_count, opening.line_count)
        self.call_after_refresh(self._first_painted)
        return self.main_screen

    def _prepare_main_screen(self, rows: list[Row], marks: dict[str, str], count: int,
                             line_count: int | None = None) -> None:
        main = self.main_screen
        main.fill_when_mounted(rows, marks, count, line_count)
        # The breakpoint classes a resize would add; set now, they cost no second
        # styling and layout pass right after the first. Not styled now either: the
        # screen is styled when it is mounted (restyling it here cost ~8 ms).
        main.add_class(*self.breakpoint_classes(), update=False)

    @on(LibraryLoaded)
    def _library_loaded(self, event: LibraryLoaded) -> None:
        if event.generation != self._load_generation:
            return  # a load that a newer one replaced
        if event.pending and (self.opening is not None or self._library_complete):
            # Changed files are being indexed (since the last run, or for a reload after a
            # refresh): a part of the folder would replace the whole list with less, or
            # with no copy of a changed briefing. What is shown (the opening, or the whole
            # library) stays until they are done, and the list says what is left.
            shown = (self.opening.briefing_count if self.opening is not None
                     else len(self.library.briefings))
            self.main_screen.pending = event.pending
            self.main_screen.show_count(shown)
            self.call_after_refresh(self._started)  # only its first call does anything
            return
        first_library = not self._library_shown
        # Until the whole library is first in, a cursor the user has not moved goes to the
        # first briefing of each new list, as a start without an opening or indexing would
        # put it (the opening's first, or a first batch's, may no longer be first). After
        # that, and wherever the user moved it, it stays.
        keep_cursor = self._library_complete or self.main_screen.briefing_list.moved_by_user
        first_complete = not self._library_complete and not event.pending
        self._library_complete = self._library_complete or not event.pending
        self._library_shown = True
        self.library = event.library
        self.opening = None
        self.search_index = None
        self.matches = []
        if not event.pending:  # while indexing, each batch would start it all over again
            # After the next paint: built now, it would compete with the first frame.
            self.call_after_refresh(self.build_search_index, self.library)
        self.main_screen.pending = event.pending
        count = len(self.library.briefings)
        if not self.main_screen.is_attached:
            self._prepare_main_screen(event.rows, self.list_marks(), count)
            self.push_screen(self.main_screen)
        else:
            self.main_screen.briefing_list.show_rows(event.rows, self.list_marks(),
                                                     keep_cursor=keep_cursor)
            self.main_screen.show_count(count)
        if first_library:
            self.call_after_refresh(self._started)
            if self.refresh_at_start:
                self.call_after_refresh(self.action_refresh_feed)
        if first_complete:  # a part of the folder would announce only part of its problems
            # Not the refresh's failures (`Failure`s, no file): a refresh announces its own.
            self.announce_problems([*self.extra_problems, *self.library.problems])
            shown = self.main_screen.detail.shown
            if shown is not None:  # now the briefing on show counts as read
                self._mark_opened(shown, self.main_screen.detail.shown_version)

    @work(thread=True, exclusive=True, group="search-index")
    def build_search_index(self, library: Library) -> None:
        """Fold every briefing's text for search, off the UI thread."""
        from briefing.search import make_index

        self.post_message(IndexBuilt(library, make_index(library)))

    @on(IndexBuilt)
    def _index_built(self, event: IndexBuilt) -> None:
        if event.library is not self.library:
            return
        self.search_index = event.index
        if self.search_wanted:
            self.search_wanted = False
            self.action_search()

    def announce_problems(self, problems: list[Problem]) -> None:
        """Say once that some files had problems, and where to see them."""
        if not problems:
            return
        # `--theme` names an option, not a file.
        options = sorted({p.file for p in problems if p.file.startswith("--")})
        files = len({p.file for p in problems} - set(options))
        where = [f"in {files} file{'s' * (files != 1)}"] if files else []
        where += [f"with {option}" for option in options]
        # The reader's own files (settings, themes) are not content: a bad `feed:` line
        # announced as a content problem sent the user looking in the wrong place.
        own = {id(p) for p in self.extra_problems}
        in_content = any(id(p) not in own for p in problems)
        in_own = any(id(p) in own for p in problems)
        title = ("Problems" if in_content and in_own else
                 "Content problems" if in_content else "Settings problems")
        self.notify(
            f"{len(problems)} problem{'s' * (len(problems) != 1)} {' and '.join(where)}"
            f"{'; the rest loaded' * in_content}. "
            f"Press p to see {'it' if len(problems) == 1 else 'them'}.",
            title=title,
            severity="error",
            markup=False,
            timeout=8,
        )

    @property
    def current_briefing_id(self) -> str | None:
        """The briefing highlighted in the list."""
        return self.main_screen.briefing_list.highlighted_briefing_id

    def show_briefing(self, briefing_id: str) -> None:
        """Show a briefing in the detail pane."""
        found = self._briefing_and_version(briefing_id)
        detail = self.main_screen.detail
        if found is None:
            return
        briefing, version = found
        # Re-showing the same briefing would fold what the user (or a jump) expanded. The
        # same version is compared by value when it comes from elsewhere (the library, for
        # the opening's copy): the opening's document is not checked against its version.
        shown = detail.shown
        if (shown is not None and (shown.id, detail.shown_version) == (briefing_id, version)
                and (shown is briefing or shown == briefing)):
            return
        detail.show(briefing, lambda: self.with_read_state(
            lambda state: state.changed_items(briefing), set()), version)
        # A briefing shown only because it came first in a list still loading is not
        # taken as read: it may not be first once the whole library is in.
        if self._library_complete or self.main_screen.briefing_list.moved_by_user:
            self._mark_opened(briefing, version)

    def _mark_opened(self, briefing: Briefing, version: str | None) -> None:
        self.with_read_state(lambda state: state.mark_opened(briefing, version), None)
        self.main_screen.briefing_list.set_mark(briefing.id, "")

    def _briefing_and_version(self, briefing_id: str) -> tuple[Briefing, str] | None:
        summary = self.library.briefings.summaries.get(briefing_id)
        if summary is not None:
            briefing = self.library.briefings.get(briefing_id)
            return None if briefing is None else (briefing, summary.version)
        # Before the library is loaded, the opening holds its first briefing; keys that
        # move further meanwhile are shown when the library arrives (the cursor stays).
        opening = self.opening
        if (opening is not None and opening.first is not None
                and opening.first_version is not None and opening.first.id == briefing_id):
            return opening.first, opening.first_version
        return None

    def item_read(self, briefing_id: str, item_key: str) -> None:
        """An item marked as changed was looked at: keep it unmarked from now on."""
        briefing = self.library.briefings.get(briefing_id)
        if briefing is not None:
            self.with_read_state(lambda state: state.mark_item_read(briefing, item_key), None)

    def on_unmount(self) -> None:
        from briefing.store import close_all

        if self._froze:  # let what this app built be collected once it is gone
            gc.unfreeze()
        if self._collector_was_on:
            gc.enable()

        close_all()
        if self._read_state is not None:
            self._read_state.close()

    @on(RefreshFinished)
    def _refresh_finished(self, event: RefreshFinished) -> None:
        result = event.result
        if result is None:
            self.notify("Refresh cancelled. What was already fetched is kept.",
                        title="Refresh", severity="warning")
            self.load_content()
            return
        self.refresh_problems = list(result.failed)
        message = result.summary()
        if result.failed:
            message += ". Press p for the reasons."
        self.notify(message, title="Refresh", markup=False,
                    severity="error" if result.failed else "information")
        if result.changed:
            # Parsing what it brought takes a while (~16 ms a document): say so meanwhile;
            # the load's own count replaces this.
            main = self.main_screen
            main.pending = len(result.stored)
            main.show_count(len(self.library.briefings))
            self.load_content()

    def open_briefing(self, briefing_id: str, section: str | None = None,
                      item_id: str | None = None) -> None:
        """Select a briefing in the list and, optionally, focus one item of a section."""
        while self.screen is not self.main_screen and len(self.screen_stack) > 1:
            self.pop_screen()
        main = self.main_screen
        if not main.briefing_list.select_briefing(briefing_id):
            return
        self.show_briefing(briefing_id)
        if section is None:
            return
        from briefing.widgets.detail import SECTIONS

        keys = [key for key, _title in SECTIONS]
        if section in keys:
            main.detail.activate(keys.index(section))
            if item_id is not None and section != "summary":
                main.detail.item_list(section).focus_item(item_id, expand=True)
        else:  # a match in the title: the summary is the nearest section
            main.detail.activate(0)

    def _remember_theme(self, name: str) -> None:
        self.save_theme(name)

    @work(thread=True, exclusive=True, group="settings")
    def save_theme(self, name: str) -> None:
        """Persist the chosen theme for later runs."""
        from briefing.settings import SettingsError, save_theme

        try:
            save_theme(name)
        except (SettingsError, OSError) as error:
            self.call_from_thread(self.notify, f"Could not save the theme choice: {error}",
                                  severity="error", markup=False)

    @on(FileSaved)
    def _file_saved(self, event: FileSaved) -> None:
        if event.error:
            self.notify(f"Could not save {event.path}: {event.error}", severity="error",
                        markup=False)
        else:
            self.notify(f"Saved as {event.path}", title=event.what, markup=False)
