//! Saving text as a file: a `Blob` URL clicked through a temporary anchor (no network).

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` for download as `file_name` with the given MIME type.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let err = |e: JsValue| format!("cannot save {file_name}: {e:?}");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "no anchor".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url).map_err(err)
}
