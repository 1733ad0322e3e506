"""Django settings: wiring only. Every setting comes from a ``BAOMI_*`` environment variable.

The README's configuration table lists each variable with its default; keep the two in step.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("BAOMI_DATA_DIR", str(REPO_DIR / "var" / "data")))
# Keys live outside the data directory and the database (ARCHITECTURE "Three rules" 3).
KEY_DIR = Path(env("BAOMI_KEY_DIR", str(DATA_DIR.parent / "keys")))
MASTER_KEY_FILE = Path(env("BAOMI_MASTER_KEY_FILE", str(KEY_DIR / "master.key")))
AUDIT_KEY_FILE = Path(env("BAOMI_AUDIT_KEY_FILE", str(KEY_DIR / "audit.key")))
BLOB_DIR = Path(env("BAOMI_BLOB_DIR", str(DATA_DIR / "blobs")))
# Where new encrypted content goes (docs/vault.md "Storage backends"): the local BLOB_DIR, or an
# S3-compatible object store that every application node shares (SEC-6, OPS-2).
BLOB_STORE = env("BAOMI_BLOB_STORE", "local")  # local | s3
BLOB_S3 = {
    "endpoint": env("BAOMI_S3_ENDPOINT", ""),
    "bucket": env("BAOMI_S3_BUCKET", ""),
    "region": env("BAOMI_S3_REGION", "us-east-1"),
    "prefix": env("BAOMI_S3_PREFIX", ""),
    # Credentials from the environment, or else from a 0600 file in the AWS credentials format.
    "access_key_id": env("BAOMI_S3_ACCESS_KEY_ID", ""),
    "secret_access_key": env("BAOMI_S3_SECRET_ACCESS_KEY", ""),
    "credentials_file": env("BAOMI_S3_CREDENTIALS_FILE", str(KEY_DIR / "s3.credentials")),
    "ca_bundle": env("BAOMI_S3_CA_BUNDLE", ""),  # the unit's CA, when the store's certificate is its own
    "allow_http": env_bool("BAOMI_S3_ALLOW_HTTP", False),  # plain HTTP to a non-loopback store
    "part_size_mib": env_int("BAOMI_S3_PART_SIZE_MIB", 5),  # S3 minimum; memory ≈ parts in flight + 1
    "concurrency": env_int("BAOMI_S3_CONCURRENCY", 2),
}
# Encrypted backups (docs/operations.md §5): generations under BACKUP_DIR, the newest
# BACKUP_KEEP kept; the dump is encrypted under the backup key, kept with the other keys.
BACKUP_DIR = Path(env("BAOMI_BACKUP_DIR", str(DATA_DIR.parent / "backups")))
BACKUP_KEEP = env_int("BAOMI_BACKUP_KEEP", 30)
BACKUP_KEY_FILE = Path(env("BAOMI_BACKUP_KEY_FILE", str(KEY_DIR / "backup.key")))

SECRET_KEY = env("BAOMI_SECRET_KEY", "")
# The file the secret comes from (None when BAOMI_SECRET_KEY sets it). Without the file Django
# still loads (migrate, keys init), but the server refuses to start and, once users exist, so
# does every command (ops/keyfiles.py): a new secret would void every TOTP enrolment.
SECRET_KEY_FILE: Path | None = None
if not SECRET_KEY:
    SECRET_KEY_FILE = KEY_DIR / "django-secret.key"
    SECRET_KEY = (
        SECRET_KEY_FILE.read_text().strip()
        if SECRET_KEY_FILE.exists()
        else "baomi-insecure-development-key-not-for-production"
    )

DEBUG = env_bool("BAOMI_DEBUG", False)
DEMO = env_bool("BAOMI_DEMO", False)
ALLOWED_HOSTS = [h.strip() for h in env("BAOMI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("BAOMI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Security policy (SEC-1, SEC-8); [S]/[U] values of LAW.md are defaults, never constants.
CIPHER = env("BAOMI_CIPHER", "sm4")  # sm4 | aes
# Older audit seals the scheduled verify re-checks per run (a rolling window over the history).
AUDIT_VERIFY_SWEEP = env_int("BAOMI_AUDIT_VERIFY_SWEEP", 10_000)
# A scheduler run that changed nothing is audited only as this heartbeat (issue 13): once per
# job per period; runs that changed something or failed are always audited.
JOB_HEARTBEAT_MINUTES = env_int("BAOMI_JOB_HEARTBEAT_MINUTES", 60)
# Issue 19 §4: a ledger file at least this large is imported by the scheduler (imports.run), with
# progress on the page, instead of inside the upload request (0: always in the background).
IMPORTS_BACKGROUND_BYTES = env_int("BAOMI_IMPORTS_BACKGROUND_BYTES", 256 * 1024)
CEILING = env("BAOMI_CEILING", "top_secret")  # highest level this deployment is accredited for
UNIT_AUTHORITY = env("BAOMI_UNIT_AUTHORITY", "top_secret")  # the unit's 定密权限 (ORG-4)
# R-DET-12: case handlers and classification authorities propose and decide only with current
# 定密 training (PERSONNEL_DETERMINATION_TRAINING_MONTHS); off only while records are entered.
CLASSIFICATION_TRAINING_REQUIRED = env_bool("BAOMI_CLASSIFICATION_TRAINING_REQUIRED", True)
# R-DUR-3: how far ahead the issue date a period runs from may lie (a typo such as 2030 is refused;
# so is a start so far back that the item is born expired).
CLASSIFICATION_PERIOD_START_MAX_FUTURE_DAYS = env_int("BAOMI_CLASSIFICATION_PERIOD_START_MAX_FUTURE_DAYS", 30)
CLASSIFICATION_REFUSE_BORN_EXPIRED = env_bool("BAOMI_CLASSIFICATION_REFUSE_BORN_EXPIRED", True)
# CAR-6: the longest loan (借阅), in days; an office default, longer is a transfer of custody.
CARRIERS_LOAN_MAX_DAYS = env_int("BAOMI_CARRIERS_LOAN_MAX_DAYS", 90)
# The largest docx or xlsx marked with 份号, mark and watermark for download (CAR-13, SEC-4): the
# Office libraries hold the whole file. PDFs are stamped in bounded memory (an incremental update,
# issue 11 §6) and are limited only by the upload limit (UPLOAD_LIMITS_MB "content").
CARRIERS_STAMP_MAX_MB = env_int("BAOMI_CARRIERS_STAMP_MAX_MB", 64)
# Names of programs refused as a carrier's content (besides what the first bytes show).
CARRIERS_REFUSED_EXTENSIONS = env(
    "BAOMI_CARRIERS_REFUSED_EXTENSIONS",
    "exe,dll,com,scr,msi,sys,bat,cmd,ps1,vbs,vbe,js,jse,wsf,jar,sh,apk,app,elf,so",
)
SESSION_IDLE_SECONDS = env_int("BAOMI_SESSION_IDLE_MINUTES", 30) * 60
LOCKOUT_THRESHOLD = env_int("BAOMI_LOCKOUT_THRESHOLD", 5)
LOCKOUT_SECONDS = env_int("BAOMI_LOCKOUT_MINUTES", 30) * 60
# A one-time password handed over in person after a reset stays valid this long (R-ROLE-1..3).
PASSWORD_HANDOVER_HOURS = env_int("BAOMI_PASSWORD_HANDOVER_HOURS", 24)
PASSWORD_MIN_LENGTH = env_int("BAOMI_PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CLASSES = env_int("BAOMI_PASSWORD_MIN_CLASSES", 3)
PASSWORD_MAX_AGE_DAYS = env_int("BAOMI_PASSWORD_MAX_AGE_DAYS", 90)
TOTP_REQUIRED_FROM = env("BAOMI_TOTP_REQUIRED_FROM", "secret")  # 机密 and above (SEC-1)
# Personnel (PER-1..6; R-PER-2/3/7 are [S]/[U] defaults, configurable).
PERSONNEL_CEILINGS = env("BAOMI_PERSONNEL_CEILINGS", "core=top_secret,important=secret,general=confidential")
PERSONNEL_UNCLEARED_LEVEL = env("BAOMI_PERSONNEL_UNCLEARED_LEVEL", "work_secret")
PERSONNEL_SEPARATION_YEARS = env("BAOMI_PERSONNEL_SEPARATION_YEARS", "core=3-5,important=2-3,general=1-2")
PERSONNEL_REVIEW_MONTHS = env_int("BAOMI_PERSONNEL_REVIEW_MONTHS", 12)
PERSONNEL_AGREEMENT_MONTHS = env_int("BAOMI_PERSONNEL_AGREEMENT_MONTHS", 12)
PERSONNEL_DETERMINATION_TRAINING_MONTHS = env_int("BAOMI_PERSONNEL_DETERMINATION_TRAINING_MONTHS", 12)
PERSONNEL_TRAVEL_REPORT_DAYS = env_int("BAOMI_PERSONNEL_TRAVEL_REPORT_DAYS", 7)
PERSONNEL_PRETRIP_BRIEFING_DAYS = env_int("BAOMI_PERSONNEL_PRETRIP_BRIEFING_DAYS", 90)
PERSONNEL_REMINDER_DAYS = env_int("BAOMI_PERSONNEL_REMINDER_DAYS", 30)

# Incidents (SUP-2, R-INC-1): the upward reports are due this many hours after discovery;
# reminders at these hours after discovery (comma-separated).
INCIDENT_REPORT_HOURS = env_int("BAOMI_INCIDENT_REPORT_HOURS", 24)
INCIDENT_REMINDER_HOURS = env("BAOMI_INCIDENT_REMINDER_HOURS", "12,20")
# Inspections (SUP-1): days before a plan's due date that its run opens, and the reminder lead
# time for runs and rectification tasks.
INSPECTION_OPEN_DAYS = env_int("BAOMI_INSPECTION_OPEN_DAYS", 14)
INSPECTION_REMINDER_DAYS = env_int("BAOMI_INSPECTION_REMINDER_DAYS", 3)

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dal",
    "dal_alight",
    "baomi.core",
    "baomi.kit",
    "baomi.accounts",
    "baomi.audit",
    "baomi.access",
    "baomi.vault",
    "baomi.classification",
    "baomi.carriers",
    "baomi.personnel",
    "baomi.supervision",
    "baomi.inspections",
    "baomi.incidents",
    "baomi.publication",
    "baomi.governance",
    "baomi.monitoring",
    "baomi.reports",
    "baomi.registers",
    "baomi.sites",
    "baomi.contractors",
    "baomi.devices",
    "baomi.visitors",
    "baomi.systems",
    "baomi.dataassets",
    "baomi.meetings",
    "baomi.dashboard",
    "baomi.ops",
    "baomi.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "baomi.audit.middleware.AuditContextMiddleware",
    "baomi.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "baomi.kit.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "baomi.urls"
WSGI_APPLICATION = "baomi.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["baomi.accounts.backends.LockoutBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baomi.kit.context_processors.baomi",
            ],
            "builtins": ["baomi.kit.templatetags.baomi_tags"],
        },
    }
]


def _database() -> Any:
    url = env("BAOMI_DATABASE_URL", "")
    if os.environ.get("BAOMI_TEST_DB") == "postgres":
        url = env("BAOMI_TEST_POSTGRES_URL", "postgresql:///baomi?host=/var/run/postgresql")
    if url:
        db = dj_database_url.parse(url, conn_max_age=env_int("BAOMI_DB_CONN_MAX_AGE", 60))
        if db["ENGINE"].endswith("postgresql"):
            # A page is one request on one core: parallel workers raced each other for the
            # machine's cores and made wide ledger searches slower (docs/ledger.md). Reports that
            # want them may raise it.
            workers = env_int("BAOMI_DB_PARALLEL_WORKERS", 0)
            db.setdefault("OPTIONS", {})["options"] = f"-c max_parallel_workers_per_gather={workers}"
    else:
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "baomi.sqlite3")}
    if db["ENGINE"].endswith("sqlite3"):
        # WAL and a busy timeout let the server, the scheduler and the CLI share the file.
        db["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "baomi.accounts.passwords.PolicyValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("BAOMI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = env("BAOMI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
if not env_bool("BAOMI_ENABLE_ENGLISH", False):
    # Headless browsers send en-US: the UI stays Chinese unless configured otherwise.
    LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS: list = []
TIME_ZONE = env("BAOMI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# One date rule for the UI: 2026-11-28 (GB/T 7408); marks keep 2030年6月30日 (core/formats).
FORMAT_MODULE_PATH = ["baomi.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Nothing served refers outside the server: no source maps, ReDoc's CDN logo replaced.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "baomi.kit.staticfiles.OfflineAppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Upload limits in MB per kind (baomi.kit.uploads: content, evidence, governance, publication,
# import), e.g. BAOMI_UPLOAD_LIMITS_MB="content=1024,evidence=50"; a file past the largest one is
# not even received (issue 11 §6).
UPLOAD_LIMITS_MB = {
    k.strip(): int(v)
    for k, v in (p.split("=", 1) for p in env("BAOMI_UPLOAD_LIMITS_MB", "").split(",") if "=" in p)
}
FILE_UPLOAD_HANDLERS = [
    "baomi.kit.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    # Larger uploads wait on disk encrypted under a key held only in memory, never in plaintext
    # in /tmp (baomi.kit.spool, SEC-4).
    "baomi.kit.spool.EncryptedTemporaryUploadHandler",
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "baomi.accounts.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "baomi.kit.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "baomi.kit.drf.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "baomi.kit.drf.exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "baomi API",
    "DESCRIPTION": "保密管理系统 REST API (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One stable name per choice set, so generated clients do not get hashed names
    # (Kind5daEnum) that change when another app adds a "kind" field.
    "ENUM_NAME_OVERRIDES": {
        "TransferChannelEnum": "baomi.carriers.choices.TransferChannel",
        "InspectionTemplateStatusEnum": "baomi.inspections.choices.TemplateStatus",
        "InspectionPlanKindEnum": "baomi.inspections.choices.PlanKind",
        "InspectionRunStatusEnum": "baomi.inspections.choices.RunStatus",
        "InspectionResultEnum": "baomi.inspections.choices.Result",
        "InspectionSeverityEnum": "baomi.inspections.choices.Severity",
        "FindingStatusEnum": "baomi.inspections.choices.FindingStatus",
        "RectificationTaskStatusEnum": "baomi.inspections.choices.TaskStatus",
        "LevelEnum": "baomi.core.levels.Level",
        "CarrierKindEnum": "baomi.carriers.choices.CarrierKind",
        "PersonnelFileStatusEnum": "baomi.personnel.choices.FileStatus",
        "OpinionEnum": "baomi.personnel.choices.Opinion",
        "ItemStatusEnum": "baomi.classification.choices.ItemStatus",
        "DurationKindEnum": "baomi.classification.choices.DurationKind",
        "DurationUnitEnum": "baomi.classification.choices.DurationUnit",
        "DurationKindCodeEnum": ["period", "until", "condition"],
        "DurationUnitCodeEnum": ["year", "month"],
        "IncidentKindEnum": "baomi.incidents.choices.IncidentKind",
        "IncidentStatusEnum": "baomi.incidents.choices.IncidentStatus",
        "IncidentChannelEnum": "baomi.incidents.choices.Channel",
        "TemplateStatusEnum": "baomi.inspections.choices.TemplateStatus",
        "PublicationChannelEnum": "baomi.publication.choices.Channel",
        "PublicationStatusEnum": "baomi.publication.choices.RequestStatus",
        "PublicationDeadlineKindEnum": "baomi.publication.choices.DeadlineKind",
        "PublicationGroundEnum": "baomi.publication.choices.Ground",
        "PublicationReferralToEnum": "baomi.publication.choices.ReferralTo",
        "GovernanceBodyEnum": "baomi.governance.choices.Body",
        "GovernancePositionEnum": "baomi.governance.choices.Position",
        "RegulationStatusEnum": "baomi.governance.choices.RegulationStatus",
        "RegulationReviewOutcomeEnum": "baomi.governance.choices.ReviewOutcome",
        "EmergencyPlanKindEnum": "baomi.governance.choices.PlanKind",
        "EmergencyPlanStatusEnum": "baomi.governance.choices.PlanStatus",
        "EducationEventKindEnum": "baomi.governance.choices.EventKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("BAOMI_LOG_LEVEL", "WARNING")},
}

# Monitoring (SEC-5): working hours and the base calendar of the off-hours rule; the unit's own
# calendar (holidays, 调休) always wins. chinese = the published State Council arrangement.
MONITOR_WORKING_HOURS = env("BAOMI_MONITOR_WORKING_HOURS", "08:00-18:00")
MONITOR_CALENDAR = env("BAOMI_MONITOR_CALENDAR", "chinese")  # chinese | weekdays
# The annual report (SUP-14): the unit's name in the 发文机关标志 and the 主送机关.
UNIT_NAME = env("BAOMI_UNIT_NAME", "本单位")
REPORT_TO = env("BAOMI_REPORT_TO", "同级保密行政管理部门")

# Classification durations and marks (R-DUR-1, R-WS-3): legal defaults, configurable ("除另有规定外").
CAP_TOP_SECRET_YEARS = env_int("BAOMI_CAP_TOP_SECRET_YEARS", 30)
CAP_SECRET_YEARS = env_int("BAOMI_CAP_SECRET_YEARS", 20)
CAP_CONFIDENTIAL_YEARS = env_int("BAOMI_CAP_CONFIDENTIAL_YEARS", 10)
WORK_SECRET_MARK = env("BAOMI_WORK_SECRET_MARK", "short")  # short: 内部 | long: 内部事项 注意保管

# Error handling (SEC-7): a Chinese CSRF page; the API schema and docs only for signed-in users.
CSRF_FAILURE_VIEW = "baomi.kit.views.csrf_failure"
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] = {"deepLinking": True, "validatorUrl": None}

# Behind a TLS-terminating proxy (docs/operations.md): trust its X-Forwarded-Proto so Django
# knows the request was HTTPS (secure redirects, CSRF referer checks). Only when the proxy
# sets the header itself and gunicorn is not reachable directly.
if env_bool("BAOMI_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "baomi.kit.drf.postprocess_schema",
]

# Classification expiry and deadlines (CLS-6, CLS-9, R-DECL-4, R-DET-10).
EXPIRY_REMINDER_DAYS = env_int("BAOMI_EXPIRY_REMINDER_DAYS", 90)  # reminder lead time before expiry
MATTER_DEADLINE_WORKING_DAYS = env_int(
    "BAOMI_MATTER_DEADLINE_WORKING_DAYS", 10
)  # report / decision deadlines

# Dispatch to another unit (发文, CAR-5, issue 12 §3): days within which the receiving unit's
# returned receipt (回执) is expected; later it is listed as overdue.
DISPATCH_RECEIPT_DAYS = env_int("BAOMI_DISPATCH_RECEIPT_DAYS", 15)

# Publication review (SUP-3, R-PUB-1..4): deadlines in working days (R-PUB-3), reminders,
# re-assessment of withheld information (R-PUB-2 Art 18), upload limits.
PUBLICATION_DEADLINES = env(
    "BAOMI_PUBLICATION_DEADLINES", "proactive=20,reply=20,extension=20,third_party=15,correction=7"
)
PUBLICATION_REMINDER_WORKING_DAYS = env_int("BAOMI_PUBLICATION_REMINDER_WORKING_DAYS", 3)
PUBLICATION_REASSESS_MONTHS = env_int("BAOMI_PUBLICATION_REASSESS_MONTHS", 12)
PUBLICATION_MAX_UPLOAD_MB = env_int("BAOMI_PUBLICATION_MAX_UPLOAD_MB", 20)
PUBLICATION_MAX_TEXT_CHARS = env_int("BAOMI_PUBLICATION_MAX_TEXT_CHARS", 2_000_000)
PUBLICATION_MIN_TERM_CHARS = env_int("BAOMI_PUBLICATION_MIN_TERM_CHARS", 4)

# Governance records (ORG-2, SUP-9..11): default review and drill intervals, reminder lead time.
GOVERNANCE_REGULATION_REVIEW_MONTHS = env_int("BAOMI_GOVERNANCE_REGULATION_REVIEW_MONTHS", 12)
GOVERNANCE_DRILL_MONTHS = env_int("BAOMI_GOVERNANCE_DRILL_MONTHS", 12)
GOVERNANCE_REMINDER_DAYS = env_int("BAOMI_GOVERNANCE_REMINDER_DAYS", 30)
# Supervision registers (SUP-4..8, SUP-12/13): lead times and cadences ([S]/[U] defaults).
REGISTERS_REMINDER_DAYS = env_int("BAOMI_REGISTERS_REMINDER_DAYS", 30)  # reminder lead time
SITES_CHECK_MONTHS = env_int("BAOMI_SITES_CHECK_MONTHS", 3)  # key places: quarterly patrol (SUP-1)
DEVICES_CHECK_MONTHS = env_int("BAOMI_DEVICES_CHECK_MONTHS", 6)  # media and devices (SUP-6)
DEVICES_RECTIFY_DAYS = env_int("BAOMI_DEVICES_RECTIFY_DAYS", 30)  # a device check's problem, by default
VISITORS_CLOSING_TIME = env("BAOMI_VISITORS_CLOSING_TIME", "18:00")  # visitors still on site (SUP-4)
SYSTEMS_TOP_SECRET_MONTHS = env_int(
    "BAOMI_SYSTEMS_TOP_SECRET_MONTHS", 12
)  # risk assessment cadence (R-SYS-3)
SYSTEMS_OTHER_MONTHS = env_int("BAOMI_SYSTEMS_OTHER_MONTHS", 24)  # 机密/秘密 systems (R-SYS-3)
DATA_ASSESSMENT_MONTHS = env_int("BAOMI_DATA_ASSESSMENT_MONTHS", 12)  # important data (R-DATA-4)
ENUM_NAME_OVERRIDES: dict[str, Any] = SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]  # type: ignore[assignment]
ENUM_NAME_OVERRIDES.update(  # one stable enum name per register choice set
    {
        "PlaceKindEnum": "baomi.sites.choices.PlaceKind",
        "SiteStatusEnum": "baomi.sites.choices.SiteStatus",
        "CabinetStatusEnum": "baomi.sites.choices.CabinetStatus",
        "PlaceCheckStatusEnum": "baomi.sites.choices.CheckStatus",
        "DeviceKindEnum": "baomi.devices.choices.DeviceKind",
        "DeviceStatusEnum": "baomi.devices.choices.DeviceStatus",
        "DeviceCheckResultEnum": "baomi.devices.choices.CheckResult",
        "QualificationKindEnum": "baomi.contractors.choices.QualificationKind",
        "QualificationGradeChoiceEnum": "baomi.contractors.choices.QualificationGrade",
        "ContractorStatusEnum": "baomi.contractors.choices.ContractorStatus",
        "EngagementStatusEnum": "baomi.contractors.choices.EngagementStatus",
        "IdentityTypeEnum": "baomi.visitors.choices.IdentityType",
        "VisitStatusEnum": "baomi.visitors.choices.VisitStatus",
        "SystemKindEnum": "baomi.systems.choices.SystemKind",
        "SystemStatusEnum": "baomi.systems.choices.SystemStatus",
        "SystemReviewKindEnum": "baomi.systems.choices.ReviewKind",
        "SystemOutcomeEnum": "baomi.systems.choices.Outcome",
        "AssessmentReasonEnum": "baomi.systems.choices.AssessmentReason",
        "DataGradeChoiceEnum": "baomi.dataassets.choices.DataGrade",
        "DataCategoryEnum": "baomi.dataassets.choices.DataCategory",
        "PersonnelCategoryEnum": "baomi.personnel.choices.Category",  # "category" is no longer unique
        "DataOutcomeEnum": "baomi.dataassets.choices.DataOutcome",
        "AggregationReviewEnum": "baomi.dataassets.choices.AggregationReview",
        "DataAssetStatusEnum": "baomi.dataassets.choices.AssetStatus",
        "MeetingStatusEnum": "baomi.meetings.choices.MeetingStatus",
        "AttendeeRoleEnum": "baomi.meetings.choices.AttendeeRole",
        "IssueStatusEnum": "baomi.meetings.choices.IssueStatus",
        "ApprovalRequestStatusEnum": "baomi.kit.requests.RequestStatus",
    }
)
