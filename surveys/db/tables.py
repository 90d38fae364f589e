"""Piccolo tables for trivsel's domain (see PRODUCT.md, "Domain").

Anonymity is a property of these tables: ``Response`` has no column that points
to a ``Link``, a device, an address or a time finer than a day, and its primary
key is a random 63-bit integer so that neither ids nor the physical row order
follow issue or submit order.

Multi-column unique and check constraints live in the hand-written
``*_constraints`` migration, because Piccolo adds them with ``ALTER TABLE``,
which SQLite does not support.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Bytea,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

__all__ = [
    "ClassSession",
    "Draft",
    "Event",
    "HeldResponse",
    "IndicatorTarget",
    "InstrumentVersion",
    "Link",
    "Organisation",
    "RawExport",
    "ReferenceFigure",
    "ReportJob",
    "Response",
    "School",
    "SchoolClass",
    "StaffUser",
    "StaffUserSchool",
    "Throttle",
    "Wave",
    "WaveSchool",
    "WebSession",
    "ALL_TABLES",
]


class Organisation(Table):
    """The municipality running trivsel (one per installation)."""

    name = Varchar(length=200)
    logo_text = Varchar(length=200, default="")
    help_contacts = JSON(default=[])
    suppression_threshold = Integer(default=5)
    notice = JSON(default={})  # who asks, purpose, how long, whom to contact ({} = the defaults)


class School(Table):
    """A school, youth education institution or club."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.restrict)
    name = Varchar(length=200, unique=True)
    kind = Varchar(length=40, default="grundskole")
    grades = Varchar(length=100, default="")


class SchoolClass(Table, tablename="school_class"):
    """A class or group within a school, with its grade level and size."""

    school = ForeignKey(School, on_delete=OnDelete.restrict)
    name = Varchar(length=100)
    grade = Integer(null=True, default=None)
    pupils = Integer(default=0)


class InstrumentVersion(Table, tablename="instrument"):
    """A snapshot of one version of an instrument file (codes never change)."""

    key = Varchar(length=100)
    version = Integer()
    audience = Varchar(length=10)
    title = Varchar(length=300)
    definition = JSON()


class Wave(Table):
    """One measurement: an instrument version given to schools in a year."""

    instrument = ForeignKey(InstrumentVersion, on_delete=OnDelete.restrict)
    name = Varchar(length=200)
    year = Integer()
    opens_on = Date(null=True, default=None)
    closes_on = Date(null=True, default=None)
    status = Varchar(length=10, default="open")


class WaveSchool(Table, tablename="wave_school"):
    """A school taking part in a wave."""

    wave = ForeignKey(Wave, on_delete=OnDelete.cascade)
    school = ForeignKey(School, on_delete=OnDelete.restrict)


class Event(Table):
    """A theme day (temadag) or course evaluated by staff."""

    instrument = ForeignKey(InstrumentVersion, on_delete=OnDelete.restrict)
    name = Varchar(length=200)
    held_on = Date()
    status = Varchar(length=10, default="open")


class StaffUser(Table, tablename="staff_user"):
    """A console user: admin, coordinator, analyst or teacher."""

    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=255)
    role = Varchar(length=20)
    active = Boolean(default=True)
    must_change_password = Boolean(default=False)


class StaffUserSchool(Table, tablename="staff_user_school"):
    """The schools a coordinator or teacher works for."""

    user = ForeignKey(StaffUser, on_delete=OnDelete.cascade)
    school = ForeignKey(School, on_delete=OnDelete.cascade)


class ClassSession(Table, tablename="class_session"):
    """A teacher's projected QR that hands each device its own fresh link."""

    token_hash = Varchar(length=64, unique=True)
    code = Varchar(length=16, unique=True)
    wave = ForeignKey(Wave, null=True, on_delete=OnDelete.cascade)
    event = ForeignKey(Event, null=True, on_delete=OnDelete.cascade)
    school_class = ForeignKey(SchoolClass, null=True, on_delete=OnDelete.cascade)
    capacity = Integer()
    issued = Integer(default=0)
    expires_at = Timestamptz()
    closed = Boolean(default=False)


class Link(Table):
    """A single-use link. Only a hash of its random id is stored.

    ``uses`` is 0 or 1; the constraints migration makes a second use
    impossible in the database itself, whatever the code does.
    """

    id_hash = Varchar(length=64, unique=True)
    code = Varchar(length=16, unique=True)
    purpose = Varchar(length=10)
    wave = ForeignKey(Wave, null=True, on_delete=OnDelete.cascade)
    event = ForeignKey(Event, null=True, on_delete=OnDelete.cascade)
    school = ForeignKey(School, null=True, on_delete=OnDelete.cascade)
    school_class = ForeignKey(SchoolClass, null=True, on_delete=OnDelete.cascade)
    class_session = ForeignKey(ClassSession, null=True, on_delete=OnDelete.set_null)
    uses = Integer(default=0)


