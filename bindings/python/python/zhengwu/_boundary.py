"""The package's boundary: every error a public function raises is a :class:`ZhengwuError`.

A value of the wrong type or out of range becomes an :class:`ArgumentError` (also a
``TypeError`` and a ``ValueError``, so ``except ValueError`` still catches it), naming the
function and what was wrong; a file that cannot be read becomes the area's error naming the
file. The original exception is kept as ``__cause__``.
"""

from __future__ import annotations

import functools
import pathlib
from typing import Any, Callable, Type, TypeVar, Union, cast

from zhengwu._zhengwu import ArgumentError, ZhengwuError

F = TypeVar("F", bound=Callable[..., Any])

#: The longest configuration-like file read whole (catalogue, rules, schedule, process): 64 MiB,
#: as the command line (``zhengwu_core::MAX_FILE_BYTES``).
MAX_FILE_BYTES = 64 << 20

_CONVERSION_ERRORS = (TypeError, ValueError, OverflowError, UnicodeError, AttributeError, KeyError, IndexError)


def guard(area: Type[ZhengwuError]) -> Callable[[F], F]:
    """Wraps a public function: errors of conversion become :class:`ArgumentError`, unreadable
    files ``area``; zhengwu's own errors pass through."""

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except ZhengwuError:
                raise
            except RecursionError as error:
                raise ArgumentError(f"{function.__qualname__}: the value nests too deeply") from error
            except OSError as error:
                raise area(f"{function.__qualname__}: {_os_message(error)}") from error
            except _CONVERSION_ERRORS as error:
                raise ArgumentError(f"{function.__qualname__}: {type(error).__name__}: {error}") from error

        return cast(F, guarded)

    return wrap


def _os_message(error: OSError) -> str:
    name = f" `{error.filename}`" if error.filename is not None else ""
    return f"cannot read{name}: {error.strerror or error}"


def read_text(source: Union[str, pathlib.Path], what: str, area: Type[ZhengwuError]) -> str:
    """A UTF-8 file of at most :data:`MAX_FILE_BYTES`, whole; ``area`` naming ``what`` and the
    path when it is missing, too large, not a file or not UTF-8."""
    if not isinstance(source, (str, pathlib.Path)):
        raise ArgumentError(f"the {what} is a path (str or pathlib.Path), got {type(source).__name__}")
    path = pathlib.Path(source)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise area(f"cannot read the {what} `{path}`: {error.strerror or error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise area(f"the {what} `{path}` is larger than {MAX_FILE_BYTES} bytes, which no {what} is")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise area(f"the {what} `{path}` is not UTF-8 (byte {error.start})") from error
