//! Invite links: `storeops://enrol?relay=<url>&code=<code>`, made in Settings when a
//! manager creates an invite, and read back when one is pasted into the enrol screen.

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

/// Reads an invite link (surrounding spaces and the scheme's case do not matter);
/// `None` for anything else, such as a bare code, or a link without a code.
pub fn parse_invite_link(text: &str) -> Option<InviteLink> {
    let text = text.trim();
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
    fn non_ascii_survives() {
        let link = invite_link("http://门店.example", "码1");
        assert_eq!(
            parse_invite_link(&link).map(|l| (l.relay, l.code)),
            Some((Some("http://门店.example".into()), "码1".into()))
        );
    }
}
