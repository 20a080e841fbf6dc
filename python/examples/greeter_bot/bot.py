"""GreeterBot: a small Scratch bot written with scratchattach, the way bots are written.

It looks after one project of its account:

* ``handle_messages()``: reads the account's unread messages; a comment on the project that
  says "hello" gets a reply ("Hi @name! ..."), a love gets a thank-you comment; then the
  messages are cleared;
* ``count_visit()``: adds one to the project's cloud variable ``visits``;
* ``serve()``: a Cloud Requests host (scratchattach's ``CloudRequests``) answering
  ``greet(name)`` and ``visits()`` to the project's players.

Nothing here knows about tests or sandboxes: ``test_bot.py`` runs it offline with the
``scratch_sandbox`` fixture of the scratchkit pytest plugin.
"""

from __future__ import annotations

from typing import Optional

import scratchattach as sa


class GreeterBot:
    def __init__(self, username: str, password: str, project_id: int) -> None:
        self.session = sa.login(username, password)
        self.project_id = project_id
        self.project = self.session.connect_project(project_id)
        self._cloud: Optional[object] = None
        self._host = None

    # -- messages -------------------------------------------------------------------

    def unread_messages(self) -> list:
        """The messages not read yet (the newest ``message_count()`` of the list)."""
        unread = self.session.message_count()
        return self.session.messages(limit=min(unread, 40))[:unread] if unread else []

    def handle_messages(self) -> dict:
        """Answers the unread messages about the project, then clears them: a "hello"
        comment gets a reply, a love gets a thank-you comment. Returns the counts."""
        done = {"replies": 0, "thanks": 0}
        for message in self.unread_messages():
            kind = getattr(message, "type", None)
            if kind == "addcomment" and int(getattr(message, "comment_obj_id", 0) or 0) == self.project_id \
                    and "hello" in str(getattr(message, "comment_fragment", "")).lower():
                self.project.post_comment(f"Hi @{message.actor_username}! Thanks for stopping by.",
                                          parent_id=message.comment_id,
                                          commentee_id=message.actor_id)
                done["replies"] += 1
            elif kind == "loveproject" and int(getattr(message, "project_id", 0) or 0) == self.project_id:
                self.project.post_comment(f"Thank you for the love, @{message.actor_username}!")
                done["thanks"] += 1
        self.session.clear_messages()
        return done

    # -- cloud variables --------------------------------------------------------------

    def cloud(self):
        if self._cloud is None:
            self._cloud = self.session.connect_cloud(self.project_id)
        return self._cloud

    def visits(self) -> int:
        value = sa.get_cloud(self.project_id).get_var("visits")
        return int(value) if value not in (None, "") else 0

    def count_visit(self) -> int:
        """Adds one to the cloud variable ``visits``; returns the new count."""
        count = self.visits() + 1
        self.cloud().set_var("visits", count)
        return count

    # -- Cloud Requests ---------------------------------------------------------------

    def serve(self):
        """Starts the Cloud Requests host in a thread; returns it (``.stop()`` ends it)."""
        host = self.cloud().requests(used_cloud_vars=["1"])

        @host.request
        def greet(name):
            return f"Hello {name}"

        @host.request
        def visits():
            return str(self.visits())

        host.start(thread=True)
        self._host = host
        return host

    def stop(self) -> None:
        if self._host is not None:
            self._host.stop()
            self._host = None
        if self._cloud is not None:
            self._cloud.disconnect()
            self._cloud = None
