//! wasm tests of the browser-side code, run in a dedicated worker of headless Chromium
//! by `wasm-bindgen-test-runner` (see scripts/test-web.sh). Natively this file is empty.
#![cfg(target_arch = "wasm32")]

use splitscope_app::chunked::{ChunkedReader, RangeSource};
use splitscope_app::protocol::Response;
use splitscope_app::run;
use splitscope_app::worker::{file_reader, BlobSource};
use splitscope_engine::example::{EVENTS_CSV, EXPOSURES_CSV};
use std::io::Read;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn file(name: &str, text: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    web_sys::File::new_with_str_sequence(&parts, name).unwrap()
}

#[wasm_bindgen_test]
fn blob_source_reads_ranges_with_file_reader_sync() {
    let f = file("x.csv", "abcdefghij");
    let mut src = BlobSource::new(f.into()).unwrap();
    assert_eq!(src.size(), 10);
    let mut out = Vec::new();
    src.read_range(2, 5, &mut out).unwrap();
    assert_eq!(out, b"cde");
}

#[wasm_bindgen_test]
fn chunked_file_reader_streams_the_whole_file() {
    let text: String = (0..5000).map(|i| format!("{i},row\n")).collect();
    let f = file("big.csv", &text);
    let blob: web_sys::Blob = f.into();
    let mut reader = ChunkedReader::new(BlobSource::new(blob).unwrap(), 777);
    let mut back = String::new();
    reader.read_to_string(&mut back).unwrap();
    assert_eq!(back, text);
    assert_eq!(reader.consumed(), text.len() as u64);
}

#[wasm_bindgen_test]
fn multibyte_text_survives_chunk_boundaries() {
    let text = "variant\nüñí©ødé\n".repeat(100);
    let mut reader = file_reader(&file("u.csv", &text)).unwrap();
    let mut back = String::new();
    reader.read_to_string(&mut back).unwrap();
    assert_eq!(back, text);
}

#[wasm_bindgen_test]
fn wasm_engine_report_for_the_course_data_is_byte_identical_to_native() {
    let native = include_str!(env!("SPLITSCOPE_NATIVE_COURSE_REPORT"));
    let mut progress = Vec::new();
    let response = run::analyze(
        "{}",
        ("exposures.csv", &file("exposures.csv", EXPOSURES_CSV)),
        ("events.csv", &file("events.csv", EVENTS_CSV)),
        &mut |r| progress.push(r),
    );
    assert!(progress
        .iter()
        .any(|r| matches!(r, Response::Progress { .. })));
    match response {
        Response::Done { report_json, .. } => assert_eq!(report_json.trim_end(), native.trim_end()),
        other => panic!("expected a report, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn bad_rows_fail_with_file_and_line() {
    let events = "user_id,event,amount,event_ts\n1,purchase,ten,2023-01-01 11:00:00\n";
    let response = run::analyze(
        "{}",
        ("exposures.csv", &file("exposures.csv", EXPOSURES_CSV)),
        ("events.csv", &file("events.csv", events)),
        &mut |_| {},
    );
    match response {
        Response::Failed {
            message,
            location,
            fatal,
        } => {
            assert!(!fatal);
            assert!(message.contains("events.csv, line 2"), "{message}");
            assert_eq!(location.unwrap().line, Some(2));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn a_bad_plan_is_a_message_not_a_panic() {
    let response = run::analyze(
        r#"{"alpah": 0.1}"#,
        ("e.csv", &file("e.csv", EXPOSURES_CSV)),
        ("v.csv", &file("v.csv", EVENTS_CSV)),
        &mut |_| {},
    );
    assert!(matches!(response, Response::Failed { ref message, .. } if message.contains("alpah")));
}
