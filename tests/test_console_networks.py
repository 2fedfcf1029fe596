"""Console scenarios for networks of AGs (issue 20, the network level): /netzwerk and
/einrichten netzwerk, the Geschäftsstelle acting as a coordinator in every AG of its network
without being a member, and nothing of one network or AG reaching another.

The network "Netzwerk Mitte" has three AGs (Verkehr, Leerstand, Wohnen) and a chat of its
own; gesa is its Geschäftsstelle. "Netzwerk Süd" has AG Sport, with otto as its
Geschäftsstelle. Replies are German, the deployment's default.
"""

from __future__ import annotations

import re

from core.messages import ChatRef
from tests.group_rows import changes, group_rows, network_rows
from tests.harness import ConsoleBot

ONLY_COORDINATORS = "dürfen nur die Koordinierenden der AG"


async def found(bot: ConsoleBot, user: str, chat: str, name: str) -> None:
    await bot.say(f"::user {user}", f"::chat {chat}", "::admin", f"/einrichten {name}", "::noadmin")


async def two_networks(bot: ConsoleBot) -> None:
    await found(bot, "anna", "ag-verkehr", "AG Verkehr")
    await bot.say("::user dora", "/beitreten")
    await found(bot, "ben", "ag-leerstand", "AG Leerstand")
    await bot.say("::user bea", "/beitreten")
    await found(bot, "carl", "ag-wohnen", "AG Wohnen")
    await found(bot, "sven", "ag-sport", "AG Sport")
    out = await bot.say("::user root", "::dm", "/netzwerk anlegen Netzwerk Mitte")
    assert "Das Netzwerk Netzwerk Mitte wurde angelegt." in out, out
    await bot.say("/netzwerk anlegen Netzwerk Süd")
    out = await bot.say("::chat netz-mitte", "::admin", "/einrichten netzwerk netzwerk  mitte")
    assert "Dieser Chat gehört jetzt zum Netzwerk Netzwerk Mitte." in out, out
    for name in ("AG Verkehr", "AG Leerstand", "AG Wohnen"):
        out = await bot.say(f"/netzwerk aufnehmen {name}")
        assert f"Die {name} gehört jetzt zum Netzwerk Netzwerk Mitte." in out, out
    await bot.say("::noadmin", "::user gesa", "/netzwerk")
    out = await bot.say("::user root", "/netzwerk rolle @gesa geschaeftsstelle")
    assert "gehört jetzt zur Geschäftsstelle des Netzwerks Netzwerk Mitte" in out, out
    await bot.say("::chat netz-sued", "::admin", "/einrichten netzwerk Netzwerk Süd")
    await bot.say("/netzwerk aufnehmen AG Sport", "::noadmin")
    await bot.say("::user otto", "/netzwerk")
    await bot.say("::user root", "/netzwerk rolle @otto geschäftsstelle")


async def test_the_network_shows_its_ags_to_the_geschaeftsstelle(bot: ConsoleBot) -> None:
    await two_networks(bot)
    out = await bot.say("::user gesa", "::chat netz-mitte", "/netzwerk")
    assert "Netzwerk Netzwerk Mitte" in out
    assert "Dazu gehören 3 AGs:" in out
    for name in ("AG Leerstand", "AG Verkehr", "AG Wohnen"):
        assert f"• {name} (1 Chat)" in out
    assert "Geschäftsstelle: gesa\n" in out
    assert "Chats des Netzwerks: Konsole: netz-mitte" in out
    assert "AG Sport" not in out and "Süd" not in out
    # The English alias and the same view in a chat of one of the AGs.
    assert "AG Wohnen" in await bot.say("::chat ag-verkehr", "/network")


async def test_the_geschaeftsstelle_plans_and_reads_hours_in_an_ag_it_is_not_member_of(
    bot: ConsoleBot,
) -> None:
    await two_networks(bot)
    await bot.say("::user bea", "::chat ag-leerstand", "/stunden 2 am 2.3. Recherche")
    out = await bot.say(
        "::user gesa", "::chat ag-leerstand", "/termin Jour fixe | in zwei Wochen 14 Uhr | Rathaus"
    )
    assert ONLY_COORDINATORS not in out and "Jour fixe" in out, out
    assert "Jour fixe" in await bot.say("/termine")
    out = await bot.say("/stunden bericht März")
    assert "• bea: 2:00 h" in out, out
    members = await bot.say("/mitglieder")
    assert "gesa" not in members and "bea" in members
    # From a private chat as well: the rights come with the AG, not with its chat.
    out = await bot.say("::dm", "/stunden bericht AG Leerstand März")
    assert "• bea: 2:00 h" in out, out


