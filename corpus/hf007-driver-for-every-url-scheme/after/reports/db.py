from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine

from reports import urls

ENGINES = {
    "reports": create_engine(urls.REPORTS),
    "legacy": create_engine(urls.LEGACY),
    "orders": create_async_engine(urls.ORDERS),
    "analytics": create_engine(urls.ANALYTICS),
    "events": create_async_engine(urls.EVENTS),
    "warehouse": create_engine(urls.WAREHOUSE),
}
