"""First scenario: an AG is set up, people join, a coordinator is named."""

from tests.harness import ConsoleBot


async def test_setup_join_and_role(bot: ConsoleBot) -> None:
    out = await bot.say("::chat ag-wf", "::admin", "/einrichten AG Wirtschaftsförderung")
    assert "AG Wirtschaftsförderung" in out
    out = await bot.say("::user ben", "/beitreten", "/mitglieder")
    assert "ben" in out and "you" in out