async def test_the_geschaeftsstelle_takes_publishes_and_exports_without_being_member(
    bot: ConsoleBot,
) -> None:
    await two_networks(bot)
    await bot.say("::user bea", "::chat ag-leerstand", "/stunden 2 am 2.3. Recherche")
    out = await bot.say("::user gesa", "/termin Heute | heute 11 Uhr")
    number = re.search(r"\(#(\d+)\)", out)
    assert number, out
    await bot.say(f"/sitzung start #{number[1]}", "/info Bericht", "/aufgabe Flyer @bea")
    await bot.say("/sitzung ende", "::now 2026-03-25T13:00:00+01:00")
    await bot.say(f"/protokoll freigeben {number[1]}")
    out = await bot.say("/ja")
    assert "ist veröffentlicht" in out and "file: Protokoll_AG-Leerstand_" in out, out
    out = await bot.say("/stunden export 2026")
    assert "file: stunden-ag-leerstand-2026.csv" in out, out
    out = await bot.say("/streichen #1")
    assert ONLY_COORDINATORS not in out and "#1" in out, out
    # Still no member of the AG.
    assert "gesa" not in await bot.say("/mitglieder")


async def test_another_networks_geschaeftsstelle_gets_nothing(bot: ConsoleBot) -> None:
    await two_networks(bot)
    before = await group_rows(bot.app.engine, await group_id(bot, "ag-leerstand"))
    networks_before = await network_rows(bot.app.engine)
    await bot.say("::user bea", "::chat ag-leerstand", "/stunden 2 am 2.3. Recherche")
    bea_booked = await group_rows(bot.app.engine, await group_id(bot, "ag-leerstand"))
    out = await bot.say("::user otto", "/termin Übernahme | in zwei Wochen 14 Uhr")
    assert ONLY_COORDINATORS in out, out
    out = await bot.say("/stunden bericht März")
    assert "bea" not in out
    out = await bot.say("/netzwerk")
    assert "AG Verkehr" not in out and "AG Wohnen" not in out
    for line in (
        "/netzwerk entlassen AG Leerstand",
        "/netzwerk rolle @otto geschaeftsstelle",
        "/einrichten netzwerk Netzwerk Süd",
    ):
        out = await bot.say(line)
        assert "Geschäftsstelle des Netzwerks Netzwerk Mitte oder ein globaler Admin" in out or (
            "Nur Chat-Admins" in out
        ), out
    # From his own network's chat he cannot take an AG of Mitte over either.
    out = await bot.say("::chat netz-sued", "/netzwerk aufnehmen AG Leerstand")
    assert "gehört bereits zu einem anderen Netzwerk" in out and "Mitte" not in out
    assert not changes(
        bea_booked, await group_rows(bot.app.engine, await group_id(bot, "ag-leerstand"))
    )
    assert await network_rows(bot.app.engine) == networks_before
    assert changes(before, bea_booked)  # the control: bea's own entry did land


async def test_a_member_of_one_ag_sees_and_changes_no_other_ag(bot: ConsoleBot) -> None:
    await two_networks(bot)
    networks_before = await network_rows(bot.app.engine)
    out = await bot.say("::user dora", "::chat ag-verkehr", "/netzwerk")
    assert "Netzwerk Netzwerk Mitte" in out and "Dazu gehören 3 AGs." in out
    assert "Dieser Chat gehört zur AG Verkehr." in out
    assert "Leerstand" not in out and "Wohnen" not in out and "Konsole: ag-" not in out
    for line in (
        "/netzwerk entlassen AG Leerstand",
        "/netzwerk aufnehmen AG Sport",
        "/netzwerk rolle @dora geschaeftsstelle",
    ):
        out = await bot.say(line)
        assert "Das darf nur die Geschäftsstelle des Netzwerks Netzwerk Mitte" in out, out
    out = await bot.say("/netzwerk anlegen Dora-Netz")
    assert "Nur globale Admins dürfen" in out, out
    # Their AG's coordinator is no Geschäftsstelle: anna cannot release her own AG alone.
    out = await bot.say("::user anna", "/netzwerk entlassen AG Verkehr")
    assert "Das darf nur die Geschäftsstelle" in out, out
    out = await bot.say("::user dora", "::chat netz-mitte", "/netzwerk")
    assert "Dazu gehören 3 AGs." in out and "Verkehr" not in out
    assert await network_rows(bot.app.engine) == networks_before


