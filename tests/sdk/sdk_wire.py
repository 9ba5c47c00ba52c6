"""Every CRM v8 attachment and photo operation, once each, made by Zoho's Python SDK: the run
compare_wire.py sets beside the same run made by this repository's client
(examples/crm_v8_wire.rs). The steps and their inputs are the same in both files; keep them so.

Usage: ZOHO_FAKE_ENV=fake.env python sdk_wire.py FILES_DIR   (FILES_DIR holds report.txt and
photo.png). Exits non-zero when a step does not succeed.
"""

import os
import sys

from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.attachments import (
    ActionWrapper, AttachmentsOperations, DeleteAttachmentsParam, FileBodyWrapper,
    GetAttachmentsParam, ResponseWrapper, SuccessResponse, UploadUrlAttachmentsParam)
from zohocrmsdk.src.com.zoho.crm.api.record import FileBodyWrapper as PhotoBody
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from zohocrmsdk.src.com.zoho.crm.api.record import SuccessResponse as PhotoSuccess
from zohocrmsdk.src.com.zoho.crm.api.util import StreamWrapper

import sdk_session
from sdk_session import MODULE, RECORD

LINK_URL = "https://www.zohocorp.com"
LINK_TITLE = "Zoho Corporation"
FIELDS = "id,File_Name,Size,$link_url"


def check(holds, what):
    if not holds:
        raise SystemExit(f"sdk_wire: expected {what}")


def uploaded_id(response):
    check(response is not None and response.get_status_code() == 200, "an upload answered 200")
    wrapper = response.get_object()
    check(isinstance(wrapper, ActionWrapper), "an ActionWrapper")
    outcome = wrapper.get_data()[0]
    check(isinstance(outcome, SuccessResponse), "a SuccessResponse")
    return int(outcome.get_details()["id"])


def read_stream(response):
    check(response is not None and response.get_status_code() == 200, "a download answered 200")
    # As Zoho's samples read a download: the stream, chunk by chunk.
    return b"".join(response.get_object().get_file().get_stream())


def main(files):
    fake = sdk_session.fake_env()
    sdk_session.initialize(fake, sdk_session.refreshing_token(fake))
    attachments = AttachmentsOperations()
    report = os.path.join(files, "report.txt")
    photo = os.path.join(files, "photo.png")

    # 1. A file, 2. a link.
    body = FileBodyWrapper()
    body.set_file(StreamWrapper(file_path=report))
    file_id = uploaded_id(attachments.upload_attachments(RECORD, MODULE, body))
    params = ParameterMap()
    params.add(UploadUrlAttachmentsParam.attachmenturl, LINK_URL)
    params.add(UploadUrlAttachmentsParam.title, LINK_TITLE)
    link_id = uploaded_id(attachments.upload_url_attachments(RECORD, MODULE, params))

    # 3. The list, one page of ten.
    params = ParameterMap()
    params.add(GetAttachmentsParam.fields, FIELDS)
    params.add(GetAttachmentsParam.page, 1)
    params.add(GetAttachmentsParam.per_page, 10)
    listed = attachments.get_attachments(RECORD, MODULE, params)
    check(listed is not None and isinstance(listed.get_object(), ResponseWrapper), "a list")
    check(len(listed.get_object().get_data()) == 2, "the list holds the file and the link")

    # 4. The file's content.
    with open(report, "rb") as sent:
        check(read_stream(attachments.get_attachment(file_id, RECORD, MODULE)) == sent.read(),
              "the download is the upload")

    # 5. One deletion, 6. a deletion of several.
    deleted = attachments.delete_attachment(link_id, RECORD, MODULE)
    check(isinstance(deleted.get_object().get_data()[0], SuccessResponse), "the link deleted")
    params = ParameterMap()
    params.add(DeleteAttachmentsParam.ids, str(file_id))
    deleted = attachments.delete_attachments(RECORD, MODULE, params)
    check(all(isinstance(item, SuccessResponse) for item in deleted.get_object().get_data()),
          "every ID deleted")

    # 7. The record's photo: upload, get, delete.
    records = RecordOperations(MODULE)
    body = PhotoBody()
    body.set_file(StreamWrapper(file_path=photo))
    uploaded = records.upload_photo(RECORD, body)
    check(uploaded is not None and isinstance(uploaded.get_object(), PhotoSuccess),
          "the photo uploaded")
    with open(photo, "rb") as sent:
        check(read_stream(records.get_photo(RECORD)) == sent.read(), "the photo is the upload")
    deleted = records.delete_photo(RECORD)
    check(isinstance(deleted.get_object(), PhotoSuccess), "the photo deleted")
    print("sdk_wire: 9 operations done")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
