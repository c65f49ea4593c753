//! Block-parallel reading equals one sequential pass.
use super::*;
use crate::plan::OnBadRow;
use crate::NoProgress;

type Seen = (
    Vec<(String, String, Option<f64>, i64)>,
    Vec<BadRow>,
    InputFile,
);

fn read(text: &str, block_size: usize) -> Seen {
    let plan = Plan {
        on_bad_row: OnBadRow::Skip,
        ..Plan::default()
    };
    let mut bad = BadRowLog::new(plan.on_bad_row);
    let mut rows = Vec::new();
    let file = read_events_in_blocks(
        Input::new("events.csv", text.as_bytes()),
        &plan,
        &mut bad,
        &mut NoProgress,
        |r| rows.push((r.user.to_string(), r.event.to_string(), r.amount, r.ts)),
        block_size,
    )
    .unwrap();
    (rows, bad.listed, file)
}

/// Blocks parsed on threads give exactly what one sequential pass gives: the same
/// rows in the same order, bad rows on the same lines, the same digest — also when
/// quotes turn up halfway and the rest is read as one stream.
#[test]
fn blocks_equal_one_pass() {
    let mut text = String::from("user_id,event,amount,event_ts\r\n");
    for i in 0..6000 {
        let amount = if i % 997 == 0 {
            "oops".to_string()
        } else {
            format!("{}", i % 13)
        };
        text.push_str(&format!(
            "{i},purchase,{amount},2023-01-0{} 10:00:00\r\n",
            1 + i % 9
        ));
        if i == 4000 {
            text.push_str("\"4001\",\"multi\nline\",1,2023-01-02 00:00:00\r\n");
        }
    }
    let whole = read(&text, usize::MAX / 4);
    let blocks = read(&text, 512);
    assert_eq!(whole.0.len(), 6001 - 7);
    assert_eq!(whole.0, blocks.0);
    assert_eq!(whole.1, blocks.1);
    assert_eq!(whole.2, blocks.2);
    assert_eq!(blocks.1.first().map(|b| b.line), Some(2));
    assert_eq!(blocks.1.get(1).map(|b| b.line), Some(999));
    // After the quoted two-line record, lines are still counted right.
    assert_eq!(blocks.1.get(5).map(|b| b.line), Some(4987 + 2));
}
