"""Zoho's official Python SDK (zohocrmsdk8-0) against zoho-fake: every CRM v8 attachment and
photo operation succeeds with the objects the SDK builds for Zoho's answers, and the errors the
fake can produce come back as the SDK's APIException objects with Zoho's documented codes,
statuses, details and (where the docs give one) messages.

What is documented is read from generated/openapi/crm-v8.json, which zoho-codegen makes from
spec/crm-v8.yaml: the codes each operation lists per HTTP status, and the pages' messages.

Run by check.sh: ZOHO_FAKE_ENV=fake.env python -m unittest -v test_sdk_compat
(with -W ignore::ResourceWarning: the SDK's StreamWrapper(file_path=...) never closes its file).
"""

import json
import os
import tempfile
import unittest

from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.attachments import APIException as AttachmentError
from zohocrmsdk.src.com.zoho.crm.api.attachments import (
    ActionWrapper, AttachmentsOperations, DeleteAttachmentsParam, FileBodyWrapper,
    GetAttachmentsParam, ResponseWrapper, SuccessResponse, UploadUrlAttachmentsParam)
from zohocrmsdk.src.com.zoho.crm.api.record import APIException as RecordError
from zohocrmsdk.src.com.zoho.crm.api.record import FileBodyWrapper as PhotoBody
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from zohocrmsdk.src.com.zoho.crm.api.record import SuccessResponse as PhotoSuccess
from zohocrmsdk.src.com.zoho.crm.api.util import StreamWrapper

import sdk_session
from sdk_session import MODULE, RECORD

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPENAPI = os.path.join(ROOT, "generated", "openapi", "crm-v8.json")
# A record of its own per test, so tests do not see each other's attachments.
_next_record = [RECORD]

# The smallest valid PNG: 1x1, one red pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
    "53de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


def fresh_record():
    _next_record[0] += 1
    return _next_record[0]


def documented():
    """{operation: {status: {code: {messages}}}} from the OpenAPI document's error answers."""
    with open(OPENAPI, encoding="utf-8") as file:
        document = json.load(file)
    found = {}
    for path in document["paths"].values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = found.setdefault(operation["operationId"], {})
            for status, answer in operation["responses"].items():
                for content in answer.get("content", {}).values():
                    schema = content.get("schema", {})
                    for branch in schema.get("anyOf", []):
                        codes = branch.get("properties", {}).get("code", {}).get("enum", [])
                        for code in codes:
                            statuses.setdefault(int(status), {}).setdefault(code, set())
                    for example in content.get("examples", {}).values():
                        value = example.get("value")
                        if isinstance(value, dict) and value.get("status") == "error":
                            statuses.setdefault(int(status), {}).setdefault(
                                value["code"], set()).add(value["message"])
    return found


DOCUMENTED = documented()


