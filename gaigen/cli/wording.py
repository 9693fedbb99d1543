"""Chinese wording for what the command-line toolkit prints in English: help and usage errors.

Typer builds on click; recent typer releases carry their own copy of click (``typer._click``).
Errors are therefore recognised by class name and attributes, which both copies share, and the
few English help strings are replaced in whichever copies are present.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from types import ModuleType
from typing import Any

HELP_TEXT = "显示本帮助并退出。"
USAGE_PREFIX = "用法："


def _click_copies() -> list[ModuleType]:
    copies = []
    for name in ("click", "typer._click"):
        try:
            copies.append(importlib.import_module(name))
        except ImportError:
            continue
    return copies


def install_chinese_help() -> None:
    """Make ``--help`` output Chinese: panel titles, the usage prefix, the help option.

    Called only when help may be shown: typer's help module loads rich, which costs ~0.15 s of
    every start-up otherwise.
    """
    import typer.rich_utils

    typer.rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    typer.rich_utils.OPTIONS_PANEL_TITLE = "选项"
    typer.rich_utils.COMMANDS_PANEL_TITLE = "命令"
    typer.rich_utils.REQUIRED_LONG_STRING = "[必填]"
    typer.rich_utils.DEFAULT_STRING = "[默认：{}]"
    _translate_type_names()
    _fold_long_lines()
    for copy in _click_copies():
        formatter = copy.formatting.HelpFormatter
        if getattr(formatter.write_usage, "_gaigen", False):
            continue
        original = formatter.write_usage

        def write_usage(
            self: Any, prog: str, args: str = "", prefix: str | None = None, _original: Any = original
        ) -> None:
            _original(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

        write_usage._gaigen = True  # type: ignore[attr-defined]
        formatter.write_usage = write_usage
        _translate_help_option(copy.core.Command)


def _fold_long_lines() -> None:
    """Wrap Chinese help text instead of cutting it with "…".

    rich wraps table cells at spaces and cuts a longer run with an ellipsis; a Chinese sentence has
    no spaces, so at 80 columns most help lines lost their end. Folding breaks them between
    characters, as Chinese text is broken anyway.
    """
    import typer.rich_utils

    original = typer.rich_utils._make_rich_text
    if getattr(original, "_gaigen", False):
        return

    def make_rich_text(*, text: str, style: str = "", markup_mode: Any) -> Any:
        made = original(text=text, style=style, markup_mode=markup_mode)
        if hasattr(made, "overflow"):
            made.overflow = "fold"
        return made

    make_rich_text._gaigen = True  # type: ignore[attr-defined]
    typer.rich_utils._make_rich_text = make_rich_text


_TYPE_NAMES = {"bool": None, "path": "路径", "str": "文字", "int": "整数", "list[Path]": "文件…"}


def _translate_type_names() -> None:
    """Show option types in Chinese (``<路径>``), and none for on/off switches."""
    import typer.core

    for cls in (getattr(typer.core, "TyperOption", None), getattr(typer.core, "TyperArgument", None)):
        original = getattr(cls, "display_type_rich", None)
        if original is None or getattr(original, "_gaigen", False):
            continue

        def display_type_rich(self: Any, ctx: Any, _original: Any = original) -> str | None:
            shown: Any = _original(self, ctx)
            if not isinstance(shown, str) or not shown.startswith("<"):
                return None if shown is None else str(shown)
            name = _TYPE_NAMES.get(shown.strip("<>"), shown.strip("<>"))
            return f"<{name}>" if name else None

        display_type_rich._gaigen = True  # type: ignore[attr-defined]
        cls.display_type_rich = display_type_rich  # type: ignore[union-attr]


def _translate_help_option(command_class: Any) -> None:
    original = command_class.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    command_class.get_help_option = get_help_option


def is_click_error(error: BaseException, name: str) -> bool:
    """Return whether ``error`` is click's (or typer's copy of click's) exception ``name``."""
    return any(
        cls.__name__ == name and cls.__module__.split(".")[0] in ("click", "typer") for cls in type(error).__mro__
    )


def _param_name(param: Any) -> str:
    if param is None:
        return "参数"
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", "") == "option" and opts:
        return str(max(opts, key=len))
    return str(getattr(param, "human_readable_name", None) or getattr(param, "name", None) or "参数").upper()


def usage_message(error: BaseException, command_hint: str | None = None, args: Sequence[str] = ()) -> str:
    """Return a usage error as one Chinese message with a pointer to ``--help``.

    ``args`` is the command line, to explain extra arguments that follow ``--``.
    """
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", None) or (f"gaigen {command_hint}" if command_hint else "gaigen")
    hint = f"运行 {command} --help 查看用法。"
    param = getattr(error, "param", None)
    is_option = getattr(param, "param_type_name", "") == "option"
    if is_click_error(error, "MissingParameter"):
        what = getattr(param, "help", None) or ""
        if is_option:
            return f"缺少选项 {_param_name(param)}{f'（{what}）' if what else ''}。{hint}"
        return f"缺少{what or '参数'}。{hint}"
    if is_click_error(error, "NoSuchOption"):
        name = str(getattr(error, "option_name", ""))
        possibilities = sorted(getattr(error, "possibilities", None) or [])
        near = f"是否应为 {'、'.join(possibilities)}？" if possibilities else ""
        if "." in name:
            near += f"如果“{name}”是文件名，请在它前面加 -- ，如：{command} -- {name}。"
        return f"没有选项 {name}。{near}{hint}"
    text = _format(error)
    if is_click_error(error, "BadOptionUsage"):
        return f"选项 {getattr(error, 'option_name', '')} 用法不对：{_english_hint(text)}。{hint}"
    if is_click_error(error, "BadParameter"):
        return f"{_param_name(param)} 的值不对：{_english_hint(text)}。{hint}"
    if text.startswith("No such command"):
        name = text.split("'")[1] if "'" in text else ""
        commands = getattr(getattr(context, "command", None), "commands", None) or {}
        known = (
            "、".join(sorted(n for n, c in commands.items() if not getattr(c, "hidden", False)))
            or "init、validate、render"
        )
        return f"没有命令“{name}”。可用的命令：{known}。{hint}"
    if text.startswith("Got unexpected extra argument"):
        # click says "Got unexpected extra argument (x)" or "… arguments (x y)"
        found = re.search(r"\(([^()]*)\)\s*$", text)
        extra = found.group(1) if found else ""
        after_dash = "--" in args and any(part.startswith("-") for part in extra.split())
        dash = "“--”之后的内容都当作文件名，选项（如 -o）请写在“--”之前。" if after_dash else ""
        return f"多余的参数：{extra}。{dash}{hint}"
    return f"命令用法不对：{_english_hint(text)}。{hint}"


def _format(error: BaseException) -> str:
    formatter = getattr(error, "format_message", None)
    return str(formatter() if callable(formatter) else error)


def _english_hint(text: str) -> str:
    if "valid integer" in text or "is not a valid int" in text:
        return "应为整数"
    if "requires an argument" in text:
        return "缺少值"
    if "is not one of" in text or "is not a valid" in text or "Input should be" in text:
        return "不是可选的值"
    return text.rstrip("。.")
