//! A preview of a file's first rows, read from a small slice of the file only.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Bytes read for a preview: enough for the header and a few rows.
const PREVIEW_BYTES: f64 = 64.0 * 1024.0;
/// Data rows shown.
const PREVIEW_ROWS: usize = 5;

/// Header and first rows of CSV text (the engine's own preview reader).
pub fn preview_rows(
    name: &str,
    text: &str,
    max_rows: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    splitscope_engine::ingest::preview(name, text.as_bytes(), max_rows)
        .map(|p| (p.headers, p.rows))
        .map_err(|e| e.to_string())
}

/// Keeps only complete lines of a slice (the last one may be cut mid-row).
pub fn complete_lines(text: &str, whole_file: bool) -> &str {
    if whole_file {
        return text;
    }
    text.rfind('\n').map_or(text, |i| &text[..=i])
}

async fn read_head(file: File) -> Result<String, String> {
    let whole = file.size() <= PREVIEW_BYTES;
    let part = file
        .slice_with_f64_and_f64(0.0, PREVIEW_BYTES)
        .map_err(|e| format!("{e:?}"))?;
    let text = JsFuture::from(part.text())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let text = text.as_string().unwrap_or_default();
    Ok(complete_lines(&text, whole).to_string())
}

/// Table of the first rows of `file`; its header cells go to `headers`.
#[component]
pub fn Preview(file: File, headers: RwSignal<Vec<String>>) -> impl IntoView {
    let rows = LocalResource::new(move || {
        let file = file.clone();
        async move {
            let name = file.name();
            read_head(file)
                .await
                .and_then(|t| preview_rows(&name, &t, PREVIEW_ROWS))
        }
    });
    move || match rows.get() {
        None => view! { <p class="muted">"Reading…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error">"Cannot preview: " {e}</p> }.into_any(),
        Some(Ok((cells, rows))) => {
            if headers.get_untracked() != cells {
                headers.set(cells.clone());
            }
            view! {
            <table class="preview">
                <thead><tr>{cells.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_and_rows() {
        let (h, r) = preview_rows("t.csv", "a,b\n1,2\n3,4\n5,6\n", 2).unwrap();
        assert_eq!(h, ["a", "b"]);
        assert_eq!(r, [["1", "2"], ["3", "4"]]);
    }

    #[test]
    fn cuts_partial_last_line() {
        assert_eq!(complete_lines("a,b\n1,2\n3,", false), "a,b\n1,2\n");
        assert_eq!(complete_lines("a,b\n1,2", true), "a,b\n1,2");
    }

    #[test]
    fn markup_stays_text() {
        let (_, r) = preview_rows("t.csv", "v\n<img src=x onerror=alert(1)>\n", 5).unwrap();
        assert_eq!(r[0][0], "<img src=x onerror=alert(1)>");
    }
}
