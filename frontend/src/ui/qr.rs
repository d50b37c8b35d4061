//! QR codes, as inline SVG: dark modules on white with the standard quiet zone, so any
//! phone camera reads them in light or dark mode.

use qrcode::QrCode;
use qrcode::render::svg;

/// `text` as an SVG QR code (error correction M), or `None` if it is too long for one.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_an_svg_and_an_impossible_one_does_not() {
        let svg = qr_svg("https://relay.example/enrol#code=AB12-CD34").unwrap();
        assert!(svg.contains("<svg") && svg.contains("#000000"), "{svg}");
        assert!(qr_svg(&"x".repeat(5000)).is_none());
    }
}
