"""The real ``agbot console`` and ``agbot db upgrade`` processes, driven through stdin.

These check what a newcomer sees in the terminal: the ``[chat] text`` output
format, exit codes, ``--demo``, ``--now``, a second run on the same database,
and that an invalid configuration stops the bot with a message naming the key.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def environment() -> dict[str, str]:
    """The test's environment without AGBOT_ overrides (they would win over --db)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("AGBOT_")}


def agbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``agbot ARGS`` to the end with ``stdin`` as its input."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment(),
        timeout=120,
    )


def console(db: str, *lines: str, options: tuple[str, ...] = ()) -> str:
    """Run ``agbot console --db DB`` with ``lines`` as input; returns stdout after exit 0."""
    result = agbot("console", "--db", db, *options, stdin="".join(f"{line}\n" for line in lines))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"


async def test_console_prints_every_message_as_chat_and_text(tmp_path: Path) -> None:
    out = console(
        sqlite_url(tmp_path),
        "/hilfe",
        "::chat ag-wf",
        "::admin",
        "/einrichten AG Wirtschaftsförderung",
        "::user ben",
        "/beitreten",
        "/mitglieder",
    )
    lines = out.splitlines()
    assert lines[0].startswith("[dm:you] ")
    # No prompt when stdin is no terminal: every line is a message or its continuation.
    for line in lines:
        assert re.match(r"\[(dm:you|ag-wf)\] \S|  ", line), line
    ag_lines = [line for line in lines if line.startswith("[ag-wf] ")]
    assert len(ag_lines) == 3
    assert "AG Wirtschaftsförderung" in ag_lines[0]
    members = out[out.index(ag_lines[2]) :].splitlines()
    assert re.match(r"  • you – ", members[1])
    assert re.match(r"  • ben – ", members[2])


async def test_console_with_empty_input_exits_cleanly(tmp_path: Path) -> None:
    result = agbot("console", "--db", sqlite_url(tmp_path), stdin="")
    assert result.returncode == 0
    assert result.stdout == ""


async def test_demo_creates_a_sample_ag(database_url: str) -> None:
    out = console(database_url, "::chat ag-innenstadt", "/mitglieder", options=("--demo",))
    assert "::chat ag-innenstadt" in out.splitlines()[0]
    assert "AG Innenstadt (6)" in out
    members = [line for line in out.splitlines() if line.startswith("  • ")]
    assert [line.split()[1].casefold() for line in members] == [
        "anna",
        "frank",
        "ben",
        "clara",
        "deniz",
        "elif",
    ]
    # anna coordinates the demo AG: she may hand out roles.
    out = console(
        database_url,
        "::chat ag-innenstadt",
        "::user anna",
        "/sprache en",
        "/role @ben coordinator",
    )
    assert "now is coordinator in AG Innenstadt." in out


async def test_demo_has_a_year_of_meetings_protocols_tasks_hours_and_a_reminder(
    database_url: str,
) -> None:
    out = console(
        database_url,
        "::user anna",
        "::chat ag-innenstadt",
        "/termine",
        "/protokolle",
        "/aufgaben",
        "/stunden bericht",
        "::dm",
        "/erinnerungen",
        options=("--demo",),
    )
    intro = [line for line in out.splitlines() if line.startswith("[console] ")]
    # Every user and how to speak as one, every chat and how to get there.
    users = next(line for line in intro if "::user NAME" in line)
    for name in ("anna (coordinator)", "frank (coordinator)", "ben", "clara", "deniz", "elif"):
        assert name in users
    chats = next(line for line in intro if "chats:" in line)
    assert "::chat ag-innenstadt" in chats and "::dm" in chats
    replies = messages(out)
    upcoming = next(m for m in replies if m.startswith("[ag-innenstadt] Anstehende Termine"))
    assert upcoming.count("Jour fixe – Präsenz, Rathaus, Raum 2") == 5
    protocols = next(m for m in replies if m.startswith("[ag-innenstadt] Protokolle der"))
    assert protocols.count("veröffentlicht am") == 3
    tasks = next(m for m in replies if m.startswith("[ag-innenstadt] Offene Aufgaben"))
    assert "davon 1 überfällig" in tasks
    assert "⚠ #1 Eigentümer der leeren Ladenlokale anschreiben – überfällig seit" in tasks
    # The second meeting's task was done; the others are open.
    assert "Mietverträge" not in tasks and "Route für den Quartiersspaziergang" in tasks
    report = next(m for m in replies if m.startswith("[ag-innenstadt] Stunden der AG Innenstadt"))
    assert re.search(r"Pilot: .* h von 360:00 h verbraucht", report)
    assert "Summe: " in report
    reminders = next(m for m in replies if m.startswith("[dm:anna] "))
    assert "Wartende Erinnerungen (1)" in reminders
    assert "Raum für den Jour fixe buchen" in reminders


