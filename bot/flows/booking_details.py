"""The booking details a message gives (day and time, clinic, topic, mode), read at any step:
when a reservation begins, and in a message sent while a registration question was open."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from bot.flows.base import Context
from bot.flows.common import best_topic_mention, day_named, mentions, mode_of
from bot.flows.vocab import words
from bot.intents import parse_time, people
from bot.services import clinic, places
from storage.models import Service, Topic

TOPIC_HINT_CHARS = 300
# whom a person represents says which clinic their words mean when they fit both
CLINIC_OF_CATEGORY = {
    "koperasi_konvensional": "koperasi",
    "koperasi_syariah": "koperasi",
    "umkm": "umkm",
}


def understood_in(ctx: Context, category: str | None = None) -> dict[str, Any]:
    """The booking details a message gives: day and time, clinic, topic and mode. Where the
    words fit both clinics ("Koperasi Serba Usaha ... laporan keuangan"), whom the person
    represents (`category`) decides."""
    said: dict[str, Any] = {}
    time = parse_time(ctx.text)
    day = day_named(ctx, time=time)
    if day is not None:
        said["hint_date"] = day.isoformat()
    if time is not None:
        said["hint_time"] = time.isoformat()
    services = clinic.active_services(ctx.session)
    named = [s for s in services if mentions(ctx, words(f"service_{s.code}"), typos=False)]
    own = CLINIC_OF_CATEGORY.get(category or "")
    if own and len(named) == 1 and named[0].code != own and not _names_clinic_itself(ctx, named[0]):
        # a KUD's "usaha penyaluran pupuk" is the cooperative's business: their own clinic
        named = [s for s in services if s.code == own]
    topics = {s.id: clinic.topics_of(ctx.session, s.id) for s in services if s.id is not None}
    subject = _without_organisation(ctx)  # "Koperasi Karyawan ..." is no topic of staffing
    by_keyword = {
        service_id: best_topic_mention(subject, keywords_of(ts))
        for service_id, ts in topics.items()
    }
    hits = [sid for sid, hit in by_keyword.items() if hit is not None]
    service: Service | None = None
    if len(named) == 1:
        service = named[0]
    elif len(hits) == 1:  # a topic word of one clinic only ("PIRT", "RAT") tells the clinic
        service = next((s for s in services if s.id == hits[0]), None)
        if own and service is not None and service.code != own:
            # a KUD's "kios pupuk ... distributor": still the cooperative clinic
            service = next((s for s in services if s.code == own), service)
    elif (named or hits) and category in CLINIC_OF_CATEGORY:
        service = next((s for s in services if s.code == CLINIC_OF_CATEGORY[category]), None)
    if service is not None and service.id is not None:
        said["service_id"] = service.id
        hit = by_keyword.get(service.id)
        if hit is not None:
            said["topic_id"] = topics[service.id][hit].id
        elif hits:  # the words named another clinic's topic: looked for again in this one's
            said["topic_hint"] = subject.text[:TOPIC_HINT_CHARS]
    elif hits:  # "modal usaha" fits both clinics: the topic is found once the clinic is known
        said["topic_hint"] = subject.text[:TOPIC_HINT_CHARS]
    mode = mode_of(ctx)
    if mode is not None:
        said["mode"] = mode
    return said


def _without_organisation(ctx: Context) -> Context:
    """The message without the names of the person's cooperative or business and of their
    kecamatan, whose words ("Koperasi Karyawan Sinar Abadi", "Kecamatan Pasar Kemis") name
    no subject of theirs."""
    text = ctx.text
    places_named = (ctx.contact.kecamatan, places.kecamatan_mentioned(text))
    for name in (ctx.contact.organisation, people.organisation_in(text), *places_named):
        parts = (name or "").split()
        if not parts:
            continue
        shortest = len(parts) if name in places_named else 2
        for size in range(len(parts), shortest - 1, -1):
            # as written: "... Plastindo (Kopkar SAP)"; a kecamatan by its whole name
            written = re.compile(r"\s+".join(map(re.escape, parts[:size])), re.IGNORECASE)
            if written.search(text):
                text = written.sub(" ", text)
                break
    text = SELF_DESCRIBED.sub(" ", text)  # "saya pengurus koperasi": who, not what about
    if text == ctx.text:
        return ctx
    return dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=text))


SELF_DESCRIBED = re.compile(
    r"\b(?:saya|sy|aku|kulo|abdi|selaku|sebagai|i am|i'm|im|as)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:ketua|pengurus|bendahara|sekretaris|manajer|manager|pengawas|anggota|treasurer|"
    r"chairman|chair|secretary|board member|member)\b",
    re.IGNORECASE,
)


def _names_clinic_itself(ctx: Context, service: Service) -> bool:
    """The clinic named as such ("klinik UMKM", "UKM"), not by a word any business uses
    ("usaha", "bisnis")."""
    generic = set(words("service_generic"))
    specific = [w for w in words(f"service_{service.code}") if w not in generic]
    return mentions(ctx, specific, typos=False)


def keywords_of(topics: list[Topic]) -> list[list[str]]:
    """Each topic's keywords (the other words people use for it)."""
    return [[*_names(t), *(t.keywords.split(",") if t.keywords else [])] for t in topics]


def _names(topic: Topic) -> list[str]:
    """The topic's own names as phrases ("laporan keuangan"), the bracketed part left out."""
    if not topic.keywords:  # "Topik lain (tulis sendiri)" is no subject
        return []
    return [name.split("(")[0].strip() for name in (topic.name_id, topic.name_en)]


def noted_while_registering(ctx: Context, category: str | None) -> dict[str, Any]:
    """The booking details of a message that answered no registration question ("sesuk jam
    setengah loro, kula badhe rawuh piyambak"), as slots the reservation uses once the
    registration is done: the day and time and the mode (the later message wins), the clinic
    and the topic's words when still unknown."""
    said = understood_in(ctx, category)
    return merged_details(ctx.slots, said, ctx.text)


def merged_details(slots: Mapping[str, Any], said: Mapping[str, Any], text: str) -> dict[str, Any]:
    """What `said` adds to the booking `slots` already hold."""
    kept = ("hint_date", "hint_time", "mode")
    changes: dict[str, Any] = {k: said[k] for k in kept if said.get(k)}
    if said.get("hint_date") and not said.get("hint_time") and slots.get("hint_time"):
        changes["hint_time"] = None  # a new day alone: the old time was for the old day
    topic_said = said.get("topic_id") or said.get("topic_hint")
    # the clinic only with a topic: "skripsi tentang koperasi" does not choose a clinic
    if said.get("service_id") and topic_said and not slots.get("service_id"):
        changes.update(service_id=said["service_id"], service_noted=True)
    if topic_said and not (slots.get("topic_id") or slots.get("topic_hint")):
        changes["topic_hint"] = text[:TOPIC_HINT_CHARS]
    return changes