async def test_granting_and_removing_the_role(bot: ConsoleBot) -> None:
    await two_networks(bot)
    await bot.say("::user hans", "::chat netz-mitte", "/netzwerk")
    out = await bot.say("::user gesa", "/netzwerk rolle @hans geschaeftsstelle")
    assert "hans gehört jetzt zur Geschäftsstelle des Netzwerks Netzwerk Mitte" in out
    out = await bot.say("/netzwerk rolle @hans geschaeftsstelle")
    assert "hans gehört bereits zur Geschäftsstelle" in out
    out = await bot.say("::user hans", "/network role @gesa none")
    assert "gesa gehört nicht mehr zur Geschäftsstelle des Netzwerks Netzwerk Mitte." in out
    out = await bot.say("/netzwerk rolle @gesa keine")
    assert "gesa gehört nicht zur Geschäftsstelle" in out
    # Without the role gesa is an outsider to the network's AGs again.
    out = await bot.say("::user gesa", "::chat ag-wohnen", "/termin Versuch | morgen 10 Uhr")
    assert ONLY_COORDINATORS in out, out
    out = await bot.say("::chat netz-mitte", "/netzwerk rolle @gesa geschaeftsstelle")
    assert "Das darf nur die Geschäftsstelle" in out
    out = await bot.say("::user hans", "/netzwerk rolle @gesa koordination")
    assert "Verwendung:" in out


async def test_an_ag_belongs_to_one_network_at_most(bot: ConsoleBot) -> None:
    await two_networks(bot)
    out = await bot.say("::user root", "::chat netz-sued", "/netzwerk aufnehmen AG Verkehr")
    assert (
        "Die AG Verkehr gehört bereits zu einem anderen Netzwerk, und eine AG gehört zu "
        "höchstens einem." in out
    ), out
    out = await bot.say("::chat netz-mitte", "/netzwerk entlassen AG Verkehr")
    assert "Die AG Verkehr gehört nicht mehr zum Netzwerk Netzwerk Mitte." in out
    out = await bot.say("::chat netz-sued", "/netzwerk aufnehmen AG Verkehr")
    assert "Die AG Verkehr gehört jetzt zum Netzwerk Netzwerk Süd." in out
    # Mitte's Geschäftsstelle lost its rights in the AG with it.
    out = await bot.say("::user gesa", "::chat ag-verkehr", "/termin Versuch | morgen 10 Uhr")
    assert ONLY_COORDINATORS in out, out
    out = await bot.say("::chat netz-mitte", "/netzwerk entlassen AG Verkehr")
    assert "Die AG Verkehr gehört nicht zum Netzwerk Netzwerk Mitte." in out


async def test_the_geschaeftsstelle_takes_in_only_ags_it_coordinates(bot: ConsoleBot) -> None:
    await two_networks(bot)
    await found(bot, "kim", "ag-kultur", "AG Kultur")
    out = await bot.say("::user gesa", "::chat netz-mitte", "/netzwerk aufnehmen AG Kultur")
    assert "niemand aus der Geschäftsstelle koordiniert sie" in out, out
    out = await bot.say("/netzwerk aufnehmen AG Unbekannt")
    assert "Eine AG namens AG Unbekannt gibt es nicht." in out
    await bot.say("::chat ag-kultur", "/beitreten")
    await bot.say("::user kim", "/rolle @gesa koordination")
    out = await bot.say("::user gesa", "::chat netz-mitte", "/netzwerk aufnehmen AG Kultur")
    assert "Die AG Kultur gehört jetzt zum Netzwerk Netzwerk Mitte." in out, out
    # hans of the Geschäftsstelle coordinates none of them: gesa is named as the one who may.
    await bot.say("::user hans", "/netzwerk")
    await bot.say("::user root", "/netzwerk rolle @hans geschaeftsstelle")
    out = await bot.say("::user hans", "/netzwerk entlassen AG Kultur")
    assert "der die AG Kultur koordiniert: gesa." in out, out