def messages(out: str) -> list[str]:
    """The messages in console output, each with its continuation lines."""
    found: list[str] = []
    for line in out.splitlines():
        if line.startswith("["):
            found.append(line)
        elif found:
            found[-1] += "\n" + line
    return found


async def test_a_second_run_on_the_same_database_sees_the_same_ags(database_url: str) -> None:
    console(
        database_url,
        "::chat ag-wf",
        "::admin",
        "/einrichten AG Wirtschaftsförderung",
        "::noadmin",
        "/sprache en",
        "::user ben",
        "/join",
        "::user clara",
        "/join",
        "::user you",
        "/role @ben coordinator",
    )
    out = console(database_url, "::chat ag-wf", "/members", "::user clara", "::dm", "/ag")
    assert "[ag-wf] Members of AG Wirtschaftsförderung (3):" in out
    assert "  • ben – coordinator" in out
    assert "  • you – coordinator" in out
    assert "  • clara – member" in out
    assert "[dm:clara] " in out and out.count("AG Wirtschaftsförderung") == 2


async def test_demo_leaves_an_existing_database_alone(database_url: str) -> None:
    console(database_url, "::chat ag-wf", "::admin", "/einrichten AG Wirtschaftsförderung")
    out = console(database_url, "::chat ag-innenstadt", "/mitglieder", options=("--demo",))
    assert "Innenstadt" not in out
    out = console(database_url, "::chat ag-wf", "/mitglieder")
    assert "AG Wirtschaftsförderung (1)" in out


@pytest.mark.parametrize(
    ("moment", "linked"),
    [
        pytest.param("2026-03-25T10:24", True, id="within-10-minutes"),
        pytest.param("2026-03-25T10:26", False, id="after-10-minutes"),
    ],
)
async def test_now_starts_the_clock_there(tmp_path: Path, moment: str, linked: bool) -> None:
    # The code is made at the --now time, so it is valid until 10:25 on that day.
    out = link_at(tmp_path, moment)
    assert "[dm:other] " in out
    assert ("AG WF" in out) is linked


def link_at(tmp_path: Path, moment: str) -> str:
    """Start at 10:15 with --now, ask for a link code, redeem it at ``moment``.

    Returns what the console printed from the redemption on (ending with /ag of
    the second account).
    """
    options = ["--db", sqlite_url(tmp_path), "--now", "2026-03-25T10:15"]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console", *options],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=environment(),
    )
    assert process.stdin is not None and process.stdout is not None
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        process.stdin.write("::chat ag-wf\n::admin\n/einrichten AG WF\n::dm\n/verknuepfen\n")
        process.stdin.flush()
        code = None
        while code is None:
            line = process.stdout.readline()
            assert line, "the console ended before it sent a code"
            match = re.search(r"/verknuepfen ([A-Z0-9]{8})", line)
            code = match.group(1) if match else None
        rest, stderr = process.communicate(
            f"::now {moment}\n::user other\n/verknuepfen {code}\n/ja\n/ag\n"
        )
    finally:
        watchdog.cancel()
    assert process.returncode == 0, stderr
    return rest


