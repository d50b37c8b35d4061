//! Invite links, made in Settings when a manager creates an invite and read back when
//! one is opened or pasted into the enrol screen:
//!
//! - the web app's, `https://<relay>/enrol#code=<code>`: opened on a phone, the relay
//!   serves the app, which enrols that browser. The code sits in the fragment, which
//!   browsers never send to a server, so it is in no request line and no log;
//! - the desktop app's, `storeops://enrol?relay=<url>&code=<code>`.

const PREFIX: &str = "storeops://enrol";

/// What an invite link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteLink {
    /// The relay address, if the link names one.
    pub relay: Option<String>,
    pub code: String,
}

/// The link for an invite `code` on the relay at `relay`.
pub fn invite_link(relay: &str, code: &str) -> String {
    format!(
        "{PREFIX}?relay={}&code={}",
        encode(relay.trim()),
        encode(code.trim())
    )
}

/// The web app's link for an invite `code` on the relay at `relay`.
pub fn web_invite_link(relay: &str, code: &str) -> String {
    format!(
        "{}/enrol#code={}",
        relay.trim().trim_end_matches('/'),
        encode(code.trim())
    )
}

/// The relay and code an invite form holds: an invite link pasted whole into its
/// code field brings its relay with it (else the relay field's); a bare code is
/// the code.
pub fn relay_and_code(code_field: &str, relay_field: &str) -> (String, String) {
    match parse_invite_link(code_field) {
        Some(link) => (
            link.relay.unwrap_or_else(|| relay_field.to_owned()),
            link.code,
        ),
        None => (relay_field.to_owned(), code_field.to_owned()),
    }
}

/// Reads an invite link of either kind (surrounding spaces and the scheme's case do not
/// matter); `None` for anything else, such as a bare code, or a link without a code.
pub fn parse_invite_link(text: &str) -> Option<InviteLink> {
    let text = text.trim();
    if let Some(link) = parse_web_link(text) {
        return Some(link);
    }
    let head = text.get(..PREFIX.len())?;
    if !head.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let rest = &text[PREFIX.len()..];
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let query = rest.strip_prefix('?')?;
    let query = query.split('#').next().unwrap_or_default();
    let mut relay = None;
    let mut code = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value)?;
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key {
            "relay" => relay = Some(value.to_owned()),
            "code" => code = Some(value.to_owned()),
            _ => {}
        }
    }
    Some(InviteLink { relay, code: code? })
}

/// `http(s)://host[:port]/enrol#code=<code>`: the relay is the link's origin.
fn parse_web_link(text: &str) -> Option<InviteLink> {
    let lower = text.get(..8)?.to_ascii_lowercase();
    let scheme = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    let (base, fragment) = text.split_once('#')?;
    let base = base.trim_end_matches('/');
    let host = base.get(scheme..)?.strip_suffix("/enrol")?;
    if host.is_empty() || host.contains('/') || host.contains('?') {
        return None;
    }
    let mut code = None;
    for pair in fragment.split('&') {
        if let Some(value) = pair.strip_prefix("code=") {
            let value = decode(value)?;
            let value = value.trim();
            if !value.is_empty() {
                code = Some(value.to_owned());
            }
        }
    }
    Some(InviteLink {
        relay: Some(format!("{}{host}", &base[..scheme].to_ascii_lowercase())),
        code: code?,
    })
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes [`encode`] (and any other percent-encoding); `None` if malformed or not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invite_form_takes_a_pasted_link_s_relay_or_its_own() {
        let link = invite_link("https://r.example", "ABCD-1234");
        assert_eq!(
            relay_and_code(&link, "http://typed"),
            ("https://r.example".into(), "ABCD-1234".into())
        );
        assert_eq!(
            relay_and_code("ABCD-1234", "http://typed"),
            ("http://typed".into(), "ABCD-1234".into())
        );
    }

    #[test]
    fn a_link_round_trips() {
        let link = invite_link("https://relay.example.com:8787/", "AB12-CD34");
        assert_eq!(
            link,
            "storeops://enrol?relay=https%3A%2F%2Frelay.example.com%3A8787%2F&code=AB12-CD34"
        );
        assert_eq!(
            parse_invite_link(&link),
            Some(InviteLink {
                relay: Some("https://relay.example.com:8787/".into()),
                code: "AB12-CD34".into(),
            })
        );
    }

    #[test]
    fn a_pasted_link_may_have_spaces_other_keys_and_any_case() {
        let parsed =
            parse_invite_link("  StoreOps://enrol/?code=XYZ&v=1&relay=http://10.0.0.2:8787 \n");
        assert_eq!(
            parsed,
            Some(InviteLink {
                relay: Some("http://10.0.0.2:8787".into()),
                code: "XYZ".into(),
            })
        );
    }

    #[test]
    fn a_link_without_a_relay_still_gives_the_code() {
        assert_eq!(
            parse_invite_link("storeops://enrol?code=abc"),
            Some(InviteLink {
                relay: None,
                code: "abc".into(),
            })
        );
    }

    #[test]
    fn anything_else_is_not_a_link() {
        assert_eq!(parse_invite_link("AB12-CD34"), None);
        assert_eq!(parse_invite_link("storeops://enrol"), None);
        assert_eq!(parse_invite_link("storeops://enrol?relay=x"), None);
        assert_eq!(parse_invite_link("storeops://enrol?code=%zz"), None);
        assert_eq!(parse_invite_link("https://enrol?code=abc"), None);
        assert_eq!(parse_invite_link("存储"), None);
    }

    #[test]
    fn a_web_link_names_its_relay_by_its_origin_and_carries_the_code_in_the_fragment() {
        let link = web_invite_link("https://relay.example.com:8787/", "AB12-CD34");
        assert_eq!(link, "https://relay.example.com:8787/enrol#code=AB12-CD34");
        assert_eq!(
            parse_invite_link(&format!("  {link} ")),
            Some(InviteLink {
                relay: Some("https://relay.example.com:8787".into()),
                code: "AB12-CD34".into(),
            })
        );
        assert_eq!(
            parse_invite_link("HTTP://10.0.0.2:8787/enrol/#v=1&code=x%20y").map(|l| l.code),
            Some("x y".into())
        );
        for bad in [
            "https://relay.example/enrol",
            "https://relay.example/enrol#code=",
            "https://relay.example/other#code=abc",
            "https://relay.example/a/enrol#code=abc",
            "https:///enrol#code=abc",
            "https://relay.example/enrol?code=abc",
        ] {
            assert_eq!(parse_invite_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn non_ascii_survives() {
        let link = invite_link("http://门店.example", "码1");
        assert_eq!(
            parse_invite_link(&link).map(|l| (l.relay, l.code)),
            Some((Some("http://门店.example".into()), "码1".into()))
        );
    }
}