async def test_chats_are_either_an_ags_or_a_networks(bot: ConsoleBot) -> None:
    await two_networks(bot)
    out = await bot.say("::user anna", "::chat netz-mitte", "::admin", "/einrichten AG Neu")
    assert (
        "Dieser Chat gehört zum Netzwerk Netzwerk Mitte; eine AG braucht einen eigenen Chat." in out
    )
    out = await bot.say("::user root", "::chat ag-wohnen", "/einrichten netzwerk Netzwerk Mitte")
    assert "Dieser Chat gehört zur AG Wohnen. Ein Netzwerk bekommt eigene Chats" in out, out
    out = await bot.say("::chat other", "/einrichten netzwerk Gibt Es Nicht")
    assert "Ein Netzwerk namens Gibt Es Nicht gibt es nicht." in out
    # A chat admin of the Geschäftsstelle binds a second chat; one who is not, cannot.
    out = await bot.say(
        "::user gesa", "::chat gs-intern", "::admin", "/einrichten netzwerk Netzwerk Mitte"
    )
    assert "Dieser Chat gehört jetzt zum Netzwerk Netzwerk Mitte." in out, out
    out = await bot.say(
        "::user otto", "::chat gs-intern", "::admin", "/einrichten netzwerk Netzwerk Süd"
    )
    assert "verschieben kann ihn nur ein globaler Admin" in out, out
    out = await bot.say(
        "::user dora", "::chat dora-chat", "::admin", "/einrichten netzwerk Netzwerk Mitte"
    )
    assert "nur ein Chat-Admin aus dessen Geschäftsstelle oder ein globaler Admin" in out, out
    out = await bot.say("::user gesa", "::chat netz-mitte", "::noadmin", "/netzwerk")
    assert "Chats des Netzwerks: Konsole: gs-intern; Konsole: netz-mitte" in out, out
    out = await bot.say("::user dora", "::dm", "/netzwerk")
    assert "/netzwerk funktioniert in einem Chat eines Netzwerks oder einer seiner AGs." in out


async def test_linked_accounts_keep_the_role(bot: ConsoleBot) -> None:
    await two_networks(bot)
    out = await bot.say("::user gesa-matrix", "::dm", "/verknuepfen")
    code = re.search(r"/verknuepfen ([A-Z0-9]{8})\b", out)
    assert code, out
    await bot.say("::user gesa", "::dm", f"/verknuepfen {code[1]}", "/ja")
    out = await bot.say(
        "::user gesa-matrix", "::chat ag-wohnen", "/termin Gemeinsam | in zwei Wochen 9 Uhr"
    )
    assert ONLY_COORDINATORS not in out and "Gemeinsam" in out, out
    out = await bot.say("::chat netz-mitte", "/netzwerk")
    assert "Dazu gehören 3 AGs:" in out and "Geschäftsstelle: gesa-matrix\n" in out, out


async def test_linking_two_accounts_of_the_geschaeftsstelle_keeps_one_role(
    bot: ConsoleBot,
) -> None:
    await two_networks(bot)
    await bot.say("::user gesa-matrix", "::chat netz-mitte", "/netzwerk")
    await bot.say("::user gesa", "/netzwerk rolle @gesa-matrix geschaeftsstelle")
    assert len((await network_rows(bot.app.engine))["network_roles"]) == 3
    code = re.search(r"/verknuepfen ([A-Z0-9]{8})\b", await bot.say("::dm", "/verknuepfen"))
    assert code
    await bot.say("::user gesa-matrix", "::dm", f"/verknuepfen {code[1]}", "/ja")
    roles = (await network_rows(bot.app.engine))["network_roles"]
    assert len(roles) == 2  # gesa, one person now, in Mitte; otto in Süd
    out = await bot.say("::user gesa", "::chat netz-mitte", "/netzwerk")
    assert re.search(r"Geschäftsstelle: gesa(-matrix)?\n", out), out


async def test_a_networks_chat_follows_a_new_id_and_leaves_when_the_bot_is_removed(
    bot: ConsoleBot,
) -> None:
    await two_networks(bot)
    await bot.app.router.chat_moved("console", "netz-mitte", "netz-mitte-neu")
    out = await bot.say("::user gesa", "::chat netz-mitte-neu", "/netzwerk")
    assert "Dazu gehören 3 AGs:" in out, out
    assert "Konsole: netz-mitte" in out  # the chat's title stays
    await bot.app.router.bot_removed(ChatRef("console", "netz-mitte-neu", False, "netz-mitte"))
    out = await bot.say("::chat ag-verkehr", "/netzwerk")
    assert "Chats des Netzwerks: keine" in out, out
    await bot.app.router.bot_joined(ChatRef("console", "netz-mitte-neu", False, "netz-mitte"))
    out = await bot.say("::chat ag-verkehr", "/netzwerk")
    assert "Chats des Netzwerks: Konsole: netz-mitte" in out, out


async def group_id(bot: ConsoleBot, chat: str) -> int:
    from storage import groups

    async with bot.app.sessions() as session:
        group = await groups.group_for_chat(session, "console", chat)
    assert group is not None
    return group.id
