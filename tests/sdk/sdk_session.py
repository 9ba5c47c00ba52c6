"""Zoho's official Python SDK (PyPI `zohocrmsdk8-0`) pointed at a running zoho-fake.

The fake prints `ZOHO_...=value` lines (its base URL, token endpoint, client credentials and
tokens); check.sh saves them to a file named by the `ZOHO_FAKE_ENV` environment variable.

Two public SDK hooks are all it takes, no patching:
- `DataCenter.Environment(url, accounts_url, file_upload_url)` is the SDK's custom domain: API
  calls go to `url` + `/crm/v8/...`, token requests to `accounts_url` (the whole token URL, as
  the SDK's own data centres give `https://accounts.zoho.com/oauth/v2/token`);
- a `TokenStore` subclass keeps tokens in memory instead of the SDK's CSV file in the working
  folder, and `OAuthToken` takes either a refresh token (the SDK then calls the fake's
  `/oauth/v2/token`) or an access token as it is.
"""

import os
import tempfile

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.token_store import TokenStore
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig

# The record every call works on; the SDK takes record and attachment IDs as integers.
RECORD = 4876876000000376008
MODULE = "Leads"


def fake_env():
    """The fake's `ZOHO_...` lines, as a dict."""
    path = os.environ.get("ZOHO_FAKE_ENV")
    if not path:
        raise SystemExit("ZOHO_FAKE_ENV must name the file holding zoho-fake's ZOHO_... lines")
    values = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            key, sep, value = line.strip().partition("=")
            if sep and key.startswith("ZOHO_"):
                values[key] = value
    for needed in ("ZOHO_BASE_URL", "ZOHO_TOKEN_URL", "ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET",
                   "ZOHO_REFRESH_TOKEN", "ZOHO_ACCESS_TOKEN"):
        if not values.get(needed):
            raise SystemExit(f"{path} has no {needed}")
    return values


class MemoryTokenStore(TokenStore):
    """Tokens in memory, matched as the SDK's FileStore matches them (by access token, or by
    client ID and refresh token), so that nothing is written to the working folder."""

    def __init__(self):
        self.tokens = []

    def _matches(self, stored, token):
        if token.get_id() is not None:
            return stored.get_id() == token.get_id()
        if token.get_refresh_token() is not None:
            return (stored.get_refresh_token() == token.get_refresh_token()
                    and stored.get_client_id() == token.get_client_id())
        return (token.get_access_token() is not None
                and stored.get_access_token() == token.get_access_token())

    def find_token(self, token):
        for stored in self.tokens:
            if self._matches(stored, token):
                for field in ("id", "client_id", "client_secret", "refresh_token",
                              "access_token", "expires_in", "api_domain"):
                    if getattr(token, "get_" + field)() is None:
                        getattr(token, "set_" + field)(getattr(stored, "get_" + field)())
                return token
        return None

    def save_token(self, token):
        self.tokens = [stored for stored in self.tokens if not self._matches(stored, token)]
        if token.get_id() is None:
            token.set_id(str(len(self.tokens) + 1))
        self.tokens.append(token)

    def delete_token(self, id):
        self.tokens = [stored for stored in self.tokens if stored.get_id() != id]

    def get_tokens(self):
        return list(self.tokens)

    def delete_tokens(self):
        self.tokens = []

    def find_token_by_id(self, id):
        return next((stored for stored in self.tokens if stored.get_id() == id), None)


def environment(fake):
    """The fake as the SDK's custom domain."""
    base = fake["ZOHO_BASE_URL"]
    return DataCenter.Environment(base, fake["ZOHO_TOKEN_URL"], base)


def refreshing_token(fake):
    """A token the SDK gets from the fake's token endpoint with the refresh token.
    `find_user=False`: the SDK would otherwise look the user up with the Users API, which is
    not an attachments operation (the fake answers it 404, and the SDK only logs that)."""
    return OAuthToken(client_id=fake["ZOHO_CLIENT_ID"], client_secret=fake["ZOHO_CLIENT_SECRET"],
                      refresh_token=fake["ZOHO_REFRESH_TOKEN"], find_user=False)


def access_token(value):
    """A token used as it is, never refreshed."""
    return OAuthToken(access_token=value, find_user=False)


_resources = tempfile.mkdtemp(prefix="zoho-sdk-resources-")


def initialize(fake, token):
    """(Re)initializes the SDK against the fake with `token`; field metadata (which the SDK
    fetches for some modules) goes to a temporary folder, never the working folder."""
    Initializer.initialize(environment=environment(fake), token=token, store=MemoryTokenStore(),
                           sdk_config=SDKConfig(auto_refresh_fields=False,
                                                pick_list_validation=False),
                           resource_path=_resources)