class SdkCompatibility(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = sdk_session.fake_env()
        cls.files = tempfile.mkdtemp(prefix="zoho-sdk-files-")

    def setUp(self):
        # Every test starts from a token the SDK got from the fake's token endpoint.
        sdk_session.initialize(self.fake, sdk_session.refreshing_token(self.fake))
        self.attachments = AttachmentsOperations()
        self.record = fresh_record()

    # Helpers ----------------------------------------------------------------------------

    def file(self, name, content):
        path = os.path.join(self.files, name)
        with open(path, "wb") as out:
            out.write(content)
        return path

    def upload_file(self, name="report.txt", content=b"quarterly figures\n", module=MODULE):
        body = FileBodyWrapper()
        body.set_file(StreamWrapper(file_path=self.file(name, content)))
        return self.attachments.upload_attachments(self.record, module, body)

    def upload_link(self, url="https://www.zohocorp.com", title=None):
        params = ParameterMap()
        params.add(UploadUrlAttachmentsParam.attachmenturl, url)
        if title is not None:
            params.add(UploadUrlAttachmentsParam.title, title)
        return self.attachments.upload_url_attachments(self.record, MODULE, params)

    def list(self, fields="id,File_Name,Size,$link_url,$file_id", module=MODULE, **extra):
        params = ParameterMap()
        if fields is not None:
            params.add(GetAttachmentsParam.fields, fields)
        for name, value in extra.items():
            params.add(getattr(GetAttachmentsParam, name), value)
        return self.attachments.get_attachments(self.record, module, params)

    def delete_several(self, ids):
        params = ParameterMap()
        if ids:
            params.add(DeleteAttachmentsParam.ids, ",".join(str(id) for id in ids))
        return self.attachments.delete_attachments(self.record, MODULE, params)

    def succeeded(self, response, wrapper=ActionWrapper):
        """The one SuccessResponse of a 200 answer."""
        self.assertIsNotNone(response, "the SDK could not read the answer")
        self.assertEqual(response.get_status_code(), 200)
        answer = response.get_object()
        self.assertIsInstance(answer, wrapper)
        [outcome] = answer.get_data()
        self.assertIsInstance(outcome, SuccessResponse)
        self.assertEqual(outcome.get_status().get_value(), "success")
        self.assertEqual(outcome.get_code().get_value(), "SUCCESS")
        return outcome

    def uploaded_id(self, response):
        outcome = self.succeeded(response)
        details = outcome.get_details()
        for key in ("id", "Created_Time", "Modified_Time", "Created_By", "Modified_By"):
            self.assertIn(key, details)
        return int(details["id"])

    def content(self, response):
        self.assertIsNotNone(response, "the SDK could not read the answer")
        self.assertEqual(response.get_status_code(), 200)
        stream = response.get_object().get_file()
        self.assertIsInstance(stream, StreamWrapper)
        return stream.get_name(), b"".join(stream.get_stream())

    def documented_error(self, response, operation, http_status, code, page_message=True,
                         error_class=AttachmentError):
        """The answer is the SDK's APIException with `code`, a code the operation's page lists
        for `http_status`, and, when `page_message`, one of the page's messages for it. Returns
        the answer's `details` as sent: the SDK's APIException keeps only the detail keys its
        model knows (for attachments: related_status, resource_path_index, expected_type)."""
        self.assertIsNotNone(response, "the SDK could not read the error")
        self.assertEqual(response.get_status_code(), http_status)
        error = response.get_object()
        self.assertIsInstance(error, error_class)
        self.assertEqual(error.get_status().get_value(), "error")
        self.assertEqual(error.get_code().get_value(), code)
        listed = DOCUMENTED.get(operation, {}).get(http_status, {})
        self.assertIn(code, listed, f"{operation} documents no {code} at {http_status}")
        if page_message:
            self.assertTrue(listed[code], f"{operation}'s page gives no message for {code}")
            message = error.get_message()
            message = message.get_value() if hasattr(message, "get_value") else message
            self.assertIn(message, listed[code])
        self.assertIsInstance(error.get_details(), dict)
        return response.get_response_json()["details"]

    # Token endpoint ---------------------------------------------------------------------

    def test_grant_code_exchange_gives_a_working_token(self):
        token = sdk_session.OAuthToken(client_id=self.fake["ZOHO_CLIENT_ID"],
                                       client_secret=self.fake["ZOHO_CLIENT_SECRET"],
                                       grant_token=self.fake["ZOHO_GRANT_CODE"], find_user=False)
        sdk_session.initialize(self.fake, token)
        self.assertTrue(token.get_refresh_token(), "the exchange answered a refresh token")
        self.assertTrue(token.get_access_token())
        self.assertEqual(self.list().get_status_code(), 204)

    def test_access_token_given_as_it_is(self):
        sdk_session.initialize(self.fake, sdk_session.access_token(self.fake["ZOHO_ACCESS_TOKEN"]))
        self.uploaded_id(self.upload_file())

    # Every operation, succeeding --------------------------------------------------------

    def test_file_upload_list_download_delete(self):
        content = b"%PDF-1.7 quarterly figures\n" * 100
        file_id = self.uploaded_id(self.upload_file("figures.pdf", content))

        listed = self.list(page=1, per_page=10)
        self.assertEqual(listed.get_status_code(), 200)
        page = listed.get_object()
        self.assertIsInstance(page, ResponseWrapper)
        [attachment] = page.get_data()
        self.assertEqual(attachment.get_id(), file_id)
        self.assertEqual(attachment.get_file_name(), "figures.pdf")
        self.assertEqual(int(attachment.get_size()), len(content))
        self.assertFalse(page.get_info().get_more_records())
        self.assertEqual(page.get_info().get_count(), 1)

        name, downloaded = self.content(
            self.attachments.get_attachment(file_id, self.record, MODULE))
        self.assertEqual(name, "figures.pdf")
        self.assertEqual(downloaded, content)

        self.assertEqual(int(self.succeeded(
            self.attachments.delete_attachment(file_id, self.record, MODULE)).get_details()["id"]),
            file_id)
        # An empty list is 204 with no body: the SDK answers no object.
        emptied = self.list()
        self.assertEqual(emptied.get_status_code(), 204)
        self.assertIsNone(emptied.get_object())

    def test_link_upload_as_the_sdk_sends_it(self):
        link_id = self.uploaded_id(self.upload_link("https://www.zohocorp.com", "Zoho"))
        [attachment] = self.list().get_object().get_data()
        self.assertEqual(attachment.get_id(), link_id)
        self.assertEqual(attachment.get_link_url(), "https://www.zohocorp.com")
        self.assertEqual(attachment.get_file_name(), "Zoho")

    def test_link_upload_without_title(self):
        self.uploaded_id(self.upload_link("https://www.zoho.com/crm/"))
        [attachment] = self.list().get_object().get_data()
        self.assertEqual(attachment.get_link_url(), "https://www.zoho.com/crm/")

    def test_delete_several(self):
        ids = [self.uploaded_id(self.upload_file(f"{n}.txt", b"x" * n)) for n in (1, 2, 3)]
        deleted = self.delete_several(ids[:2])
        self.assertEqual(deleted.get_status_code(), 200)
        outcomes = deleted.get_object().get_data()
        self.assertEqual(len(outcomes), 2)
        self.assertEqual(sorted(int(item.get_details()["id"]) for item in outcomes), sorted(ids[:2]))
        self.assertTrue(all(isinstance(item, SuccessResponse) for item in outcomes))
        [left] = self.list().get_object().get_data()
        self.assertEqual(left.get_id(), ids[2])

    def test_delete_several_with_an_unknown_id_fails_that_item_only(self):
        known = self.uploaded_id(self.upload_file())
        deleted = self.delete_several([known, 5725767000999999999])
        self.assertEqual(deleted.get_status_code(), 200)
        outcomes = {int(item.get_details()["id"]): item for item in deleted.get_object().get_data()}
        self.assertEqual(outcomes[known].get_status().get_value(), "success")
        failed = outcomes[5725767000999999999]
        self.assertEqual(failed.get_status().get_value(), "error")
        self.assertEqual(failed.get_code().get_value(), "INVALID_DATA")

    def test_photo_upload_get_delete(self):
        records = RecordOperations(MODULE)
        body = PhotoBody()
        body.set_file(StreamWrapper(file_path=self.file("face.png", PNG)))
        uploaded = records.upload_photo(self.record, body)
        self.assertIsNotNone(uploaded, "the SDK could not read the answer")
        self.assertEqual(uploaded.get_status_code(), 200)
        self.assertIsInstance(uploaded.get_object(), PhotoSuccess)
        self.assertEqual(uploaded.get_object().get_code().get_value(), "SUCCESS")

        _, photo = self.content(records.get_photo(self.record))
        self.assertEqual(photo, PNG)

        deleted = records.delete_photo(self.record)
        self.assertEqual(deleted.get_status_code(), 200)
        self.assertIsInstance(deleted.get_object(), PhotoSuccess)
        self.assertEqual(deleted.get_object().get_status().get_value(), "success")

    # Documented errors ------------------------------------------------------------------

    def test_invalid_module(self):
        response = self.list(module="Widgets")
        self.documented_error(response, "list_attachments", 400, "INVALID_MODULE")
        # As Zoho's OpenAPI file (schema InvalidUrlError) requires them, read by the SDK's model.
        details = response.get_object().get_details()
        self.assertEqual(details["related_status"].get_value(), "invalid")
        self.assertEqual(details["resource_path_index"], 0)
        self.documented_error(self.upload_file(module="Widgets"), "upload_attachment", 400,
                              "INVALID_MODULE")

    def test_photo_of_a_module_without_photos(self):
        # Not Deals: for Deals the SDK first fetches the module's field metadata
        # (/crm/v8/settings/fields), which is no attachments operation and which the fake lacks.
        campaigns = RecordOperations("Campaigns")
        details = self.documented_error(campaigns.get_photo(self.record), "get_photo", 400,
                                        "INVALID_MODULE", error_class=RecordError)
        self.assertEqual(details["resource_path_index"], 0)
        self.documented_error(campaigns.delete_photo(self.record), "delete_photo", 400,
                              "INVALID_MODULE", error_class=RecordError)

    def test_list_without_fields(self):
        details = self.documented_error(self.list(fields=None), "list_attachments", 400,
                                        "REQUIRED_PARAM_MISSING")
        self.assertEqual(details["param_name"], "fields")

    def test_list_page_too_large(self):
        details = self.documented_error(self.list(per_page=201), "list_attachments", 400,
                                        "INVALID_DATA", page_message=False)
        self.assertEqual(details["param_name"], "per_page")
        self.assertEqual(details["maximum"], 200)

    def test_link_upload_with_nothing(self):
        response = self.attachments.upload_url_attachments(self.record, MODULE, ParameterMap())
        self.documented_error(response, "upload_attachment", 400, "INVALID_REQUEST")

    def test_link_title_too_long(self):
        details = self.documented_error(self.upload_link(title="t" * 256), "upload_attachment",
                                        400, "INVALID_DATA", page_message=False)
        self.assertEqual(details, {"param_name": "title", "maximum_length": 255})

    def test_download_of_a_link(self):
        link_id = self.uploaded_id(self.upload_link())
        details = self.documented_error(
            self.attachments.get_attachment(link_id, self.record, MODULE),
            "download_attachment", 400, "DOWNLOAD_NOT_ALLOWED", page_message=False)
        self.assertEqual(details["id"], str(link_id))

    def test_download_of_an_unknown_attachment_is_empty(self):
        response = self.attachments.get_attachment(5725767000999999999, self.record, MODULE)
        self.assertEqual(response.get_status_code(), 204)
        self.assertIsNone(response.get_object())

    def test_delete_of_an_unknown_attachment(self):
        response = self.attachments.delete_attachment(5725767000999999999, self.record, MODULE)
        details = self.documented_error(response, "delete_attachment", 400, "INVALID_DATA",
                                        page_message=False)
        self.assertEqual(details["id"], "5725767000999999999")

    def test_delete_several_without_ids(self):
        # Zoho's OpenAPI file lists REQUIRED_PARAM_MISSING for this call, the code for a missing
        # parameter, and the spec has it from there.
        details = self.documented_error(self.delete_several([]), "delete_attachments", 400,
                                        "REQUIRED_PARAM_MISSING", page_message=False)
        self.assertEqual(details.get("param_name"), "ids")

    def test_token_without_the_scope(self):
        scoped = self.fake.get("ZOHO_SCOPED_TOKEN")
        self.assertTrue(scoped, "check.sh starts the fake with --scoped-token")
        sdk_session.initialize(self.fake, sdk_session.access_token(scoped))
        # Reading is in the token's scopes, attaching is not.
        self.assertEqual(self.list().get_status_code(), 204)
        self.documented_error(self.upload_file(), "upload_attachment", 401,
                              "OAUTH_SCOPE_MISMATCH")
        self.documented_error(RecordOperations(MODULE).delete_photo(self.record), "delete_photo",
                              401, "OAUTH_SCOPE_MISMATCH", error_class=RecordError)

    def test_token_the_server_did_not_issue(self):
        sdk_session.initialize(self.fake, sdk_session.access_token("1000.not-a-token"))
        response = self.list()
        self.assertEqual(response.get_status_code(), 401)
        self.assertEqual(response.get_object().get_code().get_value(), "INVALID_TOKEN")

    def test_expired_token(self):
        sdk_session.initialize(self.fake,
                               sdk_session.access_token(self.fake["ZOHO_EXPIRED_TOKEN"]))
        response = self.list()
        self.assertEqual(response.get_status_code(), 401)
        self.assertEqual(response.get_object().get_code().get_value(), "INVALID_TOKEN")

    def test_file_too_large(self):
        # 100 MB (taken as 100 x 1024 x 1024 bytes) is the spec's limit for the whole body.
        path = os.path.join(self.files, "huge.bin")
        with open(path, "wb") as out:
            out.truncate(100 * 1024 * 1024 + 2 * 1024 * 1024)
        body = FileBodyWrapper()
        body.set_file(StreamWrapper(file_path=path))
        response = self.attachments.upload_attachments(self.record, MODULE, body)
        os.remove(path)
        details = self.documented_error(response, "upload_attachment", 413,
                                        "FILE_SIZE_MORE_THAN_ALLOWED_SIZE", page_message=False)
        self.assertEqual(details["maximum_size"], 100 * 1024 * 1024)
        self.assertEqual(self.list().get_status_code(), 204, "nothing was stored")

    def test_photo_too_large(self):
        records = RecordOperations(MODULE)
        body = PhotoBody()
        big = PNG + b"\0" * (10 * 1024 * 1024)
        body.set_file(StreamWrapper(file_path=self.file("huge.png", big)))
        details = self.documented_error(records.upload_photo(self.record, body), "upload_photo",
                                        413, "FILE_SIZE_EXCEEDS", page_message=False,
                                        error_class=RecordError)
        self.assertEqual(details["param_name"], "file")


if __name__ == "__main__":
    unittest.main()
