"""Write docs/cli.md from the commands' own --help, so the reference cannot drift.

Run: .venv/bin/python docs/generate_cli_reference.py
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main


def reference() -> str:
    runner = CliRunner()
    parts = ["# newsearch command-line reference",
             "",
             "Generated from `--help` by `docs/generate_cli_reference.py`; "
             "`tests/test_cli.py` fails when an option is missing here.", ""]
    names: list[str | None] = [None]
    for name in sorted(main.commands):  # a group's commands follow it (newsearch saved add)
        names.append(name)
        names += [f"{name} {sub}" for sub in sorted(getattr(main.commands[name], "commands", {}))]
    for name in names:
        args = [*name.split(), "--help"] if name else ["--help"]
        text = runner.invoke(main, args, prog_name="newsearch", terminal_width=100).output
        parts += [f"## newsearch {name}" if name else "## newsearch", "", "```text",
                  text.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    out = Path(__file__).with_name("cli.md")
    out.write_text(reference(), "utf-8")
    print(f"wrote {out}")