class Draft(Table):
    """Answers saved page by page before the final submit, sealed (``surveys.answering.store.sealing``).

    ``key`` is an HMAC of the link's secret id and ``sealed`` opens only with a key derived from
    that id, so nothing here names a link or shows an answer. ``saved_on`` (a date) lets old drafts
    be swept; ``wave``/``event`` let a close delete them.
    """

    key = Varchar(length=64, unique=True)
    sealed = Bytea()
    wave = ForeignKey(Wave, null=True, on_delete=OnDelete.cascade)
    event = ForeignKey(Event, null=True, on_delete=OnDelete.cascade)
    saved_on = Date()


class HeldResponse(Table, tablename="held_response"):
    """A submitted response held back, sealed with the server's keys, until at least k of its
    wave and class (or event) can be released into ``response`` together, shuffled."""

    wave = ForeignKey(Wave, null=True, on_delete=OnDelete.cascade)
    event = ForeignKey(Event, null=True, on_delete=OnDelete.cascade)
    school = Integer(null=True, default=None)
    school_class = Integer(null=True, default=None)
    sealed = Bytea()


class Response(Table):
    """An anonymous response: the answers and the context analysis needs."""

    id = BigInt(primary_key=True)
    instrument = ForeignKey(InstrumentVersion, on_delete=OnDelete.restrict)
    wave = ForeignKey(Wave, null=True, on_delete=OnDelete.restrict)
    event = ForeignKey(Event, null=True, on_delete=OnDelete.restrict)
    school = ForeignKey(School, null=True, on_delete=OnDelete.restrict)
    school_class = ForeignKey(SchoolClass, null=True, on_delete=OnDelete.set_null)
    class_name = Varchar(length=100, default="")
    grade = Integer(null=True, default=None)
    year = Integer()
    language = Varchar(length=35, default="da")  # a BCP 47 tag
    submitted_on = Date(null=True, default=None)
    source = Varchar(length=10, default="online")
    answers = JSON(default={})


class WebSession(Table, tablename="web_session"):
    """Server-side console sessions, shared by every app process."""

    key = Varchar(length=100, unique=True)
    data = Text()
    expires_at = Timestamptz()


class Throttle(Table):
    """Fixed-window counters for rate limits, shared by every app process."""

    key = Varchar(length=200, unique=True)
    window_start = BigInt()
    count = Integer(default=0)


class ReportJob(Table, tablename="report_job"):
    """A municipality report being built in the background, and the ZIP once it is built.

    In the database rather than in process memory, so that any app process can
    show its progress and hand out the result. ``heartbeat_at`` moves while the
    build runs; a job whose heartbeat stopped (its process died) counts as failed.
    """

    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(StaffUser, on_delete=OnDelete.cascade)
    years = Varchar(length=200)
    baseline = Integer(null=True, default=None)
    status = Varchar(length=10, default="running")
    step = Varchar(length=200, default="")
    message = Text(default="")
    filename = Varchar(length=100, default="")
    result = Bytea(null=True, default=None)
    created_at = Timestamptz()
    heartbeat_at = Timestamptz()


class IndicatorTarget(Table, tablename="indicator_target"):
    """The municipality's target for an indicator (``surveys.strategy.targets``); it replaces the
    instrument file's target. ``op`` is ``<=``, ``>=`` or ``none`` (no target); ``value`` is in
    per cent for a share, scale points for a mean. One per (instrument_key, indicator)."""

    instrument_key = Varchar(length=100)
    indicator = Varchar(length=100)
    op = Varchar(length=4)
    value = DoublePrecision(null=True, default=None)
    year = Integer(null=True, default=None)
    updated_at = Timestamptz()


class ReferenceFigure(Table, tablename="reference_figure"):
    """A published figure to compare with (``surveys.strategy.references``): per cent for a share,
    scale points for a mean, with ``n`` or a 95 % interval where published. One per
    (instrument_key, indicator, source, year)."""

    instrument_key = Varchar(length=100)
    indicator = Varchar(length=100)
    source = Varchar(length=200)
    year = Integer()
    value = DoublePrecision()
    n = Integer(null=True, default=None)
    ci_low = DoublePrecision(null=True, default=None)
    ci_high = DoublePrecision(null=True, default=None)


class RawExport(Table, tablename="raw_export"):
    """One export of full microdata (``exports.audit``): who, when, what and why. ``who`` is the
    staff member's e-mail (or ``cli:<user>`` from the command line) as text, so the entry outlives
    the account."""

    who = Varchar(length=320)
    created_at = Timestamptz()
    wave = Integer(null=True, default=None)
    event = Integer(null=True, default=None)
    selection = Varchar(length=200)
    format = Varchar(length=10)
    rows = Integer(default=0)
    reason = Text()


ALL_TABLES: list[type[Table]] = [
    Organisation,
    School,
    SchoolClass,
    InstrumentVersion,
    Wave,
    WaveSchool,
    Event,
    StaffUser,
    StaffUserSchool,
    ClassSession,
    Link,
    Draft,
    HeldResponse,
    Response,
    WebSession,
    Throttle,
    ReportJob,
    IndicatorTarget,
    ReferenceFigure,
    RawExport,
]
