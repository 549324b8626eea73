"""Which distribution on PyPI provides an imported module.

:data:`IMPORT_DISTRIBUTIONS` maps an import name (a top-level module, or a dotted name inside
a namespace package such as ``google.genai``) to the distribution to put in
``requirements.txt``. Every entry was checked against the named distribution's own files:
the file list (RECORD) of its wheel from the package index, or of the installed
distribution, contains that module or package. Where several distributions ship the same
module the entry names the one a Space should install (``cv2`` -> the headless OpenCV build,
which needs no libGL; ``psycopg2`` -> the binary wheel, which needs no compiler).

Nothing here is guessed from the import name: an import the table does not know is looked
up in the metadata of the environment hffix runs in, else reported for review.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hffix.formats.requirements import canonical_name

IMPORT_DISTRIBUTIONS: dict[str, str] = {
    "accelerate": "accelerate",
    "aiofiles": "aiofiles",
    "aiohttp": "aiohttp",
    "aiomysql": "aiomysql",
    "aiosqlite": "aiosqlite",
    "alembic": "alembic",
    "anthropic": "anthropic",
    "anyio": "anyio",
    "apscheduler": "APScheduler",
    "argon2": "argon2-cffi",
    "arrow": "arrow",
    "asyncpg": "asyncpg",
    "attr": "attrs",
    "attrs": "attrs",
    "authlib": "Authlib",
    "babel": "Babel",
    "backoff": "backoff",
    "bcrypt": "bcrypt",
    "Bio": "biopython",
    "boto3": "boto3",
    "botocore": "botocore",
    "brotli": "Brotli",
    "bs4": "beautifulsoup4",
    "bson": "pymongo",
    "cachetools": "cachetools",
    "celery": "celery",
    "certifi": "certifi",
    "charset_normalizer": "charset-normalizer",
    "click": "click",
    "croniter": "croniter",
    "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex",
    "cryptography": "cryptography",
    "cv2": "opencv-python-headless",
    "datasets": "datasets",
    "dateparser": "dateparser",
    "dateutil": "python-dateutil",
    "decouple": "python-decouple",
    "deepdiff": "deepdiff",
    "django": "Django",
    "dns": "dnspython",
    "docker": "docker",
    "docx": "python-docx",
    "dotenv": "python-dotenv",
    "duckdb": "duckdb",
    "elasticsearch": "elasticsearch",
    "email_validator": "email-validator",
    "emoji": "emoji",
    "engineio": "python-engineio",
    "environ": "django-environ",
    "exceptiongroup": "exceptiongroup",
    "faiss": "faiss-cpu",
    "faker": "Faker",
    "fastapi": "fastapi",
    "fastapi_cache": "fastapi-cache2",
    "feedparser": "feedparser",
    "ffmpeg": "ffmpeg-python",
    "firebase_admin": "firebase-admin",
    "fitz": "PyMuPDF",
    "flask": "Flask",
    "flask_cors": "Flask-Cors",
    "fpdf": "fpdf2",
    "git": "GitPython",
    "github": "PyGithub",
    "google.api_core": "google-api-core",
    "google.auth": "google-auth",
    "google.genai": "google-genai",
    "google.generativeai": "google-generativeai",
    "google.oauth2": "google-auth",
    "google.protobuf": "protobuf",
    "google_auth_oauthlib": "google-auth-oauthlib",
    "googleapiclient": "google-api-python-client",
    "greenlet": "greenlet",
    "groq": "groq",
    "grpc": "grpcio",
    "gunicorn": "gunicorn",
    "h11": "h11",
    "html5lib": "html5lib",
    "httpcore": "httpcore",
    "httptools": "httptools",
    "httpx": "httpx",
    "huggingface_hub": "huggingface-hub",
    "humanize": "humanize",
    "idna": "idna",
    "imageio": "imageio",
    "itsdangerous": "itsdangerous",
    "jaraco.text": "jaraco.text",
    "jinja2": "Jinja2",
    "jmespath": "jmespath",
    "jose": "python-jose",
    "joserfc": "joserfc",
    "jsonschema": "jsonschema",
    "jwcrypto": "jwcrypto",
    "jwt": "PyJWT",
    "keras": "keras",
    "kombu": "kombu",
    "langchain": "langchain",
    "langchain_community": "langchain-community",
    "langchain_core": "langchain-core",
    "langchain_google_genai": "langchain-google-genai",
    "langchain_huggingface": "langchain-huggingface",
    "langchain_openai": "langchain-openai",
    "langchain_text_splitters": "langchain-text-splitters",
    "langgraph": "langgraph",
    "langsmith": "langsmith",
    "lark": "lark",
    "ldap": "python-ldap",
    "librosa": "librosa",
    "loguru": "loguru",
    "lxml": "lxml",
    "magic": "python-magic",
    "markdown": "Markdown",
    "markdown_it": "markdown-it-py",
    "markupsafe": "MarkupSafe",
    "marshmallow": "marshmallow",
    "matplotlib": "matplotlib",
    "mcp": "mcp",
    "motor": "motor",
    "msgpack": "msgpack",
    "multipart": "python-multipart",
    "mysql.connector": "mysql-connector-python",
    "MySQLdb": "mysqlclient",
    "nacl": "PyNaCl",
    "neo4j": "neo4j",
    "nest_asyncio": "nest-asyncio",
    "nltk": "nltk",
    "numpy": "numpy",
    "oauthlib": "oauthlib",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "openai": "openai",
    "openpyxl": "openpyxl",
    "OpenSSL": "pyOpenSSL",
    "opentelemetry.sdk": "opentelemetry-sdk",
    "opentelemetry.trace": "opentelemetry-api",
    "orjson": "orjson",
    "pandas": "pandas",
    "paramiko": "paramiko",
    "passlib": "passlib",
    "pdfminer": "pdfminer.six",
    "pdfplumber": "pdfplumber",
    "peewee": "peewee",
    "peft": "peft",
    "pendulum": "pendulum",
    "pg8000": "pg8000",
    "PIL": "Pillow",
    "plotly": "plotly",
    "polars": "polars",
    "postgrest": "postgrest",
    "pptx": "python-pptx",
    "prometheus_client": "prometheus-client",
    "psutil": "psutil",
    "psycopg": "psycopg",
    "psycopg2": "psycopg2-binary",
    "pyarrow": "pyarrow",
    "pycountry": "pycountry",
    "pydantic": "pydantic",
    "pydantic_core": "pydantic-core",
    "pydantic_settings": "pydantic-settings",
    "pydub": "pydub",
    "pygments": "Pygments",
    "pymongo": "pymongo",
    "pymysql": "PyMySQL",
    "pyodbc": "pyodbc",
    "pypdf": "pypdf",
    "PyPDF2": "PyPDF2",
    "pyrebase": "Pyrebase4",
    "pytest": "pytest",
    "python_multipart": "python-multipart",
    "pytz": "pytz",
    "qrcode": "qrcode",
    "redis": "redis",
    "redis.asyncio": "redis",
    "reportlab": "reportlab",
    "requests": "requests",
    "requests_oauthlib": "requests-oauthlib",
    "rich": "rich",
    "ruamel.yaml": "ruamel.yaml",
    "s3transfer": "s3transfer",
    "scipy": "scipy",
    "seaborn": "seaborn",
    "sentence_transformers": "sentence-transformers",
    "sentry_sdk": "sentry-sdk",
    "serial": "pyserial",
    "simplejson": "simplejson",
    "six": "six",
    "skimage": "scikit-image",
    "sklearn": "scikit-learn",
    "slowapi": "slowapi",
    "slugify": "python-slugify",
    "socketio": "python-socketio",
    "socks": "PySocks",
    "soundfile": "soundfile",
    "spacy": "spacy",
    "speech_recognition": "SpeechRecognition",
    "sqlalchemy": "SQLAlchemy",
    "sqlmodel": "sqlmodel",
    "sse_starlette": "sse-starlette",
    "starlette": "starlette",
    "storage3": "storage3",
    "streamlit": "streamlit",
    "structlog": "structlog",
    "supabase": "supabase",
    "tabulate": "tabulate",
    "telegram": "python-telegram-bot",
    "tenacity": "tenacity",
    "tiktoken": "tiktoken",
    "tokenizers": "tokenizers",
    "toml": "toml",
    "tomli": "tomli",
    "tomli_w": "tomli-w",
    "tomlkit": "tomlkit",
    "torch": "torch",
    "torchvision": "torchvision",
    "tortoise": "tortoise-orm",
    "tqdm": "tqdm",
    "transformers": "transformers",
    "typer": "typer",
    "typing_extensions": "typing-extensions",
    "tzdata": "tzdata",
    "ujson": "ujson",
    "urllib3": "urllib3",
    "usb": "pyusb",
    "uvicorn": "uvicorn",
    "uvloop": "uvloop",
    "validators": "validators",
    "watchfiles": "watchfiles",
    "websocket": "websocket-client",
    "websockets": "websockets",
    "werkzeug": "Werkzeug",
    "whisper": "openai-whisper",
    "xlrd": "xlrd",
    "xlsxwriter": "XlsxWriter",
    "xmltodict": "xmltodict",
    "xxhash": "xxhash",
    "yaml": "PyYAML",
    "yt_dlp": "yt-dlp",
    "zmq": "pyzmq",
    "zstandard": "zstandard",
}

# Top-level names shared by many distributions: a bare ``import google`` says nothing.
NAMESPACE_ROOTS = frozenset({"azure", "backports", "google", "jaraco", "mysql", "opentelemetry"})

# What an extra pulls in, from the distributions' metadata (Requires-Dist with ``extra == ...``):
# ``fastapi[standard]`` declares python-multipart, so a Form needs nothing more.
EXTRAS_PROVIDE: dict[tuple[str, str], frozenset[str]] = {
    ("fastapi", "standard"): frozenset(
        {"email-validator", "httpx", "jinja2", "python-multipart", "uvicorn"}
    ),
    ("fastapi", "all"): frozenset(
        {
            "email-validator",
            "httpx",
            "itsdangerous",
            "jinja2",
            "python-multipart",
            "pyyaml",
            "uvicorn",
        }
    ),
    ("uvicorn", "standard"): frozenset(
        {"httptools", "python-dotenv", "pyyaml", "uvloop", "watchfiles", "websockets"}
    ),
    ("pydantic", "email"): frozenset({"email-validator"}),
    ("python-jose", "cryptography"): frozenset({"cryptography"}),
    ("passlib", "bcrypt"): frozenset({"bcrypt"}),
    ("psycopg", "binary"): frozenset({"psycopg-binary"}),
    ("sqlalchemy", "asyncio"): frozenset({"greenlet"}),
}


# Distributions that install the same import: one declared provides what any other would
# (psycopg2 and its binary wheel, OpenCV's four builds). Adding the table's choice beside
# it installs both, and they overwrite each other's files.
ALTERNATIVES: tuple[frozenset[str], ...] = (
    frozenset({"psycopg2", "psycopg2-binary"}),
    frozenset(
        {
            "opencv-python",
            "opencv-python-headless",
            "opencv-contrib-python",
            "opencv-contrib-python-headless",
        }
    ),
    frozenset({"pillow", "pillow-simd"}),
    frozenset({"faiss-cpu", "faiss-gpu"}),
    frozenset({"onnxruntime", "onnxruntime-gpu"}),
    frozenset({"tensorflow", "tensorflow-cpu"}),
    frozenset({"python-magic", "python-magic-bin"}),
    frozenset({"beautifulsoup4", "bs4"}),
)


def alternatives(name: str) -> frozenset[str]:
    """Canonical names of the distributions that install the same import as ``name``."""
    canonical = canonical_name(name)
    found: set[str] = set()
    for group in ALTERNATIVES:
        if canonical in group:
            found |= group - {canonical}
    return frozenset(found)


@dataclass(frozen=True)
class WrongName:
    """A distribution people install by mistake for a module another distribution provides."""

    module: str  # the import it is mistaken for
    right: str | None  # the distribution that provides that import
    why: str
    installs: bool  # False: installing it fails, so the line can only break the build


# From the package index's own descriptions of these projects.
WRONG_DISTRIBUTIONS: dict[str, WrongName] = {
    "jose": WrongName(
        "jose", "python-jose", "PyPI's `jose` is a different JOSE library (1.0.0, 2015)", True
    ),
    "jwt": WrongName(
        "jwt", "PyJWT", "PyPI's `jwt` is a different JSON Web Token library with its own API", True
    ),
    "sklearn": WrongName(
        "sklearn", "scikit-learn", "PyPI's `sklearn` is deprecated and refuses to install", False
    ),
    "dotenv": WrongName("dotenv", "python-dotenv", "PyPI's `dotenv` is a deprecated package", True),
    "multipart": WrongName(
        "multipart",
        "python-multipart",
        "PyPI's `multipart` is a different parser; FastAPI forms need python-multipart",
        True,
    ),
    "fitz": WrongName("fitz", "PyMuPDF", "PyPI's `fitz` is unrelated to PyMuPDF", True),
    "docx": WrongName("docx", "python-docx", "PyPI's `docx` is an unmaintained 2014 package", True),
    "serial": WrongName(
        "serial", "pyserial", "PyPI's `serial` is an unrelated serialization framework", True
    ),
    "crypto": WrongName(
        "Crypto", "pycryptodome", "PyPI's `crypto` is a GPG file-encryption tool", True
    ),
    "pil": WrongName("PIL", "Pillow", "there is no `PIL` distribution on PyPI", False),
    "cv2": WrongName(
        "cv2", "opencv-python-headless", "there is no `cv2` distribution on PyPI", False
    ),
    "yaml": WrongName("yaml", "PyYAML", "there is no `yaml` distribution on PyPI", False),
}

# PyPI backports whose module is in Python 3.10's standard library under another name.
STDLIB_BACKPORTS: dict[str, str] = {"enum34": "enum", "futures": "concurrent.futures"}


@dataclass(frozen=True)
class Resolution:
    distribution: str
    source: str  # "table" or "environment"


def _lookup_table(module: str) -> str | None:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = IMPORT_DISTRIBUTIONS.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=1)
def _environment() -> dict[str, list[str]]:
    import importlib.metadata  # here: its import costs more than most runs' use of it

    try:
        return dict(importlib.metadata.packages_distributions())
    except Exception:  # broken metadata in the user's environment must not stop the run
        return {}


def resolve(module: str, *, environment: bool = True) -> Resolution | None:
    """The distribution providing the import ``module``, or ``None`` when it is not known.

    The curated table first (longest dotted prefix), then, when ``environment`` is true,
    the metadata of the installed distributions when exactly one of them provides the
    top-level name.
    """
    found = _lookup_table(module)
    if found is not None:
        return Resolution(found, "table")
    top = module.split(".")[0]
    if not environment or top in NAMESPACE_ROOTS:
        return None
    candidates = sorted({canonical_name(d) for d in _environment().get(top, [])})
    if len(candidates) == 1:
        return Resolution(candidates[0], "environment")
    return None


def provided_by_extras(name: str, extras: frozenset[str]) -> frozenset[str]:
    """Canonical names a requirement ``name[extras]`` installs besides itself (known extras)."""
    result: set[str] = set()
    for extra in extras:
        result |= EXTRAS_PROVIDE.get((canonical_name(name), extra.lower()), frozenset())
    return frozenset(result)
