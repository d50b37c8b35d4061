//! Dates and times, in the store's time zone when it is known and valid.
//!
//! Uses `Intl.DateTimeFormat` through `Reflect`, so an unknown time zone (which makes the
//! constructor throw) falls back to the device's own zone instead of aborting.

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::Lang;

fn set(options: &Object, key: &str, value: &str) {
    let _ = Reflect::set(options, &JsValue::from_str(key), &JsValue::from_str(value));
}

/// A `DateTimeFormat` for `locale` with `options`, in `time_zone` if that is a valid zone,
/// else in the device's zone.
fn formatter(locale: &str, time_zone: &str, options: &[(&str, &str)]) -> Option<JsValue> {
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let ctor: Function = Reflect::get(&intl, &JsValue::from_str("DateTimeFormat"))
        .ok()?
        .dyn_into()
        .ok()?;
    let build = |zone: Option<&str>| {
        let opts = Object::new();
        for (k, v) in options {
            set(&opts, k, v);
        }
        if let Some(zone) = zone {
            set(&opts, "timeZone", zone);
        }
        Reflect::construct(&ctor, &Array::of2(&JsValue::from_str(locale), &opts)).ok()
    };
    let zone = Some(time_zone).filter(|z| !z.is_empty());
    build(zone).or_else(|| build(None))
}

fn call(fmt: &JsValue, method: &str, ms: f64) -> Option<JsValue> {
    let f: Function = Reflect::get(fmt, &JsValue::from_str(method))
        .ok()?
        .dyn_into()
        .ok()?;
    f.call1(fmt, &Date::new(&JsValue::from_f64(ms))).ok()
}

/// `YYYY-MM-DD` of the instant `ms` in the given zone.
fn date_key(ms: f64, time_zone: &str) -> String {
    let parts = formatter(
        "en-US",
        time_zone,
        &[
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
        ],
    )
    .and_then(|fmt| call(&fmt, "formatToParts", ms))
    .and_then(|parts| parts.dyn_into::<Array>().ok());
    let part = |name: &str| -> Option<String> {
        parts.as_ref()?.iter().find_map(|p| {
            let ty = Reflect::get(&p, &JsValue::from_str("type"))
                .ok()?
                .as_string()?;
            (ty == name).then(|| {
                Reflect::get(&p, &JsValue::from_str("value"))
                    .ok()?
                    .as_string()
            })?
        })
    };
    match (part("year"), part("month"), part("day")) {
        (Some(y), Some(m), Some(d)) => format!("{y}-{m}-{d}"),
        _ => {
            let date = Date::new(&JsValue::from_f64(ms));
            format!(
                "{:04}-{:02}-{:02}",
                date.get_full_year(),
                date.get_month() + 1,
                date.get_date()
            )
        }
    }
}

/// Today's date in the store's zone, `YYYY-MM-DD`, to compare with task due dates.
pub fn today(time_zone: &str) -> String {
    date_key(Date::now(), time_zone)
}

/// A short time for "synced 10:42": just the time today, with the date on other days.
pub fn sync_time(ms: i64, lang: Lang, time_zone: &str) -> String {
    // Unix milliseconds fit an f64 exactly for the next quarter of a million years.
    let ms = ms as f64;
    let same_day = date_key(ms, time_zone) == date_key(Date::now(), time_zone);
    let mut options = vec![
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ];
    if !same_day {
        options.extend([("month", "short"), ("day", "numeric")]);
    }
    formatter(lang.tag(), time_zone, &options)
        .and_then(|fmt| call(&fmt, "format", ms))
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| {
            let date = Date::new(&JsValue::from_f64(ms));
            format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
        })
}

/// A date and time, e.g. when an invite expires: "Nov 28, 18:42" / "11月28日 18:42".
pub fn date_time(ms: i64, lang: Lang, time_zone: &str) -> String {
    let ms = ms as f64;
    let options = [
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ];
    formatter(lang.tag(), time_zone, &options)
        .and_then(|fmt| call(&fmt, "format", ms))
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| {
            let date = Date::new(&JsValue::from_f64(ms));
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                date.get_full_year(),
                date.get_month() + 1,
                date.get_date(),
                date.get_hours(),
                date.get_minutes()
            )
        })
}
