"""The tab registry: which tab (window handle = browsing context) shows which notebook.

Plain bookkeeping, no WebDriver calls: the session asks it and tells it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TabRegistry:
    tabs: dict[str, str] = field(default_factory=dict)  # notebook URL -> handle
    unloaded: set[str] = field(default_factory=set)  # last navigation failed (net::ERR_)
    hrefs: dict[str, str] = field(default_factory=dict)  # URL -> tab address last checked
    spare: list[str] = field(default_factory=list)  # blank tabs a launch may reuse
    hung: set[str] = field(default_factory=set)  # URLs whose page missed a tick's deadline

    def handle(self, url: str) -> str | None:
        return self.tabs.get(url)

    def claimed(self) -> set[str]:
        return set(self.tabs.values())

    def assign(self, url: str, handle: str) -> None:
        self.tabs[url] = handle
        self.hrefs.pop(url, None)
        self.hung.discard(url)

    def drop(self, url: str) -> str | None:
        """Forget the notebook's tab (it is being replaced); its handle."""
        self.hrefs.pop(url, None)
        self.hung.discard(url)
        self.unloaded.discard(url)
        return self.tabs.pop(url, None)

    def take_spare(self, live: list[str]) -> str | None:
        """A blank tab from the start that is still open and unclaimed (removed from spares)."""
        claimed = self.claimed()
        for handle in list(self.spare):
            self.spare.remove(handle)
            if handle in live and handle not in claimed:
                return handle
        return None

    def clear(self) -> None:
        self.tabs.clear()
        self.unloaded.clear()
        self.hrefs.clear()
        self.spare.clear()
        self.hung.clear()