async def test_invalid_now_is_refused(tmp_path: Path) -> None:
    result = agbot(
        "console", "--db", sqlite_url(tmp_path), "--now", "next tuesday", stdin="/hilfe\n"
    )
    assert result.returncode != 0
    assert "--now" in result.stderr
    assert result.stdout == ""


async def test_db_upgrade_prepares_the_database(database_url: str, tmp_path: Path) -> None:
    result = agbot("db", "upgrade", "--db", database_url)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    # A bot told not to migrate on start works on the upgraded database.
    config = tmp_path / "agbot.toml"
    config.write_text("[database]\nauto_upgrade = false\n", encoding="utf-8")
    out = console(
        database_url,
        "::chat ag-wf",
        "::admin",
        "/einrichten AG Wirtschaftsförderung",
        "/mitglieder",
        options=("--config", str(config)),
    )
    assert "[ag-wf] " in out and "AG Wirtschaftsförderung (1)" in out
    # Upgrading again is harmless and keeps the data.
    assert agbot("db", "upgrade", "--db", database_url).returncode == 0
    assert "AG Wirtschaftsförderung (1)" in console(database_url, "::chat ag-wf", "/mitglieder")


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        pytest.param('[bot]\nlanguage = "fr"\n', "language", id="language"),
        pytest.param('[bot]\ntimezone = "Mars/Olympus"\n', "timezone", id="timezone"),
        pytest.param('[bot]\nadmins = ["anna"]\n', "admins", id="admins"),
        pytest.param('[database]\nurl = "mysql://db/agbot"\n', "url", id="database-url"),
        pytest.param("[bot]\nlanguag = 'de'\n", "languag", id="unknown-key"),
    ],
)
async def test_invalid_config_stops_the_console_naming_the_key(
    tmp_path: Path, toml: str, key: str
) -> None:
    config = tmp_path / "agbot.toml"
    config.write_text(toml, encoding="utf-8")
    result = agbot(
        "console", "--config", str(config), "--db", sqlite_url(tmp_path), stdin="/hilfe\n"
    )
    assert result.returncode != 0
    assert key in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "x.db").exists()


def test_parse_when_reads_the_date_examples_through_the_real_command() -> None:
    examples = ROOT / "tests" / "data" / "date_examples.tsv"
    future = [
        line.split("\t")[1]
        for line in examples.read_text(encoding="utf-8").splitlines()
        if line.startswith("future\t")
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "parse-when", "--now", "2026-03-25T10:15"],
        input="\n".join(future) + "\n",
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(future)
    assert lines[future.index("morgen 15 Uhr")] == "2026-03-26T15:00:00+01:00"
    assert lines[future.index("31.04.2026")].startswith("ERROR:")
    one = subprocess.run(
        [sys.executable, "-m", "bot.cli", "parse-when", "--now", "2026-03-25T10:15", "26 Uhr"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert one.returncode == 2 and one.stdout.startswith("ERROR:")


async def test_a_second_run_after_down_time_sends_missed_reminders_once_marked_late(
    tmp_path: Path,
) -> None:
    db = sqlite_url(tmp_path)
    console(
        db,
        "::chat ag",
        "::admin",
        "/einrichten AG Innenstadt",
        "/erinnere hier morgen 9 Uhr; Ben anrufen",
        options=("--now", "2026-03-25T10:15"),
    )
    # Down until Friday: the reminder goes out as the console starts, once, marked late.
    out = console(db, options=("--now", "2026-03-27T12:00"))
    assert out.count("Ben anrufen") == 1
    assert "[ag] ⏰ Verspätet – fällig war Do, 26.03.2026, 09:00 Uhr." in out
    assert "Ben anrufen" not in console(db, options=("--now", "2026-03-28T12:00"))
