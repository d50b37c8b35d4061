//! The relay's HTTP API from the worker: a synchronous `XMLHttpRequest` (workers may
//! block; the device side's commands are synchronous), on the page's own origin.

use storeops_client::{ClientError, RelayHttp};
use web_sys::XmlHttpRequest;

use crate::js::error_text;

/// Blocking HTTP through `XMLHttpRequest`, 15 s per request. The browser decides
/// which certificates it trusts, so a relay CA given to the device is not used here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Xhr;

impl RelayHttp for Xhr {
    fn post_json(
        &self,
        url: &str,
        token: Option<&str>,
        body: &str,
        _ca_pem: Option<&str>,
    ) -> Result<(u16, String), ClientError> {
        let relay = url.split("/v1/").next().unwrap_or(url).to_owned();
        let unreachable = |why: String| ClientError::Unreachable(relay.clone(), why);
        let js = |e: wasm_bindgen::JsValue| unreachable(error_text(&e));
        let xhr = XmlHttpRequest::new().map_err(js)?;
        xhr.open_with_async("POST", url, false).map_err(js)?;
        xhr.set_timeout(15_000);
        xhr.set_request_header("content-type", "application/json")
            .map_err(js)?;
        if let Some(token) = token {
            xhr.set_request_header("authorization", &format!("Bearer {token}"))
                .map_err(js)?;
        }
        xhr.send_with_opt_str(Some(body)).map_err(js)?;
        let status = xhr.status().map_err(js)?;
        if status == 0 {
            return Err(unreachable("no answer".into()));
        }
        let text = xhr.response_text().ok().flatten().unwrap_or_default();
        Ok((status, text))
    }
}
