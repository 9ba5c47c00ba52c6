//! CRM v8 record photos: `get_photo` and `delete_photo` take a `PhotoModule`, `upload_photo`
//! a `PhotoUploadModule` (which also has Deals) and a `PhotoUpload`. Both sets convert into
//! `Module`, and a `Module` converts into them with `TryFrom` when the set has it.

use std::io::Cursor;

use zoho_attachments::crm::v8::{
    self, DeletePhoto, GetPhoto, Module, PhotoModule, PhotoResult, PhotoUpload, PhotoUploadModule,
    UploadPhoto,
};
use zoho_attachments::{Client, Error, FilePart, ServiceError};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("1000.test")
        .build()
        .expect("a loopback base URL and a token are enough to build a client")
}

/// Copies a lead's photo to a contact; `false` when the lead has none (Zoho answers 204).
/// Type-checked by `main`, never run (nothing listens on port 9).
async fn copy_photo(client: Client, lead_id: String, contact_id: String) -> Result<bool, BoxError> {
    let crm = client.crm_v8();
    let Some(photo) = crm.get_photo(PhotoModule::Leads, lead_id).send().await? else {
        return Ok(false);
    };
    let name = photo
        .safe_file_name()
        .unwrap_or_else(|| "photo.png".to_owned());
    let bytes = photo.bytes().await?;
    let done: PhotoResult = crm
        .upload_photo(
            PhotoUploadModule::Contacts,
            contact_id,
            PhotoUpload::bytes(name, bytes),
        )
        .restrict_triggers("workflow")
        .send()
        .await?;
    Ok(done.status.as_deref() == Some("success"))
}

/// Removes the photo of any record the application holds as a `Module`, when that
/// module has photos; `Ok(None)` otherwise.
async fn remove_photo(
    client: Client,
    module: Module,
    record_id: String,
) -> Result<Option<PhotoResult>, v8::DeletePhotoError> {
    let Ok(module) = PhotoModule::try_from(module) else {
        return Ok(None);
    };
    let done = client
        .crm_v8()
        .delete_photo(module, record_id)
        .send()
        .await?;
    Ok(Some(done))
}

/// Compiles only if `future` meets `tokio::spawn`'s bounds; it is dropped, never polled.
fn assert_spawnable<F>(future: F)
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    drop(future);
}

