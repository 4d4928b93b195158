"""One error hierarchy for everything salesflow refuses; the CLI turns each into a message and exit code 2."""

from __future__ import annotations

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional


MAX_MESSAGE = 400


def _one_line(message: str) -> str:
    """A message quotes the user's text, which may span lines or be huge: keep it one short line."""
    if "\n" in message or "\r" in message:
        message = " ⏎ ".join(part.strip() for part in message.replace("\r", "\n").split("\n") if part.strip())
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE // 2] + " … " + message[-MAX_MESSAGE // 2 :]
    return message


def _error_word() -> str:
    """`error` in the reader's language, as every report of an error begins."""
    from .findings import severity_word

    return severity_word("error")


class SalesflowError(Exception):
    """The root of every error salesflow reports to a user."""

    def format(self) -> str:
        from .terminal import visible

        return visible(f"{_error_word()}: {self}")

    def each(self) -> tuple["SalesflowError", ...]:
        """The independent errors this one stands for (a chart may hold several syntax errors)."""
        return (self,)

    def __reduce__(self):
        # Errors cross process boundaries (the parallel lint): rebuild them from their attributes,
        # since the subclasses' constructors take other arguments than `args`.
        return (_rebuild_error, (type(self), self.args, self.__dict__))


def _rebuild_error(cls: type, args: tuple, state: dict) -> "SalesflowError":
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class DurationError(SalesflowError):
    """A duration such as `2个工作日` that cannot be read."""


class InputError(SalesflowError):
    """An input that cannot be read at all (missing file, not text, unreadable directory)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def format(self) -> str:
        from .terminal import visible

        return visible(f"{self.path}: {_error_word()}: {self.message}")


class ParseError(SalesflowError):
    """Text that is not a valid process file, with the place it went wrong.

    `line` and `column` are 1-based and point into the file the user gave (for a Markdown file,
    into the Markdown, not the code block). `source_line` is that line's text, for the caret.
    A chart with several independent syntax errors raises the first, with the others in
    `following`, in order.
    """

    following: tuple["ParseError", ...] = ()

    def __init__(
        self,
        message: str,
        path: str = "<string>",
        line: int = 1,
        column: int = 1,
        source_line: Optional[str] = None,
        width: int = 1,
    ) -> None:
        message = _one_line(message)
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.source_line = source_line
        self.width = max(1, width)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {_error_word()}: {self.message}"

    def each(self) -> tuple["ParseError", ...]:
        """The errors one by one, each on its own (none of them with `following`)."""
        if not self.following:
            return (self,)
        alone = ParseError(self.message, self.path, self.line, self.column, self.source_line, self.width)
        return (alone, *self.following)

    def format(self) -> str:
        """Each error's message, source line and a caret under the spot, ready to print."""
        return "\n".join(error._format_one() for error in (self, *self.following))

    def _format_one(self) -> str:
        from .terminal import excerpt, visible

        lines = [visible(str(self))]
        if self.source_line is not None:
            shown, caret = excerpt(self.source_line, self.column, self.width)
            lines.append(f"  {shown}")
            lines.append(f"  {caret}")
        return "\n".join(lines)


class ConfigError(SalesflowError):
    """A configuration file or option that cannot be used."""


class RenderError(SalesflowError):
    """A renderer that could not produce its output (missing `dot`, a time limit, …)."""


class OutputError(SalesflowError):
    """An output that could not be written safely."""