fn main() {
    let client = client();
    let crm = client.crm_v8();

    // The sets: five modules have a photo to get or delete; uploads also accept Deals.
    let names = |modules: &[PhotoModule]| -> Vec<String> {
        modules
            .iter()
            .map(|module| module.api_name().to_owned())
            .collect()
    };
    assert_eq!(
        names(PhotoModule::ALL),
        ["Leads", "Contacts", "Accounts", "Products", "Vendors"]
    );
    assert_eq!(PhotoUploadModule::ALL.len(), 6);
    assert!(PhotoUploadModule::ALL.contains(&PhotoUploadModule::Deals));

    // Every set module converts into the same `Module` and back.
    for module in PhotoModule::ALL {
        let general = Module::from(module.clone());
        assert_eq!(general.api_name(), module.api_name());
        assert_eq!(general.scope_name(), module.scope_name());
        assert_eq!(PhotoModule::try_from(general), Ok(module.clone()));
    }
    for module in PhotoUploadModule::ALL {
        let general: Module = module.clone().into();
        assert_eq!(PhotoUploadModule::try_from(general), Ok(module.clone()));
    }
    // A module outside the set is handed back unchanged.
    assert_eq!(PhotoModule::try_from(Module::Deals), Err(Module::Deals));
    assert_eq!(
        PhotoUploadModule::try_from(Module::Deals),
        Ok(PhotoUploadModule::Deals)
    );
    assert_eq!(PhotoModule::try_from(Module::Notes), Err(Module::Notes));
    let with_photo = Module::BUILT_IN
        .iter()
        .filter(|module| PhotoModule::try_from((*module).clone()).is_ok())
        .count();
    assert_eq!(with_photo, 5);

    // Custom modules come through `Module::custom`: by API name, scope name `custom`, and the
    // same module on both sides.
    let custom = PhotoModule::try_from(Module::custom("Foo__c")).expect("photos take custom modules");
    assert_eq!(custom.api_name(), "Foo__c");
    assert_eq!(custom.scope_name(), "custom");
    assert!(matches!(&custom, PhotoModule::Custom(name) if name.api_name() == "Foo__c"));
    assert_eq!(Module::from(custom.clone()), Module::custom("Foo__c"));
    assert_eq!(
        PhotoModule::try_from(Module::custom("Foo__c")),
        Ok(custom.clone())
    );
    let upload_custom = PhotoUploadModule::try_from(Module::custom("Foo__c"));
    assert!(matches!(&upload_custom, Ok(PhotoUploadModule::Custom(name)) if name.api_name() == "Foo__c"));
    // A built-in API name gives the built-in module, never a custom one, and a built-in module
    // outside the set is refused (handed back).
    assert_eq!(PhotoModule::try_from(Module::custom("Leads")), Ok(PhotoModule::Leads));
    assert_eq!(PhotoUploadModule::try_from(Module::custom("Deals")), Ok(PhotoUploadModule::Deals));
    assert_eq!(PhotoModule::try_from(Module::custom("Deals")), Err(Module::Deals));
    assert_eq!(
        PhotoModule::from_api_name("Vendors"),
        Some(PhotoModule::Vendors)
    );
    assert_eq!(PhotoModule::from_api_name("Deals"), None);

    // Every operation, with every form of photo.
    let gets: [GetPhoto; 2] = [
        crm.get_photo(PhotoModule::Contacts, "1"),
        crm.get_photo(custom.clone(), String::from("2")),
    ];
    for request in gets {
        assert_spawnable(request.send());
    }
    let uploads: [UploadPhoto; 5] = [
        crm.upload_photo(
            PhotoUploadModule::Leads,
            "1",
            PhotoUpload::path("photo.png"),
        ),
        crm.upload_photo(
            PhotoUploadModule::Deals,
            "2",
            PhotoUpload::bytes("logo.png", &b"\x89PNG"[..]),
        ),
        crm.upload_photo(
            PhotoUploadModule::Vendors,
            "3",
            PhotoUpload::file(FilePart::reader(
                "logo.jpg",
                Cursor::new(vec![0_u8; 16]),
                Some(16),
            )),
        ),
        // A `FilePart` converts into a `PhotoUpload`.
        crm.upload_photo(
            PhotoUploadModule::try_from(Module::custom("Foo__c")).expect("a custom module"),
            "4",
            FilePart::path("photo.gif").content_type("image/gif"),
        ),
        crm.upload_photo(PhotoUploadModule::Products, "5", PhotoUpload::path("p.bmp"))
            .restrict_triggers("workflow"),
    ];
    for request in uploads {
        assert_spawnable(request.send());
    }
    let delete: DeletePhoto = crm.delete_photo(PhotoModule::Accounts, "6");
    assert_spawnable(delete.send());

    // Photos need the module's scope only: no attachments scope.
    assert_eq!(
        GetPhoto::minimal_scopes(&PhotoModule::Contacts),
        ["ZohoCRM.modules.contacts.READ"]
    );
    assert_eq!(
        UploadPhoto::minimal_scopes(&PhotoUploadModule::Deals),
        ["ZohoCRM.modules.deals.CREATE"]
    );
    assert_eq!(
        DeletePhoto::minimal_scopes(&custom),
        ["ZohoCRM.modules.custom.DELETE"]
    );
    assert_eq!(
        GetPhoto::REQUIRED_SCOPES.to_string(),
        "ZohoCRM.modules.ALL or ZohoCRM.modules.{module}.{operation}, \
         where {operation} is one of ALL, READ",
    );
    assert!(
        DeletePhoto::REQUIRED_SCOPES
            .is_satisfied_by(Some("accounts"), &["ZohoCRM.modules.accounts.DELETE"])
    );

    // The answer, and an error code the page documents with two statuses.
    let done: PhotoResult = serde_json::from_str(
        r#"{"code": "SUCCESS", "details": {}, "message": "photo uploaded successfully", "status": "success"}"#,
    )
    .expect("a photo answer decodes");
    assert_eq!(done.code.as_deref(), Some("SUCCESS"));
    assert_eq!(done.details.as_ref().map(serde_json::Map::len), Some(0));
    for status in [400, 415] {
        let error = v8::UploadPhotoError::from(Error::Service(ServiceError::new(
            status,
            "INVALID_DATA",
            "the image is not valid",
            serde_json::Value::Null,
        )));
        assert!(matches!(error, v8::UploadPhotoError::InvalidData(_)));
        assert_eq!(error.http_status(), Some(status));
    }

    assert_spawnable(copy_photo(client.clone(), "1".to_owned(), "2".to_owned()));
    assert_spawnable(remove_photo(client, Module::Vendors, "3".to_owned()));
}
